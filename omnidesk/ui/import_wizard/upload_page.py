"""Step 4: the file on its way (bytes sent), then the server's job as it processes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout

from omnidesk.api import ImportState
from omnidesk.imports import FollowUpdate, UploadPlan

from ..formatting import local_integer
from ..style import Tone, mark
from .pages import Step, WizardPage

if TYPE_CHECKING:
    from .wizard import ImportWizard


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    return f"{seconds // 60:.0f} min {seconds % 60:.0f} s"


class UploadPage(WizardPage):
    step = Step.UPLOAD

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.bytes_label = QLabel("Sending the file")
        self.bytes_progress = QProgressBar()
        self.server_label = QLabel("Waiting for the server")
        self.server_label.setObjectName("serverProgressLabel")
        self.server_progress = QProgressBar()
        self.follow_trouble = QLabel()
        self.follow_trouble.setWordWrap(True)
        mark(self.follow_trouble, Tone.WARNING)
        note = QLabel(
            "You may stop watching at any time: the server carries on with the import, "
            "and OmniDesk shows how it ended under Imports."
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

    def preparing(self) -> None:
        self.bytes_progress.setValue(0)
        self.server_progress.setRange(0, 0)

    def sending(self, plan: UploadPlan, name: str) -> None:
        self.bytes_label.setText(f"Sending {local_integer(plan.rows)} rows to “{name}”")

    def sent_bytes(self, done: int, total: int) -> None:
        self.bytes_progress.setMaximum(max(total, 1))
        self.bytes_progress.setValue(done)

    def sent(self, plan: UploadPlan, name: str) -> None:
        self.bytes_label.setText(f"Sent {local_integer(plan.rows)} rows to “{name}”")

    def show_update(self, update: FollowUpdate) -> None:
        if update.trouble:
            self.follow_trouble.setText(update.trouble)
            return
        self.follow_trouble.setText("")
        status = update.status
        assert status is not None
        if status.state is ImportState.PENDING:
            self.server_label.setText("The server has the file and will start shortly…")
            return
        self.server_progress.setRange(0, max(status.total, 1))
        self.server_progress.setValue(status.processed)
        done, total = local_integer(status.processed), local_integer(status.total)
        text = f"Processing on the server: {done} of {total} rows"
        if update.seconds_left is not None:
            text += f", about {duration(update.seconds_left)} left"
        self.server_label.setText(text)
