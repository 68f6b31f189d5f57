"""Qt tests run the app's real asyncio-in-Qt loop (qasync) against the sandbox.

One qasync loop serves the session; each test makes it the running loop while
it runs and leaves none of its tasks behind. pytest-qt's waitUntil turns Qt's
event loop, and with it every coroutine the widgets started.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtCore import QAbstractItemModel, QEvent
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient, RetryPolicy
from omnidesk.api.session import Session
from omnidesk.imports import Journal
from omnidesk.sandbox import SandboxServer
from omnidesk.settings import Environment, Profile
from omnidesk.ui import style
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.tasks import BackgroundTasks

T = TypeVar("T")

QUICK_RETRIES = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02)


@pytest.fixture(scope="session", autouse=True)
def app_style(qapp: QApplication) -> None:
    """The app's own style sheet and colour scheme, as run_gui installs them."""
    style.install(qapp)


@pytest.fixture(scope="session")
def qt_loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    qt_loop = qasync.QEventLoop(qapp, already_running=True)
    yield qt_loop
    qt_loop.stop()
    qt_loop.close()  # joins the worker threads (export, spreadsheet reading)


@pytest.fixture
def loop(qt_loop: qasync.QEventLoop, qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    asyncio.events._set_running_loop(qt_loop)
    before = asyncio.all_tasks(qt_loop)
    try:
        yield qt_loop
    finally:
        left = asyncio.all_tasks(qt_loop) - before
        for task in left:
            task.cancel()
        deadline = time.monotonic() + 5
        while any(not task.done() for task in left) and time.monotonic() < deadline:
            qapp.processEvents()
        asyncio.events._set_running_loop(None)


def watch_model(*models: QAbstractItemModel) -> None:
    """Qt's model tester follows each model for as long as it lives.

    It checks every reset, insert and dataChanged against what the model then
    reports, and complains with a Qt warning, which fails the test. The tester
    is the model's child: an unowned one would be collected at once and stop
    watching after its first look.
    """
    complain = QAbstractItemModelTester.FailureReportingMode.Warning
    for model in models:
        QAbstractItemModelTester(model, complain, model)


class Runner:
    """Runs a coroutine on the Qt loop and waits for it, events flowing meanwhile."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot

    def __call__(self, coroutine: Coroutine[Any, Any, T], timeout: int = 10_000) -> T:
        task = asyncio.ensure_future(coroutine)
        self.qtbot.waitUntil(task.done, timeout=timeout)
        return task.result()


@pytest.fixture
def run(qtbot: QtBot, loop: qasync.QEventLoop) -> Runner:
    return Runner(qtbot)


@pytest.fixture
def tasks(loop: qasync.QEventLoop, run: Runner) -> Iterator[BackgroundTasks]:
    keeper = BackgroundTasks()
    yield keeper
    run(keeper.cancel_all())


@pytest.fixture
def client(sandbox: SandboxServer, run: Runner) -> Iterator[OmnitronClient]:
    signed_in = OmnitronClient(sandbox.url, retry=QUICK_RETRIES)
    run(signed_in.login("demo", "demo"))
    yield signed_in
    run(signed_in.aclose())


class SignInAnswers:
    """Stands in for the person at the sign-in dialog in tests that are not about it."""

    def __init__(self, client: OmnitronClient) -> None:
        self.client = client
        self.asked = 0

    async def __call__(self) -> bool:
        self.asked += 1
        await self.client.login("demo", "demo")
        return True


@pytest.fixture
def session(client: OmnitronClient) -> Session:
    return Session(client, SignInAnswers(client))


@pytest.fixture
def window(
    qtbot: QtBot,
    sandbox: SandboxServer,
    client: OmnitronClient,
    tasks: BackgroundTasks,
    tmp_path: Path,
) -> MainWindow:
    profile = Profile("Sandbox", sandbox.url, "demo", Environment.TEST)

    async def reconnect(chosen: Profile, password: str) -> None:
        await client.login(chosen.username, password)

    session = Session(client, lambda: main.ask_to_sign_in())
    main = MainWindow(profile, session, tasks, reconnect, Journal(tmp_path / "journal.sqlite3"))
    qtbot.addWidget(main)
    # The list models are watched in test_paged_model: a tester fetches every page.
    watch_model(main.imports.model)
    main.show()
    main.start()
    return main


@pytest.fixture(autouse=True)
def leaves_nothing_behind(qapp: QApplication) -> Iterator[None]:
    """Fail a test that leaves a window, a widget or a thread behind (as napari's fixtures do).

    Runs after pytest-qt has closed the test's widgets. The loop's own worker
    threads (named asyncio_N) are shared by the session and joined at its end.
    """
    threads_before = set(threading.enumerate())
    widgets_before = set(map(id, QApplication.topLevelWidgets()))
    yield
    for _ in range(3):  # widgets closed with deleteLater go at the next turns of the loop
        qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        qapp.processEvents()
        gc.collect()
    left_open = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    left_over = [
        w for w in QApplication.topLevelWidgets()
        if id(w) not in widgets_before and not w.isVisible()
    ]  # fmt: skip
    running = [
        t for t in threading.enumerate()
        if t not in threads_before and t.is_alive() and not t.name.startswith("asyncio_")
    ]  # fmt: skip
    assert not left_open, f"windows left open: {[w.windowTitle() for w in left_open]}"
    assert not left_over, f"widgets left behind: {[type(w).__name__ for w in left_over]}"
    assert not running, f"threads left running: {[t.name for t in running]}"
