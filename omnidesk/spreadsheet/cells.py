"""Cell values as readers deliver them, and how a cell becomes text without damage."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

# Below 2**53 every integer is exact in a float, so ``int(value)`` gives the digits typed.
_EXACT_FLOAT_INT = 2**53


class UncalculatedFormula:
    """A formula cell whose file holds no calculated value.

    Programs that write .xlsx files (openpyxl, many exports) store the formula and
    leave computing it to Excel; until someone opens and saves the file in Excel,
    there is no value to check or upload. calamine reads such a cell as empty.
    """

    __slots__ = ("formula",)

    def __init__(self, formula: str) -> None:
        self.formula = formula  # without the "=", possibly "" (a shared formula's copy)

    def __eq__(self, other: object) -> bool:
        return type(other) is UncalculatedFormula and other.formula == self.formula

    def __hash__(self) -> int:
        return hash(("=", self.formula))

    def __repr__(self) -> str:
        return f"UncalculatedFormula({self.formula!r})"


CellValue = (
    str
    | UncalculatedFormula
    | int
    | float
    | bool
    | datetime.datetime
    | datetime.date
    | datetime.time
    | datetime.timedelta
    | None
)
"""What one cell holds: CSV cells are always ``str``; workbook cells keep Excel's type."""


class PercentCell(float):
    """A number the sheet shows as a percentage: 0.2 under the format ``0%`` shows 20%.

    Only the .xlsx reader knows cell formats, so only it makes these. Unequal to the
    plain float it holds, so the checker's per-value caches keep the two apart.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is PercentCell and float(self) == float(other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(("%", float(self)))

    def __repr__(self) -> str:
        return f"PercentCell({float(self)!r})"


class PaddedNumberCell(float):
    """A number shown with leading zeros: 98 under the format ``000000`` shows 000098.

    ERP codes lose their zeros when Excel takes them for numbers; the format is all
    that still says how the code looked.
    """

    __slots__ = ("digits",)
    digits: int

    def __new__(cls, value: float, digits: int) -> PaddedNumberCell:
        cell = super().__new__(cls, value)
        cell.digits = digits
        return cell

    @property
    def shown(self) -> str:
        """The text Excel shows for the cell."""
        value = float(self)
        if value.is_integer() and 0 <= value < _EXACT_FLOAT_INT:
            return str(int(value)).zfill(self.digits)
        return float_text(value)

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is PaddedNumberCell
            and float(self) == float(other)
            and self.digits == other.digits
        )

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(("0", float(self), self.digits))

    def __repr__(self) -> str:
        return f"PaddedNumberCell({float(self)!r}, {self.digits})"


@dataclass(slots=True)
class SheetRow:
    """One non-empty row: ``number`` is the 1-based row number the office suite shows."""

    number: int
    cells: Sequence[CellValue]

    def cell(self, index: int) -> CellValue:
        return self.cells[index] if index < len(self.cells) else None


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: CellValue) -> str:
    """The text a person would see for ``value``, with codes kept as typed.

    Excel stores a SKU typed as ``2015227`` as the float ``2015227.0`` and shows long
    codes in scientific notation; neither is what the person meant, so whole floats
    become their digits and nothing is ever written with an exponent.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, UncalculatedFormula):
        return "=" + value.formula  # what Excel's formula bar shows
    if isinstance(value, int):
        return str(value)
    if isinstance(value, PaddedNumberCell):
        return value.shown  # 000098, as Excel shows it and as it is uploaded
    if isinstance(value, PercentCell):
        percent = (Decimal(repr(float(value))) * 100).normalize()
        return f"{percent:f}%"  # 20%, 8.5%: what the sheet shows
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def float_text(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer() and abs(value) < _EXACT_FLOAT_INT:
        return str(int(value))
    # repr() is the shortest text that reads back as the same float, i.e. what the
    # file stored; Decimal only spells it out without an exponent.
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text
