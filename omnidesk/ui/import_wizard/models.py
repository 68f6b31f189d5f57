"""The wizard's table models: the sheet itself, what would change, what went wrong.

All are virtual: a view asks only for the cells it shows, so a sheet of a
hundred thousand rows costs no more to display than one of a hundred.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QSortFilterProxyModel,
    Qt,
)

from omnidesk import kinds
from omnidesk.i18n import N_, _
from omnidesk.imports import Change, ChangeKind, RowProblem
from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import Finding, Severity, SheetRow, cell_text

from ..formatting import local_decimal, signed_percent
from ..style import Tone
from ..table_models import RIGHT, AnyIndex, FixedColumnsModel, problem_colour

_COLOUR_ROLES = (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole)
# What ChangesModel.data answers; a view asks every cell for some seven roles as it
# paints (font, decoration, check state…), and the rest are answered None at once.
_CHANGE_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        *_COLOUR_ROLES,
    )
)


class PreviewModel(QAbstractTableModel):
    """The sheet's data rows with their own row numbers; problem cells coloured."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.headers: list[str] = []
        self.rows: list[SheetRow] = []
        self.problems: dict[int, dict[int | None, list[Finding]]] = {}
        # A problem with the file as a whole (a required column missing) is every row's.
        self.whole_file_problem: str | None = None
        self.width = 0

    def show_rows(self, headers: Sequence[str], rows: Sequence[SheetRow]) -> None:
        self.beginResetModel()
        self.headers = list(headers)
        self.rows = list(rows)
        self.width = max([len(self.headers), *(len(r.cells) for r in self.rows[:200])], default=0)
        self.problems = {}
        self.whole_file_problem = None
        self.endResetModel()

    def add_rows(self, rows: Sequence[SheetRow]) -> None:
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def show_findings(
        self, findings: Sequence[Finding], whole_file_problem: str | None = None
    ) -> None:
        self.whole_file_problem = whole_file_problem
        problems: dict[int, dict[int | None, list[Finding]]] = {}
        for finding in findings:
            problems.setdefault(finding.row, {}).setdefault(finding.column_index, []).append(
                finding
            )
        self.problems = problems
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, self.columnCount() - 1)
            )

    def column_texts(self, rows: int) -> list[list[str]]:
        """What each column shows in the first ``rows`` rows, the row number first."""
        first = self.rows[:rows]
        numbers = [str(row.number) for row in first]
        cells = [
            [cell_text(row.cells[column]) if column < len(row.cells) else "" for row in first]
            for column in range(self.width)
        ]
        return [numbers, *cells]

    def row_has_problem(self, position: int) -> bool:
        return self.whole_file_problem is not None or self.rows[position].number in self.problems

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.width + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column() - 1  # column 0 is the sheet's row number
        findings = self.problems.get(row.number, {})
        here = findings.get(column, []) if column >= 0 else findings.get(None, [])
        if column < 0 and self.whole_file_problem is not None:
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.whole_file_problem
            if (colour := problem_colour(Tone.ERROR, role)) is not None:
                return colour
        if role == Qt.ItemDataRole.DisplayRole:
            if column < 0:
                return str(row.number)
            return cell_text(row.cells[column]) if column < len(row.cells) else ""
        if here and role in _COLOUR_ROLES:
            errors = any(f.severity is Severity.ERROR for f in here)
            return problem_colour(Tone.ERROR if errors else Tone.WARNING, role)
        if role == Qt.ItemDataRole.ToolTipRole and here:
            return "\n".join(f.message for f in here)
        if role == Qt.ItemDataRole.TextAlignmentRole and column < 0:
            return RIGHT
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return _("Row")
        position = section - 1
        if position < len(self.headers):
            return self.headers[position]
        return _("Column {number}").format(number=section)


class ProblemRowsOnly(QSortFilterProxyModel):
    """Shows every row, or only the rows with a finding."""

    def __init__(self, source: PreviewModel) -> None:
        super().__init__()
        self.setSourceModel(source)
        self.source = source
        self.only_problems = False

    def set_only_problems(self, only: bool) -> None:
        self.beginFilterChange()
        self.only_problems = only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        return not self.only_problems or self.source.row_has_problem(source_row)


EMPTY = "—"  # an empty value, told from a value that is blank


def _shown(value: Any) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, Decimal):
        return local_decimal(value)
    return str(value)


FIELD_WORDS = {
    "price": N_("price"),
    "retail_price": N_("retail"),
    "tax_rate": N_("tax"),
    "currency_type": N_("currency"),
    "stock": N_("stock"),
    "unit_type": N_("unit"),
    "sold_quantity_unreported": N_("unreported sold"),
}


