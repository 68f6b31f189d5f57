"""The import wizard: a view over omnidesk.imports, one page per step.

Choose a file → check it offline → see what changes → upload and follow → result.
The offline steps never need the server; the file's rows are read and checked in
a worker thread, so the window stays responsive on a million rows.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from omnidesk import kinds
from omnidesk.api import AnyList, ImportState, ListKind, OmnitronClient, OmnitronError
from omnidesk.api.session import Session
from omnidesk.imports import (
    ChangeKind,
    FollowUpdate,
    GuardrailSettings,
    ImportDiff,
    ImportOutcome,
    ImportRun,
    ImportTarget,
    Journal,
    RowProblem,
    compare,
    fetch_current,
    file_sha256,
    mark_unknown_products,
    prepare_upload,
    with_server_problems,
)
from omnidesk.imports.workflow import let_others_run, politely
from omnidesk.spreadsheet import (
    CheckResult,
    DecimalStyle,
    Severity,
    SheetRow,
    Spreadsheet,
    SpreadsheetError,
    check_rows,
    find_header,
    kind_of_header,
    match_columns,
    open_spreadsheet,
    schema_for,
    write_annotated_copy,
)

from .drop_zone import DropZone
from .formatting import local_datetime
from .import_models import (
    ChangeKindFilter,
    ChangesModel,
    PreviewModel,
    ProblemRowsOnly,
    ProblemsModel,
)
from .tasks import BackgroundTasks, settle, without_gc_pauses
from .widgets import DataTable, ask

# Rows kept for display; every row is checked, the preview shows this many at most.
SHOWN_ROWS_LIMIT = 100_000
ROWS_PER_BATCH = 20_000  # few, large insertions keep the view's work small

CHOOSE, CHECK, CHANGES, UPLOAD, RESULT = range(5)
STEP_TITLES = (
    "1 · Choose a file",
    "2 · Check the file",
    "3 · What will change",
    "4 · Upload",
    "5 · Result",
)


class CheckCancelled(Exception):
    """Raised in the worker when a newer check replaces this one."""


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    return f"{seconds // 60:.0f} min {seconds % 60:.0f} s"


class ImportWizard(QDialog):
    imported = Signal()  # an import reached its end (or the person stopped watching)
    upload_settled = Signal()  # a file sent on after "Stop watching" has arrived (or not)

    def __init__(
        self,
        session: Session,
        tasks: BackgroundTasks,
        journal: Journal,
        *,
        kind: ListKind | None = None,
        target: ImportTarget | None = None,
        guardrails: GuardrailSettings | None = None,
        guess_kind: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """`guess_kind`: nobody chose `kind` (a file given on the command line, say), so a
        file whose header fits only the other kind switches to it. A target, or the
        person choosing in the wizard, is a choice and is never overridden.
        """
        super().__init__(parent)
        self.setWindowTitle("Import a spreadsheet")
        self.resize(1100, 700)
        self.session = session
        self.tasks = tasks
        self.journal = journal
        self.guardrail_settings = guardrails or GuardrailSettings()
        self.kind = target.kind if target else kind or next(iter(kinds.KINDS))
        self.guess_kind = guess_kind and target is None
        self.target = target
        self.path: Path | None = None
        self.sheet: Spreadsheet | None = None
        self.checked: CheckResult | None = None
        self.diff: ImportDiff | None = None
        self.outcome: ImportOutcome | None = None
        self.mapping_choice: dict[int | str, str | None] = {}
        self.style_choice: dict[str, DecimalStyle] = {}
        self.record_id: int | None = None
        self._cancel_check = threading.Event()
        self._checking: asyncio.Task[None] | None = None
        self._following: asyncio.Task[None] | None = None
        # What the wizard runs for itself (lists, check, compare, follow) ends with it.
        self._jobs: set[asyncio.Task[None]] = set()
        # True while a file is being sent: closing the wizard then lets it arrive.
        self.uploading = False
        self._closed = False
        self._work = Path(tempfile.mkdtemp(prefix="omnidesk-import-"))
        self.question: QMessageBox | None = None

        self.step = QLabel()
        self.step.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.kind_choice = QComboBox()
        for entry in kinds.KINDS.values():
            self.kind_choice.addItem(entry.noun.capitalize(), entry.kind.value)
        self.kind_choice.setCurrentIndex(self.kind_choice.findData(self.kind.value))
        self.list_choice = QComboBox()
        self.list_choice.setMinimumWidth(280)
        self.list_choice.setEditable(True)
        self.list_choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.list_problem = QLabel()
        self.list_problem.setStyleSheet("color: #b00020;")
        target_row = QHBoxLayout()
        target_row.addWidget(self.step)
        target_row.addStretch()
        target_row.addWidget(QLabel("Import into"))
        target_row.addWidget(self.kind_choice)
        target_row.addWidget(self.list_choice)
        target_row.addWidget(self.list_problem)

        self.pages = QStackedWidget()
        self._build_choose_page()
        self._build_check_page()
        self._build_changes_page()
        self._build_upload_page()
        self._build_result_page()

        self.back = QPushButton("Back")
        self.next = QPushButton("Next")
        self.next.setDefault(True)
        self.cancel = QPushButton("Cancel")
        self.back.clicked.connect(self._go_back)
        self.next.clicked.connect(self._go_on)
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.next)
        buttons.addWidget(self.cancel)

        layout = QVBoxLayout(self)
        layout.addLayout(target_row)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)

        self.kind_choice.currentIndexChanged.connect(self._kind_changed)
        self.list_choice.currentIndexChanged.connect(self._list_changed)
        self._show_page(CHOOSE)
        self._start(self._load_lists())

    # -- pages ------------------------------------------

    def _build_choose_page(self) -> None:
        page = QWidget()
        self.drop_zone = DropZone()
        self.drop_zone.fileChosen.connect(self.open_file)
        self.file_problem = QLabel()
        self.file_problem.setObjectName("fileProblem")
        self.file_problem.setWordWrap(True)
        self.file_problem.setStyleSheet("color: #b00020;")
        hint = QLabel(
            "The file is checked on this computer first: nothing is sent until you have "
            "seen what would change and pressed Upload."
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addWidget(self.drop_zone, 1)
        layout.addWidget(self.file_problem)
        self.pages.addWidget(page)

    def _build_check_page(self) -> None:
        page = QWidget()
        self.check_summary = QLabel()
        self.check_summary.setObjectName("checkSummary")
        self.check_summary.setWordWrap(True)
        self.check_progress = QProgressBar()
        self.check_progress.setRange(0, 0)
        self.check_progress.setMaximumHeight(8)
        self.check_progress.setTextVisible(False)
        self.only_problems = QCheckBox("Only rows with problems")
        self.preview = PreviewModel(self)
        self.preview_filter: ProblemRowsOnly | None = None
        self.preview_table = DataTable()
        self.preview_table.setSortingEnabled(False)
        # The filtering proxy asks Python about every row; it is put between the
        # view and a hundred thousand rows only while "only problems" is on.
        self.preview_table.setModel(self.preview)
        self.only_problems.toggled.connect(self._filter_problem_rows)
        self.save_annotated = QPushButton("Save annotated workbook…")
        self.save_annotated.setToolTip("A copy of your file with the problem cells marked")
        self.save_annotated.clicked.connect(lambda: self._ask_annotated_path(False))
        self.good_rows_only = QCheckBox()
        self.good_rows_only.toggled.connect(self._update_buttons)

        self.mapping_box = QGroupBox("Columns")
        self.mapping_form = QFormLayout(self.mapping_box)
        self.styles_box = QGroupBox("Decimal separator")
        self.styles_form = QFormLayout(self.styles_box)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.mapping_box)
        side_layout.addWidget(self.styles_box)
        side_layout.addStretch()
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(360)

        top = QHBoxLayout()
        top.addWidget(self.check_summary, 1)
        top.addWidget(self.only_problems)
        top.addWidget(self.save_annotated)
        split = QSplitter()
        split.addWidget(self.preview_table)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.check_progress)
        layout.addWidget(split, 1)
        layout.addWidget(self.good_rows_only)
        self.pages.addWidget(page)

    def _build_changes_page(self) -> None:
        page = QWidget()
        self.changes_summary = QLabel()
        self.changes_summary.setObjectName("changesSummary")
        self.changes_summary.setWordWrap(True)
        self.changes_progress = QProgressBar()
        self.changes_progress.setMaximumHeight(8)
        self.changes_progress.setTextVisible(False)
        self.changes_problem = QLabel()
        self.changes_problem.setWordWrap(True)
        self.changes_problem.setStyleSheet("color: #b00020;")
        self.retry_changes = QPushButton("Retry")
        self.retry_changes.clicked.connect(self._start_compare)
        self.guardrail_box = QGroupBox("Please look at these before uploading")
        self.guardrail_box.setStyleSheet("QGroupBox { color: #8a5300; font-weight: bold; }")
        self.guardrail_layout = QVBoxLayout(self.guardrail_box)
        self.guardrail_checks: list[QCheckBox] = []
        self.skip_unchanged = QCheckBox("Skip unchanged rows (the server does less work)")
        self.skip_unchanged.setChecked(True)
        self.skip_unchanged.toggled.connect(self._update_buttons)
        self.change_filter = QComboBox()
        self.change_filter.addItem("All changes", None)
        for kind in (ChangeKind.NEW, ChangeKind.CHANGED, ChangeKind.NOT_IN_CATALOGUE):
            self.change_filter.addItem(kind.value.capitalize(), kind.value)
        self.changes = ChangesModel(self)
        self.changes_view: ChangeKindFilter | None = None
        self.change_filter.currentIndexChanged.connect(self._filter_changes)
        self.changes_table = DataTable()
        self.changes_table.setSortingEnabled(False)
        self.changes_table.setModel(self.changes)
        for column, width in enumerate((60, 150, 110, 260, 260)):
            self.changes_table.setColumnWidth(column, width)
        top = QHBoxLayout()
        top.addWidget(self.changes_summary, 1)
        top.addWidget(self.change_filter)
        problem_row = QHBoxLayout()
        problem_row.addWidget(self.changes_problem, 1)
        problem_row.addWidget(self.retry_changes)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.changes_progress)
        layout.addLayout(problem_row)
        layout.addWidget(self.guardrail_box)
        layout.addWidget(self.changes_table, 1)
        layout.addWidget(self.skip_unchanged)
        self.pages.addWidget(page)

    def _build_upload_page(self) -> None:
        page = QWidget()
        self.bytes_label = QLabel("Sending the file")
        self.bytes_progress = QProgressBar()
        self.server_label = QLabel("Waiting for the server")
        self.server_label.setObjectName("serverProgressLabel")
        self.server_progress = QProgressBar()
        self.follow_trouble = QLabel()
        self.follow_trouble.setWordWrap(True)
        self.follow_trouble.setStyleSheet("color: #8a5300;")
        note = QLabel(
            "You may stop watching at any time: the server carries on with the import, "
            "and OmniDesk shows how it ended under Imports."
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.bytes_label)
        layout.addWidget(self.bytes_progress)
        layout.addSpacing(16)
        layout.addWidget(self.server_label)
        layout.addWidget(self.server_progress)
        layout.addWidget(self.follow_trouble)
        layout.addStretch()
        layout.addWidget(note)
        self.pages.addWidget(page)

    def _build_result_page(self) -> None:
        page = QWidget()
        self.result_headline = QLabel()
        self.result_headline.setObjectName("resultHeadline")
        self.result_headline.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.result_counts = QLabel()
        self.result_reason = QLabel()
        self.result_reason.setWordWrap(True)
        self.result_reason.setStyleSheet("color: #b00020;")
        self.problems = ProblemsModel(self)
        self.problems_table = DataTable()
        self.problems_table.setSortingEnabled(False)
        self.problems_table.setModel(self.problems)
        self.problems_table.setColumnWidth(0, 70)
        self.problems_table.setColumnWidth(1, 140)
        self.save_problems = QPushButton("Save the problems into an annotated workbook…")
        self.save_problems.clicked.connect(lambda: self._ask_annotated_path(True))
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_headline)
        layout.addWidget(self.result_counts)
        layout.addWidget(self.result_reason)
        layout.addWidget(self.problems_table, 1)
        layout.addWidget(self.save_problems, 0, Qt.AlignmentFlag.AlignLeft)
        self.pages.addWidget(page)

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

    def _filter_changes(self) -> None:
        chosen = self.change_filter.currentData()
        if self.changes_view is not None:
            self.changes_table.setModel(self.changes)
            self.changes_view.deleteLater()
            self.changes_view = None
        if chosen:
            self.changes_view = ChangeKindFilter(self.changes)
            self.changes_view.set_kind(ChangeKind(chosen))
            self.changes_table.setModel(self.changes_view)

    # -- moving between pages ------------------------------------------

    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.step.setText(STEP_TITLES[page])
        choosing = page in (CHOOSE, CHECK, CHANGES)
        self.kind_choice.setEnabled(choosing)
        self.list_choice.setEnabled(choosing)
        self._update_buttons()

    def _update_buttons(self) -> None:
        page = self.pages.currentIndex()
        self.back.setVisible(page in (CHECK, CHANGES))
        self.next.setVisible(page in (CHECK, CHANGES))
        self.cancel.setText({UPLOAD: "Stop watching", RESULT: "Close"}.get(page, "Cancel"))
        if page == CHECK:
            result = self.checked
            self.next.setText("See what changes")
            ready = result is not None and result.valid_rows > 0 and self.target is not None
            if result is not None and result.error_rows:
                self.good_rows_only.setText(
                    f"Continue with only the {result.valid_rows:,} good rows "
                    f"({result.error_rows:,} rows with errors are left out)"
                )
                self.good_rows_only.setVisible(result.valid_rows > 0)
                ready = ready and self.good_rows_only.isChecked()
            else:
                self.good_rows_only.setVisible(False)
            self.next.setEnabled(ready)
        elif page == CHANGES:
            diff = self.diff
            count = self.rows_to_upload()
            self.next.setText(f"Upload {count:,} rows" if diff is not None else "Upload")
            confirmed = all(box.isChecked() for box in self.guardrail_checks)
            self.next.setEnabled(diff is not None and confirmed and count > 0)

    def rows_to_upload(self) -> int:
        if self.checked is None or self.diff is None:
            return 0
        skipped = len(self.diff.unchanged_rows) if self.skip_unchanged.isChecked() else 0
        return self.upload_candidates() - skipped

    def upload_candidates(self) -> int:
        # Of rows sharing a SKU only the last is uploaded; the diff saw exactly those.
        assert self.diff is not None
        return sum(self.diff.counts.values())

    def _go_back(self) -> None:
        page = self.pages.currentIndex()
        if page == CHECK:
            self._stop_check()
            self._show_page(CHOOSE)
        elif page == CHANGES:
            self._show_page(CHECK)

    @asyncSlot()
    async def _go_on(self) -> None:
        page = self.pages.currentIndex()
        if page == CHECK:
            self._show_page(CHANGES)
            self._start_compare()
        elif page == CHANGES and self.next.isEnabled():
            self.next.setEnabled(False)
            if await self._confirm_not_a_repeat():
                if self._closed:
                    return  # closed while the file was being recognised: nothing is sent
                await self._upload_and_follow()
            else:
                self._update_buttons()

    # -- the target list ------------------------------------------

    async def _load_lists(self) -> None:
        kind = self.kind
        self.list_choice.blockSignals(True)
        self.list_choice.clear()
        self.list_choice.addItem("Loading lists…", None)
        self.list_choice.blockSignals(False)
        try:
            rows: list[AnyList] = []

            async def every(client: OmnitronClient) -> None:
                rows.clear()
                async for row in client.lists(kind).iterate(ordering="name"):
                    rows.append(row)

            await self.session.run(every)
        except OmnitronError as problem:
            self.list_choice.blockSignals(True)
            self.list_choice.clear()
            self.list_choice.addItem("(lists could not be loaded)", None)
            self.list_choice.blockSignals(False)
            self.list_problem.setText(str(problem))
            self.list_problem.setToolTip(str(problem))
            self._update_buttons()
            return
        if kind is not self.kind:
            return  # the person switched kinds meanwhile
        self.list_problem.setText("")
        self.list_choice.blockSignals(True)
        self.list_choice.clear()
        self.list_choice.addItem("Choose a list…", None)
        chosen = 0
        for row in rows:
            suffix = f"  ({row.code})" if row.code else ""
            self.list_choice.addItem(f"{row.name}{suffix}", ImportTarget.of(row))
            if self.target is not None and self.target.pk == row.pk:
                chosen = self.list_choice.count() - 1
        self.list_choice.setCurrentIndex(chosen)
        self.list_choice.blockSignals(False)
        self._list_changed()

    def _kind_changed(self) -> None:
        self.guess_kind = False  # the person chose
        self.kind = ListKind(self.kind_choice.currentData())
        self.target = None
        self._start(self._load_lists())
        if self.path is not None:
            self.mapping_choice = {}
            self.style_choice = {}
            self._show_page(CHECK)
            self._start_check()

    def _list_changed(self) -> None:
        chosen = self.list_choice.currentData()
        self.target = chosen if isinstance(chosen, ImportTarget) else None
        self.diff = None
        if self.pages.currentIndex() == CHANGES:
            self._start_compare()
        self._update_buttons()

    # -- choosing and checking the file ------------------------------------------

    def open_file(self, path: Path) -> None:
        self.path = path
        self._close_sheet()
        self.mapping_choice = {}
        self.style_choice = {}
        self.file_problem.setText("")
        self.setWindowTitle(f"Import {path.name}")
        self._show_page(CHECK)
        self._start_check()

    def _close_sheet(self) -> None:
        self._stop_check()
        if self.sheet is not None:
            self.sheet.close()
            self.sheet = None

    def _stop_check(self) -> None:
        self._cancel_check.set()
        if self._checking is not None:
            self._checking.cancel()
            self._checking = None

    def _start_check(self) -> None:
        self._stop_check()
        self._cancel_check = threading.Event()
        self.checked = None
        self.diff = None
        self._checking = self._start(self._check(self._cancel_check))
        self._update_buttons()

    async def _check(self, cancelled: threading.Event) -> None:
        assert self.path is not None
        loop = asyncio.get_running_loop()
        kind = self.kind
        self.check_progress.show()
        self.check_summary.setText(f"Reading {self.path.name}…")
        first_time = self.sheet is None
        try:
            if self.sheet is None:
                self.sheet, preview = await loop.run_in_executor(
                    None, _open_with_preview, self.path
                )
            else:
                preview = await loop.run_in_executor(None, self.sheet.preview)
        except SpreadsheetError as problem:
            self._file_refused(problem.message)
            return
        sheet = self.sheet
        assert sheet is not None
        if first_time and self.guess_kind:
            kind = self._take_kind_of(preview, kind)
        header, rows = _split_header(preview, kind, self.mapping_choice)
        if header is None:
            self._file_refused(f"{self.path.name} has no rows with data.")
            return
        if first_time or self.preview.rowCount() == 0:
            self.preview.show_rows([str(c) for c in header.cells], rows)
        self._show_mapping(header, kind)
        self.check_summary.setText(f"Checking {self.path.name}… (the first rows are below)")

        last_shown = rows[-1].number if rows else header.number
        keep_rows = first_time or self.preview.rowCount() <= len(rows)

        def add_rows(batch: list[SheetRow]) -> None:
            loop.call_soon_threadsafe(self.preview.add_rows, batch)

        def report(done: int) -> None:
            if cancelled.is_set():
                raise CheckCancelled
            loop.call_soon_threadsafe(self.check_summary.setText, f"Checking… {done:,} rows so far")

        try:
            mapping, styles = dict(self.mapping_choice), dict(self.style_choice)
            result = await loop.run_in_executor(
                None,
                without_gc_pauses,
                lambda: _check_in_worker(
                    sheet,
                    kind,
                    mapping,
                    styles,
                    report,
                    add_rows if keep_rows else None,
                    last_shown,
                ),
            )
        except CheckCancelled:
            return
        except SpreadsheetError as problem:
            self._file_refused(problem.message)
            return
        if cancelled.is_set():
            return
        self.checked = result
        self.check_progress.hide()
        # A missing column is the first finding, and it holds every row back.
        missing_column = result.findings[0].message if result.mapping.missing else None
        self.preview.show_findings(result.findings, missing_column)
        self._show_mapping(header, kind, result)
        self._show_styles(result)
        self._summarise_check(result)
        self._update_buttons()

    def _take_kind_of(self, preview: list[SheetRow], kind: ListKind) -> ListKind:
        """The kind the file's header fits, shown as chosen; `kind` when it fits no one kind."""
        fitting = kind_of_header(preview)
        if fitting is None or fitting is kind:
            return kind
        self.kind = fitting
        self.target = None
        self.kind_choice.blockSignals(True)  # not the person's choice: it may change again
        self.kind_choice.setCurrentIndex(self.kind_choice.findData(fitting.value))
        self.kind_choice.blockSignals(False)
        self._start(self._load_lists())
        return fitting

    def _file_refused(self, message: str) -> None:
        self.check_progress.hide()
        self._close_sheet()
        self.file_problem.setText(
            f"{message}\nChoose another file, or fix this one and drop it again."
        )
        self._show_page(CHOOSE)

    def _summarise_check(self, result: CheckResult) -> None:
        parts = [f"{result.rows:,} rows: {result.valid_rows:,} good"]
        if result.error_rows:
            parts.append(f"{result.error_rows:,} with errors")
        if result.warning_rows:
            parts.append(f"{result.warning_rows:,} with warnings")
        text = ", ".join(parts) + "."
        if result.rows > self.preview.rowCount():
            text += f" Showing the first {self.preview.rowCount():,} rows; all were checked."
        if result.notes:
            text += "\n" + " ".join(result.notes)
        if result.mapping.missing:
            text += "\nChoose the missing column on the right."
        self.check_summary.setText(text)

    def _show_mapping(
        self, header: SheetRow, kind: ListKind, result: CheckResult | None = None
    ) -> None:
        schema = schema_for(kind)
        headers = [str(c) for c in header.cells]
        mapping = result.mapping if result else match_columns(headers, schema, self.mapping_choice)
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        for index, title in enumerate(headers):
            choice = QComboBox()
            choice.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            choice.setMinimumContentsLength(16)
            choice.addItem("(not imported)", None)
            for spec in schema.fields:
                choice.addItem(f"{spec.label} ({spec.name})", spec.name)
            current = mapping.field_of.get(index)
            choice.setCurrentIndex(max(0, choice.findData(current)) if current else 0)
            choice.currentIndexChanged.connect(
                lambda _=0, i=index, box=choice: self._mapping_changed(i, box.currentData())
            )
            self.mapping_form.addRow(title or f"Column {index + 1}", choice)

    def _mapping_changed(self, index: int, field: str | None) -> None:
        self.mapping_choice[index] = field
        self._start_check()

    def _show_styles(self, result: CheckResult) -> None:
        while self.styles_form.rowCount():
            self.styles_form.removeRow(0)
        for field, detected in result.decimal_styles.items():
            choice = QComboBox()
            # None: the cells are plain numbers (nothing to decide) or they disagree.
            found = f"as found: {detected.example}" if detected else "as found"
            choice.addItem(found, None)
            for style in DecimalStyle:
                choice.addItem(f"{style.example} ({style.value})", style.value)
            chosen = self.style_choice.get(field)
            choice.setCurrentIndex(choice.findData(chosen.value) if chosen else 0)
            choice.currentIndexChanged.connect(
                lambda _=0, f=field, box=choice: self._style_changed(f, box.currentData())
            )
            self.styles_form.addRow(field, choice)
        self.styles_box.setVisible(bool(result.decimal_styles))

    def _style_changed(self, field: str, value: str | None) -> None:
        if value is None:
            self.style_choice.pop(field, None)
        else:
            self.style_choice[field] = DecimalStyle(value)
        self._start_check()

    def _ask_annotated_path(self, with_server_problems_too: bool) -> None:
        if self.path is None or self.checked is None:
            return
        dialog = QFileDialog(self, "Save annotated workbook", str(self._annotated_name()))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(["Excel workbook (*.xlsx)"])
        dialog.setDefaultSuffix("xlsx")
        dialog.fileSelected.connect(
            lambda out: self.tasks.start(
                self.save_annotated_copy(Path(out), with_server_problems_too)
            )
        )
        self.file_dialog = dialog
        dialog.open()

    def _annotated_name(self) -> Path:
        assert self.path is not None
        return self.path.with_name(f"{self.path.stem} (checked).xlsx")

    async def save_annotated_copy(self, out: Path, with_server_problems_too: bool) -> bool:
        assert self.path is not None
        assert self.checked is not None
        result = self.checked
        if with_server_problems_too and self.outcome is not None:
            result = with_server_problems(result, self.outcome)
        try:
            await asyncio.get_running_loop().run_in_executor(
                None, write_annotated_copy, self.path, result, out
            )
        except (OSError, SpreadsheetError) as problem:
            self.status.setText(f"The annotated workbook could not be saved: {problem}")
            return False
        self.status.setText(f"Saved {out.name}.")
        return True

    # -- comparing with the list ------------------------------------------

    def _start_compare(self) -> None:
        self.diff = None
        self.changes.show_changes([], {})
        self._update_buttons()
        if self.target is None or self.checked is None:
            self.changes_summary.setText("Choose the list to import into, at the top.")
            return
        self._start(self._compare(self.target, self.checked))

    async def _compare(self, target: ImportTarget, result: CheckResult) -> None:
        self.changes_problem.setText("")
        self.retry_changes.hide()
        self.changes_progress.show()
        self.changes_progress.setRange(0, 0)
        self.changes_summary.setText(f"Reading the current {target.noun} “{target.name}”…")

        def still_wanted() -> bool:
            # The person may change list or file meanwhile; a newer comparison then runs.
            return self.target == target and self.checked is result

        def progress(done: int, total: int) -> None:
            if still_wanted():
                self.changes_progress.setRange(0, max(total, 1))
                self.changes_progress.setValue(done)

        try:
            current = await self.session.run(
                lambda c: fetch_current(c, target.kind, target.pk, progress)
            )
            diff = await asyncio.get_running_loop().run_in_executor(
                None,
                without_gc_pauses,
                lambda: compare(
                    target.kind,
                    politely(result.good_rows()),
                    current,
                    list_currency=target.currency,
                    settings=self.guardrail_settings,
                ),
            )
            if still_wanted():
                self.changes_summary.setText("Looking up new SKUs in the catalogue…")
            await self.session.run(lambda c: mark_unknown_products(c, diff, progress))
        except OmnitronError as problem:
            if not still_wanted():
                return
            self.changes_progress.hide()
            self.changes_summary.setText("")
            self.changes_problem.setText(
                f"What would change cannot be shown without the server: {problem}"
            )
            self.retry_changes.show()
            return
        if not still_wanted():
            return
        self.diff = diff
        self.changes_progress.hide()
        self._show_diff(diff)

    def _show_diff(self, diff: ImportDiff) -> None:
        for box in self.guardrail_checks:
            box.deleteLater()
        self.guardrail_checks = []
        flagged: dict[int, str] = {}
        for guardrail in diff.guardrails:
            box = QCheckBox(f"I have checked: {guardrail.message}")
            box.setObjectName(f"guardrail_{guardrail.key}")
            box.toggled.connect(self._update_buttons)
            self.guardrail_layout.addWidget(box)
            self.guardrail_checks.append(box)
            for row in guardrail.rows:
                flagged.setdefault(row, guardrail.message)
        self.guardrail_box.setVisible(bool(diff.guardrails))
        self.changes.show_changes(diff.changes, flagged)
        text = diff.summary().capitalize() + "."
        if diff.notes:
            text += " " + " ".join(diff.notes)
        self.changes_summary.setText(text)
        self.skip_unchanged.setText(
            f"Skip the {len(diff.unchanged_rows):,} unchanged rows (the server does less work)"
        )
        self._update_buttons()

    # -- uploading and following ------------------------------------------

    async def _confirm_not_a_repeat(self) -> bool:
        assert self.path is not None
        assert self.target is not None
        sha = await asyncio.get_running_loop().run_in_executor(None, file_sha256, self.path)
        self.sha256 = sha
        earlier = self.journal.last_import_of(
            sha, self.target.kind.value, self.target.pk, self.session.client.base_url
        )
        if earlier is None:
            return True
        answered: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.question = ask(
            self,
            "Import the same file again?",
            f"This very file was imported into “{earlier.list_name}” on "
            f"{local_datetime(earlier.started_at)} ({earlier.state.value}). Import it again?",
            go=(QMessageBox.StandardButton.Yes, "Import again"),
            stay=(QMessageBox.StandardButton.No, None),
            answered=lambda again: settle(answered, again),
        )
        return await answered

    async def _upload_and_follow(self) -> None:
        # "Stop watching" while the file is being prepared or sent lets it arrive: cut
        # off, the server might or might not have it. The journal then has its cache
        # key, and the Imports page can follow it. The window waits (`uploading`).
        self.uploading = True
        try:
            following = await self._upload()
        finally:
            self.uploading = False
            # Closed with the main window, the wizard may be gone by now: nobody to tell.
            if self._closed and isValid(self):
                self.imported.emit()
                self.upload_settled.emit()
        if following is not None and not self._closed:
            self._following = self._start(self._follow(*following))

    async def _upload(self) -> tuple[ImportRun, int, str] | None:
        """Prepares and sends the file: the run, journal record and cache key to follow."""
        assert self.path is not None
        assert self.checked is not None
        assert self.target is not None
        assert self.diff is not None
        target, result, diff = self.target, self.checked, self.diff
        skip = diff.unchanged_rows if self.skip_unchanged.isChecked() else frozenset()
        self._show_page(UPLOAD)
        self.bytes_progress.setValue(0)
        self.server_progress.setRange(0, 0)
        plan = await asyncio.get_running_loop().run_in_executor(
            None,
            without_gc_pauses,
            lambda: prepare_upload(result, self._work, skip, pause=let_others_run),
        )
        if self._closed:
            return None  # closed before anything was sent: nothing is sent
        self.bytes_label.setText(f"Sending {plan.rows:,} rows to “{target.name}”")
        run = ImportRun(self.session, self.journal, target)

        def sent(done: int, total: int) -> None:
            if not self._closed:
                self.bytes_progress.setMaximum(max(total, 1))
                self.bytes_progress.setValue(done)

        try:
            record_id, cache_key = await run.upload(
                plan, source=self.path, sha256=self.sha256, on_bytes=sent
            )
        except OmnitronError as problem:
            if not self._closed:
                self._show_result_failure(f"The file could not be sent: {problem}")
            return None
        if self._closed:
            return None
        self.record_id = record_id
        self.bytes_label.setText(f"Sent {plan.rows:,} rows to “{target.name}”")
        return run, record_id, cache_key

    async def _follow(self, run: ImportRun, record_id: int, cache_key: str) -> None:
        outcome = await run.follow(record_id, cache_key, self._show_update)
        self.show_outcome(outcome)

    def _show_update(self, update: FollowUpdate) -> None:
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
        text = f"Processing on the server: {status.processed:,} of {status.total:,} rows"
        if update.seconds_left is not None:
            text += f", about {duration(update.seconds_left)} left"
        self.server_label.setText(text)

    def show_outcome(self, outcome: ImportOutcome) -> None:
        self.outcome = outcome
        self._show_page(RESULT)
        left_out = self.checked.error_rows if self.checked else 0
        if outcome.succeeded:
            self.result_headline.setText("Import finished")
            self.result_reason.setText("")
        else:
            self.result_headline.setText("The import failed")
            self.result_reason.setText(outcome.reason or "")
        counts = (
            f"{outcome.created:,} created · {outcome.updated:,} updated · "
            f"{outcome.failed_rows:,} refused by the server"
        )
        if left_out:
            counts += f" · {left_out:,} left out by the check before upload"
        self.result_counts.setText(counts)
        self.problems.show_problems(self._every_failed_row(outcome))
        self.save_problems.setVisible(self.checked is not None and bool(outcome.problems))
        self.imported.emit()

    def _every_failed_row(self, outcome: ImportOutcome) -> list[RowProblem]:
        """The server's refusals and the rows the check kept back, in sheet order,
        each under the column name the person's own file uses."""
        checked = self.checked
        headers = checked.mapping.headers if checked else ()

        def header_of(field: str | None) -> str | None:
            index = checked.mapping.column_of(field) if checked and field else None
            return headers[index] if index is not None and index < len(headers) else field

        problems = [
            RowProblem(p.row, header_of(p.column), p.message)
            for p in outcome.problems
            if p.row is not None
        ]
        if checked is not None:
            problems += [
                RowProblem(f.row, f.column, f"Not sent: {f.message}")
                for f in checked.findings
                if f.severity is Severity.ERROR
            ]
        return sorted(problems, key=lambda p: p.row or 0)

    def _show_result_failure(self, reason: str) -> None:
        self.show_outcome(ImportOutcome(ImportState.FAILURE, 0, 0, (), reason, 0))

    # -- leaving ------------------------------------------

    def reject(self) -> None:
        page = self.pages.currentIndex()
        self._closed = True
        if page == UPLOAD and self._following is not None and not self._following.done():
            # Stop watching only: the server's job goes on, the journal remembers it.
            self.imported.emit()
        for job in list(self._jobs):
            job.cancel()  # they would touch widgets that are about to go
        self._close_sheet()
        super().reject()

    def _start(self, job: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = self.tasks.start(job)
        self._jobs.add(task)
        task.add_done_callback(self._jobs.discard)
        return task

    def dispose(self) -> None:
        """Once closed: remove the upload file's folder (a million rows make 70 MB)."""
        shutil.rmtree(self._work, ignore_errors=True)


def _open_with_preview(path: Path) -> tuple[Spreadsheet, list[SheetRow]]:
    sheet = open_spreadsheet(path)
    try:
        return sheet, sheet.preview()
    except BaseException:
        sheet.close()
        raise


def _split_header(
    preview: list[SheetRow], kind: ListKind, mapping: dict[int | str, str | None]
) -> tuple[SheetRow | None, list[SheetRow]]:
    if not preview:
        return None, []
    header, _, _ = find_header(iter(preview), schema_for(kind), mapping)
    return header, [row for row in preview if row.number > header.number]


def _check_in_worker(
    sheet: Spreadsheet,
    kind: ListKind,
    mapping: dict[int | str, str | None],
    styles: dict[str, DecimalStyle],
    report: Callable[[int], None],
    add_rows: Callable[[list[SheetRow]], None] | None,
    shown_up_to: int,
) -> CheckResult:
    """The full check (in a worker thread), handing rows past the preview to the view."""

    def rows() -> Any:
        batch: list[SheetRow] = []
        kept = 0
        for row in politely(sheet.rows()):
            if add_rows is not None and row.number > shown_up_to and kept < SHOWN_ROWS_LIMIT:
                batch.append(row)
                kept += 1
                if len(batch) >= ROWS_PER_BATCH:
                    add_rows(batch)
                    batch = []
            yield row
        if batch and add_rows is not None:
            add_rows(batch)

    result = check_rows(rows(), kind, mapping=mapping, decimal_styles=styles, progress=report)
    result.file = str(sheet.path)
    result.sheet = sheet.sheet_name
    return result
