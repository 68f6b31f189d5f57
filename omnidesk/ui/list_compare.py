"""Two lists of one kind side by side: the same SKU, this list's value, the other's, the
difference (never across two currencies)."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from omnidesk import kinds
from omnidesk.api import AnyList, ListKind, OmnitronClient, OmnitronError
from omnidesk.api.session import Session
from omnidesk.i18n import N_, _, n_
from omnidesk.imports import fetch_current
from omnidesk.imports.side_by_side import Presence, SideBySide, side_by_side
from omnidesk.spreadsheet import ValueKind, schema_for

from .formatting import local_decimal, local_integer, signed_percent
from .import_wizard.models import EMPTY
from .style import Tone, mark
from .table_models import RIGHT, AnyIndex, FixedColumnsModel, problem_colour
from .tasks import BackgroundTasks
from .widgets import DataTable


def _shown(value: Any) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, Decimal):
        return local_decimal(value)
    if isinstance(value, int):
        return local_integer(value)
    return str(value)


class SideBySideModel(FixedColumnsModel):
    COLUMNS = (N_("SKU"), N_("This list"), N_("The other list"), N_("Difference"), "%")
    SKU, HERE, THERE, DIFFERENCE, PERCENT = range(len(COLUMNS))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[SideBySide] = []

    def show_rows(self, rows: list[SideBySide]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self.rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.UserRole:  # sorting
            return self._key(row, column)
        odd = row.presence is not Presence.BOTH or row.currencies_differ
        if odd and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            return problem_colour(Tone.WARNING, role)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.SKU:
            return RIGHT
        return None

    def _text(self, row: SideBySide, column: int) -> str:
        if column == self.SKU:
            return row.sku
        if column == self.HERE:
            return (
                _("not in this list") if row.presence is Presence.ONLY_THERE else _shown(row.here)
            )
        if column == self.THERE:
            return _("not in it") if row.presence is Presence.ONLY_HERE else _shown(row.there)
        if row.currencies_differ:
            return _("currencies differ")
        if column == self.DIFFERENCE:
            whole = isinstance(row.here, int) and isinstance(row.there, int)
            return EMPTY if row.difference is None else _signed(row.difference, whole)
        return EMPTY if row.percent is None else signed_percent(row.percent)

    def _key(self, row: SideBySide, column: int) -> Any:
        none = Decimal("-Infinity")
        if column == self.SKU:
            return row.sku.casefold()
        if column == self.HERE:
            return Decimal(row.here) if isinstance(row.here, Decimal | int) else none
        if column == self.THERE:
            return Decimal(row.there) if isinstance(row.there, Decimal | int) else none
        if column == self.DIFFERENCE:
            return row.difference if row.difference is not None else none
        return row.percent if row.percent is not None else none


def _signed(value: Decimal, whole: bool) -> str:
    text = local_integer(int(abs(value))) if whole else local_decimal(abs(value))
    return ("+" if value > 0 else "−" if value < 0 else "") + text


class Shown(QSortFilterProxyModel):
    """Every SKU, those that differ, or those only in one of the lists."""

    def __init__(self, source: SideBySideModel) -> None:
        super().__init__()
        self.setSourceModel(source)
        self.source = source
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.only: str = "all"

    def show_only(self, only: str) -> None:
        self.beginFilterChange()
        self.only = only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        role = Qt.ItemDataRole.UserRole
        a, b = self.source.data(left, role), self.source.data(right, role)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        row = self.source.rows[source_row]
        if self.only == "different":
            return row.differs
        if self.only == "here":
            return row.presence is Presence.ONLY_HERE
        if self.only == "there":
            return row.presence is Presence.ONLY_THERE
        return True


class CompareDialog(QDialog):
    """This list beside another of its kind, for one field at a time."""

    def __init__(
        self,
        kind: ListKind,
        session: Session,
        tasks: BackgroundTasks,
        this: AnyList,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind, self.session, self.tasks, this_list = kind, session, tasks, this
        self.this = this_list
        self.words = kinds.info(kind)
        self.setWindowTitle(_("Compare “{name}” with another {noun}").format(
            name=this.name, noun=self.words.noun
        ))  # fmt: skip
        self.resize(900, 600)
        self.values: dict[int, dict[str, dict[str, Any]]] = {}  # list pk → its values
        self.other = QComboBox()
        self.other.setMinimumWidth(280)
        self.other.addItem(_("Loading lists…"), None)
        self.field = QComboBox()
        for spec in schema_for(kind).compared:
            if spec.type in (ValueKind.MONEY, ValueKind.PERCENT, ValueKind.WHOLE):
                self.field.addItem(_(spec.label), spec.name)
        self.field.setCurrentIndex(max(0, self.field.findData(self.words.main_field)))
        self.only = QComboBox()
        for words, key in (
            (_("Every SKU"), "all"),
            (_("Only those that differ"), "different"),
            (_("Only in this list"), "here"),
            (_("Only in the other list"), "there"),
        ):
            self.only.addItem(words, key)
        self.summary = QLabel()
        self.summary.setObjectName("compareSummary")
        self.summary.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        mark(self.problem, Tone.ERROR)
        self.problem.hide()  # shown with its words: empty, it would push the table down
        self.model = SideBySideModel(self)
        self.shown = Shown(self.model)
        self.table = DataTable()
        self.table.setModel(self.shown)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(SideBySideModel.SKU, Qt.SortOrder.AscendingOrder)
        for column, width in enumerate((160, 150, 150, 130, 80)):
            self.table.setColumnWidth(column, width)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Beside")))
        top.addWidget(self.other, 1)
        top.addWidget(self.field)
        top.addWidget(self.only)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.other.currentIndexChanged.connect(self._other_chosen)
        self.field.currentIndexChanged.connect(self._show)
        self.only.currentIndexChanged.connect(lambda: self.shown.show_only(self.only.currentData()))
        self._jobs: set[asyncio.Task[None]] = set()
        self._start(self._load_lists())

    def _start(self, job: Any) -> None:
        task = self.tasks.start(job)
        self._jobs.add(task)
        task.add_done_callback(self._jobs.discard)

    def done(self, result: int) -> None:
        for job in list(self._jobs):
            job.cancel()  # they would touch widgets that are about to go
        super().done(result)

    async def _load_lists(self) -> None:
        rows: list[AnyList] = []

        async def every(client: OmnitronClient) -> None:
            rows.clear()
            async for row in client.lists(self.kind).iterate(ordering="name"):
                rows.append(row)

        try:
            await self.session.run(every)
        except OmnitronError as problem:
            self.problem.setText(str(problem))
            self.problem.show()
            return
        self.other.blockSignals(True)
        self.other.clear()
        self.other.addItem(_("Choose a list…"), None)
        for row in rows:
            if row.pk != self.this.pk:
                suffix = f"  ({row.code})" if row.code else ""
                self.other.addItem(f"{row.name}{suffix}", row)
        self.other.blockSignals(False)

    def choose(self, pk: int) -> None:
        """As if the person had chosen that list in the box."""
        for position in range(self.other.count()):
            row = self.other.itemData(position)
            if row is not None and row.pk == pk:
                self.other.setCurrentIndex(position)
                return

    @property
    def chosen(self) -> AnyList | None:
        row = self.other.currentData()
        return row if row is not None and hasattr(row, "pk") else None

    def _other_chosen(self) -> None:
        if self.chosen is not None:
            self._start(self.compare())

    async def compare(self) -> None:
        other = self.chosen
        if other is None:
            return
        self.problem.setText("")
        self.problem.hide()
        self.summary.setText(_("Reading both lists…"))
        try:
            for row in (self.this, other):
                if row.pk not in self.values:
                    self.values[row.pk] = await self._read(row.pk)
        except OmnitronError as problem:
            self.summary.setText("")
            self.problem.setText(str(problem))
            self.problem.show()
            return
        if self.chosen is other:
            self._show()

    async def _read(self, pk: int) -> dict[str, dict[str, Any]]:
        return await self.session.run(lambda c: fetch_current(c, self.kind, pk))

    @property
    def ready(self) -> bool:
        other = self.chosen
        return other is not None and self.this.pk in self.values and other.pk in self.values

    def _show(self) -> None:
        other = self.chosen
        if other is None or not self.ready:
            return
        field = self.field.currentData()
        rows = side_by_side(field, self.values[self.this.pk], self.values[other.pk])
        self.model.show_rows(rows)
        both = sum(1 for r in rows if r.presence is Presence.BOTH)
        differ = sum(1 for r in rows if r.presence is Presence.BOTH and r.differs)
        here = sum(1 for r in rows if r.presence is Presence.ONLY_HERE)
        there = len(rows) - both - here
        self.summary.setText(
            n_("{both} SKU in both lists, {differ} of them differ;",
               "{both} SKUs in both lists, {differ} of them differ;", both
            ).format(both=local_integer(both), differ=local_integer(differ))
            + " "
            + _("{here} only in “{this}”, {there} only in “{other}”.").format(
                here=local_integer(here), this=self.this.name,
                there=local_integer(there), other=other.name,
            )
        )  # fmt: skip
