"""The wizard's table models: the sheet itself, what would change, what went wrong.

All are virtual: a view asks only for the cells it shows, so a sheet of a
hundred thousand rows costs no more to display than one of a hundred.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from omnidesk.imports import Change, ChangeKind, RowProblem
from omnidesk.spreadsheet import Finding, Severity, SheetRow, cell_text

from ..formatting import local_decimal
from ..style import Tone
from ..table_models import RIGHT, AnyIndex, FixedColumnsModel, problem_colour

_COLOUR_ROLES = (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole)


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
            return "Row"
        position = section - 1
        return self.headers[position] if position < len(self.headers) else f"Column {section}"


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


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return local_decimal(value)
    return str(value)


FIELD_WORDS = {
    "price": "price",
    "retail_price": "retail",
    "tax_rate": "tax",
    "currency_type": "currency",
    "stock": "stock",
    "unit_type": "unit",
    "sold_quantity_unreported": "unreported sold",
}


class ChangesModel(FixedColumnsModel):
    """What the import would do, row by row: new, changed (old → new, %), not in catalogue."""

    COLUMNS = ("Row", "SKU", "Change", "Now", "After import", "Price/stock change")
    ROW, SKU, CHANGE, NOW, AFTER, PERCENT = range(len(COLUMNS))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.changes: list[Change] = []
        self.flagged: dict[int, str] = {}  # sheet row → guardrail message

    def show_changes(self, changes: Sequence[Change], flagged: dict[int, str]) -> None:
        self.beginResetModel()
        self.changes = list(changes)
        self.flagged = flagged
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self.changes)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.changes):
            return None
        change = self.changes[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.ROW:
                return str(change.row)
            if column == self.SKU:
                return change.sku
            if column == self.CHANGE:
                return change.kind.value
            if column in (self.NOW, self.AFTER):
                values = change.old if column == self.NOW else change.new
                if column == self.NOW and not change.old:
                    return ""
                return " · ".join(
                    f"{FIELD_WORDS.get(name, name)} {_shown(values.get(name))}"
                    for name in change.differing
                )
            percent = change.percent
            if percent is None:
                return ""
            return f"{'+' if percent > 0 else ''}{local_decimal(percent, 1)} %"
        if role in _COLOUR_ROLES:
            if change.kind is ChangeKind.NOT_IN_CATALOGUE:
                return problem_colour(Tone.ERROR, role)
            if change.row in self.flagged:
                return problem_colour(Tone.WARNING, role)
        if role == Qt.ItemDataRole.ToolTipRole and change.row in self.flagged:
            return self.flagged[change.row]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            self.ROW,
            self.NOW,
            self.AFTER,
            self.PERCENT,
        ):
            return RIGHT
        return None


class ChangeKindFilter(QSortFilterProxyModel):
    def __init__(self, source: ChangesModel) -> None:
        super().__init__()
        self.setSourceModel(source)
        self.source = source
        self.kind: ChangeKind | None = None

    def set_kind(self, kind: ChangeKind | None) -> None:
        self.beginFilterChange()
        self.kind = kind
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        return self.kind is None or self.source.changes[source_row].kind is self.kind


class ProblemsModel(FixedColumnsModel):
    """The rows the server refused (and the check left out), by the person's own row."""

    COLUMNS = ("Row", "Column", "Problem")

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
