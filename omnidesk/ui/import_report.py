"""An import's report, opened from the Imports page: what was sent, confirmed, refused.

Every row that did not make it is listed by the row number and the header of the
person's own file, whether the check held it back or the server refused it; the
annotated workbook and a second try at those rows are a click away.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from omnidesk import spreadsheet
from omnidesk.api import OmnitronError
from omnidesk.api.session import Session
from omnidesk.i18n import N_, _, n_
from omnidesk.imports import (
    FileChanged,
    GuardrailSettings,
    ImportDraft,
    ImportRecord,
    ImportReport,
    JournalState,
    ReportRow,
    reopen,
)
from omnidesk.imports.undo import NothingToUndo, UndoDraft, prepare_undo
from omnidesk.settings.paths import made_files_dir
from omnidesk.spreadsheet import SpreadsheetError

from .formatting import local_datetime, local_integer
from .imports_view import state_words
from .style import Tone, mark
from .table_models import RIGHT, AnyIndex, FixedColumnsModel
from .tasks import BackgroundTasks
from .widgets import DataTable


class ReportRowsModel(FixedColumnsModel):
    COLUMNS = (N_("Row"), N_("Column"), N_("What happened"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[int | None, str | None, str]] = []

    def show_rows(self, report: ImportReport) -> None:
        def told(rows: Sequence[ReportRow], why: str) -> list[tuple[int | None, str | None, str]]:
            return [(r.row, report.header(r.column), why.format(message=r.message)) for r in rows]

        self.beginResetModel()
        self.rows = sorted(
            told(report.refused, _("Refused by the server: {message}"))
            + told(report.held_back, _("Not sent (the check held it back): {message}")),
            key=lambda entry: entry[0] or 0,
        )
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self.rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column, message = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            number = "" if row is None else local_integer(row)
            return (number, column or "", message)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return RIGHT
        return None


def report_facts(record: ImportRecord, report: ImportReport) -> list[str]:
    """Who sent what where and when, and what came of its rows: a whole sentence each."""
    started = local_datetime(record.started_at)
    if report.username:
        sent = _("Sent by {user} to {server} on {date}.").format(
            user=report.username, server=record.server, date=started
        )
    else:
        sent = _("Sent to {server} on {date}.").format(server=record.server, date=started)
    facts = [sent]
    if record.finished_at:
        facts.append(_("Finished on {date}.").format(date=local_datetime(record.finished_at)))
    facts.append(
        n_(
            "{count} row sent: {created} created, {updated} updated, {refused} refused.",
            "{count} rows sent: {created} created, {updated} updated, {refused} refused.",
            record.rows,
        ).format(
            count=local_integer(record.rows),
            created=local_integer(record.created or 0),
            updated=local_integer(record.updated or 0),
            refused=local_integer(record.failed or 0),
        )
    )
    return facts


class ImportReportDialog(QDialog):
    # (draft of the failed rows, ready to be checked) for the main window's wizard
    againRequested = Signal(object)
    undoRequested = Signal(object)  # the UndoDraft of this import, for a wizard

    def __init__(
        self,
        record: ImportRecord,
        report: ImportReport,
        tasks: BackgroundTasks,
        parent: QWidget | None = None,
        *,
        session: Session | None = None,
        guardrails: GuardrailSettings | None = None,
    ) -> None:
        """``session``: the server the import went to, for undoing it (None: no undo)."""
        super().__init__(parent)
        self.record, self.report, self.tasks = record, report, tasks
        self.session, self.guardrails = session, guardrails
        # Its number is what `omnidesk undo` takes.
        self.setWindowTitle(
            _("Import {number}: {file}").format(number=record.id, file=record.file_name)
        )
        self.resize(900, 560)
        self.file_dialog: QFileDialog | None = None

        headline = QLabel(f"{record.file_name} → {record.list_name}: {state_words(record)}")
        headline.setObjectName("reportHeadline")
        mark(headline, Tone.TITLE)
        facts = QLabel(" ".join(report_facts(record, report)))
        facts.setWordWrap(True)
        facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(headline)
        layout.addWidget(facts)
        if record.message:
            note = QLabel(record.message)
            note.setWordWrap(True)
            mark(note, Tone.WARNING if record.state.finished else Tone.ERROR)
            layout.addWidget(note)
        if report.confirmed:
            if report.username:
                confirmed = _("Confirmed before the upload by {user}:").format(user=report.username)
            else:
                confirmed = _("Confirmed before the upload:")
            layout.addWidget(QLabel(confirmed))
            for _key, words, _rows in report.confirmed:
                line = QLabel(f"✓ {words}")
                line.setObjectName("confirmedGuardrail")
                line.setWordWrap(True)
                layout.addWidget(line)

        self.rows = ReportRowsModel(self)
        self.rows.show_rows(report)
        table = DataTable()
        table.setSortingEnabled(False)
        table.setModel(self.rows)
        table.setColumnWidth(0, 60)
        table.setColumnWidth(1, 160)
        self.rows_table = table
        layout.addWidget(table, 1)
        self.problem = QLabel()
        self.problem.setObjectName("reportProblem")
        self.problem.setWordWrap(True)
        mark(self.problem, Tone.ERROR)
        self.problem.hide()
        layout.addWidget(self.problem)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.annotate_button = QPushButton(_("Save into the annotated workbook…"))
        self.annotate_button.clicked.connect(self._ask_annotated_path)
        self.again_button = QPushButton(_("Import the failed rows again…"))
        self.again_button.clicked.connect(lambda: self.tasks.start(self.import_again()))
        failed = bool(report.failed_rows)
        for button in (self.annotate_button, self.again_button):
            button.setVisible(failed)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.undo_button = QPushButton(_("Undo this import…"))
        self.undo_button.setToolTip(
            _("Put back the values this import changed, as an import of its own: you see "
              "what would change, and the guardrails, before anything is sent.")
        )  # fmt: skip
        self.undo_button.clicked.connect(lambda: self.tasks.start(self.undo()))
        self.undo_button.setVisible(
            session is not None and record.state is JournalState.SUCCESS and bool(report.changes)
        )
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(buttons)

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def _ask_annotated_path(self) -> None:
        source = Path(self.record.file_path)
        suggested = source.with_name(_("{name} (checked).xlsx").format(name=source.stem))
        dialog = QFileDialog(self, _("Save annotated workbook"), str(suggested))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([_("Excel workbook (*.xlsx)")])
        dialog.setDefaultSuffix("xlsx")
        dialog.fileSelected.connect(lambda out: self.tasks.start(self.save_annotated(Path(out))))
        self.file_dialog = dialog
        dialog.open()

    async def _draft(self, *, only_failed: bool) -> ImportDraft | None:
        try:
            draft = await reopen(self.record, self.report, only_failed=only_failed)
            await draft.open()
            await draft.check()
        except FileChanged as changed:
            self._say(changed.message)
            return None
        except SpreadsheetError as problem:
            self._say(problem.message)
            return None
        return draft

    async def save_annotated(self, out: Path) -> bool:
        """The file as it was checked, its refused rows marked too."""
        draft = await self._draft(only_failed=False)
        if draft is None:
            return False
        try:
            await asyncio.get_running_loop().run_in_executor(
                None,
                spreadsheet.write_annotated_copy,
                draft.path,
                draft.annotated(with_outcome=True),
                out,
            )
        except (OSError, SpreadsheetError) as problem:
            self._say(_("The annotated workbook could not be saved: {why}").format(why=problem))
            return False
        finally:
            draft.close()
        self.problem.hide()
        return True

    async def undo(self) -> UndoDraft | None:
        """The undo of this import, written and ready for a wizard of its own."""
        assert self.session is not None
        self.undo_button.setEnabled(False)
        try:
            draft = await prepare_undo(
                self.session, self.record, self.report, made_files_dir(), settings=self.guardrails
            )
        except NothingToUndo as nothing:
            self._say(nothing.message)
            return None
        except OmnitronError as problem:
            self._say(_("The undo needs the list as it is now: {why}").format(why=problem))
            return None
        except OSError as problem:
            self._say(
                _("The undo could not be written down: {why}").format(
                    why=problem.strerror or problem
                )
            )
            return None
        finally:
            self.undo_button.setEnabled(True)
        self.undoRequested.emit(draft)
        self.accept()
        return draft

    async def import_again(self) -> None:
        """The rows that did not make it, in a wizard of their own, checked afresh."""
        try:
            draft = await reopen(self.record, self.report, only_failed=True)
        except FileChanged as changed:
            self._say(changed.message)
            return
        self.againRequested.emit(draft)
        self.accept()
