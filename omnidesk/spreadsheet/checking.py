"""Checking rows against a column schema, one batch at a time.

``RowChecker`` takes rows as they stream in (a Qt worker can feed it batches and
report progress between them) and ``finish()`` returns a ``CheckResult``. Values
whose decimal convention is unclear (``1,234``) wait until the whole column has
been seen, because the column decides what they mean.
"""

from __future__ import annotations

import datetime
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import chain, islice, repeat
from typing import Any

from omnidesk.kinds import ListKind, info

from .cells import CellValue, PaddedNumberCell, PercentCell, SheetRow, cell_text, float_text
from .errors import EmptyFile, HeaderOnly
from .header import ColumnMapping, find_header, headers_of, match_columns
from .numbers import DecimalStyle, DecimalStyleVote, NumberReading, plain_decimal, read_number
from .schema import (
    CHOICE_ALIASES,
    SKU_FIELD,
    Field,
    Schema,
    ValueKind,
    schema_for,
)
from .sheet import Spreadsheet

CleanValue = str | int | Decimal | None
"""A checked value: ``str`` for codes and choices, ``Decimal`` for money and rates, ``int``."""


class Severity(StrEnum):
    ERROR = "error"  # the row cannot be uploaded
    WARNING = "warning"  # the row is uploaded, but the person should look at it


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, placed where the office suite shows it.

    ``row`` is the sheet's 1-based row number; ``column`` the header as written in
    the file (``None`` for a problem with the whole row or file); ``column_index``
    the 0-based column, for highlighting the cell.
    """

    row: int
    column: str | None
    severity: Severity
    message: str
    field: str | None = None
    column_index: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "severity": str(self.severity),
            "message": self.message,
        }


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
            return format(value.quantize(_CENT), "f")
        return plain_decimal(value)
    return str(value)


_CENT = Decimal("0.01")
# Omnitron stores amounts as DecimalField(max_digits=12, decimal_places=2): at most 10
# digits before the point (the sandbox does the same). Below that, every amount with
# two places has at most 12 significant digits, which a float holds exactly.
_MAX_AMOUNT = Decimal(10) ** 10
_LARGEST_AMOUNT = 9_999_999_999.99
_MAX_WHOLE_DIGITS = 10
# What Excel writes for a long number it shows in scientific notation: always "E+".
# Codes such as 1E5 or 12E3456 (no sign) are real codes and pass.
_SCIENTIFIC = re.compile(r"[0-9](?:[.,][0-9]+)?[eE]\+[0-9]+")
_CACHE_LIMIT = 20_000
# Excel keeps 15 significant digits of a number: a code typed as a number with more
# has lost its last digits (they read as zeros) before OmniDesk ever sees it.
_EXCEL_EXACT_DIGITS_LIMIT = 1e15
_SAME_CURRENCY = {"tr": "try", "eu": "eur"}  # the server's two spellings of each
# A wrongly mapped column makes every row fail; listing a million findings would
# cost hundreds of megabytes and help nobody. Counts stay exact beyond this.
MAX_FINDINGS = 100_000
_FLOAT_EXACT = Decimal(10) ** 12
# Whole numbers and amounts with one or two decimals mean the same under either
# convention; most cells of a real file look like this and skip the full parser.
_SIMPLE_AMOUNT = re.compile(r"([0-9]+)(?:([.,])([0-9]{1,2}))?")
_STYLE_OF_MARK = {".": DecimalStyle.POINT, ",": DecimalStyle.COMMA}
_FAST_CODE, _FAST_AMOUNT, _FAST_WHOLE = "code", "amount", "whole"

_SLOW = object()  # a cell the column-wise pass leaves to the row loop

# _whole_cents: for 0 <= x <= 1e12, ``int(x * 100 + 0.5) / 100 == x`` holds exactly when
# x is the float nearest to some amount with at most 2 decimal places: the rounding
# error of x * 100 stays far below 0.5 there, and dividing the whole number of cents
# by 100 gives the nearest float to that amount. It is two to three times cheaper
# than round(x, 2) or repr(), which matters on a million prices.


def _slow_rows(columns: list[list[Any]], count: int) -> list[int]:
    """Positions of rows with at least one cell the column-wise pass could not settle."""
    marked: set[int] = set()
    for values in columns:
        if _SLOW in values:
            marked.update(i for i, value in enumerate(values) if value is _SLOW)
    return sorted(marked)


# A converter turns a cell into one of these: (_OK, value), (_BAD, message), or
# (_WAIT, reading) for a number whose meaning the column decides.
_OK, _BAD, _WAIT = 0, 1, 2
Outcome = tuple[int, Any]
_EMPTY: Outcome = (_OK, None)


def _quoted(value: CellValue) -> str:
    text = cell_text(value).strip()
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


class _Column:
    """Converts and checks the cells of one mapped column.

    ``convert`` remembers outcomes per distinct cell value (``cache``): price and
    stock files repeat the same few tax rates, currencies and quantities, and the
    check of a large file is dominated by them.
    """

    def __init__(self, spec: Field, index: int, header: str) -> None:
        self.spec = spec
        self.index = index
        self.header = header
        self.vote = DecimalStyleVote()
        self.cache: dict[CellValue, Outcome] = {}
        # Currencies whose sign (“$12”) appeared in this column; rows are then compared
        # with their currency. A set, not per text: a million “₺” prices must stay cheap.
        self.marks: set[str] = set()
        self.convert: Callable[[CellValue], Outcome] = {
            ValueKind.CODE: self._code,
            ValueKind.MONEY: self._number,
            ValueKind.PERCENT: self._number,
            ValueKind.WHOLE: self._number,
            ValueKind.CHOICE: self._choice,
            ValueKind.INFO: self._info,
        }[spec.type]
        self._aliases = CHOICE_ALIASES.get(spec.name, {})
        self.fast = {
            ValueKind.CODE: _FAST_CODE,
            ValueKind.MONEY: _FAST_AMOUNT,
            ValueKind.PERCENT: _FAST_AMOUNT,
            ValueKind.WHOLE: _FAST_WHOLE,
        }.get(spec.type)
        # Larger values take the Decimal path, which says they are too large.
        self.upper = float(spec.maximum) if spec.maximum is not None else _LARGEST_AMOUNT

    def _remember(self, cell: CellValue, outcome: Outcome) -> Outcome:
        # True == 1 == 1.0 share a dict slot; booleans are never looked up or stored.
        if len(self.cache) < _CACHE_LIMIT and type(cell) is not bool:
            self.cache[cell] = outcome
        return outcome

    # -- codes --------------------------------------------------------------------------------
    def _code(self, cell: CellValue) -> Outcome:
        if type(cell) is str:
            text = cell.strip()
            if not text:
                return _EMPTY
            if "\n" in text:
                # No code spans lines: in a CSV a quote mark missing its partner makes the
                # rows after it one long cell, and this is where they ended up.
                lines = text.count("\n") + 1
                return (
                    _BAD,
                    f"{self.spec.label} “{text.splitlines()[0]}…” runs over {lines} lines: a "
                    'quote mark (") in the file is probably missing its partner, so the rows '
                    "after it were read into this cell. Fix the quote and save again.",
                )
            if _SCIENTIFIC.fullmatch(text):
                return (
                    _BAD,
                    f"{self.spec.label} “{text}” was shortened by Excel into scientific notation "
                    "and the real code is lost. Format the column as Text, type the codes "
                    "again and save.",
                )
            return (_OK, text)
        if isinstance(cell, bool):
            return (_BAD, f"{self.spec.label} is {_quoted(cell)}, not a code.")
        if isinstance(cell, float):
            if abs(cell) >= _EXCEL_EXACT_DIGITS_LIMIT:
                return (
                    _BAD,
                    f"{self.spec.label} {float_text(cell)} has more digits than Excel keeps "
                    "in a number (15), so the real code is lost. Format the column as Text, "
                    "type the codes again and save.",
                )
            if isinstance(cell, PaddedNumberCell):
                return (_OK, cell.shown)  # 98 formatted 000000 is the code 000098, as shown
            return (_OK, float_text(cell))
        if isinstance(cell, int):
            return (_OK, str(cell))
        if isinstance(cell, datetime.date | datetime.datetime):
            return (
                _BAD,
                f"{self.spec.label} {_quoted(cell)} was turned into a date by the spreadsheet "
                "program. Format the column as Text and type the code again.",
            )
        if cell is None:
            return _EMPTY
        return (_OK, cell_text(cell).strip() or None)

    # -- numbers ------------------------------------------------------------------------------
    def _number(self, cell: CellValue) -> Outcome:
        cell_type = type(cell)
        if isinstance(cell, PercentCell):
            return self._remember(cell, self._percent(cell))
        if cell_type is PaddedNumberCell:
            assert isinstance(cell, float)
            cell, cell_type = float(cell), float  # leading zeros mean nothing in an amount
        if cell_type is float:
            assert isinstance(cell, float)
            return self._remember(cell, self._float(cell))
        if cell_type is str:
            assert isinstance(cell, str)
            simple = _SIMPLE_AMOUNT.fullmatch(cell)
            if simple is not None:
                outcome, style = self._simple_text(*simple.groups())
            else:
                outcome, style = self._read_text(cell)
            # Presence is all the vote needs, so a remembered text need not vote again.
            self.vote.add(style)
            return self._remember(cell, outcome)
        if cell_type is int:
            assert isinstance(cell, int)
            return self._remember(cell, self.validate(Decimal(cell), cell))
        if cell is None:
            return _EMPTY
        if isinstance(cell, bool):
            return (_BAD, f"{self.spec.label} is {_quoted(cell)}, not a number.")
        return (_BAD, f"{self.spec.label} {_quoted(cell)} is a date or time, not a number.")

    def _float(self, cell: float) -> Outcome:
        """Excel's numbers: the common case settled on the float, the rest via Decimal."""
        if 0.0 <= cell <= self.upper:
            if self.spec.type is ValueKind.WHOLE:
                if cell.is_integer():
                    return (_OK, int(cell))
            else:
                # repr() is the shortest text giving this float back: the digits in the file.
                text = repr(cell)
                if "e" not in text and len(text) - text.index(".") <= 3:
                    return (_OK, cell)
        return self.validate(Decimal(repr(cell)), cell)

    def _percent(self, cell: PercentCell) -> Outcome:
        """A cell formatted as %: Excel stores 0.085 and shows 8.5%; the rate is what it shows."""
        # Via the float's shortest text, so 0.085 becomes exactly 8.5, not 8.500000000000002.
        percent = Decimal(repr(float(cell))) * 100
        shown = format(percent, "f")
        if "." in shown:
            shown = shown.rstrip("0").rstrip(".")
        shown += "%"
        if self.spec.type is not ValueKind.PERCENT:
            return (
                _BAD,
                f"{self.spec.label} {_quoted(shown)} is a percentage (the cell is formatted as %), "
                f"not {'an amount' if self.spec.type is ValueKind.MONEY else 'a quantity'}. "
                "Give the cell a number format and type the value itself.",
            )
        status, out = self.validate(percent, shown)
        if status == _OK and isinstance(out, Decimal) and abs(out) < _FLOAT_EXACT:
            return (_OK, float(out))  # checked to 2 places (see _simple_text)
        return (status, out)

    def _simple_text(
        self, whole: str, mark: str | None, fraction: str | None
    ) -> tuple[Outcome, DecimalStyle | None]:
        """``1234``, ``1234.5`` or ``1234,50``: one meaning whatever the convention."""
        style = None if mark is None else _STYLE_OF_MARK[mark]
        maximum = self.spec.maximum
        if len(whole) > _MAX_WHOLE_DIGITS or (maximum is not None and int(whole) > maximum):
            typed = whole if mark is None else f"{whole}{mark}{fraction}"
            return self.validate(Decimal(f"{whole}.{fraction or 0}"), typed), style
        if self.spec.type is ValueKind.WHOLE:
            if fraction is None or not fraction.strip("0"):
                return (_OK, int(whole)), style
            return self.validate(Decimal(f"{whole}.{fraction}"), f"{whole}{mark}{fraction}"), style
        if maximum is not None and int(whole) == maximum and fraction and fraction.strip("0"):
            return self.validate(Decimal(f"{whole}.{fraction}"), f"{whole}{mark}{fraction}"), style
        # At most 2 places and 12 digits: a float gives these digits back exactly (repr),
        # and takes a third of the memory of text or a Decimal.
        return (_OK, float(whole if fraction is None else f"{whole}.{fraction}")), style

    def _read_text(self, text: str) -> tuple[Outcome, DecimalStyle | None]:
        stripped = text.strip()
        if not stripped:
            return _EMPTY, None
        reading = read_number(stripped, percent_allowed=self.spec.type is ValueKind.PERCENT)
        if reading.currency is not None:
            self.marks.add(reading.currency)
        if reading.value is not None:
            status, out = self.validate(reading.value, stripped)
            if status == _OK and isinstance(out, Decimal) and abs(out) < _FLOAT_EXACT:
                # Checked to 2 places, so the float keeps the digits (see _simple_text).
                return (_OK, float(out)), reading.style
            return (status, out), reading.style
        if reading.ambiguous is not None:
            return (_WAIT, reading), None
        return (_BAD, f"{self.spec.label} {reading.problem}."), None

    def validate(self, value: Decimal, shown: CellValue) -> Outcome:
        spec = self.spec
        label = spec.label
        if not value.is_finite() or abs(value) >= _MAX_AMOUNT:
            return (
                _BAD,
                f"{label} {_quoted(shown)} is too large: at most {_MAX_WHOLE_DIGITS} digits "
                "before the decimal point.",
            )
        if value < spec.minimum:
            return (_BAD, f"{label} {_quoted(shown)} cannot be negative.")
        if spec.type is ValueKind.WHOLE:
            if value != value.to_integral_value():
                return (_BAD, f"{label} {_quoted(shown)} must be a whole number.")
            if spec.maximum is not None and value > spec.maximum:
                return (_BAD, f"{label} {_quoted(shown)} is above the maximum {spec.maximum:,}.")
            return (_OK, int(value))
        if spec.maximum is not None and value > spec.maximum:
            return (_BAD, f"{label} {_quoted(shown)} must be between 0 and {spec.maximum}.")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2 and value != value.quantize(_CENT):
            hint = (
                " Excel may show it rounded; round the value itself."
                if isinstance(shown, float)
                else ""
            )
            return (_BAD, f"{label} {_quoted(shown)} has more than 2 decimal places.{hint}")
        return (_OK, value)

    # -- choices and informational text -------------------------------------------------------
    def _choice(self, cell: CellValue) -> Outcome:
        if cell is None:
            return _EMPTY
        raw = cell if isinstance(cell, str) else cell_text(cell)
        text = raw.strip().casefold()
        if not text:
            outcome: Outcome = _EMPTY
        elif text in self.spec.choices:
            outcome = (_OK, text)
        elif text in self._aliases:
            outcome = (_OK, self._aliases[text])
        else:
            choices = self.spec.choices
            shown = ", ".join(choices[:8])
            if len(choices) > 8:
                shown += f" or one of {len(choices) - 8} more listed in the template"
            outcome = (_BAD, f"{self.spec.label} {_quoted(cell)} is not allowed; use {shown}.")
        return self._remember(cell, outcome)

    def _info(self, cell: CellValue) -> Outcome:
        return (_OK, cell_text(cell).strip() or None)


