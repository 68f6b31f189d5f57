"""Checking the data rows of one sheet against a schema, one batch at a time.

``RowChecker`` takes rows as they stream in (a worker can feed it batches and
report progress between them) and ``finish()`` returns a ``CheckResult``. Values
whose decimal convention is unclear (``1,234``) wait until the whole column has
been seen, because the column decides what they mean.

The batch loops (``fast_columns.py``, ``_accept_fast``, ``_check_each``) are
what a million-row check spends its time in, and are written for speed: see
``tests/benchmarks/test_spreadsheet_speed.py`` before changing them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from omnidesk.i18n import _
from omnidesk.kinds import ListKind

from .cell_checks import (
    BAD,
    FAST_AMOUNT,
    FAST_CODE,
    FAST_WHOLE,
    OK,
    ColumnChecker,
    ambiguity_message,
)
from .cells import CellValue, SheetRow
from .check_result import CheckResult, GoodRows, StoredValue
from .duplicates import replaced_rows
from .fast_columns import Settled, fast_columns, slow_rows
from .findings import Finding, FindingList, Message, Severity
from .header import headers_of, match_columns
from .numbers import DecimalStyle, NumberReading
from .row_rules import RuleContext, rules_for
from .schema import SKU_FIELD, Schema, ValueKind, schema_for

# A row that cannot be uploaded: (sheet row, [(position in the row, message)]).
_Rejection = tuple[int, list[tuple[int, str]]]


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
        # Said of every row without the value, so said once here.
        self._missing = {
            i: _("{label} is missing.").format(label=self._columns[i].spec.label)
            for i in self._required
        }
        self._position = {c.spec.name: i for i, c in enumerate(self._columns)}
        self._good = GoodRows(len(self._columns))
        self._waiting: list[_Waiting] = []
        self._signs: dict[int, str] = {}
        self._findings = FindingList()
        self._error_rows: set[int] = set()
        self._warned_rows: set[int] = set()
        self.rows_checked = 0
        self._blocked = bool(self.mapping.missing)
        # Whether batches are first tried column by column (see ``fast_columns``).
        self.columnar = True
        self._rules = rules_for(
            self.schema.row_rules,
            RuleContext(self._columns, self._position, self._warn, self._signs),
        )

    def check(self, rows: Iterable[SheetRow]) -> None:
        """Check a batch of data rows (rows must come in sheet order)."""
        batch = rows if isinstance(rows, list) else list(rows)
        self.check_batch([row.number for row in batch], [row.cells for row in batch])

    def check_batch(self, numbers: Sequence[int], cells: Sequence[Sequence[CellValue]]) -> None:
        """Check data rows given as their sheet row numbers and cells, in sheet order.

        What ``check`` does without a ``SheetRow`` per row: a reader that has its rows
        as lists (``Spreadsheet.batches``) hands them over as they are.
        """
        if self._blocked:
            self.rows_checked += len(numbers)
            return
        first, waited = len(self._good), len(self._waiting)
        rejected: list[_Rejection] = []
        fast = fast_columns(self._columns, cells) if self.columnar else None
        columns: list[list[Settled]] | None
        parsed: Sequence[int] | None  # the rows read in full; None: all of them
        if fast is None:
            self._check_each(numbers, cells, rejected)
            parsed = columns = None
        else:
            columns, unsure = fast
            slow = slow_rows(unsure)
            if not slow:
                self._accept_fast(numbers, columns)
                parsed = ()
            else:
                self._accept_mixed(numbers, cells, columns, slow, rejected)
                parsed, columns = slow, None
                # Files whose cells mostly need the full treatment (text numbers, SKUs typed
                # as numbers) are checked row by row from here on, without a wasted first pass.
                if len(slow) > len(numbers) // 2:
                    self.columnar = False
        self._report(numbers, cells, first, waited, rejected, parsed, columns)

    def _report(
        self,
        numbers: Sequence[int],
        cells: Sequence[Sequence[CellValue]],
        first: int,
        waited: int,
        rejected: list[_Rejection],
        parsed: Sequence[int] | None,
        columns: list[list[Settled]] | None,
    ) -> None:
        """Report the batch's rejected rows and the row rules' warnings, in sheet order.

        Findings past ``MAX_FINDINGS`` are only counted, so the order they come in
        decides which are listed: it is the order of the rows, rejections and warnings
        alike. ``first`` and ``waited`` are where the batch's usable and waiting rows
        begin; ``columns``, if given, are its usable rows already.
        """
        if not self._rules:
            for rejection in rejected:
                self._reject(*rejection)
            return
        dropped = {number for number, _ in rejected}
        dropped.update(entry.number for entry in self._waiting[waited:])
        # Positions in the batch of the rows that were kept as usable.
        kept: Sequence[int] = (
            [i for i, number in enumerate(numbers) if number not in dropped]
            if dropped
            else range(len(numbers))
        )
        flat, width = self._good.flat, self._good.width
        start = first * width
        if columns is None:
            columns = [flat[start + p :: width] for p in range(width)]
        if parsed is None:
            parsed = range(len(kept))
        elif parsed and dropped:
            read = {numbers[index] for index in parsed}
            parsed = [i for i, at in enumerate(kept) if numbers[at] in read]
        rules = self._rules
        # (row, rule) as one number, row first: ints sort far faster than pairs.
        count = len(rules)
        flagged = sorted(
            position * count + order
            for order, rule in enumerate(rules)
            for position in rule.suspects(columns, parsed)
        )
        told, untold = 0, len(rejected)
        for key in flagged:
            position, order = divmod(key, count)
            number = numbers[kept[position]]
            while told < untold and rejected[told][0] < number:
                self._reject(*rejected[told])
                told += 1
            at = start + position * width
            rules[order].check(number, cells[kept[position]], flat[at : at + width])
        for rejection in rejected[told:]:
            self._reject(*rejection)

    def _accept_fast(self, numbers: Sequence[int], columns: list[list[Settled]]) -> None:
        good = self._good
        good.numbers.extend(numbers)
        flat, width = good.flat, good.width
        if len(columns) != width:
            raise ValueError(f"{len(columns)} columns for rows of {width}")
        # Each column into its places by one slice assignment, in C: half the time of
        # zipping the columns back into rows. (A column of another length raises.)
        start = len(flat)
        flat.extend([None] * (len(numbers) * width))
        for position, values in enumerate(columns):
            flat[start + position :: width] = values
        self.rows_checked += len(numbers)

    def _accept_mixed(
        self,
        numbers: Sequence[int],
        cells: Sequence[Sequence[CellValue]],
        columns: list[list[Settled]],
        slow: list[int],
        rejected: list[_Rejection],
    ) -> None:
        """Keep a batch whose rows at ``slow`` the column-wise pass could not settle.

        Those rows are checked in one go, apart, and the usable ones go back between
        the settled rows, so the usable rows stay in sheet order.
        """
        apart = GoodRows(self._good.width)
        self._check_each([numbers[i] for i in slow], [cells[i] for i in slow], rejected, apart)
        usable = dict(zip(apart.numbers, range(len(apart)), strict=True))
        settled = list(zip(*columns, strict=True))
        good_numbers, flat, width = self._good.numbers, self._good.flat, self._good.width
        start = 0
        for index in (*slow, len(numbers)):
            if start < index:
                good_numbers.extend(numbers[start:index])
                flat.extend(chain.from_iterable(settled[start:index]))
            if index < len(numbers) and (at := usable.get(numbers[index])) is not None:
                good_numbers.append(numbers[index])
                flat.extend(apart.flat[at * width : (at + 1) * width])
            start = index + 1
        self.rows_checked += len(numbers) - len(slow)  # _check_each counted the rest

    def _check_each(
        self,
        numbers: Sequence[int],
        rows: Sequence[Sequence[CellValue]],
        rejected: list[_Rejection],
        into: GoodRows | None = None,
    ) -> None:
        """Check rows one by one, keeping the usable ones in ``into`` (the checker's own)."""
        # The common cells (a text SKU, an Excel number within range) are settled inline;
        # everything else goes through the column's cache and converter.
        plan = [(c.index, c.fast, c.cache, c.convert, c.upper) for c in self._columns]
        required = self._required
        good = self._good if into is None else into
        number_append = good.numbers.append
        values_extend = good.flat.extend
        rejected_append = rejected.append
        checked = 0
        for number, cells in zip(numbers, rows, strict=True):
            checked += 1
            width = len(cells)
            values: list[StoredValue] = []
            problems: list[tuple[int, str]] | None = None
            waiting: dict[int, NumberReading] | None = None
            for index, fast, cache, convert, upper in plan:
                # Any: ``type(cell) is …`` through a local narrows nothing for mypy, and
                # this loop cannot afford isinstance.
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
                            and text.isascii()
                        ):
                            values.append(text)
                            continue
                elif cell_type is float:
                    if fast is FAST_AMOUNT:
                        # True exactly when the number has at most 2 places (fast_columns.py).
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
                        problems.append((position, self._missing[position]))
            if problems is not None:
                rejected_append((number, problems))
            elif waiting is not None:
                shown = {p: cells[self._columns[p].index] for p in waiting}
                self._waiting.append(_Waiting(number, values, waiting, shown, cells))
            else:
                number_append(number)
                values_extend(values)
        self.rows_checked += checked

    def _reject(self, number: int, problems: list[tuple[int, str]]) -> None:
        self._error_rows.add(number)
        for position, message in sorted(problems):
            column = self._columns[position]
            self._findings.add(
                number, column.header, Severity.ERROR, message, column.spec.name, column.index
            )

    def _warn(self, number: int, position: int, message: Message) -> None:
        column = self._columns[position]
        self._warned_rows.add(number)
        self._findings.add(
            number, column.header, Severity.WARNING, message, column.spec.name, column.index
        )

    def finish(self) -> CheckResult:
        """Settle waiting values, find duplicate SKUs, and return the result."""
        styles = {
            c.spec.name: self._style_of(c)
            for c in self._columns
            if c.spec.type in (ValueKind.MONEY, ValueKind.PERCENT, ValueKind.WHOLE)
        }
        if self._waiting:
            self._settle_waiting()
        at = self._position.get(SKU_FIELD)
        replaced = set() if at is None else replaced_rows(self._good, at, self._warn)
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
                    _("No column for {names}. Name the column {name} (or e.g. “{alias}”).").format(
                        names=names, name=missing[0].name, alias=missing[0].aliases[0]
                    ),
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
                for rule in self._rules:
                    rule.check(entry.number, entry.cells, entry.values)
                settled.append((entry.number, entry.values))
        self._waiting.clear()
        if settled:
            self._good.merge(settled)
