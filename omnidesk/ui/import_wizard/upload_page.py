"""Step 4: the file on its way (bytes sent), then the server's job as it processes it."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout

from omnidesk.api import ImportState, Retrying
from omnidesk.i18n import _, n_
from omnidesk.imports import FollowUpdate, UploadPlan

from ..formatting import local_integer
from ..style import Tone, mark
from .pages import Step, WizardPage

if TYPE_CHECKING:
    from .wizard import ImportWizard


def duration(seconds: float) -> str:
    if seconds < 60:
        return _("{seconds} s").format(seconds=round(seconds))
    return _("{minutes} min {seconds} s").format(
        minutes=int(seconds // 60), seconds=round(seconds % 60)
    )


class UploadPage(WizardPage):
    step = Step.UPLOAD

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.bytes_label = QLabel(_("Sending the file"))
        self.bytes_progress = QProgressBar()
        self.server_label = QLabel(_("Waiting for the server"))
        self.server_label.setObjectName("serverProgressLabel")
        self.server_progress = QProgressBar()
        self.follow_trouble = QLabel()
        self.follow_trouble.setWordWrap(True)
        mark(self.follow_trouble, Tone.WARNING)
        note = QLabel(
            _(
                "You may stop watching at any time: the server carries on with the import, "
                "and OmniDesk shows how it ended under Imports."
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bytes_label)
        layout.addWidget(self.bytes_progress)
        layout.addSpacing(16)
        layout.addWidget(self.server_label)
        layout.addWidget(self.server_progress)
        layout.addWidget(self.follow_trouble)
        layout.addStretch()
        layout.addWidget(note)
        self._following_since: float | None = None

    def preparing(self) -> None:
        self.bytes_progress.setValue(0)
        self.server_progress.setRange(0, 0)
        self._following_since = None
        # Sent again after a file that did not arrive: nothing of the last try stays.
        self.bytes_label.setText(_("Sending the file"))
        self.server_label.setText(_("Waiting for the server"))
        self.follow_trouble.setText("")

    def sending(self, plan: UploadPlan, name: str) -> None:
        self.bytes_label.setText(
            n_(
                "Sending {count} row to “{name}”", "Sending {count} rows to “{name}”", plan.rows
            ).format(count=local_integer(plan.rows), name=name)
        )

    def sent_bytes(self, done: int, total: int) -> None:
        self.bytes_progress.setMaximum(max(total, 1))
        self.bytes_progress.setValue(done)

    def retrying(self, retrying: Retrying) -> None:
        """The upload (or a look at its job) is about to be sent again: why, and when."""
        self.follow_trouble.setText(retrying.message)

    def sent(self, plan: UploadPlan, name: str) -> None:
        self.follow_trouble.setText("")
        self.bytes_label.setText(
            n_("Sent {count} row to “{name}”", "Sent {count} rows to “{name}”", plan.rows).format(
                count=local_integer(plan.rows), name=name
            )
        )

    def reconciling(self) -> None:
        self.follow_trouble.setText(
            _(
                "The connection broke before the server answered. Looking at the list to see "
                "whether the file arrived…"
            )
        )
        self.server_progress.setRange(0, 0)

    def holding(self, rows: int, sent: int) -> None:
        self.server_progress.setRange(0, max(sent, 1))
        self.server_progress.setValue(rows)
        self.server_label.setText(
            _("{holding} of the {sent} rows sent hold the file's values").format(
                holding=local_integer(rows), sent=local_integer(sent)
            )
        )

    def show_update(self, update: FollowUpdate) -> None:
        if update.trouble:
            self.follow_trouble.setText(update.trouble)
            return
        self.follow_trouble.setText("")
        status = update.status
        assert status is not None
        if self._following_since is None:
            self._following_since = time.monotonic()
        if status.state is ImportState.PENDING:
            self.server_label.setText(_("The server has the file and will start shortly…"))
            return
        if status.percent is None or not status.known:
            # The server does not say how far it is: a bar that moves without a figure,
            # and the time it has taken so far, never a made-up "0 of 0 rows".
            self.server_progress.setRange(0, 0)
            elapsed = duration(time.monotonic() - self._following_since)
            if status.word:
                text = _("The server is working on it (it says “{word}”): {elapsed} so far")
            else:
                text = _("The server is working on it: {elapsed} so far")
            self.server_label.setText(text.format(word=status.word, elapsed=elapsed))
            return
        self.server_progress.setRange(0, max(status.total, 1))
        self.server_progress.setValue(status.processed)
        done, total = local_integer(status.processed), local_integer(status.total)
        if update.seconds_left is not None:
            text = _("Processing on the server: {done} of {total} rows, about {left} left")
        else:
            text = _("Processing on the server: {done} of {total} rows")
        text = text.format(done=done, total=total, left=duration(update.seconds_left or 0))
        self.server_label.setText(text)