class ChangesModel(FixedColumnsModel):
    """What the import would do, row by row: new, changed (old → new, %), not in catalogue.

    It sorts itself (``sort``): a Python sort by key takes milliseconds where a proxy
    comparing a hundred thousand rows pairwise through ``data()`` takes seconds.
    """

    COLUMNS = (
        N_("Row"),
        N_("SKU"),
        N_("Change"),
        N_("Now"),
        N_("After import"),
        N_("Price/stock change"),
    )
    ROW, SKU, CHANGE, NOW, AFTER, PERCENT = range(len(COLUMNS))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.changes: list[Change] = []
        self.flagged: dict[int, str] = {}  # sheet row → guardrail message
        self.kind: ListKind | None = None  # whose value the percentage is: its title

    def show_changes(
        self, changes: Sequence[Change], flagged: dict[int, str], kind: ListKind | None = None
    ) -> None:
        self.beginResetModel()
        self.changes = list(changes)
        self.flagged = flagged
        self.kind = kind
        self.endResetModel()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            section == self.PERCENT
            and self.kind is not None
            and orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return kinds.info(self.kind).change_title
        return super().headerData(section, orientation, role)

    def _row_count(self) -> int:
        return len(self.changes)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = _CHANGE_SORT_KEYS.get(column)
        if key is None:
            return
        self.layoutAboutToBeChanged.emit()
        self.changes.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _CHANGE_ROLES:
            return None
        change = self._change_at(index)
        return None if change is None else self._answer(change, index.column(), role)

    def multiData(self, index: AnyIndex, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:
        """Every role a view asks of a cell as it paints it, in one call.

        A view asks each cell for some seven roles; through ``data()`` each is a call
        from C++ into Python, here the cell pays one, and its change is looked up once.
        """
        change = self._change_at(index)
        if change is None:
            return
        column = index.column()
        # A span, as views pass it, iterates its roles; PySide's stubs do not say so.
        for asked in cast(Iterable[QModelRoleData], roleDataSpan):
            role = asked.role()
            if role in _CHANGE_ROLES:
                asked.setData(self._answer(change, column, role))

    def _change_at(self, index: AnyIndex) -> Change | None:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self.changes):
            return None
        return self.changes[row]

    def _answer(self, change: Change, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._text(change, column)
            if role == Qt.ItemDataRole.DisplayRole:
                return text
            # What the catalogue said of the SKU ("did you mean 018299?"), the guardrail's
            # words, or the whole text where a narrow column cuts it off.
            said = [words for words in (change.finding, self.flagged.get(change.row)) if words]
            if said:
                return "\n".join(said)
            return text if column in (self.NOW, self.AFTER) else None
        if role in _COLOUR_ROLES:
            if change.kind is ChangeKind.NOT_IN_CATALOGUE:
                return problem_colour(Tone.ERROR, role)
            if change.row in self.flagged:
                return problem_colour(Tone.WARNING, role)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            self.ROW,
            self.NOW,
            self.AFTER,
            self.PERCENT,
        ):
            return RIGHT
        return None

    def _text(self, change: Change, column: int) -> str:
        if column == self.ROW:
            return str(change.row)
        if column == self.SKU:
            # The SKU meant, beside the file's: "18299 → 018299?" (the tooltip says it all).
            return f"{change.sku} → {change.meant}?" if change.meant else change.sku
        if column == self.CHANGE:
            return change.kind.words
        if column in (self.NOW, self.AFTER):
            if column == self.NOW and not change.old:
                return EMPTY
            values = change.old if column == self.NOW else change.new
            return " · ".join(
                f"{_(FIELD_WORDS[name]) if name in FIELD_WORDS else name} "
                f"{_shown(values.get(name))}"
                for name in change.differing
            )
        if change.currency_changes:
            return _("currency changes")
        percent = change.percent
        return EMPTY if percent is None else signed_percent(percent)


# None sorts after every number, whichever way: a change with no percentage is no extreme.
_NO_PERCENT = Decimal("Infinity")
_CHANGE_SORT_KEYS: dict[int, Callable[[Change], Any]] = {
    ChangesModel.ROW: lambda change: change.row,
    ChangesModel.SKU: lambda change: change.sku.casefold(),
    ChangesModel.CHANGE: lambda change: change.kind.value,
    ChangesModel.NOW: lambda change: _main_value(change.old, change),
    ChangesModel.AFTER: lambda change: _main_value(change.new, change),
    ChangesModel.PERCENT: lambda change: (
        change.percent if change.percent is not None else _NO_PERCENT
    ),
}


def _main_value(values: dict[str, Any], change: Change) -> Decimal:
    value = values.get(change.main_field)
    return Decimal(value) if isinstance(value, int | float | Decimal) else _NO_PERCENT


class ChangesShown(QSortFilterProxyModel):
    """The changes of one kind, or those behind a guardrail; sorting is the model's own."""

    BEHIND_A_GUARDRAIL = "guardrail"

    def __init__(self, source: ChangesModel) -> None:
        super().__init__()
        self.setSourceModel(source)
        self.source = source
        self.shown: ChangeKind | str | None = None
        self.setDynamicSortFilter(False)

    def show_only(self, shown: ChangeKind | str | None) -> None:
        self.beginFilterChange()
        self.shown = shown
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.source.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        change = self.source.changes[source_row]
        if self.shown is None:
            return True
        if self.shown == self.BEHIND_A_GUARDRAIL:
            return change.row in self.source.flagged
        return change.kind is self.shown


class ProblemsModel(FixedColumnsModel):
    """The rows the server refused (and the check left out), by the person's own row."""

    COLUMNS = (N_("Row"), N_("Column"), N_("Problem"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.problems: list[RowProblem] = []

    def show_problems(self, problems: Sequence[RowProblem]) -> None:
        self.beginResetModel()
        self.problems = list(problems)
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self.problems)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.problems):
            return None
        problem = self.problems[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                "" if problem.row is None else str(problem.row),
                problem.column or "",
                problem.message,
            )[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return RIGHT
        return None
