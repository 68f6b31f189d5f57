"""Checking the data rows of one sheet against a schema, one batch at a time.

``RowChecker`` takes rows as they stream in (a worker can feed it batches and
report progress between them) and ``finish()`` returns a ``CheckResult``. Values
whose decimal convention is unclear (``1,234``) wait until the whole column has
been seen, because the column decides what they mean.

The batch loops here (``_fast_columns``, ``_accept_fast``, ``_check_each``) are
what a million-row check spends its time in, and are written for speed: see
``tests/benchmarks/test_spreadsheet_speed.py`` before changing them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

from omnidesk.kinds import ListKind

from .cell_checks import (
    BAD,
    FAST_AMOUNT,
    FAST_CODE,
    FAST_WHOLE,
    OK,
    SIMPLE_AMOUNT,
    ColumnChecker,
    ambiguity_message,
    quoted,
)
from .cells import CellValue, SheetRow
from .check_result import CheckResult, GoodRows, StoredValue, as_decimal, upload_text
from .findings import Finding, FindingList, Severity
from .header import headers_of, match_columns
from .numbers import DecimalStyle, NumberReading, read_number
from .schema import SKU_FIELD, Schema, ValueKind, schema_for

_SAME_CURRENCY = {"tr": "try", "eu": "eur"}  # the server's two spellings of each

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


@dataclass(slots=True)
class _Waiting:
    """A row whose number values wait for their columns' conventions."""

    number: int
    values: list[StoredValue]
    readings: dict[int, NumberReading]  # position in ``values`` → reading
    shown: dict[int, CellValue]
    cells: Sequence[CellValue]


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
            ColumnChecker(f, by_field[f.name], headers[by_field[f.name]])
            for f in self.schema.fields
            if f.name in by_field and f.type is not ValueKind.INFO
        ]
        self.upload_fields = tuple(c.spec.name for c in self._columns)
        self._required = [i for i, c in enumerate(self._columns) if c.spec.required]
        self._position = {c.spec.name: i for i, c in enumerate(self._columns)}
        self._good = GoodRows(len(self._columns))
        self._waiting: list[_Waiting] = []
        self._signs: dict[int, str] = {}
        self._findings = FindingList()
        self._error_rows: set[int] = set()
        self._warned_rows: set[int] = set()
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
            if fast is FAST_CODE:
                values = [
                    text
                    if type(c) is str
                    and (text := c.strip())
                    and (not text[0].isdigit() or ("e" not in text and "E" not in text))
                    and "\n" not in text
                    else _SLOW
                    for c in raw
                ]
            elif fast is FAST_AMOUNT:
                simple = SIMPLE_AMOUNT.fullmatch
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
            elif fast is FAST_WHOLE:
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
                    if type(c) is not bool and (known := get(c)) is not None and known[0] == OK
                    else (empty if c == "" or c is None else _SLOW)
                    for c in raw
                ]
            columns.append(values)
        return columns

    @staticmethod
    def _vote_for_texts(column: ColumnChecker, raw: list[Any], values: list[Any]) -> None:
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
            values: list[StoredValue] = []
            problems: list[tuple[int, str]] | None = None
            waiting: dict[int, NumberReading] | None = None
            for index, fast, cache, convert, upper in plan:
                cell: Any = cells[index] if index < width else None
                cell_type = type(cell)
                if cell_type is str:
                    if fast is FAST_CODE:
                        text = cell.strip()
                        # Only digits-then-E can be Excel's scientific notation; a line
                        # break is a quote gone astray (see ColumnChecker._code).
                        if (
                            text
                            and (not text[0].isdigit() or ("e" not in text and "E" not in text))
                            and "\n" not in text
                        ):
                            values.append(text)
                            continue
                elif cell_type is float:
                    if fast is FAST_AMOUNT:
                        # See _whole_cents: true exactly when the number has at most 2 places.
                        if 0.0 <= cell <= upper and int(cell * 100.0 + 0.5) / 100.0 == cell:
                            values.append(cell)
                            continue
                    elif fast is FAST_WHOLE and 0.0 <= cell <= upper and cell.is_integer():
                        values.append(int(cell))
                        continue
                # True == 1 == 1.0, so a boolean must not find a number's cached outcome.
                known = None if cell_type is bool else cache.get(cell)
                status, out = convert(cell) if known is None else known
                if status == OK:
                    values.append(out)
                    continue
                if status == BAD:
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
            self._findings.add(
                number, column.header, Severity.ERROR, message, column.spec.name, column.index
            )

    def _warn(self, number: int, position: int, message: str) -> None:
        column = self._columns[position]
        self._warned_rows.add(number)
        self._findings.add(
            number, column.header, Severity.WARNING, message, column.spec.name, column.index
        )

    def _currency_warnings(
        self, number: int, cells: Sequence[CellValue], values: list[StoredValue]
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
            shown = quoted(raw)
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
        self, number: int, values: list[StoredValue], price_at: int, retail_at: int | None
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
            self._findings.listed,
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
        cut_off = self._findings.cut_off_note()
        if cut_off is not None:
            notes.append(cut_off)
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

    def _style_of(self, column: ColumnChecker) -> DecimalStyle | None:
        return self._chosen_styles.get(column.spec.name) or column.vote.decided()

    def _settle_waiting(self) -> None:
        settled: list[tuple[int, list[StoredValue]]] = []
        for entry in self._waiting:
            problems: list[tuple[int, str]] = []
            for position, reading in entry.readings.items():
                column = self._columns[position]
                style = self._style_of(column)
                value = reading.resolve(style)
                if value is None:
                    problems.append(
                        (position, ambiguity_message(column, reading, entry.shown[position]))
                    )
                    continue
                status, out = column.validate(value, entry.shown[position])
                if status == OK:
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
        seen: set[StoredValue] = set()
        repeated: set[StoredValue] = set()
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
