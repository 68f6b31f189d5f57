"""A page of the main window: the price lists (or stock lists), and the contents of one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from omnidesk import kinds
from omnidesk.api import AnyList, ListKind, OmnitronClient, OmnitronError, Page
from omnidesk.api.session import Session
from omnidesk.i18n import _, n_
from omnidesk.imports import GuardrailSettings, ImportTarget
from omnidesk.imports.staged import StagedEdits
from omnidesk.settings import Profile

from .contents_pane import ContentsPane
from .export import Exporter
from .filter_bar import ListFilterBar
from .formatting import datetime_sample, local_integer, yes_no
from .kinds import KIND_VIEWS
from .list_dialog import ListDialog
from .memory import remember_columns, remember_splitter, restore_columns, restore_splitter
from .paged_model import LoadState, PagedTableModel, ServerSortProxy
from .style import Tone, mark
from .tasks import BackgroundTasks
from .widgets import DataTable, TableWithStates


class ListPane(QWidget):
    """Price lists or stock lists: filters, the paged table, and the contents of the open one."""

    importRequested = Signal(object, object)  # (Path of a dropped file, ImportTarget | None)
    dropRefused = Signal(str)

    def __init__(
        self,
        kind: ListKind,
        session: Session,
        tasks: BackgroundTasks,
        staged: StagedEdits | None = None,
        guardrails: Callable[[], GuardrailSettings] | None = None,
        profile: Profile | None = None,
    ) -> None:
        """``staged``: where the contents' edits wait (None: the contents are read-only);
        ``profile``: where a list is created or edited, said in its dialog."""
        super().__init__()
        self.kind = kind
        self.profile = profile
        self.words = kinds.info(kind)
        self.session = session
        self.tasks = tasks
        self.unfiltered_total: int | None = None
        self.model: PagedTableModel[Any] = PagedTableModel(
            KIND_VIEWS[kind].list_columns, tasks, page_size=100, ordering="name"
        )
        self.proxy = ServerSortProxy(self.model, self)
        self.table = DataTable()
        self.table.setObjectName(f"{kind.value}ListsTable")
        self.table.setAccessibleName(self.words.title)  # "Price lists"
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        # Said under the filters when the server cannot sort and the rows are sorted here.
        self.sort_note = QLabel()
        self.sort_note.setObjectName("sortNote")
        self.sort_note.setWordWrap(True)
        self.sort_note.hide()
        self.proxy.orderStateChanged.connect(self._show_order)
        self.table.openRequested.connect(self.open_index)
        self.table.accept_file_drops()
        self.table.fileDropped.connect(self._file_dropped)
        self.table.dropRefused.connect(self.dropRefused)
        self.states = TableWithStates(self.table, self.model, self.words.noun, self.words.plural)
        self.states.retryRequested.connect(self.refresh)
        self.filters = ListFilterBar()
        self.filters.changed.connect(self._query)
        self.states.clearRequested.connect(self.filters.reset)
        self.contents = ContentsPane(kind, session, tasks, staged, guardrails)
        self.contents.hide()
        self.exporter = Exporter(self, self.model, tasks, table=self.table)
        self.dialog: ListDialog | None = None

        self.heading = QLabel(self.words.title)
        mark(self.heading, Tone.HEADING)
        self.count = QLabel()
        self.count.setObjectName("listCount")
        export = QPushButton(_("Export…"))
        export.clicked.connect(self.export)
        header = QHBoxLayout()
        header.addWidget(self.heading)
        header.addStretch()
        header.addWidget(self.count)
        header.addWidget(export)

        self.split = split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.states)
        split.addWidget(self.contents)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.filters)
        layout.addWidget(self.sort_note)
        layout.addWidget(split, 1)
        self.model.stateChanged.connect(self._update_count)
        self._fix_column_widths()

    def _show_order(self) -> None:
        # No sort arrow over rows that are not (yet) in its order.
        self.table.horizontalHeader().setSortIndicatorShown(self.proxy.rows_in_order)
        self.sort_note.setText(self.proxy.notice)
        self.sort_note.setVisible(bool(self.proxy.notice))

    def _fix_column_widths(self) -> None:
        samples = {
            "Name": "Outlet fiyatları sonbahar 2024",
            "Code": "ERP-PL-TR-OUT-2024",
            "Currency": "TRY",
            "Auto-sync": yes_no(True),
            "Created": datetime_sample(),
        }
        self.table.fit_columns(
            {i: samples[c.title] for i, c in enumerate(self.model.columns) if c.title in samples}
        )

    def restore_layout(self) -> None:
        """The splitter and the columns as they were left last time (memory.py)."""
        # The splitter once the contents first show: hidden, they have no size to restore.
        self.contents.opened.connect(self._restore_split, Qt.ConnectionType.SingleShotConnection)
        restore_columns(f"{self.kind.value}_lists", self.table.horizontalHeader())
        restore_columns(f"{self.kind.value}_contents", self.contents.table.horizontalHeader())

    def _restore_split(self) -> None:
        restore_splitter(f"{self.kind.value}_lists", self.split)

    def remember_layout(self) -> None:
        if self.contents.isVisible():  # closed, the split says nothing: keep the last one
            remember_splitter(f"{self.kind.value}_lists", self.split)
        remember_columns(f"{self.kind.value}_lists", self.table.horizontalHeader())
        remember_columns(f"{self.kind.value}_contents", self.contents.table.horizontalHeader())

    def start(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """F5: everything again from the server, filters kept."""
        self.unfiltered_total = None
        self._query()
        if self.contents.current is not None:
            self.contents.reload()

    def _query(self) -> None:
        filters = self.filters.values()
        self.states.empty_hint = self.filters.describe()
        kind = self.kind

        def fetch(page: int, limit: int, ordering: str | None) -> Awaitable[Page[Any]]:
            def ask(c: OmnitronClient) -> Awaitable[Page[Any]]:
                return c.lists(kind).list(**filters, ordering=ordering, page=page, limit=limit)

            return self.session.run(ask)

        self.model.set_query(fetch)
        if filters and self.unfiltered_total is None:
            self.tasks.start(self._count_everything())

    async def _count_everything(self) -> None:
        try:
            page = await self.session.run(lambda c: c.lists(self.kind).list(limit=1))
        except OmnitronError:
            return  # the main query shows the error; the "of M" part simply stays out
        self.unfiltered_total = page.count
        self._update_count()

    def _update_count(self) -> None:
        noun, plural = self.words.noun, self.words.plural
        model = self.model
        if model.state is LoadState.FAILED:
            self.count.setText("")
            return
        if model.state is LoadState.LOADING and not model.rows:
            self.count.setText(_("Loading…"))
            return
        filtered = bool(self.filters.values())
        if filtered and self.unfiltered_total is not None:
            everything = self.unfiltered_total
            self.count.setText(
                n_("{shown} of {total} {noun}", "{shown} of {total} {plural}", everything).format(
                    shown=local_integer(model.total),
                    total=local_integer(everything),
                    noun=noun,
                    plural=plural,
                )
            )
        else:
            if not filtered:
                self.unfiltered_total = model.total
            self.count.setText(
                n_("{count} {noun}", "{count} {plural}", model.total).format(
                    count=local_integer(model.total), noun=noun, plural=plural
                )
            )

    def open_index(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.isValid():
            self.contents.show_list(self.model.row(source.row()))

    def open_current(self) -> None:
        if self.table.currentIndex().isValid():
            self.open_index(self.table.currentIndex())

    def new_list(self) -> ListDialog:
        return self._open_dialog(None)

    def edit_current(self) -> ListDialog | None:
        index = self.proxy.mapToSource(self.table.currentIndex())
        if not index.isValid():
            return None
        return self._open_dialog(self.model.row(index.row()))

    def _open_dialog(self, existing: AnyList | None) -> ListDialog:
        if self.dialog is not None and not self.dialog.isVisible():
            self.dialog.deleteLater()  # the previous one, kept until now for its answer
        dialog = ListDialog(
            self.kind, self.session, self.tasks, existing, profile=self.profile, parent=self
        )
        dialog.saved.connect(self._show_saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _show_saved(self, row: AnyList) -> None:
        """The saved list in view and selected, without reloading the others."""
        if self.model.state is LoadState.FAILED or not self.model.rows:
            self.model.reload()
            return
        position, added = self.model.upsert(row, key=lambda existing: existing.pk)
        self.table.select_row(self.proxy.mapFromSource(self.model.index(position, 0)).row())
        if added and self.unfiltered_total is not None:
            self.unfiltered_total += 1
        self._update_count()
        if self.contents.current is not None and self.contents.current.pk == row.pk:
            self.contents.show_list(row)

    def selected_target(self, index: QModelIndex | None = None) -> ImportTarget | None:
        source = self.proxy.mapToSource(index if index is not None else self.table.currentIndex())
        return ImportTarget.of(self.model.row(source.row())) if source.isValid() else None

    def _file_dropped(self, path: Path, index: QModelIndex) -> None:
        self.importRequested.emit(path, self.selected_target(index) if index.isValid() else None)

    def focus_filter(self) -> None:
        self.filters.focus()

    def export(self) -> None:
        self.exporter.ask(f"{self.words.plural}.xlsx")
