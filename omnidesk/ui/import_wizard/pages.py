"""The wizard's steps, and what every page of it answers the shell."""

from __future__ import annotations

import weakref
from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from omnidesk.i18n import N_, _

if TYPE_CHECKING:
    from .wizard import ImportWizard


class Step(IntEnum):
    """The pages, in order; each is its index in the wizard's stack."""

    CHOOSE = 0
    CHECK = 1
    CHANGES = 2
    UPLOAD = 3
    RESULT = 4

    @property
    def title(self) -> str:
        return _(STEP_TITLES[self])


STEP_TITLES = {
    Step.CHOOSE: N_("1 · Choose a file"),
    Step.CHECK: N_("2 · Check the file"),
    Step.CHANGES: N_("3 · What will change"),
    Step.UPLOAD: N_("4 · Upload"),
    Step.RESULT: N_("5 · Result"),
}


class WizardPage(QWidget):
    """One step. The shell asks it whether the person may go on and what Next says.

    A page shows the wizard's ``draft`` and passes the person's choices to it; the
    order of the import's steps is the draft's (imports/preparation.py), not a page's.
    """

    step: Step
    changed = Signal()  # what can_go_on or next_text answer may have changed

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        # Weakly: the wizard holds its pages, and a cycle back to it would keep its
        # Python side alive after Qt deleted it (nothing may touch it then).
        self._wizard = weakref.ref(wizard)

    @property
    def wizard(self) -> ImportWizard:
        wizard = self._wizard()
        assert wizard is not None, "a page outlived its wizard"
        return wizard

    def can_go_on(self) -> bool:
        return False

    def next_text(self) -> str:
        return _("Next")
