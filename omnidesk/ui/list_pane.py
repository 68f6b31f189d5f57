"""A page of the main window: the price lists (or stock lists), and the contents of one."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from omnidesk.api import ListKind, OmnitronClient, OmnitronError, Page, PriceList, StockList
from omnidesk.api.session import Session
from omnidesk.imports import ImportTarget

from .columns import (
    PRICE_LIST_COLUMNS,
    PRODUCT_PRICE_COLUMNS,
    PRODUCT_STOCK_COLUMNS,
    STOCK_LIST_COLUMNS,
)
from .export import write_table
from .filter_bar import TYPING_PAUSE_MS, ListFilterBar
from .formatting import local_integer
from .list_dialog import ListDialog
from .paged_model import LoadState, PagedTableModel, ServerSortProxy
from .tasks import BackgroundTasks
from .widgets import DataTable, TableWithStates

AnyList = PriceList | StockList

KIND_WORDS = {
    ListKind.PRICE: ("price list", "price lists", "Price lists"),
    ListKind.STOCK: ("stock list", "stock lists", "Stock lists"),
}


def lists_of(client: OmnitronClient, kind: ListKind) -> Any:
    return client.price_lists if kind is ListKind.PRICE else client.stock_lists


class Exporter:
    """Saves every row of a model (loading the rest first) to .xlsx or .csv."""

    def __init__(self, owner: QWidget, model: PagedTableModel[Any], tasks: BackgroundTasks) -> None:
        self.owner = owner
        self.model = model
        self.tasks = tasks
        self.dialog: QFileDialog | None = None

    def ask(self, suggested_name: str) -> None:
        # open(), never exec(): a nested event loop would stall every running request.
        self.dialog = QFileDialog(self.owner, "Export", suggested_name)
        self.dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.dialog.setNameFilters(["Excel workbook (*.xlsx)", "CSV, comma-separated (*.csv)"])
        self.dialog.setDefaultSuffix("xlsx")
        self.dialog.fileSelected.connect(lambda path: self.tasks.start(self.export(Path(path))))
        self.dialog.open()

    async def export(self, path: Path) -> bool:
        if not await self.model.load_all():
            self._tell(f"The export stopped: {self.model.error}")
            return False
        headers = [column.title for column in self.model.columns]
        rows = [[c.export_value(row) for c in self.model.columns] for row in self.model.rows]
        try:
            await asyncio.get_running_loop().run_in_executor(None, write_table, path, headers, rows)
        except OSError as problem:
            self._tell(f"{path.name} could not be written: {problem.strerror or problem}.")
            return False
        return True

    def _tell(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Export", text, parent=self.owner)
        box.open()


class ContentsPane(QWidget):
    """The product prices or stocks of one list, paged and filterable by SKU."""

    closed = Signal()

    def __init__(self, kind: ListKind, session: Session, tasks: BackgroundTasks) -> None:
        super().__init__()
        self.kind = kind
        self.session = session
        self.tasks = tasks
        self.current: AnyList | None = None
        columns: Any = PRODUCT_PRICE_COLUMNS if kind is ListKind.PRICE else PRODUCT_STOCK_COLUMNS
        self.model: PagedTableModel[Any] = PagedTableModel(columns, tasks, page_size=200)
        self.proxy = ServerSortProxy(self.model, self)
        self.table = DataTable()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)  # the server keeps its own order; sort on demand
        self.table.setColumnWidth(0, 170)  # 13-digit barcodes fit
        for column in range(1, len(columns)):
            self.table.setColumnWidth(column, 110)
        self.table.horizontalHeader().sectionClicked.connect(self._sort_clicked)
        self.states = TableWithStates(
            self.table, self.model, "price" if kind is ListKind.PRICE else "stock row"
        )
        self.states.retryRequested.connect(self.model.retry)
        self.exporter = Exporter(self, self.model, tasks)

        self.title = QLabel()
        self.title.setObjectName("contentsTitle")
        self.title.setStyleSheet("font-weight: bold;")
        self.sku = QLineEdit()
        self.sku.setPlaceholderText("SKU (exact)…")
        self.sku.setClearButtonEnabled(True)
        self.sku.setMaximumWidth(220)
        self.states.clearRequested.connect(self.sku.clear)
        self.count = QLabel()
        export = QPushButton("Export…")
        export.clicked.connect(self._export)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close the contents")
        close.clicked.connect(self._close)

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch()
        header.addWidget(self.count)
        header.addWidget(self.sku)
        header.addWidget(export)
        header.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.states)

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.reload)
        self.sku.textChanged.connect(self._pause.start)
        self.model.stateChanged.connect(self._update_count)

    def show_list(self, row: AnyList) -> None:
        self.current = row
        what = "Prices" if self.kind is ListKind.PRICE else "Stock"
        suffix = f" ({row.currency.upper()})" if isinstance(row, PriceList) else ""
        self.title.setText(f"{what} in “{row.name}”{suffix}")
        self.reload()
        self.show()

    def reload(self) -> None:
        """The open list's rows again, from the first page, with the SKU filter."""
        if self.current is None:
            self.model.set_query(None)
            return
        pk, sku = self.current.pk, self.sku.text().strip() or None
        self.states.empty_hint = f"SKU “{sku}”" if sku else ""

        def fetch(page: int, limit: int, ordering: str | None) -> Awaitable[Page[Any]]:
            if self.kind is ListKind.PRICE:
                return self.session.run(
                    lambda c: c.product_prices.list(pk, product_sku=sku, page=page, limit=limit)
                )
            return self.session.run(
                lambda c: c.product_stocks.list(pk, product_sku=sku, page=page, limit=limit)
            )

        self.model.set_query(fetch)

    def _sort_clicked(self, column: int) -> None:
        header = self.table.horizontalHeader()
        if not header.isSortIndicatorShown() or header.sortIndicatorSection() != column:
            order = Qt.SortOrder.AscendingOrder
        else:
            order = header.sortIndicatorOrder()
        header.setSortIndicatorShown(True)
        header.setSortIndicator(column, order)
        self.proxy.sort(column, order)

    def _update_count(self) -> None:
        noun = "price" if self.kind is ListKind.PRICE else "stock row"
        if self.model.state is LoadState.LOADING and not self.model.rows:
            self.count.setText("Loading…")
        else:
            self.count.setText(f"{local_integer(self.model.total)} {noun}s")

    def _export(self) -> None:
        if self.current is not None:
            self.exporter.ask(f"{self.current.name}.xlsx")

    def _close(self) -> None:
        self.current = None
        self.model.set_query(None)
        self.hide()
        self.closed.emit()


