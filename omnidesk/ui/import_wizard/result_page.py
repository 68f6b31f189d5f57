"""Step 5: how the import ended, and every row that did not make it, by the file's own rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout

from omnidesk.i18n import _
from omnidesk.imports import ImportOutcome, RowProblem

from ..formatting import COUNT_SAMPLE, local_integer
from ..style import Tone, mark
from ..widgets import DataTable
from .models import ProblemsModel
from .pages import Step, WizardPage

if TYPE_CHECKING:
    from .wizard import ImportWizard


class ResultPage(WizardPage):
    step = Step.RESULT

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.result_headline = QLabel()
        self.result_headline.setObjectName("resultHeadline")
        mark(self.result_headline, Tone.TITLE)
        self.result_counts = QLabel()
        self.result_reason = QLabel()
        self.result_reason.setWordWrap(True)
        mark(self.result_reason, Tone.ERROR)
        self.problems = ProblemsModel(self)
        self.problems_table = DataTable()
        self.problems_table.setObjectName("wizardProblemsTable")
        self.problems_table.setAccessibleName(_("Rows that did not make it"))
        self.problems_table.setSortingEnabled(False)
        self.problems_table.setModel(self.problems)
        self.problems_table.fit_columns({0: local_integer(COUNT_SAMPLE), 1: "Perakende fiyatı"})
        self.save_problems = QPushButton("Save the problems into an annotated workbook…")
        self.save_problems.clicked.connect(lambda: wizard.check_page.ask_annotated_path(True))
        layout = QVBoxLayout(self)
        layout.addWidget(self.result_headline)
        layout.addWidget(self.result_counts)
        layout.addWidget(self.result_reason)
        layout.addWidget(self.problems_table, 1)
        layout.addWidget(self.save_problems, 0, Qt.AlignmentFlag.AlignLeft)

    def show_outcome(
        self, outcome: ImportOutcome, refused: list[RowProblem], left_out: int, annotatable: bool
    ) -> None:
        if outcome.succeeded:
            self.result_headline.setText("Import finished")
            self.result_reason.setText("")
        else:
            self.result_headline.setText("The import failed")
            self.result_reason.setText(outcome.reason or "")
        counts = (
            f"{local_integer(outcome.created)} created · "
            f"{local_integer(outcome.updated)} updated · "
            f"{local_integer(outcome.failed_rows)} refused by the server"
        )
        if left_out:
            counts += f" · {local_integer(left_out)} left out by the check before upload"
        self.result_counts.setText(counts)
        self.problems.show_problems(refused)
        self.save_problems.setVisible(annotatable and bool(outcome.problems))
