"""The outcome of a check: counts, findings, and the usable rows in a compact form.

``CheckResult`` is what ``check_rows`` returns and what the writers, the import
workflow and the command line read. Its usable rows are packed (``GoodRows``)
and handed out as ``CleanRow`` objects with ``Decimal`` amounts only when asked
for, so that a million-row file stays within its memory budget.
"""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass, field
from decimal import Decimal
from typing import overload

from omnidesk.kinds import ListKind, info

from .cell_checks import CENT
from .findings import Finding
from .header import ColumnMapping
from .numbers import DecimalStyle, plain_decimal
from .schema import SKU_FIELD, ValueKind, schema_for

CleanValue = str | int | Decimal | None
"""A checked value: ``str`` for codes and choices, ``Decimal`` for money and rates, ``int``."""


@dataclass(frozen=True, slots=True)
class CleanRow:
    """A usable row with its values converted to what the server expects."""

    row: int
    values: dict[str, CleanValue]
    # The currency of a sign on the row's amounts (₺, $, "TL"…) when the row names no
    # currency_type: the file says which money it means, and only the list can tell
    # whether that is the list's own (imports.diff compares them).
    currency_sign: str | None = None


def upload_text(value: CleanValue, value_type: ValueKind) -> str:
    """How a checked value is written into the upload file: ``1234.50``, never ``1.234,50``."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if value_type is ValueKind.MONEY:
            return format(value.quantize(CENT), "f")
        return plain_decimal(value)
    return str(value)


StoredValue = CleanValue | float
"""A value as a checked row stores it: a ``CleanValue``, or a float for an amount."""


@overload
def as_decimal(value: None) -> None: ...
@overload
def as_decimal(value: str | int | Decimal | float) -> Decimal: ...
def as_decimal(value: StoredValue) -> Decimal | None:
    """A stored amount as ``Decimal``: checked rows keep floats and text to stay small."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


class GoodRows:
    """Usable rows, packed into one flat list.

    A million rows kept as a million tuples would cost some 80 MB more, and the
    1,000,000-row check has to stay within 400 MB.
    """

    __slots__ = ("flat", "numbers", "width")

    def __init__(self, width: int) -> None:
        self.width = width
        self.numbers: array[int] = array("I")
        self.flat: list[StoredValue] = []

    def __len__(self) -> int:
        return len(self.numbers)

    def __iter__(self) -> Iterator[tuple[int, list[StoredValue]]]:
        width, flat = self.width, self.flat
        for index, number in enumerate(self.numbers):
            yield number, flat[index * width : (index + 1) * width]

    def column(self, position: int) -> list[StoredValue]:
        return self.flat[position :: self.width]

    def merge(self, extra: list[tuple[int, list[StoredValue]]]) -> None:
        """Add rows settled late, keeping sheet order."""
        merged = sorted([*self, *extra], key=lambda entry: entry[0])
        self.numbers = array("I", (number for number, _ in merged))
        self.flat = [value for _, values in merged for value in values]


@dataclass
class CheckResult:
    """What the check found, in row order, and the rows that can be uploaded.

    Counts: ``rows`` = ``valid_rows`` + ``error_rows``; ``warning_rows`` are valid
    rows with at least one warning. Rows that are entirely empty are not counted.
    """

    kind: ListKind
    mapping: ColumnMapping
    header_row: int
    rows: int
    valid_rows: int
    error_rows: int
    warning_rows: int
    findings: list[Finding]
    notes: list[str]
    decimal_styles: dict[str, DecimalStyle | None]
    upload_fields: tuple[str, ...]
    file: str | None = None
    sheet: str | None = None
    _good: GoodRows = field(default_factory=lambda: GoodRows(0), repr=False)
    _replaced: set[int] = field(default_factory=set, repr=False)
    _signs: dict[int, str] = field(default_factory=dict, repr=False)  # row → currency_sign
    # row → the SKU to send instead of the file's (the catalogue's, chosen by the person).
    _skus: Mapping[int, str] = field(default_factory=dict, repr=False)

    @property
    def all_rows_usable(self) -> bool:
        return self.error_rows == 0 and self.rows > 0

    def _kept(self) -> Iterator[tuple[int, list[StoredValue]]]:
        replaced = self._replaced
        for number, values in self._good:
            if number not in replaced:
                yield number, values

    def good_rows(self) -> Iterator[CleanRow]:
        """Usable rows in sheet order; of rows sharing a SKU only the last is given.

        Values are typed: ``str`` SKUs and choices, ``Decimal`` amounts and rates,
        ``int`` quantities, ``None`` where the file left an optional cell empty.
        """
        names = self.upload_fields
        amounts = self._amount_positions()
        signs, skus = self._signs, self._skus
        for number, values in self._kept():
            # The floats among them are amounts, made Decimal just below.
            typed: list[CleanValue] = list(values)  # type: ignore[arg-type]
            for position in amounts:
                typed[position] = as_decimal(values[position])
            row = dict(zip(names, typed, strict=True))
            if skus and number in skus:
                row[SKU_FIELD] = skus[number]
            yield CleanRow(number, row, signs.get(number))

    def with_skus(self, skus: Mapping[int, str]) -> CheckResult:
        """The same check, its rows sending these SKUs (sheet row → SKU) instead of the
        file's: the catalogue's, where the file's was mangled. The file stays as it is."""
        return dataclasses.replace(self, _skus=dict(skus))

    @property
    def replaced_skus(self) -> Mapping[int, str]:
        """Sheet row → the SKU sent instead of the file's (``with_skus``)."""
        return self._skus

    def _amount_positions(self) -> list[int]:
        schema = schema_for(self.kind)
        return [
            i
            for i, name in enumerate(self.upload_fields)
            if schema.field(name).type in (ValueKind.MONEY, ValueKind.PERCENT)
        ]

    def upload_rows(self) -> Iterator[list[str]]:
        """The good rows as upload-file text, in ``upload_fields`` order."""
        for _, texts in self.numbered_upload_rows():
            yield texts

    def numbered_upload_rows(self, skip: Set[int] = frozenset()) -> Iterator[tuple[int, list[str]]]:
        """(sheet row, upload-file text) of the good rows not in ``skip``.

        The row numbers let the server's errors, which name lines of the uploaded
        file, be told against the rows of the person's own sheet.
        """
        schema = schema_for(self.kind)
        columns = [(name, schema.field(name).type) for name in self.upload_fields]
        for row in self.good_rows():
            if row.row not in skip:
                yield row.row, [upload_text(row.values[name], type_) for name, type_ in columns]

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "kind": info(self.kind).word,
            "rows": self.rows,
            "valid_rows": self.valid_rows,
            "error_rows": self.error_rows,
            "warning_rows": self.warning_rows,
            "columns": self.mapping.as_dict(),
            # Notes say what the findings alone do not: that the list was cut off,
            # that title rows were skipped, that a column was ignored.
            "notes": list(self.notes),
            "findings": [f.as_dict() for f in self.findings],
        }
