"""One friendly dialog for what nobody foresaw, wherever it happens.

Every slot handles the errors a person can act on (a refused save, a lost
connection) in words where they happen. What is left is a bug: an exception in
a slot (``sys.excepthook``: PySide and qasync's ``asyncSlot`` both hand it
there), in a background task (``BackgroundTasks`` hands it to the loop), in a
callback of the event loop (the loop's exception handler), or while starting
(``run_gui``). Each goes to the log with its traceback, and the person sees
"Something went wrong": what happened in words, where the log is, and Copy
details.

A burst opens one dialog, not a pile: while it is open, the next errors are
counted in it. An error already shown once (the same exception at the same
line: a bug in a repaint comes back at every repaint) is only logged after.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from omnidesk.i18n import _, n_
from omnidesk.settings import logs
from omnidesk.settings.paths import log_dir

from .about import environment_text, open_folder
from .formatting import local_integer
from .style import Tone, mark

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


def _signature(error: BaseException) -> tuple[str, str, int]:
    """The same bug met again: its class and the line it was raised at."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return (type(error).__qualname__, str(error), 0)
    last = frames[-1]
    return (type(error).__qualname__, last.filename, last.lineno or 0)


def describe(error: BaseException) -> str:
    """The error in one line: its class, and its message when it has one."""
    message = str(error).strip()
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


class CrashDialog(QDialog):
    """ "Something went wrong": what happened, where the log is, the details to copy."""

    def __init__(self, error: BaseException, *, fatal: bool, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(_("Something went wrong"))
        self.setMinimumWidth(520)
        self.errors = [error]

        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size)
        )
        headline = QLabel(_("OmniDesk cannot go on") if fatal else _("Something went wrong"))
        mark(headline, Tone.TITLE)
        if fatal:
            words = _(
                "OmniDesk ran into an error it did not expect and has to stop. Start it "
                "again; if the same happens, please report it."
            )
        else:
            words = _(
                "OmniDesk ran into an error it did not expect, so what you just did may not "
                "have finished. The window goes on working; if something looks wrong, close "
                "OmniDesk and start it again."
            )
        self.message = QLabel(words)
        self.message.setWordWrap(True)
        self.error_line = QLabel(describe(error))
        self.error_line.setObjectName("crashError")
        self.error_line.setWordWrap(True)
        self.error_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mark(self.error_line, Tone.STRONG)
        written = logs.log_file()
        if written is not None:
            where = _(
                "The details are in the log file {file}. To report the problem, send that "
                "file, or press Copy details and paste them into your message."
            ).format(file=written)
        else:
            where = _(
                "No log file could be written in {folder}; press Copy details to keep "
                "what happened."
            ).format(folder=log_dir())
        self.where = QLabel(where)
        self.where.setObjectName("crashLogFile")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.more = QLabel()
        self.more.setObjectName("crashMore")
        self.more.setWordWrap(True)
        self.more.hide()

        self.details = QPlainTextEdit()
        self.details.setObjectName("crashDetails")
        self.details.setAccessibleName(_("Details of the error"))
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setPlainText(self.details_text())
        self.details.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.show_details = QPushButton(_("Show &details"))
        self.show_details.setCheckable(True)
        self.show_details.toggled.connect(self._show_details)
        self.copy = QPushButton(_("&Copy details"))
        self.copy.clicked.connect(self.copy_details)
        self.open_logs = QPushButton(_("Open &log folder"))
        self.open_logs.clicked.connect(lambda: open_folder(log_dir()))
        for button in (self.show_details, self.copy, self.open_logs):
            button.setAutoDefault(False)  # Enter closes, as in any message box
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        text = QVBoxLayout()
        for widget in (headline, self.message, self.error_line, self.where, self.more):
            text.addWidget(widget)
        top = QVBoxLayout(self)
        row = QWidget()
        across = QHBoxLayout(row)
        across.setContentsMargins(0, 0, 0, 0)
        across.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        across.addLayout(text, 1)
        top.addWidget(row)
        top.addWidget(self.details, 1)
        top.addWidget(self.buttons)

    def details_text(self) -> str:
        parts = [environment_text()]
        for error in self.errors:
            parts.append(
                "".join(traceback.format_exception(type(error), error, error.__traceback__))
            )
        return logs.redact("\n\n".join(parts).rstrip() + "\n")

    def one_more(self, error: BaseException) -> None:
        """Another error while this one is shown: counted here, not a second dialog."""
        self.errors.append(error)
        others = len(self.errors) - 1
        self.more.setText(
            n_(
                "{count} more error happened since; it is in the log and the details too.",
                "{count} more errors happened since; they are in the log and the details too.",
                others,
            ).format(count=local_integer(others))
        )
        self.more.show()
        self.details.setPlainText(self.details_text())

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())
        self.copy.setText(_("Copied"))

    def _show_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.show_details.setText(_("Hide &details") if shown else _("Show &details"))
        self.adjustSize()


class CrashReporter:
    """Catches what no slot handled, logs it, and shows one CrashDialog for a burst."""

    def __init__(self) -> None:
        self.dialog: CrashDialog | None = None
        self._shown: set[tuple[str, str, int]] = set()
        self._previous_hook: ExceptHook | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        self._previous_hook = sys.excepthook
        sys.excepthook = self._excepthook
        self._loop = loop
        loop.set_exception_handler(self._loop_exception)

    def uninstall(self) -> None:
        if self._previous_hook is not None and sys.excepthook == self._excepthook:
            sys.excepthook = self._previous_hook
        if self._loop is not None:
            self._loop.set_exception_handler(None)
        self._previous_hook = self._loop = None

    def _excepthook(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt | SystemExit) or self._previous_hook is None:
            (self._previous_hook or sys.__excepthook__)(kind, error, trace)
            return
        if error.__traceback__ is None:
            error = error.with_traceback(trace)
        self.report(error, "in a slot")

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if not isinstance(error, Exception):
            # A remark of the loop's with nothing raised ("unclosed transport"): logged
            # as asyncio would, not worth a dialog.
            loop.default_exception_handler(context)
            return
        self.report(error, context.get("message") or "in the event loop")

    def report(
        self, error: BaseException, where: str, *, fatal: bool = False
    ) -> CrashDialog | None:
        """Logs ``error`` and shows it, or counts it in the dialog already shown."""
        log.error(
            "unexpected error %s: %s",
            where,
            describe(error),
            exc_info=(type(error), error, error.__traceback__),
        )
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.one_more(error)
            return self.dialog
        signature = _signature(error)
        if signature in self._shown and not fatal:
            return None  # shown once already: the log has this one
        self._shown.add(signature)
        parent = QApplication.activeWindow()
        dialog = CrashDialog(error, fatal=fatal, parent=parent)
        dialog.finished.connect(lambda: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _closed(self, dialog: CrashDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
