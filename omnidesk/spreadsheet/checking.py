"""Checking a whole sheet: find its header, check every row below it, return the result.

``check_rows`` and ``check_spreadsheet`` put together ``find_header``
(``header.py``) and ``RowChecker`` (``row_checker.py``), which a caller that
needs finer control can also use directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice

from omnidesk.i18n import _
from omnidesk.kinds import ListKind

from .cells import CellValue, SheetRow
from .check_result import CheckResult
from .errors import EmptyFile, HeaderOnly
from .header import find_header
from .numbers import DecimalStyle
from .row_checker import RowChecker
from .schema import schema_for
from .sheet import Batch, Spreadsheet
from .text_columns import ColumnBatch

ProgressCallback = Callable[[int], None]
RowsCallback = Callable[[list[SheetRow]], None]
PROGRESS_EVERY = 10_000
# Rows read and checked at a time: a batch this size stays in the processor's cache
# from the reader's split to the checked values, which halves a million-row check
# against batches of PROGRESS_EVERY (tests/benchmarks/test_spreadsheet_speed.py).
CHECK_EVERY = 1_000
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
    return check_batches(
        _batched(iter(rows), PAUSE_EVERY if pause is not None else CHECK_EVERY),
        kind,
        mapping=mapping,
        header_row=header_row,
        decimal_styles=decimal_styles,
        progress=progress,
        on_rows=on_rows,
        pause=pause,
    )


def check_batches(
    batches: Iterator[Batch],
    kind: ListKind,
    *,
    mapping: Mapping[str | int, str | None] | None = None,
    header_row: int | None = None,
    decimal_styles: Mapping[str, DecimalStyle] | None = None,
    progress: ProgressCallback | None = None,
    on_rows: RowsCallback | None = None,
    pause: Callable[[], None] | None = None,
) -> CheckResult:
    """``check_rows`` over rows as a reader batches them (``Spreadsheet.batches``).

    ``pause`` is called every ``PAUSE_EVERY`` rows read, so batches that size keep a
    window responsive. Rows are checked ``CHECK_EVERY`` at a time whatever the
    batches' size, and handed to ``on_rows`` about ``PROGRESS_EVERY`` at a time.
    """
    schema = schema_for(kind)
    source = _RowSource(batches, pause)
    header, buffered, skipped = find_header(source, schema, mapping, header_row=header_row)
    checker = RowChecker(kind, header, mapping=mapping, decimal_styles=decimal_styles)
    if buffered and on_rows is not None:
        on_rows(buffered)
    checker.check(buffered)
    shown: list[SheetRow] = []  # checked rows not yet handed to on_rows
    told = 0  # rows checked when progress was last told
    for numbers, cells in _grouped(source.rest(), CHECK_EVERY):
        checker.check_batch(numbers, cells)
        if on_rows is not None:
            shown.extend(map(SheetRow, numbers, cells))
        if checker.rows_checked - told >= PROGRESS_EVERY:
            told = checker.rows_checked
            if shown and on_rows is not None:
                on_rows(shown)
                shown = []
            if progress is not None:
                progress(told)
    if shown and on_rows is not None:
        on_rows(shown)
    if checker.rows_checked == 0:
        raise HeaderOnly(
            _("Only a header row (row {row}) was found, no rows with data below it.").format(
                row=header.number
            )
        )
    if progress is not None:
        progress(checker.rows_checked)
    result = checker.finish()
    if skipped:
        result.notes.insert(
            0,
            _("Rows above row {row} were skipped; row {row} is the header.").format(
                row=header.number
            ),
        )
    return result


class _RowSource:
    """Batches read one row at a time while the header is looked for, then as batches."""

    def __init__(self, batches: Iterator[Batch], pause: Callable[[], None] | None) -> None:
        self._batches = batches
        self._pause = pause
        self._read = self._paused = 0
        self._numbers: Sequence[int] = ()
        self._cells: Sequence[Sequence[CellValue]] = ()
        self._at = 0

    def _next_batch(self) -> Batch | None:
        batch = next(self._batches, None)
        if batch is not None and self._pause is not None:
            # Once for every PAUSE_EVERY rows read, as a row-by-row reader would pause.
            self._read += len(batch[0])
            while self._paused < self._read // PAUSE_EVERY:
                self._paused += 1
                self._pause()
        return batch

    def __iter__(self) -> Iterator[SheetRow]:
        return self

    def __next__(self) -> SheetRow:
        while self._at >= len(self._numbers):
            batch = self._next_batch()
            if batch is None:
                raise StopIteration
            (self._numbers, self._cells), self._at = batch, 0
        at = self._at
        self._at += 1
        return SheetRow(self._numbers[at], self._cells[at])

    def rest(self) -> Iterator[Batch]:
        """What the row-by-row reading has not taken, as batches."""
        if self._at < len(self._numbers):
            yield self._numbers[self._at :], self._cells[self._at :]
        while (batch := self._next_batch()) is not None:
            yield batch


def _grouped(batches: Iterator[Batch], size: int) -> Iterator[Batch]:
    """Batches joined (or passed on) so that each holds about ``size`` rows."""
    numbers: list[int] = []
    parts: list[Sequence[Sequence[CellValue]]] = []
    for batch_numbers, batch_cells in batches:
        if not numbers and len(batch_numbers) >= size:
            yield batch_numbers, batch_cells
            continue
        numbers.extend(batch_numbers)
        parts.append(batch_cells)
        if len(numbers) >= size:
            yield numbers, _joined(parts)
            numbers, parts = [], []
    if numbers:
        yield numbers, _joined(parts)


def _joined(parts: list[Sequence[Sequence[CellValue]]]) -> Sequence[Sequence[CellValue]]:
    """Batches' cells as one; columns stay columns if all were, of one width."""
    if len(parts) == 1:
        return parts[0]
    if all(type(part) is ColumnBatch for part in parts):
        batches: list[ColumnBatch] = parts  # type: ignore[assignment]  # all said so
        if len({len(batch.columns) for batch in batches}) == 1:
            return ColumnBatch.joined(batches)
    return list(chain.from_iterable(parts))


def _batched(rows: Iterator[SheetRow], size: int) -> Iterator[Batch]:
    while chunk := list(islice(rows, size)):
        yield [row.number for row in chunk], [row.cells for row in chunk]


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
        result = check_batches(
            sheet.batches(PAUSE_EVERY if pause is not None else CHECK_EVERY),
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
            _("Sheet “{sheet}” of {file}: {problem}").format(
                sheet=sheet.sheet_name, file=sheet.path.name, problem=error.message
            )
        ) from None
    except HeaderOnly as error:
        raise HeaderOnly(f"{sheet.path.name}: {error.message}") from None
    result.file = str(sheet.path)
    result.sheet = sheet.sheet_name
    return result
