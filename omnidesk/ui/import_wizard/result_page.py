"""Step 5: how the import ended, and every row that did not make it, by the file's own rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout

from omnidesk.i18n import _
from omnidesk.imports import ImportOutcome, Reconciliation, RowProblem

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
        self.problems_table.fit_columns(
            {0: local_integer(COUNT_SAMPLE), 1: "Perakende fiyatı"}  # the widest field name
        )
        self.retry = QPushButton(_("Send it again"))
        self.retry.clicked.connect(wizard.sending.retry_upload)
        self.retry.hide()
        self.save_problems = QPushButton(_("Save the problems into an annotated workbook…"))
        self.save_problems.clicked.connect(lambda: wizard.check_page.ask_annotated_path(True))
        layout = QVBoxLayout(self)
        layout.addWidget(self.result_headline)
        layout.addWidget(self.result_counts)
        layout.addWidget(self.result_reason)
        layout.addWidget(self.problems_table, 1)
        layout.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.save_problems, 0, Qt.AlignmentFlag.AlignLeft)

    def show_reconciliation(self, found: Reconciliation) -> None:
        """The upload's answer was lost: what the list itself showed."""
        self.result_headline.setText(
            _("The file arrived") if found.arrived else _("The file did not arrive")
        )
        # All of it came: news, not a problem. Part of it, or none: a look, not an alarm.
        whole = found.arrived and found.settled and found.holding == found.sent
        mark(self.result_reason, Tone.STRONG if whole else Tone.WARNING)
        self.result_reason.setText(found.sentence())
        self.result_reason.show()
        self.result_counts.setText(
            _("{holding} of {sent} rows hold the file's values").format(
                holding=local_integer(found.holding), sent=local_integer(found.sent)
            )
        )
        self.problems.show_problems([])
        self.save_problems.hide()
        self.retry.setVisible(not found.arrived)

    def show_outcome(
        self, outcome: ImportOutcome, refused: list[RowProblem], left_out: int, annotatable: bool
    ) -> None:
        self.retry.hide()
        mark(self.result_reason, Tone.ERROR)
        if outcome.succeeded:
            self.result_headline.setText(_("Import finished"))
            self.result_reason.setText("")  # and no empty line's height above the table
        elif outcome.ended_unknown:
            self.result_headline.setText(_("How the import ended is not known"))
            self.result_reason.setText(outcome.reason or "")
        else:
            self.result_headline.setText(_("The import failed"))
            self.result_reason.setText(outcome.reason or "")
        if outcome.counts_known:
            counts = _("{created} created · {updated} updated · {refused} refused by the server")
        else:
            counts = _(
                "The server did not say how many rows it created or updated · {refused} refused"
            )
        if left_out:
            counts += _(" · {left_out} left out by the check before upload")
        counts = counts.format(
            created=local_integer(outcome.created),
            updated=local_integer(outcome.updated),
            refused=local_integer(outcome.failed_rows),
            left_out=local_integer(left_out),
        )
        self.result_counts.setText(counts)
        self.result_reason.setVisible(bool(self.result_reason.text()))
        self.problems.show_problems(refused)
        self.save_problems.setVisible(annotatable and bool(outcome.problems))