_StoredValue = CleanValue | float


def as_decimal(value: _StoredValue) -> Decimal | None:
    """A stored amount as ``Decimal``: checked rows keep floats and text to stay small."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


class _GoodRows:
    """Usable rows, packed into one flat list.

    A million rows kept as a million tuples would cost some 80 MB more, and the
    1,000,000-row check has to stay within 400 MB.
    """

    __slots__ = ("flat", "numbers", "width")

    def __init__(self, width: int) -> None:
        self.width = width
        self.numbers: array[int] = array("I")
        self.flat: list[_StoredValue] = []

    def __len__(self) -> int:
        return len(self.numbers)

    def __iter__(self) -> Iterator[tuple[int, list[_StoredValue]]]:
        width, flat = self.width, self.flat
        for index, number in enumerate(self.numbers):
            yield number, flat[index * width : (index + 1) * width]

    def column(self, position: int) -> list[_StoredValue]:
        return self.flat[position :: self.width]

    def merge(self, extra: list[tuple[int, list[_StoredValue]]]) -> None:
        """Add rows settled late, keeping sheet order."""
        merged = sorted([*self, *extra], key=lambda entry: entry[0])
        self.numbers = array("I", (number for number, _ in merged))
        self.flat = [value for _, values in merged for value in values]


@dataclass(slots=True)
class _Waiting:
    """A row whose number values wait for their columns' conventions."""

    number: int
    values: list[_StoredValue]
    readings: dict[int, NumberReading]  # position in ``values`` → reading
    shown: dict[int, CellValue]
    cells: Sequence[CellValue]


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
    _good: _GoodRows = field(default_factory=lambda: _GoodRows(0), repr=False)
    _replaced: set[int] = field(default_factory=set, repr=False)
    _signs: dict[int, str] = field(default_factory=dict, repr=False)  # row → currency_sign

    @property
    def all_rows_usable(self) -> bool:
        return self.error_rows == 0 and self.rows > 0

    def _kept(self) -> Iterator[tuple[int, list[_StoredValue]]]:
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
        signs = self._signs
        for number, values in self._kept():
            typed: list[CleanValue] = list(values)  # type: ignore[arg-type]
            for position in amounts:
                typed[position] = as_decimal(values[position])
            yield CleanRow(number, dict(zip(names, typed, strict=True)), signs.get(number))

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

    def to_json(self) -> dict[str, Any]:
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


