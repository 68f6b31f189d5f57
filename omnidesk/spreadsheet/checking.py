"""Checking rows against a column schema, one batch at a time.

``RowChecker`` takes rows as they stream in (a Qt worker can feed it batches and
report progress between them) and ``finish()`` returns a ``CheckResult``. Values
whose decimal convention is unclear (``1,234``) wait until the whole column has
been seen, because the column decides what they mean.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import islice
from typing import Any

from .cells import CellValue, SheetRow, cell_text, float_text
from .errors import EmptyFile, HeaderOnly
from .numbers import DecimalStyle, DecimalStyleVote, NumberReading, plain_decimal, read_number
from .reading import Spreadsheet
from .schema import (
    CHOICE_ALIASES,
    ColumnMapping,
    Field,
    ImportKind,
    Schema,
    ValueKind,
    match_columns,
    schema_for,
)

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


def upload_text(value: CleanValue, kind: ValueKind) -> str:
    """How a checked value is written into the upload file: ``1234.50``, never ``1.234,50``."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if kind is ValueKind.MONEY:
            return format(value.quantize(_CENT), "f")
        return plain_decimal(value)
    return str(value)


_CENT = Decimal("0.01")
_MAX_AMOUNT = Decimal(10) ** 15  # beyond any price; keeps Decimal arithmetic exact
_SCIENTIFIC = re.compile(r"[0-9](?:[.,][0-9]+)?[eE][+-]?[0-9]+")
_CACHE_LIMIT = 20_000

# A converter turns a cell into one of these: (_OK, value), (_BAD, message), or
# (_WAIT, reading) for a number whose meaning the column decides.
_OK, _BAD, _WAIT = 0, 1, 2
Outcome = tuple[int, Any]
_EMPTY: Outcome = (_OK, None)


def _quoted(value: CellValue) -> str:
    text = cell_text(value).strip()
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


class _Column:
    """Converts and checks the cells of one mapped column."""

    def __init__(self, spec: Field, index: int, header: str) -> None:
        self.spec = spec
        self.index = index
        self.header = header
        self.vote = DecimalStyleVote()
        self._number_cache: dict[str, tuple[Outcome, DecimalStyle | None]] = {}
        self._choice_cache: dict[str, Outcome] = {}
        self.convert: Callable[[CellValue], Outcome] = {
            ValueKind.CODE: self._code,
            ValueKind.MONEY: self._number,
            ValueKind.PERCENT: self._number,
            ValueKind.WHOLE: self._number,
            ValueKind.CHOICE: self._choice,
            ValueKind.INFO: self._info,
        }[spec.kind]
        self._aliases = CHOICE_ALIASES.get(spec.name, {})

    # -- codes --------------------------------------------------------------------------------
    def _code(self, cell: CellValue) -> Outcome:
        if type(cell) is str:
            text = cell.strip()
            if not text:
                return _EMPTY
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
        kind = type(cell)
        if kind is float:
            assert isinstance(cell, float)
            return self.validate(Decimal(repr(cell)), cell)
        if kind is str:
            assert isinstance(cell, str)
            cached = self._number_cache.get(cell)
            if cached is not None:
                self.vote.add(cached[1])
                return cached[0]
            outcome, style = self._read_text(cell)
            self.vote.add(style)
            if len(self._number_cache) < _CACHE_LIMIT:
                self._number_cache[cell] = (outcome, style)
            return outcome
        if kind is int:
            assert isinstance(cell, int)
            return self.validate(Decimal(cell), cell)
        if cell is None:
            return _EMPTY
        if isinstance(cell, bool):
            return (_BAD, f"{self.spec.label} is {_quoted(cell)}, not a number.")
        return (_BAD, f"{self.spec.label} {_quoted(cell)} is a date or time, not a number.")

    def _read_text(self, text: str) -> tuple[Outcome, DecimalStyle | None]:
        stripped = text.strip()
        if not stripped:
            return _EMPTY, None
        reading = read_number(stripped, percent_allowed=self.spec.kind is ValueKind.PERCENT)
        if reading.value is not None:
            return self.validate(reading.value, stripped), reading.style
        if reading.ambiguous is not None:
            return (_WAIT, reading), None
        return (_BAD, f"{self.spec.label} {reading.problem}."), None

    def validate(self, value: Decimal, shown: CellValue) -> Outcome:
        spec = self.spec
        label = spec.label
        if not value.is_finite() or abs(value) >= _MAX_AMOUNT:
            return (_BAD, f"{label} {_quoted(shown)} is too large.")
        if value < spec.minimum:
            return (_BAD, f"{label} {_quoted(shown)} cannot be negative.")
        if spec.kind is ValueKind.WHOLE:
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
        cached = self._choice_cache.get(raw)
        if cached is not None:
            return cached
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
        if len(self._choice_cache) < _CACHE_LIMIT:
            self._choice_cache[raw] = outcome
        return outcome

    def _info(self, cell: CellValue) -> Outcome:
        if type(cell) is str:
            assert isinstance(cell, str)
            return (_OK, cell.strip() or None)
        return (_OK, cell_text(cell).strip() or None)


