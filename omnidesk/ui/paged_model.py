"""A table model that loads its rows from the server one page at a time.

The view asks for more rows as the person scrolls (canFetchMore/fetchMore), so a
tenant with 10,000 lists shows its first page at once and never loads rows
nobody looks at. Sorting goes to the server where it can, so rows arriving
later still fall in the right place. A server that answers in its own order
instead (the client says so on the page) gets the rows sorted here once they
are all loaded, and no sort arrow until they are.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from omnidesk.api import OmnitronError, Page
from omnidesk.i18n import _

from .tasks import BackgroundTasks

R = TypeVar("R")
AnyIndex = QModelIndex | QPersistentModelIndex
FetchPage = Callable[[int, int, "str | None"], Awaitable[Page[R]]]  # (page, limit, ordering)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    text: Callable[[R], str]
    sort_key: Callable[[R], Any]
    server_field: str | None = None  # the server can order by this
    numeric: bool = False
    tooltip: Callable[[R], str] | None = None
    # The value written to an exported spreadsheet (a Decimal stays a number); default: text.
    export: Callable[[R], Any] | None = None
    # The import column this column shows (a list's contents): what an export is headed
    # with, and what an edit of the cell changes.
    field: str | None = None

    def export_value(self, row: R) -> Any:
        return self.export(row) if self.export is not None else self.text(row)


class LoadState(Enum):
    LOADING = "loading"
    LOADED = "loaded"
    FAILED = "failed"


class PagedTableModel(QAbstractTableModel, Generic[R]):
    stateChanged = Signal()
    # A page came back in the server's own order, not the one asked for.
    orderIgnored = Signal()

    def __init__(
        self,
        columns: Sequence[Column[R]],
        tasks: BackgroundTasks,
        *,
        page_size: int = 100,
        ordering: str | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.tasks = tasks
        self.page_size = page_size
        self.rows: list[R] = []
        self.total = 0
        self.state = LoadState.LOADED
        self.error: str = ""
        self._fetch: FetchPage[R] | None = None
        self._ordering = ordering
        self._next_page = 1
        self._has_next = False
        self._loading: asyncio.Task[None] | None = None
        self._generation = 0  # answers for an older query are dropped
        # True once a page of this query came back in the server's own order.
        self.order_ignored = False

    # -- what to show -----------------------------------------------------------------------------

    def set_query(self, fetch: FetchPage[R] | None) -> None:
        """Show the rows `fetch` pages through (None: show nothing); loads the first page."""
        self._fetch = fetch
        self.reload()

    def set_ordering(self, ordering: str | None) -> None:
        if ordering != self._ordering:
            self._ordering = ordering
            self.reload()

    @property
    def ordering(self) -> str | None:
        return self._ordering

    def reload(self) -> None:
        self._generation += 1
        if self._loading is not None:
            self._loading.cancel()
            self._loading = None
        self.beginResetModel()
        self.rows = []
        self.order_ignored = False
        self.total = 0
        self._next_page = 1
        self._has_next = self._fetch is not None
        self.endResetModel()
        if self._fetch is None:
            self._set_state(LoadState.LOADED)
            return
        self._start_loading()

    def row(self, index: int) -> R:
        return self.rows[index]

    @property
    def fully_loaded(self) -> bool:
        return not self._has_next

    async def load_all(self) -> bool:
        """Fetch every remaining page (for export or a local sort). False if that failed.

        A reload meanwhile (F5, another filter) starts over with the new query, and
        this goes on with it: what ends up loaded is what the person now looks at.
        """
        while self._has_next:
            if self._loading is None:
                self._start_loading()
            loading = self._loading
            assert loading is not None
            try:
                await asyncio.shield(loading)
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if not loading.cancelled() or (current is not None and current.cancelling()):
                    raise  # it is this wait that was cancelled, not the page
                continue  # the page was dropped by a reload
            if self.state is LoadState.FAILED:
                return False
        return True

    def upsert(self, row: R, key: Callable[[R], Any]) -> tuple[int, bool]:
        """Put a row the person just saved in place, or first if new, without reloading all.

        Returns its position and whether it was added.
        """
        for position, existing in enumerate(self.rows):
            if key(existing) == key(row):
                self.rows[position] = row
                self.dataChanged.emit(
                    self.index(position, 0), self.index(position, len(self.columns) - 1)
                )
                return position, False
        self.beginInsertRows(QModelIndex(), 0, 0)
        self.rows.insert(0, row)
        self.total += 1
        self.endInsertRows()
        self.stateChanged.emit()
        return 0, True

    # -- loading ----------------------------------------------------------------------------------

    def _start_loading(self) -> None:
        # One page at a time: views (and Qt's model tester) call fetchMore from inside
        # a reset or an insert, which would otherwise ask for the same page twice.
        if self._loading is not None:
            return
        self._loading = self.tasks.start(self._load_next_page(self._generation))
        self._set_state(LoadState.LOADING)

    async def _load_next_page(self, generation: int) -> None:
        assert self._fetch is not None
        try:
            page = await self._fetch(self._next_page, self.page_size, self._ordering)
        except OmnitronError as problem:
            if generation == self._generation:
                self._loading = None
                self.error = str(problem)
                self._set_state(LoadState.FAILED)
            return
        if generation != self._generation:
            return
        self._loading = None
        self.total = page.count
        self._has_next = page.has_next and bool(page.results)
        self._next_page += 1
        if self._ordering and not page.in_order:
            self.order_ignored = True
            self.orderIgnored.emit()  # before the rows: no arrow is ever shown over them
        if page.results:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.results) - 1)
            self.rows.extend(page.results)
            self.endInsertRows()
        self._set_state(LoadState.LOADED)

    def _set_state(self, state: LoadState) -> None:
        self.state = state
        if state is not LoadState.FAILED:
            self.error = ""
        self.stateChanged.emit()

    def retry(self) -> None:
        """After a failure: try the page that failed again, keeping the rows already shown."""
        if self.state is LoadState.FAILED and self._fetch is not None:
            if not self.rows:
                self.reload()
            else:
                self._start_loading()

    # -- Qt's model interface ---------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        column = self.columns[index.column()]
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort_key(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return _(self.columns[section].title)  # marked N_ where it is written
        return None

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return (
            not parent.isValid()
            and self._has_next
            and self._loading is None
            and self.state is not LoadState.FAILED
        )

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._start_loading()


class ServerSortProxy(QSortFilterProxyModel):
    """Sorts on the server where it can, so pages arriving later land in order.

    A column the server cannot order by, or any column of a server that ignores
    the order asked for, is sorted here after loading every row: sorting only the
    loaded rows would be wrong as soon as more arrive. ``rows_in_order`` is False
    meanwhile, so that the view shows no sort arrow over rows still unsorted.
    """

    orderStateChanged = Signal()

    def __init__(self, source: PagedTableModel[Any], parent: Any = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.source = source
        source.modelReset.connect(self._sort_again_after_reset)
        source.orderIgnored.connect(self._sort_here_instead)
        self._local_sort: asyncio.Task[None] | None = None  # the latest only
        self._server_sort: tuple[int, Qt.SortOrder] | None = None
        self.rows_in_order = True
        # Why the rows are sorted here and not by the server, for a line under the table.
        self.notice = ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._drop_local_sort()  # a newer sort wins over one still loading rows
        self._server_sort = None
        self.notice = ""
        if not 0 <= column < len(self.source.columns):
            super().sort(-1)
            self._order_state(True)
            return
        field = self.source.columns[column].server_field
        descending = order == Qt.SortOrder.DescendingOrder
        if field is not None:
            self._order_state(False)  # the rows still shown are in another order
            super().sort(-1)  # keep the server's order
            self._server_sort = (column, order)
            self.source.set_ordering(f"-{field}" if descending else field)  # rows go
            if self.source.order_ignored:  # the same order again: no reload, rows as they came
                self._sort_here_instead()
            else:
                self._order_state(True)
            return
        self._start_local_sort(column, order)

    def _sort_here_instead(self) -> None:
        """The server answered in its own order: sort here what it could not."""
        if self._server_sort is None or self._local_sort is not None:
            return
        column, order = self._server_sort
        self.notice = _(
            "The server does not sort by “{column}”: the rows are sorted here once all are loaded."
        ).format(column=_(self.source.columns[column].title))
        self._start_local_sort(column, order)

    def _start_local_sort(self, column: int, order: Qt.SortOrder) -> None:
        self._order_state(False)
        self._local_sort = self.source.tasks.start(self._sort_locally(column, order))

    def _drop_local_sort(self) -> None:
        if self._local_sort is not None:
            self._local_sort.cancel()
            self._local_sort = None

    def _order_state(self, in_order: bool) -> None:
        self.rows_in_order = in_order
        self.orderStateChanged.emit()

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        # Compare the Python sort keys themselves (Decimal, str, tuples), not QVariants.
        left_key = self.source.data(left, SORT_ROLE)
        right_key = self.source.data(right, SORT_ROLE)
        try:
            return bool(left_key < right_key)
        except TypeError:
            return str(left_key) < str(right_key)

    def _sort_again_after_reset(self) -> None:
        # A local sort is right only over every row: after a reload (F5, a filter, a
        # saved import) load them all again, or pages would land among sorted rows.
        column = self.sortColumn()
        if column >= 0:
            self._drop_local_sort()
            self._start_local_sort(column, self.sortOrder())

    async def _sort_locally(self, column: int, order: Qt.SortOrder) -> None:
        try:
            if await self.source.load_all():
                super().sort(column, order)
                self._order_state(True)
        finally:
            if self._local_sort is asyncio.current_task():
                self._local_sort = None  # a failed load may be retried, and sorted then
