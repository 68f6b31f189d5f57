"""Step 2: the sheet as read, its problems coloured, and the columns and separators to correct.

The draft checks every row in a worker; the first rows show at once and the
rest stream in as they are read, so a million-row file is looked at while it
is still being checked.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from omnidesk import kinds, spreadsheet
from omnidesk.i18n import N_, _, n_
from omnidesk.imports import remembered_words
from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import (
    CheckResult,
    DecimalStyle,
    Severity,
    SheetRow,
    SpreadsheetError,
    headers_of,
    schema_for,
)

from ..formatting import local_integer
from ..memory import ANNOTATED, in_last_folder, remember_folder
from ..painting import painted
from ..style import Tone, mark
from ..widgets import DataTable
from .models import PreviewModel, ProblemRowsOnly
from .pages import Step, WizardPage

if TYPE_CHECKING:
    from .wizard import ImportWizard

# Rows kept for display; every row is checked, the preview shows this many at most.
SHOWN_ROWS_LIMIT = 100_000
# Rows checked meanwhile join the preview at most this often (seconds): each time, the
# table lays out and repaints, on a thread that waits for the interpreter the check
# holds (16-20 ms a time at every 10,000 rows).
ROWS_JOIN_EVERY = 0.5
FITTED_ROWS = 50  # the rows a column's width is fitted to
# A column's decimal separator, for the person to choose, each with its example.
STYLE_WORDS = {
    DecimalStyle.POINT: N_("{example} (decimal point)"),
    DecimalStyle.COMMA: N_("{example} (decimal comma)"),
}


class CheckPage(WizardPage):
    step = Step.CHECK

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.check_summary = QLabel()
        self.check_summary.setObjectName("checkSummary")
        self.check_summary.setWordWrap(True)
        self.check_progress = QProgressBar()
        self.check_progress.setRange(0, 0)
        self.check_progress.setMaximumHeight(8)
        self.check_progress.setTextVisible(False)
        self.only_problems = QCheckBox(_("Only rows with problems"))
        self.preview = PreviewModel(self)
        self.preview_filter: ProblemRowsOnly | None = None
        self.preview_table = DataTable()
        self.preview_table.setAccessibleName(_("The sheet as read, problems coloured"))
        self.preview_table.setSortingEnabled(False)
        # Columns are fitted to the first 50 rows (_fit_preview_columns), and so is one
        # a person double-clicks the edge of, not to Qt's 1,000: the window's thread
        # measures every cell it looks at, and a hundred rows took it 25 ms (#15).
        self.preview_table.horizontalHeader().setResizeContentsPrecision(FITTED_ROWS)
        # The filtering proxy asks Python about every row; it is put between the
        # view and a hundred thousand rows only while "only problems" is on.
        self.preview_table.setModel(self.preview)
        self._follow_current_row()
        # The problems of the row in hand, in words: a coloured cell alone says only that
        # something is wrong, and its tooltip needs a mouse held still over it.
        self.finding = QLabel()
        self.finding.setObjectName("rowFinding")
        self.finding.setWordWrap(True)
        self.finding.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.finding.hide()
        self.only_problems.toggled.connect(self._filter_problem_rows)
        self.save_annotated = QPushButton(_("Save annotated workbook…"))
        self.save_annotated.setToolTip(_("A copy of your file with the problem cells marked"))
        self.save_annotated.clicked.connect(lambda: self.ask_annotated_path(False))
        self.good_rows_only = QCheckBox()
        self.good_rows_only.toggled.connect(self.changed)
        # Shown when the file's columns are another kind's: names it, and switches in one click.
        self.other_kind = QLabel()
        self.other_kind.setObjectName("otherKind")
        self.other_kind.setWordWrap(True)
        mark(self.other_kind, Tone.WARNING)
        self.switch_kind = QPushButton()
        self.switch_kind.clicked.connect(self._switch_to_the_files_kind)
        self.other_kind_row = QWidget()
        other_kind_layout = QHBoxLayout(self.other_kind_row)
        other_kind_layout.setContentsMargins(0, 0, 0, 0)
        other_kind_layout.addWidget(self.other_kind, 1)
        other_kind_layout.addWidget(self.switch_kind)
        self.other_kind_row.hide()
        # Said when the columns are mapped as the person mapped this header before.
        self.remembered = QLabel()
        self.remembered.setObjectName("rememberedMapping")
        self.remembered.setWordWrap(True)
        self.forget_mapping = QPushButton(_("Forget this mapping"))
        self.forget_mapping.clicked.connect(self._forget_mapping)
        self.remembered_row = QWidget()
        remembered_layout = QHBoxLayout(self.remembered_row)
        remembered_layout.setContentsMargins(0, 0, 0, 0)
        remembered_layout.addWidget(self.remembered, 1)
        remembered_layout.addWidget(self.forget_mapping)
        self.remembered_row.hide()
        self.file_dialog: QFileDialog | None = None
        self._fitting_kind: ListKind | None = None

        self.mapping_box = QGroupBox(_("Columns"))
        self.mapping_form = QFormLayout(self.mapping_box)
        self.styles_box = QGroupBox(_("Decimal separator"))
        self.styles_form = QFormLayout(self.styles_box)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.mapping_box)
        side_layout.addWidget(self.styles_box)
        side_layout.addStretch()
        scroll = QScrollArea()
        scroll.setAccessibleName(_("Columns and decimal separators"))
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(360)

        top = QHBoxLayout()
        top.addWidget(self.check_summary, 1)
        top.addWidget(self.only_problems)
        top.addWidget(self.save_annotated)
        self.split = split = QSplitter()
        split.addWidget(self.preview_table)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.other_kind_row)
        layout.addWidget(self.remembered_row)
        layout.addWidget(self.check_progress)
        layout.addWidget(split, 1)
        layout.addWidget(self.finding)
        layout.addWidget(self.good_rows_only)

    # -- what the shell asks ----------------------------------------------------------------------

    def can_go_on(self) -> bool:
        draft = self.wizard.draft
        result = draft.checked if draft is not None else None
        if result is None or result.valid_rows == 0 or self.wizard.target is None:
            return False
        return not result.error_rows or self.good_rows_only.isChecked()

    def next_text(self) -> str:
        return _("See what changes")

    def update_good_rows_only(self) -> None:
        draft = self.wizard.draft
        result = draft.checked if draft is not None else None
        if result is not None and result.error_rows:
            self.good_rows_only.setText(
                n_(
                    "Continue with only the {good} good rows ({errors} row with errors is "
                    "left out)",
                    "Continue with only the {good} good rows ({errors} rows with errors are "
                    "left out)",
                    result.error_rows,
                ).format(
                    good=local_integer(result.valid_rows), errors=local_integer(result.error_rows)
                )
            )
            self.good_rows_only.setVisible(result.valid_rows > 0)
        else:
            self.good_rows_only.setVisible(False)

    # -- checking ---------------------------------------------------------------------------------

    async def check(self) -> None:
        draft = self.wizard.draft
        assert draft is not None
        loop = asyncio.get_running_loop()
        self.check_progress.show()
        self.check_summary.setText(_("Reading {file}…").format(file=draft.path.name))
        first_time = draft.sheet is None
        try:
            opened = await draft.open()
        except SpreadsheetError as problem:
            self.wizard.file_refused(problem.message)
            return
        if opened.guessed_kind is not None:
            self.wizard.chooser.show_kind(opened.guessed_kind)
        header, rows = opened.header, opened.rows
        if header is None:
            self.wizard.file_refused(
                _("{file} has no rows with data.").format(file=draft.path.name)
            )
            return
        if first_time or self.preview.rowCount() == 0:
            self.preview.show_rows(headers_of(header), rows)
            self._fit_preview_columns()
        self.show_mapping(header)
        self.remembered.setText(remembered_words(draft.remembered) if draft.remembered else "")
        self.remembered_row.setVisible(bool(draft.remembered))
        self.check_summary.setText(
            _("Checking {file}… (the first rows are below)").format(file=draft.path.name)
        )

        shown_up_to = rows[-1].number if rows else header.number
        kept = 0
        waiting: list[SheetRow] = []  # rows checked, not yet handed to the preview
        handed = time.monotonic()

        def add_rows(batch: list[SheetRow]) -> None:  # in the worker thread
            nonlocal kept, waiting, handed
            more = [row for row in batch if row.number > shown_up_to][: SHOWN_ROWS_LIMIT - kept]
            kept += len(more)
            waiting += more
            if waiting and time.monotonic() - handed >= ROWS_JOIN_EVERY:
                loop.call_soon_threadsafe(self.preview.add_rows, waiting)
                waiting, handed = [], time.monotonic()

        def report(done: int) -> None:  # in the worker thread
            said = _("Checking… {done} rows so far").format(done=local_integer(done))
            loop.call_soon_threadsafe(self.check_summary.setText, said)

        keep_rows = first_time or self.preview.rowCount() <= len(rows)
        # The first rows on screen before the check's worker competes with them.
        await painted(self.preview_table)
        try:
            result = await draft.check(progress=report, on_rows=add_rows if keep_rows else None)
        except SpreadsheetError as problem:
            self.wizard.file_refused(problem.message)
            return
        if result is None:
            return  # a newer check replaced this one
        self.preview.add_rows(waiting)  # after those handed over already: they came first
        self.check_progress.hide()
        # A missing column is the first finding, and it holds every row back.
        missing_column = result.findings[0].message if result.mapping.missing else None
        self.preview.show_findings(result.findings, missing_column)
        self.show_mapping(header)
        self._show_styles(result)
        self._summarise(result)
        self.update_good_rows_only()
        self.changed.emit()
        self.wizard.check_done()

    def _fit_preview_columns(self) -> None:
        # The sheet's own columns, as wide as the first rows need (barcodes whole), but
        # a column of long descriptions does not push the others out of sight.
        table = self.preview_table
        widest = table.fontMetrics().horizontalAdvance("x" * 40)
        table.fit_to_texts(self.preview.column_texts(FITTED_ROWS), widest)

    def _summarise(self, result: CheckResult) -> None:
        parts = [
            n_("{rows} row: {good} good", "{rows} rows: {good} good", result.rows).format(
                rows=local_integer(result.rows), good=local_integer(result.valid_rows)
            )
        ]
        if result.error_rows:
            parts.append(_("{count} with errors").format(count=local_integer(result.error_rows)))
        if result.warning_rows:
            parts.append(
                _("{count} with warnings").format(count=local_integer(result.warning_rows))
            )
        text = _("{parts}.").format(parts=", ".join(parts))
        if result.rows > self.preview.rowCount():
            text += " " + _("Showing the first {shown} rows; all were checked.").format(
                shown=local_integer(self.preview.rowCount())
            )
        if result.notes:
            text += "\n" + " ".join(result.notes)
        fits = self.wizard.draft.fits_other_kind() if self.wizard.draft else None
        if fits is not None:
            self._offer_kind(fits)
        elif result.mapping.missing:
            text += "\n" + _("Choose the missing column on the right.")
        self.other_kind_row.setVisible(fits is not None)
        self.check_summary.setText(text)
        self.say_finding(min(self.preview.problems, default=None))  # the first, unasked

    def _follow_current_row(self) -> None:
        """The row the person moves to (mouse or keys) says its problems below the table."""
        selection = self.preview_table.selectionModel()
        if selection is not None:
            selection.currentRowChanged.connect(self._current_row_changed)

    def _current_row_changed(self, current: QModelIndex) -> None:
        if not current.isValid():
            return
        if self.preview_filter is not None:
            current = self.preview_filter.mapToSource(current)
        self.say_finding(self.preview.rows[current.row()].number)

    def say_finding(self, number: int | None) -> None:
        """What the check found in the sheet's row ``number``, each problem with its column."""
        found = self.preview.problems.get(number, {}) if number is not None else {}
        findings = [finding for listed in found.values() for finding in listed]
        if number is None or not findings:
            self.finding.hide()
            return
        errors = any(finding.severity is Severity.ERROR for finding in findings)
        mark(self.finding, Tone.ERROR if errors else Tone.WARNING)
        said = " · ".join(
            f"{finding.column}: {finding.message}" if finding.column else finding.message
            for finding in findings
        )
        self.finding.setText(_("Row {row} — {problems}").format(row=number, problems=said))
        self.finding.show()

    def _offer_kind(self, fits: ListKind) -> None:
        draft = self.wizard.draft
        assert draft is not None
        theirs, ours = kinds.info(fits), kinds.info(draft.kind)
        self.other_kind.setText(
            _(
                "This looks like a {theirs} file: it has every column a {theirs} needs, but "
                "not those of a {ours}."
            ).format(theirs=theirs.noun, ours=ours.noun)
        )
        self.switch_kind.setText(_("Import into a {theirs} instead").format(theirs=theirs.noun))
        self._fitting_kind = fits

    def _switch_to_the_files_kind(self) -> None:
        self.other_kind_row.hide()
        if self._fitting_kind is not None:
            self.wizard.chooser.choose_kind(self._fitting_kind)

    def stop(self) -> None:
        self.check_progress.hide()

    # -- the person's corrections -----------------------------------------------------------------

    def show_mapping(self, header: SheetRow) -> None:
        draft = self.wizard.draft
        assert draft is not None
        schema = schema_for(draft.kind)
        mapping = draft.proposed_mapping(header)
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        for index, title in enumerate(headers_of(header)):
            choice = QComboBox()
            choice.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            choice.setMinimumContentsLength(16)
            choice.addItem(_("(not imported)"), None)
            for spec in schema.fields:
                choice.addItem(f"{_(spec.label)} ({spec.name})", spec.name)
            current = mapping.field_of.get(index)
            choice.setCurrentIndex(max(0, choice.findData(current)) if current else 0)
            choice.currentIndexChanged.connect(
                lambda _=0, i=index, box=choice: self._mapping_changed(i, box.currentData())
            )
            self.mapping_form.addRow(title or _("Column {number}").format(number=index + 1), choice)

    def _forget_mapping(self) -> None:
        assert self.wizard.draft is not None
        self.wizard.draft.forget_mapping()
        self.wizard.start_check()

    def _mapping_changed(self, index: int, field: str | None) -> None:
        assert self.wizard.draft is not None
        self.wizard.draft.map_column(index, field)
        self.wizard.start_check()

    def _show_styles(self, result: CheckResult) -> None:
        draft = self.wizard.draft
        assert draft is not None
        while self.styles_form.rowCount():
            self.styles_form.removeRow(0)
        for field, detected in result.decimal_styles.items():
            choice = QComboBox()
            # None: the cells are plain numbers (nothing to decide) or they disagree.
            found = (
                _("as found: {example}").format(example=detected.example)
                if detected
                else _("as found")
            )
            choice.addItem(found, None)
            for style in DecimalStyle:
                choice.addItem(_(STYLE_WORDS[style]).format(example=style.example), style.value)
            chosen = draft.style_choice.get(field)
            choice.setCurrentIndex(choice.findData(chosen.value) if chosen else 0)
            choice.currentIndexChanged.connect(
                lambda _=0, f=field, box=choice: self._style_changed(f, box.currentData())
            )
            labels = {spec.name: spec.label for spec in schema_for(draft.kind).fields}
            self.styles_form.addRow(_(labels[field]) if field in labels else field, choice)
        self.styles_box.setVisible(bool(result.decimal_styles))

    def _style_changed(self, field: str, value: str | None) -> None:
        assert self.wizard.draft is not None
        self.wizard.draft.choose_style(field, DecimalStyle(value) if value else None)
        self.wizard.start_check()

    def _filter_problem_rows(self, only: bool) -> None:
        # A proxy listens to its source even when no view shows it: it exists only
        # while it filters, so inserting a hundred thousand rows never wakes it.
        if only:
            self.preview_filter = ProblemRowsOnly(self.preview)
            self.preview_filter.set_only_problems(True)
            self.preview_table.setModel(self.preview_filter)
        else:
            self.preview_table.setModel(self.preview)
            if self.preview_filter is not None:
                self.preview_filter.deleteLater()
                self.preview_filter = None
        self._follow_current_row()  # a new model, a new selection model

    # -- the annotated workbook (also offered on the result page) ---------------------------------

    def ask_annotated_path(self, with_server_problems_too: bool) -> None:
        draft = self.wizard.draft
        if draft is None or draft.checked is None:
            return
        # Beside the file checked, unless another folder was chosen for these before.
        suggested = in_last_folder(
            ANNOTATED, _("{name} (checked).xlsx").format(name=draft.path.stem), draft.path.parent
        )
        dialog = QFileDialog(self, _("Save annotated workbook"), suggested)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([_("Excel workbook (*.xlsx)")])
        dialog.setDefaultSuffix("xlsx")
        dialog.fileSelected.connect(lambda out: remember_folder(ANNOTATED, Path(out)))
        dialog.fileSelected.connect(
            lambda out: self.wizard.tasks.start(
                self.save_annotated_copy(Path(out), with_server_problems_too)
            )
        )
        self.file_dialog = dialog
        dialog.open()

    async def save_annotated_copy(self, out: Path, with_server_problems_too: bool) -> bool:
        draft = self.wizard.draft
        assert draft is not None
        result = draft.annotated(with_outcome=with_server_problems_too)
        try:
            await asyncio.get_running_loop().run_in_executor(
                None, spreadsheet.write_annotated_copy, draft.path, result, out
            )
        except (OSError, SpreadsheetError) as problem:
            self.wizard.status.setText(
                _("The annotated workbook could not be saved: {problem}").format(problem=problem)
            )
            return False
        self.wizard.status.setText(_("Saved {file}.").format(file=out.name))
        return True