@dataclass(slots=True)
class _Waiting:
    """A row whose number values wait for their columns' conventions."""

    number: int
    values: list[CleanValue]
    readings: dict[int, NumberReading]  # position in ``values`` → reading
    shown: dict[int, CellValue]


@dataclass
class CheckResult:
    """What the check found, in row order, and the rows that can be uploaded.

    Counts: ``rows`` = ``valid_rows`` + ``error_rows``; ``warning_rows`` are valid
    rows with at least one warning. Rows that are entirely empty are not counted.
    """

    kind: ImportKind
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
    _good: list[tuple[Any, ...]] = field(default_factory=list, repr=False)
    _replaced: set[int] = field(default_factory=set, repr=False)

    @property
    def all_rows_usable(self) -> bool:
        return self.error_rows == 0 and self.rows > 0

    def good_rows(self) -> Iterator[CleanRow]:
        """Usable rows in sheet order; of rows sharing a SKU only the last is given."""
        names = self.upload_fields
        for entry in self._good:
            if entry[0] in self._replaced:
                continue
            yield CleanRow(entry[0], dict(zip(names, entry[1:], strict=True)))

    def upload_rows(self) -> Iterator[list[str]]:
        """The good rows as upload-file text, in ``upload_fields`` order."""
        schema = schema_for(self.kind)
        kinds = [schema.field(name).kind for name in self.upload_fields]
        for entry in self._good:
            if entry[0] in self._replaced:
                continue
            yield [upload_text(v, k) for v, k in zip(entry[1:], kinds, strict=True)]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "kind": str(self.kind),
            "rows": self.rows,
            "valid_rows": self.valid_rows,
            "error_rows": self.error_rows,
            "warning_rows": self.warning_rows,
            "columns": self.mapping.as_dict(),
            "findings": [f.as_dict() for f in self.findings],
        }


