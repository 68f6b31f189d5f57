"""The contents of one list: its product prices or stocks, paged and filterable by SKU."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from omnidesk import kinds
from omnidesk.api import AnyList, ListKind, Page
from omnidesk.api.session import Session
from omnidesk.i18n import _

from .export import write_table
from .filter_bar import TYPING_PAUSE_MS
from .formatting import BARCODE_SAMPLE, MONEY_SAMPLE, local_decimal, local_integer
from .kinds import KIND_VIEWS
from .memory import EXPORT, in_last_folder, remember_folder
from .paged_model import LoadState, PagedTableModel, ServerSortProxy
from .style import Tone, mark
from .tasks import BackgroundTasks
from .widgets import DataTable, TableWithStates


class Exporter:
    """Saves every row of a model (loading the rest first) to .xlsx or .csv."""

    def __init__(self, owner: QWidget, model: PagedTableModel[Any], tasks: BackgroundTasks) -> None:
        self.owner = owner
        self.model = model
        self.tasks = tasks
        self.dialog: QFileDialog | None = None

    def ask(self, suggested_name: str) -> None:
        # open(), never exec(): a nested event loop would stall every running request.
        self.dialog = QFileDialog(self.owner, "Export", in_last_folder(EXPORT, suggested_name))
        self.dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.dialog.setNameFilters(["Excel workbook (*.xlsx)", "CSV, comma-separated (*.csv)"])
        self.dialog.setDefaultSuffix("xlsx")
        self.dialog.fileSelected.connect(self._chosen)
        self.dialog.open()

    def _chosen(self, path: str) -> None:
        remember_folder(EXPORT, Path(path))
        self.tasks.start(self.export(Path(path)))

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

    opened = Signal()
    closed = Signal()

    def __init__(self, kind: ListKind, session: Session, tasks: BackgroundTasks) -> None:
        super().__init__()
        self.kind = kind
        self.words = kinds.info(kind)
        self.session = session
        self.tasks = tasks
        self.current: AnyList | None = None
        columns = KIND_VIEWS[kind].contents_columns
        self.model: PagedTableModel[Any] = PagedTableModel(columns, tasks, page_size=200)
        self.proxy = ServerSortProxy(self.model, self)
        self.table = DataTable()
        self.table.setObjectName(f"{kind.value}ContentsTable")
        self.table.setAccessibleName(self.words.contents_title)  # "Prices"
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)  # the server keeps its own order; sort on demand
        wide = {0: BARCODE_SAMPLE}  # SKUs: a 13-digit barcode shows whole
        wide |= {c: local_decimal(MONEY_SAMPLE) for c in range(1, len(columns))}
        self.table.fit_columns(wide)
        self.table.horizontalHeader().sectionClicked.connect(self._sort_clicked)
        # The arrow shows once every row is loaded and sorted, not over rows still coming.
        self.proxy.orderStateChanged.connect(
            lambda: self.table.horizontalHeader().setSortIndicatorShown(self.proxy.rows_in_order)
        )
        self.states = TableWithStates(
            self.table, self.model, self.words.row_noun, self.words.row_plural
        )
        self.states.retryRequested.connect(self.model.retry)
        self.exporter = Exporter(self, self.model, tasks)

        self.title = QLabel()
        self.title.setObjectName("contentsTitle")
        mark(self.title, Tone.STRONG)
        self.sku = QLineEdit()
        self.sku.setPlaceholderText("SKU (exact)…")
        self.sku.setAccessibleName(_("SKU (exact)"))
        self.sku.setClearButtonEnabled(True)
        self.sku.setMaximumWidth(220)
        self.states.clearRequested.connect(self.sku.clear)
        self.count = QLabel()
        export = QPushButton("Export…")
        export.clicked.connect(self._export)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close the contents")
        close.setAccessibleName(_("Close the contents"))
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
        suffix = f" ({row.currency.upper()})" if row.currency else ""
        self.title.setText(f"{self.words.contents_title} in “{row.name}”{suffix}")
        self.reload()
        self.show()
        self.opened.emit()

    def reload(self) -> None:
        """The open list's rows again, from the first page, with the SKU filter."""
        if self.current is None:
            self.model.set_query(None)
            return
        pk, sku = self.current.pk, self.sku.text().strip() or None
        self.states.empty_hint = f"SKU “{sku}”" if sku else ""

        kind = self.kind

        def fetch(page: int, limit: int, ordering: str | None) -> Awaitable[Page[Any]]:
            return self.session.run(
                lambda c: c.contents(kind).list(pk, product_sku=sku, page=page, limit=limit)
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
        if self.model.state is LoadState.LOADING and not self.model.rows:
            self.count.setText("Loading…")
        else:
            self.count.setText(f"{local_integer(self.model.total)} {self.words.row_plural}")

    def _export(self) -> None:
        if self.current is not None:
            self.exporter.ask(f"{self.current.name}.xlsx")

    def _close(self) -> None:
        self.current = None
        self.model.set_query(None)
        self.hide()
        self.closed.emit()