class ListPane(QWidget):
    """Price lists or stock lists: filters, the paged table, and the contents of the open one."""

    importRequested = Signal(object, object)  # (Path of a dropped file, ImportTarget | None)
    dropRefused = Signal(str)

    def __init__(self, kind: ListKind, session: Session, tasks: BackgroundTasks) -> None:
        super().__init__()
        self.kind = kind
        self.session = session
        self.tasks = tasks
        self.unfiltered_total: int | None = None
        singular, plural, title = KIND_WORDS[kind]
        columns: Any = PRICE_LIST_COLUMNS if kind is ListKind.PRICE else STOCK_LIST_COLUMNS
        self.model: PagedTableModel[Any] = PagedTableModel(
            columns, tasks, page_size=100, ordering="name"
        )
        self.proxy = ServerSortProxy(self.model, self)
        self.table = DataTable()
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.openRequested.connect(self.open_index)
        self.table.accept_file_drops()
        self.table.fileDropped.connect(self._file_dropped)
        self.table.dropRefused.connect(self.dropRefused)
        self.states = TableWithStates(self.table, self.model, singular)
        self.states.retryRequested.connect(self.refresh)
        self.filters = ListFilterBar()
        self.filters.changed.connect(self._query)
        self.states.clearRequested.connect(self.filters.reset)
        self.contents = ContentsPane(kind, session, tasks)
        self.contents.hide()
        self.exporter = Exporter(self, self.model, tasks)
        self.dialog: ListDialog | None = None

        self.heading = QLabel(title)
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.count = QLabel()
        self.count.setObjectName("listCount")
        export = QPushButton("Export…")
        export.clicked.connect(lambda: self.exporter.ask(f"{plural}.xlsx"))
        header = QHBoxLayout()
        header.addWidget(self.heading)
        header.addStretch()
        header.addWidget(self.count)
        header.addWidget(export)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.states)
        split.addWidget(self.contents)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.filters)
        layout.addWidget(split, 1)
        self.model.stateChanged.connect(self._update_count)
        self._fix_column_widths()

    def _fix_column_widths(self) -> None:
        widths = {"Name": 260, "Code": 150, "Currency": 80, "Auto-sync": 80, "Created": 150}
        for position, column in enumerate(self.model.columns):
            if column.title in widths:
                self.table.setColumnWidth(position, widths[column.title])

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
                resource = lists_of(c, kind)
                result: Awaitable[Page[Any]] = resource.list(
                    **filters, ordering=ordering, page=page, limit=limit
                )
                return result

            return self.session.run(ask)

        self.model.set_query(fetch)
        if filters and self.unfiltered_total is None:
            self.tasks.start(self._count_everything())

    async def _count_everything(self) -> None:
        try:
            page = await self.session.run(lambda c: lists_of(c, self.kind).list(limit=1))
        except OmnitronError:
            return  # the main query shows the error; the "of M" part simply stays out
        self.unfiltered_total = page.count
        self._update_count()

    def _update_count(self) -> None:
        _, plural, _ = KIND_WORDS[self.kind]
        model = self.model
        if model.state is LoadState.FAILED:
            self.count.setText("")
            return
        if model.state is LoadState.LOADING and not model.rows:
            self.count.setText("Loading…")
            return
        filtered = bool(self.filters.values())
        if filtered and self.unfiltered_total is not None:
            self.count.setText(
                f"{local_integer(model.total)} of {local_integer(self.unfiltered_total)} {plural}"
            )
        else:
            if not filtered:
                self.unfiltered_total = model.total
            self.count.setText(f"{local_integer(model.total)} {plural}")

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
        dialog = ListDialog(self.kind, self.session, self.tasks, existing, parent=self)
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
        _, plural, _ = KIND_WORDS[self.kind]
        self.exporter.ask(f"{plural}.xlsx")
