"""Qt tests run the app's real asyncio-in-Qt loop (qasync) against the sandbox.

One qasync loop serves the session; each test makes it the running loop while
it runs and leaves none of its tasks behind. pytest-qt's waitUntil turns Qt's
event loop, and with it every coroutine the widgets started.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtCore import QAbstractItemModel
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient, RetryPolicy
from omnidesk.api.session import Session
from omnidesk.sandbox import SandboxServer
from omnidesk.ui.tasks import BackgroundTasks

T = TypeVar("T")

QUICK_RETRIES = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02)


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
