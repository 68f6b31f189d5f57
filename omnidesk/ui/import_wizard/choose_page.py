"""Step 1: the drop zone, and why the last file was refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QVBoxLayout

from omnidesk.i18n import _

from ..drop_zone import DropZone
from ..style import Tone, mark
from .pages import Step, WizardPage

if TYPE_CHECKING:
    from .wizard import ImportWizard


class ChoosePage(WizardPage):
    step = Step.CHOOSE

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.drop_zone = DropZone()
        self.drop_zone.fileChosen.connect(wizard.open_file)
        self.file_problem = QLabel()
        self.file_problem.setObjectName("fileProblem")
        self.file_problem.setWordWrap(True)
        mark(self.file_problem, Tone.ERROR)
        hint = QLabel(
            _(
                "The file is checked on this computer first: nothing is sent until you have "
                "seen what would change and pressed Upload."
            )
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.drop_zone, 1)
        layout.addWidget(self.file_problem)

    def refuse(self, message: str) -> None:
        self.file_problem.setText(
            _("{problem}\nChoose another file, or fix this one and drop it again.").format(
                problem=message
            )
        )