class RowChecker:
    """Checks data rows of one sheet against a schema, incrementally.

    >>> checker = RowChecker(ListKind.PRICE, header)
    >>> for batch in batches:
    ...     checker.check(batch)  # report checker.rows_checked as progress
    >>> result = checker.finish()

    Only columns the server reads are kept for upload; informational columns
    (product name, list name) are shown in the mapping but not uploaded.
    """

    def __init__(
        self,
        kind: ListKind,
        header: SheetRow,
        *,
        mapping: Mapping[str | int, str | None] | None = None,
        decimal_styles: Mapping[str, DecimalStyle] | None = None,
    ) -> None:
        self.schema: Schema = schema_for(kind)
        # A person's choice of convention per field (the wizard's override) beats the vote.
        self._chosen_styles = dict(decimal_styles or {})
        self.header_row = header.number
        headers = headers_of(header)
        self.mapping = match_columns(headers, self.schema, mapping)
        by_field = {name: index for index, name in self.mapping.field_of.items()}
        # Upload columns follow the schema's order, so every clean file looks the same.
        self._columns = [
            _Column(f, by_field[f.name], headers[by_field[f.name]])
            for f in self.schema.fields
            if f.name in by_field and f.type is not ValueKind.INFO
        ]
        self.upload_fields = tuple(c.spec.name for c in self._columns)
        self._required = [i for i, c in enumerate(self._columns) if c.spec.required]
        self._position = {c.spec.name: i for i, c in enumerate(self._columns)}
        self._good = _GoodRows(len(self._columns))
        self._waiting: list[_Waiting] = []
        self._signs: dict[int, str] = {}
        self._findings: list[Finding] = []
        self._error_rows: set[int] = set()
        self._warned_rows: set[int] = set()
        self._left_out = 0
        self.rows_checked = 0
        self._blocked = bool(self.mapping.missing)
        # Whether batches are first tried column by column (see ``_fast_columns``).
        self.columnar = True
        price_at = self._position.get("price")
        retail_at = self._position.get("retail_price")
        # The price rules (zero, retail below price, a currency sign) are the schema's to ask for.
        self._price_at = price_at if self.schema.price_rules else None
        self._retail_at = retail_at if self.schema.price_rules else None

    def check(self, rows: Iterable[SheetRow]) -> None:
        """Check a batch of data rows (rows must come in sheet order)."""
        if self._blocked:
            self.rows_checked += sum(1 for _ in rows)
            return
        batch = rows if isinstance(rows, list) else list(rows)
        columns = self._fast_columns(batch) if self.columnar else None
        if columns is None:
            self._check_each(batch)
            return
        slow = _slow_rows(columns, len(batch))
        if not slow:
            self._accept_fast(batch, columns)
            return
        start = 0
        for index in (*slow, len(batch)):
            if start < index:
                self._accept_fast(batch[start:index], [c[start:index] for c in columns])
            if index < len(batch):
                self._check_each(batch[index : index + 1])
            start = index + 1
        # Files whose cells mostly need the full treatment (text numbers, SKUs typed as
        # numbers) are checked row by row from here on, without a wasted first pass.
        if len(slow) > len(batch) // 2:
            self.columnar = False

    def _fast_columns(self, batch: list[SheetRow]) -> list[list[Any]] | None:
        """The batch column by column, with the everyday cells already settled.

        List comprehensions settle a plain text SKU, an Excel number within range and
        a remembered choice several times faster than the row loop; a cell they cannot
        settle becomes ``_SLOW`` and its row goes through ``_check_each``.
        """
        cells = [row.cells for row in batch]
        columns: list[list[Any]] = []
        for column in self._columns:
            index, upper = column.index, column.upper
            try:
                raw = [row[index] for row in cells]
            except IndexError:
                return None  # short rows (text files); the row loop handles them
            empty = _SLOW if column.spec.required else None
            fast = column.fast
            if fast is _FAST_CODE:
                values = [
                    text
                    if type(c) is str
                    and (text := c.strip())
                    and (not text[0].isdigit() or ("e" not in text and "E" not in text))
                    and "\n" not in text
                    else _SLOW
                    for c in raw
                ]
            elif fast is _FAST_AMOUNT:
                simple = _SIMPLE_AMOUNT.fullmatch
                values = [
                    c
                    if type(c) is float and 0.0 <= c <= upper and int(c * 100.0 + 0.5) / 100.0 == c
                    else (
                        empty
                        if c == "" or c is None
                        else (
                            number
                            if type(c) is str
                            and simple(c) is not None
                            and (number := float(c.replace(",", "."))) <= upper
                            else _SLOW
                        )
                    )
                    for c in raw
                ]
                self._vote_for_texts(column, raw, values)
            elif fast is _FAST_WHOLE:
                values = [
                    int(c)
                    if type(c) is float and 0.0 <= c <= upper and c.is_integer()
                    else (
                        empty
                        if c == "" or c is None
                        else (
                            number
                            if type(c) is str
                            and c.isascii()
                            and c.isdigit()
                            and (number := int(c)) <= upper
                            else _SLOW
                        )
                    )
                    for c in raw
                ]
            else:
                cache = column.cache
                # Choices repeat: settling each distinct value once fills the cache,
                # so the first batch does not fall back to the row loop wholesale.
                for value in set(raw).difference(cache):
                    column.convert(value)
                get = cache.get
                values = [
                    known[1]
                    if type(c) is not bool and (known := get(c)) is not None and known[0] == _OK
                    else (empty if c == "" or c is None else _SLOW)
                    for c in raw
                ]
            columns.append(values)
        return columns

    @staticmethod
    def _vote_for_texts(column: _Column, raw: list[Any], values: list[Any]) -> None:
        """What the row loop's ``_simple_text`` would vote for the texts settled here."""
        vote = column.vote
        if vote.point and vote.comma:
            return
        texts = {c for c, v in zip(raw, values, strict=True) if type(c) is str and v is not _SLOW}
        if not vote.comma and any("," in text for text in texts):
            vote.add(DecimalStyle.COMMA)
        if not vote.point and any("." in text for text in texts):
            vote.add(DecimalStyle.POINT)

    def _accept_fast(self, batch: list[SheetRow], columns: list[list[Any]]) -> None:
        self._good.numbers.extend(row.number for row in batch)
        self._good.flat.extend(chain.from_iterable(zip(*columns, strict=True)))
        self.rows_checked += len(batch)
        price_at, retail_at = self._price_at, self._retail_at
        if price_at is None:
            return
        prices = columns[price_at]
        retails = columns[retail_at] if retail_at is not None else repeat(None)
        for position, (price, retail) in enumerate(zip(prices, retails, strict=False)):
            if price == 0.0 or (retail is not None and retail < price):
                values = [column[position] for column in columns]
                self._price_warnings(batch[position].number, values, price_at, retail_at)

    def _check_each(self, rows: list[SheetRow]) -> None:
        # The common cells (a text SKU, an Excel number within range) are settled inline;
        # everything else goes through the column's cache and converter.
        plan = [(c.index, c.fast, c.cache, c.convert, c.upper) for c in self._columns]
        required = self._required
        number_append = self._good.numbers.append
        values_extend = self._good.flat.extend
        price_at, retail_at = self._price_at, self._retail_at
        # Filled as signs turn up; empty dicts keep the check off the common path.
        price_marks = self._columns[price_at].marks if price_at is not None else set()
        retail_marks = self._columns[retail_at].marks if retail_at is not None else set()
        checked = 0
        for row in rows:
            checked += 1
            cells = row.cells
            width = len(cells)
            values: list[_StoredValue] = []
            problems: list[tuple[int, str]] | None = None
            waiting: dict[int, NumberReading] | None = None
            for index, fast, cache, convert, upper in plan:
                cell: Any = cells[index] if index < width else None
                cell_type = type(cell)
                if cell_type is str:
                    if fast is _FAST_CODE:
                        text = cell.strip()
                        # Only digits-then-E can be Excel's scientific notation; a line
                        # break is a quote gone astray (see _Column._code).
                        if (
                            text
                            and (not text[0].isdigit() or ("e" not in text and "E" not in text))
                            and "\n" not in text
                        ):
                            values.append(text)
                            continue
                elif cell_type is float:
                    if fast is _FAST_AMOUNT:
                        # See _whole_cents: true exactly when the number has at most 2 places.
                        if 0.0 <= cell <= upper and int(cell * 100.0 + 0.5) / 100.0 == cell:
                            values.append(cell)
                            continue
                    elif fast is _FAST_WHOLE and 0.0 <= cell <= upper and cell.is_integer():
                        values.append(int(cell))
                        continue
                # True == 1 == 1.0, so a boolean must not find a number's cached outcome.
                known = None if cell_type is bool else cache.get(cell)
                status, out = convert(cell) if known is None else known
                if status == _OK:
                    values.append(out)
                    continue
                if status == _BAD:
                    if problems is None:
                        problems = []
                    problems.append((len(values), out))
                else:
                    if waiting is None:
                        waiting = {}
                    waiting[len(values)] = out
                values.append(None)
            for position in required:
                if values[position] is None and (waiting is None or position not in waiting):
                    if problems is None:
                        problems = []
                    if not any(p == position for p, _ in problems):
                        problems.append(
                            (position, f"{self._columns[position].spec.label} is missing.")
                        )
            if problems is not None:
                self._reject(row.number, problems)
            elif waiting is not None:
                shown = {p: cells[self._columns[p].index] for p in waiting}
                self._waiting.append(_Waiting(row.number, values, waiting, shown, cells))
            else:
                if price_at is not None:
                    price = values[price_at]
                    retail = values[retail_at] if retail_at is not None else None
                    # Two floats compare directly; anything else needs a closer look.
                    if (
                        type(price) is not float
                        or price == 0.0
                        or (retail is not None and (type(retail) is not float or retail < price))
                    ):
                        self._price_warnings(row.number, values, price_at, retail_at)
                    if price_marks or retail_marks:
                        self._currency_warnings(row.number, cells, values)
                number_append(row.number)
                values_extend(values)
        self.rows_checked += checked

    def _reject(self, number: int, problems: list[tuple[int, str]]) -> None:
        self._error_rows.add(number)
        for position, message in sorted(problems):
            column = self._columns[position]
            if len(self._findings) >= MAX_FINDINGS:
                self._left_out += 1
                continue
            self._findings.append(
                Finding(
                    number,
                    column.header,
                    Severity.ERROR,
                    message,
                    column.spec.name,
                    column.index,
                )
            )

    def _warn(self, number: int, position: int, message: str) -> None:
        column = self._columns[position]
        self._warned_rows.add(number)
        if len(self._findings) >= MAX_FINDINGS:
            self._left_out += 1
            return
        self._findings.append(
            Finding(
                number, column.header, Severity.WARNING, message, column.spec.name, column.index
            )
        )

    def _currency_warnings(
        self, number: int, cells: Sequence[CellValue], values: list[_StoredValue]
    ) -> None:
        currency_at = self._position.get("currency_type")
        stated = values[currency_at] if currency_at is not None else None
        for position in (self._price_at, self._retail_at):
            if position is None:
                continue
            column = self._columns[position]
            raw = cells[column.index] if column.index < len(cells) else None
            marked = read_number(raw).currency if isinstance(raw, str) and column.marks else None
            if marked is None:
                continue
            shown = _quoted(raw)
            if stated is None:
                # Whether that is the list's currency is for the comparison with the list.
                self._signs.setdefault(number, marked)
            elif _SAME_CURRENCY.get(str(stated), stated) != marked:
                self._warn(
                    number,
                    position,
                    f"{column.spec.label} {shown} is in {marked.upper()}, but the row's currency "
                    f"is {stated}.",
                )

    def _price_warnings(
        self, number: int, values: list[_StoredValue], price_at: int, retail_at: int | None
    ) -> None:
        price = values[price_at]
        retail = values[retail_at] if retail_at is not None else None
        if retail is not None and price is not None:
            if type(retail) is float and type(price) is float:
                below = retail < price
            else:
                below = as_decimal(retail) < as_decimal(price)  # type: ignore[operator]
            if below:
                assert retail_at is not None
                self._warn(
                    number,
                    retail_at,
                    f"Retail price {upload_text(as_decimal(retail), ValueKind.MONEY)} is below the "
                    f"price {upload_text(as_decimal(price), ValueKind.MONEY)}; shoppers would see "
                    "a crossed-out price lower than the one they pay.",
                )
        if price is not None and (price == 0 if type(price) is float else as_decimal(price) == 0):
            self._warn(number, price_at, "Price is 0: the product would be sold for free.")

    def finish(self) -> CheckResult:
        """Settle waiting values, find duplicate SKUs, and return the result."""
        styles = {
            c.spec.name: self._style_of(c)
            for c in self._columns
            if c.spec.type in (ValueKind.MONEY, ValueKind.PERCENT, ValueKind.WHOLE)
        }
        if self._waiting:
            self._settle_waiting()
        replaced = self._find_duplicates()
        findings = sorted(
            self._findings,
            key=lambda f: (f.row, -1 if f.column_index is None else f.column_index),
        )
        notes = list(self.mapping.notes)
        if self.mapping.missing:
            missing = self.mapping.missing
            names = ", ".join(f"{f.label} ({f.name})" for f in missing)
            findings.insert(
                0,
                Finding(
                    self.header_row,
                    None,
                    Severity.ERROR,
                    f"No column for {names}. Name the column {missing[0].name} "
                    f"(or e.g. “{missing[0].aliases[0]}”).",
                ),
            )
            error_rows, valid_rows, warning_rows = self.rows_checked, 0, 0
        else:
            error_rows = len(self._error_rows)
            valid_rows = self.rows_checked - error_rows
            warning_rows = len(self._warned_rows - self._error_rows)
        if self._left_out:
            notes.append(
                f"Only the first {MAX_FINDINGS:,} problems are listed; "
                f"{self._left_out:,} more were found."
            )
        return CheckResult(
            kind=self.schema.kind,
            mapping=self.mapping,
            header_row=self.header_row,
            rows=self.rows_checked,
            valid_rows=valid_rows,
            error_rows=error_rows,
            warning_rows=warning_rows,
            findings=findings,
            notes=notes,
            decimal_styles=styles,
            upload_fields=self.upload_fields,
            _good=self._good,
            _replaced=replaced,
            _signs=self._signs,
        )

    def _style_of(self, column: _Column) -> DecimalStyle | None:
        return self._chosen_styles.get(column.spec.name) or column.vote.decided()

    def _settle_waiting(self) -> None:
        settled: list[tuple[int, list[_StoredValue]]] = []
        for entry in self._waiting:
            problems: list[tuple[int, str]] = []
            for position, reading in entry.readings.items():
                column = self._columns[position]
                style = self._style_of(column)
                value = reading.resolve(style)
                if value is None:
                    problems.append(
                        (position, _ambiguity_message(column, reading, entry.shown[position]))
                    )
                    continue
                status, out = column.validate(value, entry.shown[position])
                if status == _OK:
                    entry.values[position] = out
                else:
                    problems.append((position, out))
            if problems:
                self._reject(entry.number, problems)
            else:
                if self._price_at is not None:
                    self._price_warnings(
                        entry.number, entry.values, self._price_at, self._retail_at
                    )
                    self._currency_warnings(entry.number, entry.cells, entry.values)
                settled.append((entry.number, entry.values))
        self._waiting.clear()
        if settled:
            self._good.merge(settled)

    def _find_duplicates(self) -> set[int]:
        """Rows replaced by a later row with the same SKU, with a warning on both.

        A set finds the repeated SKUs cheaply; only those are then traced to rows,
        so a million distinct SKUs cost one pass and no per-row bookkeeping.
        """
        at = self._position.get(SKU_FIELD)
        if at is None:
            return set()
        skus = self._good.column(at)
        if len(set(skus)) == len(skus):
            return set()
        seen: set[_StoredValue] = set()
        repeated: set[_StoredValue] = set()
        for sku in skus:
            if sku in seen:
                repeated.add(sku)
            else:
                seen.add(sku)
        del seen, skus
        replaced: set[int] = set()
        last_row: dict[str, int] = {}
        for number, values in self._good:
            sku = values[at]
            if sku not in repeated:
                continue
            assert isinstance(sku, str)
            earlier = last_row.get(sku)
            if earlier is not None:
                replaced.add(earlier)
                self._warn(
                    number,
                    at,
                    f"SKU “{sku}” is also on row {earlier}; only this later row is uploaded.",
                )
                self._warn(
                    earlier,
                    at,
                    f"SKU “{sku}” appears again on row {number}, which replaces this row.",
                )
            last_row[sku] = number
        return replaced