class RowChecker:
    """Checks data rows of one sheet against a schema, incrementally.

    >>> checker = RowChecker(ImportKind.PRICE, header)
    >>> for batch in batches:
    ...     checker.check(batch)  # report checker.rows_checked as progress
    >>> result = checker.finish()
    """

    def __init__(
        self,
        kind: ImportKind | str,
        header: SheetRow,
        *,
        mapping: Mapping[str | int, str | None] | None = None,
    ) -> None:
        self.schema: Schema = schema_for(kind)
        self.header_row = header.number
        headers = [cell_text(c).strip() for c in header.cells]
        self.mapping = match_columns(headers, self.schema, mapping)
        by_field = {name: index for index, name in self.mapping.field_of.items()}
        # Upload columns follow the schema's order, so every clean file looks the same.
        self._columns = [
            _Column(f, by_field[f.name], headers[by_field[f.name]])
            for f in self.schema.fields
            if f.name in by_field
        ]
        self.upload_fields = tuple(c.spec.name for c in self._columns)
        self._required = [i for i, c in enumerate(self._columns) if c.spec.required]
        self._position = {c.spec.name: i for i, c in enumerate(self._columns)}
        self._good: list[tuple[Any, ...]] = []
        self._waiting: list[_Waiting] = []
        self._findings: list[Finding] = []
        self._error_rows: set[int] = set()
        self.rows_checked = 0
        self._blocked = bool(self.mapping.missing)

    def check(self, rows: Iterable[SheetRow]) -> None:
        """Check a batch of data rows (rows must come in sheet order)."""
        columns = self._columns
        required = self._required
        good_append = self._good.append
        blocked = self._blocked
        checked = 0
        for row in rows:
            checked += 1
            if blocked:
                continue
            cells = row.cells
            width = len(cells)
            values: list[CleanValue] = []
            problems: list[tuple[int, str]] | None = None
            waiting: dict[int, NumberReading] | None = None
            for position, column in enumerate(columns):
                index = column.index
                status, out = column.convert(cells[index] if index < width else None)
                if status == _OK:
                    values.append(out)
                elif status == _BAD:
                    values.append(None)
                    if problems is None:
                        problems = []
                    problems.append((position, out))
                else:
                    values.append(None)
                    if waiting is None:
                        waiting = {}
                    waiting[position] = out
            for position in required:
                if values[position] is None and (waiting is None or position not in waiting):
                    if problems is None:
                        problems = []
                    if not any(p == position for p, _ in problems):
                        problems.append((position, f"{columns[position].spec.label} is missing."))
            if problems is not None:
                self._reject(row.number, problems)
            elif waiting is not None:
                shown = {p: cells[columns[p].index] for p in waiting}
                self._waiting.append(_Waiting(row.number, values, waiting, shown))
            else:
                self._accept(row.number, values)
                good_append((row.number, *values))
        self.rows_checked += checked

    def _reject(self, number: int, problems: list[tuple[int, str]]) -> None:
        self._error_rows.add(number)
        for position, message in sorted(problems):
            column = self._columns[position]
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
        self._findings.append(
            Finding(
                number, column.header, Severity.WARNING, message, column.spec.name, column.index
            )
        )

    def _accept(self, number: int, values: list[CleanValue]) -> None:
        """Row-level warnings for a row whose every value is fine on its own."""
        if self.schema.kind is not ImportKind.PRICE:
            return
        price_at = self._position["price"]
        price = values[price_at]
        retail_at = self._position.get("retail_price")
        retail = values[retail_at] if retail_at is not None else None
        if retail is not None and price is not None and retail < price:  # type: ignore[operator]
            assert retail_at is not None
            self._warn(
                number,
                retail_at,
                f"Retail price {upload_text(retail, ValueKind.MONEY)} is below the price "
                f"{upload_text(price, ValueKind.MONEY)}; shoppers would see a crossed-out "
                "price lower than the one they pay.",
            )
        if price == 0:
            self._warn(number, price_at, "Price is 0: the product would be sold for free.")

    def finish(self) -> CheckResult:
        """Settle waiting values, find duplicate SKUs, and return the result."""
        styles = {
            c.spec.name: c.vote.decided()
            for c in self._columns
            if c.spec.kind in (ValueKind.MONEY, ValueKind.PERCENT, ValueKind.WHOLE)
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
                    f"(or e.g. “{missing[0].aliases[0]}”), or choose it by hand.",
                ),
            )
            error_rows, valid_rows, warning_rows = self.rows_checked, 0, 0
        else:
            error_rows = len(self._error_rows)
            valid_rows = self.rows_checked - error_rows
            warned = {f.row for f in findings if f.severity is Severity.WARNING}
            warning_rows = len(warned - self._error_rows)
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
        )

    def _settle_waiting(self) -> None:
        settled: list[tuple[Any, ...]] = []
        for entry in self._waiting:
            problems: list[tuple[int, str]] = []
            for position, reading in entry.readings.items():
                column = self._columns[position]
                style = column.vote.decided()
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
                self._accept(entry.number, entry.values)
                settled.append((entry.number, *entry.values))
        self._waiting.clear()
        if settled:
            self._good.extend(settled)
            self._good.sort(key=lambda e: e[0])

    def _find_duplicates(self) -> set[int]:
        if "product__sku" not in self._position:
            return set()
        at = self._position["product__sku"] + 1
        last_row: dict[str, int] = {}
        replaced: set[int] = set()
        sku_position = at - 1
        for entry in self._good:
            sku = entry[at]
            earlier = last_row.get(sku)
            if earlier is not None:
                replaced.add(earlier)
                self._warn(
                    entry[0],
                    sku_position,
                    f"SKU “{sku}” is also on row {earlier}; only this later row is uploaded.",
                )
                self._warn(
                    earlier,
                    sku_position,
                    f"SKU “{sku}” appears again on row {entry[0]}, which replaces this row.",
                )
            last_row[sku] = entry[0]
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
    return (
        f"{column.spec.label} {_quoted(shown)} could mean {as_point} or {as_comma}: {why}. "
        f"Write it without a thousands separator (e.g. {whole}) or with 2 decimals."
    )


