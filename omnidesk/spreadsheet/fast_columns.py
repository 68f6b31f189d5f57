"""The column-wise pass of the check: a batch's everyday cells settled a column at a time.

``RowChecker`` (``row_checker.py``) first hands a batch to ``fast_columns``: list
comprehensions (and ``column_checks.settled_column``, in C) settle a plain text
SKU, an Excel number within range and a remembered choice several times faster
than the row loop. A cell they cannot settle becomes ``SLOW`` and its row goes
through ``RowChecker._check_each``, which must agree on every cell both settle.

These loops are what a million-row check spends its time in, and are written for
speed: see ``tests/benchmarks/test_spreadsheet_speed.py`` before changing them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .cell_checks import FAST_AMOUNT, FAST_CODE, FAST_WHOLE, OK, SIMPLE_AMOUNT, ColumnChecker
from .cells import CellValue
from .column_checks import settled_column
from .numbers import DecimalStyle
from .text_columns import ColumnBatch

SLOW = object()  # a cell the column-wise pass leaves to the row loop
# What a column of the column-wise pass holds: checked values, and ``SLOW`` until the
# rows with one are taken out. Any, because no annotation can follow that hand-over.
Settled = Any

# _whole_cents: for 0 <= x <= 1e12, ``int(x * 100 + 0.5) / 100 == x`` holds exactly when
# x is the float nearest to some amount with at most 2 decimal places: the rounding
# error of x * 100 stays far below 0.5 there, and dividing the whole number of cents
# by 100 gives the nearest float to that amount. It is two to three times cheaper
# than round(x, 2) or repr(), which matters on a million prices.


def slow_rows(columns: list[list[Settled]]) -> list[int]:
    """Positions of rows with at least one cell the column-wise pass could not settle."""
    marked: set[int] = set()
    for values in columns:
        if SLOW in values:
            marked.update(i for i, value in enumerate(values) if value is SLOW)
    return sorted(marked)


def fast_columns(
    checkers: Sequence[ColumnChecker], cells: Sequence[Sequence[CellValue]]
) -> tuple[list[list[Settled]], list[list[Settled]]] | None:
    """The batch column by column, with the everyday cells already settled.

    List comprehensions settle a plain text SKU, an Excel number within range and
    a remembered choice several times faster than the row loop; a cell they cannot
    settle becomes ``SLOW`` and its row goes through ``_check_each``. Returns the
    columns and, of them, those that may hold a ``SLOW`` (for ``slow_rows``).
    """
    columns: list[list[Settled]] = []
    unsure: list[list[Settled]] = []
    if not cells:
        return [[] for _ in checkers], []
    # Rows of one width (every workbook, most text files) turn into columns in C,
    # unless the reader split them into columns already.
    whole: Sequence[Sequence[CellValue]] | None
    if type(cells) is ColumnBatch:
        whole = cells.columns
    else:
        widths = set(map(len, cells))
        whole = list(zip(*cells, strict=True)) if len(widths) == 1 else None
    for column in checkers:
        index, upper = column.index, column.upper
        if whole is not None and index < len(whole):
            raw: Sequence[CellValue] = whole[index]
        else:
            try:
                raw = [row[index] for row in cells]
            except IndexError:
                return None  # short rows (text files); the row loop handles them
        settled = settled_column(column, raw)
        if settled is not None:
            columns.append(settled)
            continue
        empty = SLOW if column.spec.required else None
        fast = column.fast
        if (fast is FAST_AMOUNT or fast is FAST_WHOLE) and (
            floats := _few_good_numbers(column, raw)
        ) is not None:
            columns.append(list(floats) if fast is FAST_AMOUNT else list(map(int, floats)))
            continue
        if fast is FAST_CODE:
            # Non-ASCII codes go the long way: an invisible character or an
            # Arabic-Indic digit would make them differ from Omnitron's.
            values = [
                text
                if type(c) is str
                and (text := c.strip())
                and (not text[0].isdigit() or ("e" not in text and "E" not in text))
                and "\n" not in text
                and text.isascii()
                else SLOW
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
                        else SLOW
                    )
                )
                for c in raw
            ]
            _vote_for_texts(column, raw, values)
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
                        else SLOW
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
                else (empty if c == "" or c is None else SLOW)
                for c in raw
            ]
        columns.append(values)
        unsure.append(values)
    return columns, unsure


def _few_good_numbers(column: ColumnChecker, raw: Sequence[CellValue]) -> Sequence[float] | None:
    """``raw`` if it is workbook numbers, a few repeated (tax rates), all settled as they are.

    Each distinct number is tried once, as the comprehensions would try every cell;
    floats only, so that no two cells that are equal differ in what they hold.
    """
    if len(raw) < 256 or len(set(raw[:256])) > 16 or set(map(type, raw)) != {float}:
        return None
    floats: Sequence[float] = raw  # type: ignore[assignment]  # all float: said above
    distinct = set(floats)
    if len(distinct) * 8 > len(floats):
        return None
    upper = column.upper
    if column.fast is FAST_AMOUNT:
        good = all(0.0 <= c <= upper and int(c * 100.0 + 0.5) / 100.0 == c for c in distinct)
    else:
        good = all(0.0 <= c <= upper and c.is_integer() for c in distinct)
    return floats if good else None


def _vote_for_texts(column: ColumnChecker, raw: Sequence[CellValue], values: list[Settled]) -> None:
    """What the row loop's ``_simple_text`` would vote for the texts settled here."""
    vote = column.vote
    if (vote.point and vote.comma) or str not in set(map(type, raw)):
        return
    texts = {c for c, v in zip(raw, values, strict=True) if type(c) is str and v is not SLOW}
    if not vote.comma and any("," in text for text in texts):
        vote.add(DecimalStyle.COMMA)
    if not vote.point and any("." in text for text in texts):
        vote.add(DecimalStyle.POINT)