def _ambiguity_message(column: _Column, reading: NumberReading, shown: CellValue) -> str:
    assert reading.ambiguous is not None
    as_point, as_comma = (plain_decimal(v) for v in reading.ambiguous)
    why = (
        "values in this column use both a decimal comma and a decimal point"
        if column.vote.conflicting
        else "no other value in the column shows whether it uses a decimal comma or point"
    )
    whole = as_comma if "." not in as_comma else as_point
    advice = f"Write it without a thousands separator (e.g. {whole})"
    if column.spec.type is not ValueKind.WHOLE:
        advice += " or with 2 decimals"
    meanings = f"could mean {as_point} or {as_comma}"
    return f"{column.spec.label} {_quoted(shown)} {meanings}: {why}. {advice}."


ProgressCallback = Callable[[int], None]
RowsCallback = Callable[[list[SheetRow]], None]
PROGRESS_EVERY = 10_000
# A worker thread checking rows keeps winning the interpreter back; a pause this often
# lets a window on the main thread run its callbacks (see imports.pacing).
PAUSE_EVERY = 500


def check_rows(
    rows: Iterable[SheetRow],
    kind: ListKind,
    *,
    mapping: Mapping[str | int, str | None] | None = None,
    header_row: int | None = None,
    decimal_styles: Mapping[str, DecimalStyle] | None = None,
    progress: ProgressCallback | None = None,
    on_rows: RowsCallback | None = None,
    pause: Callable[[], None] | None = None,
) -> CheckResult:
    """Find the header in ``rows``, check everything below it and return the result.

    ``mapping`` and ``header_row`` carry a person's corrections (see ``find_header``
    and ``match_columns``); ``decimal_styles`` settles the values that read either way
    (``1,234``) in the named fields as the person chose. ``progress`` is called with
    the number of data rows checked so far, every ``PROGRESS_EVERY`` rows and once at
    the end; an exception raised from it (e.g. on cancel) stops the check and
    propagates. ``on_rows`` is handed each batch of data rows as it is checked (the
    wizard shows them), and ``pause`` is called every ``PAUSE_EVERY`` rows. Raises
    ``EmptyFile`` or ``HeaderOnly`` when there is nothing to check.
    """
    schema = schema_for(kind)
    iterator = iter(rows) if pause is None else _pausing(rows, pause)
    header, buffered, skipped = find_header(iterator, schema, mapping, header_row=header_row)
    checker = RowChecker(kind, header, mapping=mapping, decimal_styles=decimal_styles)
    if buffered and on_rows is not None:
        on_rows(buffered)
    checker.check(buffered)
    while True:
        batch = list(islice(iterator, PROGRESS_EVERY))
        if not batch:
            break
        if on_rows is not None:
            on_rows(batch)
        checker.check(batch)
        if progress is not None:
            progress(checker.rows_checked)
    if checker.rows_checked == 0:
        raise HeaderOnly(
            f"Only a header row (row {header.number}) was found, no rows with data below it."
        )
    if progress is not None:
        progress(checker.rows_checked)
    result = checker.finish()
    if skipped:
        result.notes.insert(
            0, f"Rows above row {header.number} were skipped; row {header.number} is the header."
        )
    return result


