"""The Imports page: the journal of every import, its report, and following unfinished ones.

Filtered to the server signed in to by default: another server's imports can be
seen, but only their own server can say how they ended.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from omnidesk.api import ListKind
from omnidesk.api.session import Session
from omnidesk.i18n import N_, _, n_
from omnidesk.imports import ImportRecord, ImportRun, ImportTarget, Journal, JournalState
from omnidesk.imports.staged import StagedEdits

from .formatting import COUNT_SAMPLE, datetime_sample, local_datetime, local_integer
from .style import Tone, mark
from .table_models import RIGHT, AnyIndex, FixedColumnsModel, problem_colour
from .tasks import BackgroundTasks
from .widgets import DataTable

# Kept in the journal as the import's note: written in the language spoken then.
CUT_OFF_WHILE_SENDING = N_(
    "The answer to this upload never came, so whether the server has the file is "
    "unknown. Look at the list's prices or stock before importing it again."
)


def _count(number: int | None) -> str:
    return "" if number is None else local_integer(number)


def state_words(record: ImportRecord, *, followed: bool = False) -> str:
    """How an import stands, as a person says it: "done, 2 refused", never just "success"."""
    state = record.state
    if state is JournalState.SUCCESS:
        return done_words(record.failed or 0)
    if state is JournalState.ARRIVED:
        return _("arrived (its answer was lost)")
    if state is JournalState.WAITING:
        return _("on the server, following…") if followed else state.words
    if state is JournalState.UPLOADING:
        return _("sending…") if followed else _("sent, answer lost")
    return state.words


def done_words(refused: int) -> str:
    if not refused:
        return JournalState.SUCCESS.words
    return n_("done, {count} refused", "done, {count} refused", refused).format(
        count=local_integer(refused)
    )


class JournalModel(FixedColumnsModel):
    COLUMNS = (
        N_("Started"),
        N_("File"),
        N_("List"),
        N_("Server"),
        N_("Rows"),
        N_("State"),
        N_("Added"),  # rows: not "Created", the lists' date column, which Turkish says apart
        N_("Updated"),
        N_("Refused"),
        N_("Note"),
    )
    STARTED, FILE, LIST, SERVER, ROWS, STATE, CREATED, UPDATED, REFUSED, NOTE = range(len(COLUMNS))
    NUMBERS = (ROWS, CREATED, UPDATED, REFUSED)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.records: list[ImportRecord] = []
        self.followed: set[int] = set()  # record ids being followed in the background now

    def show_records(self, records: list[ImportRecord], followed: set[int]) -> None:
        self.beginResetModel()
        self.records = records
        self.followed = set(followed)
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
                record.server,
                _count(record.rows),
                state_words(record, followed=record.id in self.followed),
                _count(record.created),
                _count(record.updated),
                _count(record.failed),
                record.message or "",
            )
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{record.file_path}\n{record.message or ''}".strip()
        if column == self.STATE:
            if record.state in (JournalState.FAILURE, JournalState.UPLOAD_FAILED):
                return problem_colour(Tone.ERROR, role)
            if not record.state.finished or record.failed:
                return problem_colour(Tone.WARNING, role)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.NUMBERS:
            return RIGHT
        return None


class ImportsPane(QWidget):
    """Every import this computer made, newest first; unfinished ones can be followed again."""

    changed = Signal()
    # (record, how it ended in words) once an import followed in the background ends
    followed_to_the_end = Signal(object, str)
    reportRequested = Signal(object)  # an ImportRecord whose report the person opens

    def __init__(self, journal: Journal, session: Session, tasks: BackgroundTasks) -> None:
        super().__init__()
        self.journal = journal
        self.session = session
        self.tasks = tasks
        self.watching: dict[int, asyncio.Task[None]] = {}
        heading = QLabel(_("Imports"))
        mark(heading, Tone.HEADING)
        self.notice = QLabel()
        self.notice.setObjectName("importsNotice")
        self.notice.setWordWrap(True)
        self.this_server_only = QCheckBox(_("Only this server"))
        self.this_server_only.setChecked(True)
        self.this_server_only.toggled.connect(self.refresh)
        self.follow_button = QPushButton(_("Follow unfinished imports"))
        self.follow_button.clicked.connect(self.follow_unfinished)
        self.open_button = QPushButton(_("Open report"))
        self.open_button.clicked.connect(self.open_current)
        refresh = QPushButton(_("Refresh"))
        refresh.clicked.connect(self.refresh)
        self.model = JournalModel(self)
        self.table = DataTable()
        self.table.setObjectName("importsTable")
        self.table.setAccessibleName(_("Imports"))
        self.table.setSortingEnabled(False)
        self.table.setModel(self.model)
        self.table.openRequested.connect(self._open_index)
        count = local_integer(COUNT_SAMPLE)
        samples = [datetime_sample(), "kasim-fiyatlari-2024.xlsx", "Outlet fiyatları 2024"]
        samples += ["Acme staging", count, done_words(COUNT_SAMPLE), count, count, count]
        self.table.fit_columns(dict(enumerate(samples)))
        # A longer file name loses its middle, not its end: "kasim-fi…2024 son.xlsx".
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = QHBoxLayout()
        header.addWidget(heading)
        header.addStretch()
        header.addWidget(self.this_server_only)
        header.addWidget(self.follow_button)
        header.addWidget(self.open_button)
        header.addWidget(refresh)
        # With nothing to list, a sentence where the table would be: what goes here, and
        # how to get it there (or that the other servers' imports are only hidden).
        self.empty = QLabel()
        self.empty.setObjectName("importsEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.notice)
        layout.addWidget(self.pages, 1)
        self.refresh()

    def _show_empty(self, hidden: int) -> None:
        self.open_button.setEnabled(bool(self.model.rowCount()))  # no report to open
        if self.model.rowCount():
            self.pages.setCurrentWidget(self.table)
            return
        if hidden:
            self.empty.setText(
                n_(
                    "No import to this server yet. {count} import to another server is "
                    "hidden: untick “Only this server” to see it.",
                    "No import to this server yet. {count} imports to other servers are "
                    "hidden: untick “Only this server” to see them.",
                    hidden,
                ).format(count=local_integer(hidden))
            )
        else:
            self.empty.setText(
                _(
                    "No import yet. Drop a spreadsheet on the window, or choose File ▸ "
                    "Import a spreadsheet (Ctrl+I): each import is kept here, with its report."
                )
            )
        self.pages.setCurrentWidget(self.empty)

    @property
    def server(self) -> str:
        return self.session.client.base_url

    def unfinished_here(self) -> list[ImportRecord]:
        # Only this server can say how its imports ended; others wait for their profile.
        return [r for r in self.journal.unfinished() if r.server == self.server]

    def refresh(self) -> None:
        records = history = self.journal.history()
        only_here = self.this_server_only.isChecked()
        if only_here:
            records = [r for r in records if r.server == self.server]
        # One server's imports all name it: its column would only push the notes out of
        # sight on a laptop's screen. Set at each refresh, after any layout restored.
        self.table.setColumnHidden(JournalModel.SERVER, only_here)
        self.model.show_records(records, set(self.watching))
        self._show_empty(len(history) - len(records))
        unfinished = [r for r in self.unfinished_here() if r.id not in self.watching]
        following = len(self.watching)
        if following:
            self.notice.setText(
                n_(
                    "Following {count} import on the server…",
                    "Following {count} imports on the server…",
                    following,
                ).format(count=local_integer(following))
            )
        elif unfinished:
            self.notice.setText(
                n_(
                    "{count} import was not followed to the end "
                    "(OmniDesk was closed or stopped watching).",
                    "{count} imports were not followed to the end "
                    "(OmniDesk was closed or stopped watching).",
                    len(unfinished),
                ).format(count=local_integer(len(unfinished)))
            )
        else:
            self.notice.setText("")
        self.notice.setVisible(bool(self.notice.text()))  # empty, it pushes the table down
        self.follow_button.setVisible(bool(unfinished))

    def follow_unfinished(self) -> None:
        for record in self.unfinished_here():
            self.follow(record)
        self.refresh()

    def follow(self, record: ImportRecord) -> None:
        """Follow one import to its end in the background (the wizard stopped watching it)."""
        if record.id in self.watching or record.state.finished:
            return
        if record.id in ImportRun.sending_now:
            return  # a wizard is sending it right now: it will have its key in a moment
        if record.cache_key is None:
            cut_off = _(CUT_OFF_WHILE_SENDING)
            self.journal.update(record.id, state=JournalState.FAILURE, message=cut_off)
            # Edits of a grid sent in it are waiting again: nobody can say they arrived.
            StagedEdits(self.journal).settle(record.id, failed=cut_off)
            return
        self.watching[record.id] = self.tasks.start(self._follow(record, record.cache_key))
        self.refresh()

    async def _follow(self, record: ImportRecord, cache_key: str) -> None:
        target = ImportTarget(ListKind(record.kind), record.list_pk, record.list_name)
        try:
            await ImportRun(self.session, self.journal, target).follow(record.id, cache_key)
        except asyncio.CancelledError:
            self.watching.pop(record.id, None)
            raise  # the window closed: no widget to tell any more
        self.watching.pop(record.id, None)
        self.refresh()
        self.changed.emit()
        ended = self.journal.get(record.id)
        if ended is not None:
            self.followed_to_the_end.emit(ended, state_words(ended))

    def stop_following(self) -> None:
        """The window closes: the server's jobs go on, the journal keeps them unfinished."""
        for task in list(self.watching.values()):
            task.cancel()

    def open_current(self) -> None:
        self._open_index(self.table.currentIndex())

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.reportRequested.emit(self.model.records[index.row()])
