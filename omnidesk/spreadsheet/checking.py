"""Checking a whole sheet: find its header, check every row below it, return the result.

``check_rows`` and ``check_spreadsheet`` put together ``find_header``
(``header.py``) and ``RowChecker`` (``row_checker.py``), which a caller that
needs finer control can also use directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice

from omnidesk.kinds import ListKind

from .cells import SheetRow
from .check_result import CheckResult
from .errors import EmptyFile, HeaderOnly
from .header import find_header
from .numbers import DecimalStyle
from .row_checker import RowChecker
from .schema import schema_for
from .sheet import Spreadsheet

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