def _pausing(rows: Iterable[SheetRow], pause: Callable[[], None]) -> Iterator[SheetRow]:
    for count, row in enumerate(rows, 1):
        yield row
        if count % PAUSE_EVERY == 0:
            pause()


def check_spreadsheet(
    sheet: Spreadsheet,
    kind: ListKind,
    *,
    mapping: Mapping[str | int, str | None] | None = None,
    header_row: int | None = None,
    decimal_styles: Mapping[str, DecimalStyle] | None = None,
    progress: ProgressCallback | None = None,
    on_rows: RowsCallback | None = None,
    pause: Callable[[], None] | None = None,
) -> CheckResult:
    """``check_rows`` over an opened sheet, with the file and sheet named in the result."""
    try:
        result = check_rows(
            sheet.rows(),
            kind,
            mapping=mapping,
            header_row=header_row,
            decimal_styles=decimal_styles,
            progress=progress,
            on_rows=on_rows,
            pause=pause,
        )
    except EmptyFile as error:
        raise EmptyFile(
            f"Sheet “{sheet.sheet_name}” of {sheet.path.name}: {error.message}"
        ) from None
    except HeaderOnly as error:
        raise HeaderOnly(f"{sheet.path.name}: {error.message}") from None
    result.file = str(sheet.path)
    result.sheet = sheet.sheet_name
    return result
