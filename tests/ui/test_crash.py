"""A bug nobody foresaw: one "Something went wrong" dialog, the error in the log.

pytest-qt turns an exception in a slot into a failed test; these tests switch
that off (qt_no_exception_capture) to see what the person would see instead.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from qasync import asyncSlot

from omnidesk import __version__
from omnidesk.app import Application, Options, run_reporting
from omnidesk.kinds import ListKind
from omnidesk.settings import logs
from omnidesk.ui.crash import CrashDialog, CrashReporter
from omnidesk.ui.list_pane import ListPane
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.tasks import BackgroundTasks

pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def log_file(private_home: Path) -> Path:
    written = logs.configure("omnidesk.log")
    assert written is not None
    return written


@pytest.fixture
def crashes(loop: qasync.QEventLoop, log_file: Path) -> Iterator[CrashReporter]:
    reporter = CrashReporter()
    hook = sys.excepthook
    reporter.install(loop)
    yield reporter
    reporter.uninstall()
    assert sys.excepthook is hook
    for dialog in shown_dialogs():
        dialog.close()


def shown_dialogs() -> list[CrashDialog]:
    found = [w for w in QApplication.allWidgets() if isinstance(w, CrashDialog)]
    return [dialog for dialog in found if dialog.isVisible()]


def one_dialog(qtbot: QtBot) -> CrashDialog:
    qtbot.waitUntil(lambda: len(shown_dialogs()) == 1)
    (dialog,) = shown_dialogs()
    return dialog


def crash_on_export(monkeypatch: pytest.MonkeyPatch) -> None:
    def export(pane: ListPane) -> None:
        raise RuntimeError("the export button broke")

    monkeypatch.setattr(ListPane, "export", export)


def test_a_crash_in_a_slot_shows_the_dialog_and_lands_in_the_log(
    qtbot: QtBot,
    window: MainWindow,
    crashes: CrashReporter,
    log_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crash_on_export(monkeypatch)
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: pane.model.rowCount() > 0)
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # Export…

    dialog = one_dialog(qtbot)
    assert dialog.windowTitle() == "Something went wrong"
    assert "did not expect" in dialog.message.text()
    assert dialog.error_line.text() == "RuntimeError: the export button broke"
    assert str(log_file) in dialog.where.text()
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "RuntimeError: the export button broke" in logged
    assert "in export" in logged  # the traceback reaches the slot that raised

    qtbot.mouseClick(dialog.copy, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert f"OmniDesk: {__version__}" in copied
    assert "Qt: " in copied
    assert "RuntimeError: the export button broke" in copied
    assert "Traceback" in copied
    assert window.isVisible()  # the window goes on


def test_a_burst_opens_one_dialog_that_counts_the_others(
    qtbot: QtBot, window: MainWindow, crashes: CrashReporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash_on_export(monkeypatch)
    export = window.findChild(QObject, "exportAction")
    assert export is not None
    for _ in range(4):
        export.trigger()
    dialog = one_dialog(qtbot)
    assert dialog.more.text() == (
        "3 more errors happened since; they are in the log and the details too."
    )
    dialog.close()
    qtbot.waitUntil(lambda: not shown_dialogs())
    export.trigger()  # the same bug again, once the person has seen it: the log only
    assert not shown_dialogs()  # a dialog would be open by now: report() opens it at once


def test_a_failed_background_task_shows_the_dialog(
    qtbot: QtBot, crashes: CrashReporter, tasks: BackgroundTasks, log_file: Path
) -> None:
    async def load() -> None:
        await asyncio.sleep(0)
        raise KeyError("price_list")

    tasks.start(load())
    dialog = one_dialog(qtbot)
    assert dialog.error_line.text() == "KeyError: 'price_list'"
    assert "unexpected error in a background task: KeyError" in log_file.read_text("utf-8")
    dialog.close()


def test_an_async_slot_and_a_loop_callback_show_it_too(
    qtbot: QtBot, crashes: CrashReporter, loop: qasync.QEventLoop, log_file: Path
) -> None:
    class Saver(QObject):
        @asyncSlot()
        async def save(self) -> None:
            await asyncio.sleep(0)
            raise ValueError("a Decimal went astray")

    saver = Saver()
    saver.save()
    dialog = one_dialog(qtbot)
    assert dialog.error_line.text() == "ValueError: a Decimal went astray"
    dialog.close()
    qtbot.waitUntil(lambda: not shown_dialogs())

    def callback() -> None:
        raise ZeroDivisionError("division by zero")

    loop.call_soon(callback)
    dialog = one_dialog(qtbot)
    assert dialog.error_line.text() == "ZeroDivisionError: division by zero"
    dialog.close()


def test_a_crash_while_starting_is_shown_before_the_app_ends(
    qtbot: QtBot, crashes: CrashReporter, loop: qasync.QEventLoop, log_file: Path
) -> None:
    application = Application(Options())

    async def broken_start() -> int:
        raise AttributeError("'NoneType' object has no attribute 'base_url'")

    application.run = broken_start  # type: ignore[method-assign]
    ended = asyncio.ensure_future(run_reporting(application, crashes))
    dialog = one_dialog(qtbot)
    assert dialog.windowTitle() == "Something went wrong"
    assert "has to stop" in dialog.message.text()
    assert not ended.done()  # the app waits for the person to read it
    dialog.close()
    qtbot.waitUntil(ended.done)
    assert ended.result() == 2
    assert "AttributeError" in log_file.read_text("utf-8")
    application.journal.close()