HEADER_SEARCH_ROWS = 10


def find_header(rows: Iterator[SheetRow], schema: Schema) -> tuple[SheetRow, list[SheetRow], int]:
    """The header row, the data rows read past it while looking, and how many rows it skipped.

    The server takes the first row as the header, but exports often put a title
    or a date above it; the first of the top rows that names a SKU column is the
    header, otherwise the first row is. Raise ``EmptyFile`` when there are no rows.
    """
    seen: list[SheetRow] = []
    for row in rows:
        seen.append(row)
        headers = [cell_text(c).strip() for c in row.cells]
        if match_columns(headers, schema).column_of("product__sku") is not None:
            return row, [], len(seen) - 1
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise EmptyFile("The sheet has no data.")
    return seen[0], seen[1:], 0


ProgressCallback = Callable[[int], None]
PROGRESS_EVERY = 10_000


def check_rows(
    rows: Iterable[SheetRow],
    kind: ImportKind | str,
    *,
    mapping: Mapping[str | int, str | None] | None = None,
    progress: ProgressCallback | None = None,
) -> CheckResult:
    """Find the header in ``rows``, check everything below it and return the result.

    ``progress`` is called with the number of data rows checked so far, every
    ``PROGRESS_EVERY`` rows and once at the end. Raises ``EmptyFile`` or
    ``HeaderOnly`` when there is nothing to check.
    """
    schema = schema_for(kind)
    iterator = iter(rows)
    header, buffered, skipped = find_header(iterator, schema)
    checker = RowChecker(kind, header, mapping=mapping)
    checker.check(buffered)
    while True:
        batch = list(islice(iterator, PROGRESS_EVERY))
        if not batch:
            break
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


def check_spreadsheet(
    sheet: Spreadsheet,
    kind: ImportKind | str,
    *,
    mapping: Mapping[str | int, str | None] | None = None,
    progress: ProgressCallback | None = None,
) -> CheckResult:
    """``check_rows`` over an opened sheet, with the file and sheet named in the result."""
    try:
        result = check_rows(sheet.rows(), kind, mapping=mapping, progress=progress)
    except EmptyFile:
        raise EmptyFile(f"Sheet “{sheet.sheet_name}” of {sheet.path.name} has no data.") from None
    except HeaderOnly as error:
        raise HeaderOnly(f"{sheet.path.name}: {error.message}") from None
    result.file = str(sheet.path)
    result.sheet = sheet.sheet_name
    return result
