"""The Imports page: the journal of every import, and following the unfinished ones again."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from omnidesk.api import ListKind
from omnidesk.api.session import Session
from omnidesk.i18n import _
from omnidesk.imports import ImportRecord, ImportRun, ImportTarget, Journal, JournalState

from .formatting import COUNT_SAMPLE, datetime_sample, local_datetime, local_integer
from .style import Tone, mark
from .table_models import RIGHT, FixedColumnsModel, problem_colour
from .tasks import BackgroundTasks
from .widgets import DataTable

AnyIndex = QModelIndex | QPersistentModelIndex

CUT_OFF_WHILE_SENDING = (
    "OmniDesk was closed while sending this file, so whether the server got it is "
    "unknown. Look at the list's prices or stock before importing it again."
)


def _count(number: int | None) -> str:
    return "" if number is None else local_integer(number)


class JournalModel(FixedColumnsModel):
    COLUMNS = ("Started", "File", "List", "Rows", "State", "Created", "Updated", "Failed", "Note")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.records: list[ImportRecord] = []

    def show_records(self, records: list[ImportRecord]) -> None:
        self.beginResetModel()
        self.records = records
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self.records)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.records):
            return None
        record = self.records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                local_datetime(record.started_at),
                record.file_name,
                record.list_name,
                _count(record.rows),
                record.state.value,
                _count(record.created),
                _count(record.updated),
                _count(record.failed),
                record.message or "",
            )
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{record.file_path}\n{record.message or ''}".strip()
        if column == 4:
            if record.state in (JournalState.FAILURE, JournalState.UPLOAD_FAILED):
                return problem_colour(Tone.ERROR, role)
            if not record.state.finished:
                return problem_colour(Tone.WARNING, role)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (3, 5, 6, 7):
            return RIGHT
        return None


class ImportsPane(QWidget):
    """Every import this computer made, newest first; unfinished ones can be followed again."""

    changed = Signal()

    def __init__(self, journal: Journal, session: Session, tasks: BackgroundTasks) -> None:
        super().__init__()
        self.journal = journal
        self.session = session
        self.tasks = tasks
        self.watching: dict[int, asyncio.Task[None]] = {}
        heading = QLabel("Imports")
        mark(heading, Tone.HEADING)
        self.notice = QLabel()
        self.notice.setObjectName("importsNotice")
        self.notice.setWordWrap(True)
        self.follow_button = QPushButton("Follow unfinished imports")
        self.follow_button.clicked.connect(self.follow_unfinished)
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh)
        self.model = JournalModel(self)
        self.table = DataTable()
        self.table.setObjectName("importsTable")
        self.table.setAccessibleName(_("Imports"))
        self.table.setSortingEnabled(False)
        self.table.setModel(self.model)
        count = local_integer(COUNT_SAMPLE)
        samples = [datetime_sample(), "kasim-fiyatlari-2024.xlsx", "Outlet fiyatları 2024"]
        samples += [count, "upload failed", count, count, count]  # rows, state, the counts
        self.table.fit_columns(dict(enumerate(samples)))
        # A longer file name loses its middle, not its end: "kasim-fi…2024 son.xlsx".
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = QHBoxLayout()
        header.addWidget(heading)
        header.addStretch()
        header.addWidget(self.follow_button)
        header.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        self.refresh()

    def unfinished_here(self) -> list[ImportRecord]:
        # Only this server can say how its imports ended; others wait for their profile.
        server = self.session.client.base_url
        return [r for r in self.journal.unfinished() if r.server == server]

    def refresh(self) -> None:
        self.model.show_records(self.journal.history())
        unfinished = [r for r in self.unfinished_here() if r.id not in self.watching]
        following = len(self.watching)
        if following:
            self.notice.setText(f"Following {following} import(s) on the server…")
        elif unfinished:
            self.notice.setText(
                f"{len(unfinished)} import(s) were not followed to the end "
                "(OmniDesk was closed or stopped watching)."
            )
        else:
            self.notice.setText("")
        self.follow_button.setVisible(bool(unfinished))

    def follow_unfinished(self) -> None:
        for record in self.unfinished_here():
            if record.id in self.watching:
                continue
            if record.cache_key is None:
                self.journal.update(
                    record.id, state=JournalState.FAILURE, message=CUT_OFF_WHILE_SENDING
                )
                continue
            task = self.tasks.start(self._follow(record, record.cache_key))
            self.watching[record.id] = task
        self.refresh()

    async def _follow(self, record: ImportRecord, cache_key: str) -> None:
        target = ImportTarget(ListKind(record.kind), record.list_pk, record.list_name)
        try:
            await ImportRun(self.session, self.journal, target).follow(record.id, cache_key)
        finally:
            self.watching.pop(record.id, None)
            self.refresh()
            self.changed.emit()
