"""Settling a whole column of everyday cells at once, in C rather than cell by cell.

A million-row price list is mostly text codes, amounts written one way and a
few choices. Joined into one text, such a column is checked by one regular
expression, and ``map`` converts its cells with no Python step per cell.
``settled_column`` gives the column's checked values when every cell is of that
everyday kind, and ``None`` otherwise: then ``RowChecker``'s comprehensions
decide cell by cell, as before, and the two must agree on every cell they both
settle (``tests/spreadsheet/test_column_checks.py`` compares them on random sheets).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .cell_checks import FAST_AMOUNT, FAST_CODE, FAST_WHOLE, OK, ColumnChecker
from .cells import CellValue
from .numbers import DecimalStyle

# A code the row checker's comprehension would not take as it is, in a column
# joined between "\n"s, one before and one after too: an empty cell or space before
# or after one (it is stripped there), or a digit first and an E later (Excel's
# scientific notation, looked at closely there). Every alternative starts at a line
# break, which keeps the search quick: space after a code is looked for behind the
# next one. (A search for "\s\n" apart tried every character: 54 µs a thousand codes,
# against 31 for this whole pattern.)
_CODE_TROUBLE = re.compile(r"\n(?:\s|[0-9][^\n]*[eE]|(?<=\s\n))")
_SIMPLE_AMOUNTS = re.compile(r"[0-9]+(?:[.,][0-9]{1,2})?(?:\n[0-9]+(?:[.,][0-9]{1,2})?)*")
# Amounts with thousands grouped, as Excel writes them in Türkiye (1.234,50) or in
# London (1,234.50), each beside plain ones written the same way (10,5 or 10.5): the
# last mark is the decimal one, so a column of either kind proves its convention by
# any mark in it. Possessive (++, {1,2}+): a cell that fails at its end cannot match
# another way, and not looking for one makes the pattern several times quicker.
_COMMA_AMOUNT = r"(?:[0-9]{1,3}+(?:\.[0-9]{3})++,[0-9]{1,2}+|[0-9]++(?:,[0-9]{1,2}+)?+)"
_POINT_AMOUNT = r"(?:[0-9]{1,3}+(?:,[0-9]{3})++\.[0-9]{1,2}+|[0-9]++(?:\.[0-9]{1,2}+)?+)"
_COMMA_AMOUNTS = re.compile(_COMMA_AMOUNT + r"(?:\n" + _COMMA_AMOUNT + r")*+")
_POINT_AMOUNTS = re.compile(_POINT_AMOUNT + r"(?:\n" + _POINT_AMOUNT + r")*+")
_WHOLE_NUMBERS = re.compile(r"[0-9]+(?:\n[0-9]+)*")


def settled_column(column: ColumnChecker, raw: Sequence[CellValue]) -> list[Any] | None:
    """The checked values of ``raw`` if every cell is an everyday one, else ``None``."""
    if not raw:
        return []
    fast = column.fast
    if fast is None:
        return _choices(column, raw)
    if len(raw) >= 256 and len(set(raw[:256])) <= 16:
        # A rate or a quantity that repeats (20, 20, 10, 20…): its few distinct values
        # are settled once and looked up, quicker than converting every cell.
        distinct = list(set(raw))
        if len(distinct) * 8 <= len(raw):
            settled = settled_column(column, distinct)
            if settled is None:
                return None
            return list(map(dict(zip(distinct, settled, strict=True)).__getitem__, raw))
    try:
        joined = "\n".join(raw)  # type: ignore[arg-type]  # a TypeError unless all text
    except TypeError:
        return None  # workbook numbers and mixed columns: the comprehensions decide
    texts: Sequence[str] = raw  # type: ignore[assignment]  # all str: join said so
    if joined.count("\n") != len(texts) - 1:
        return None  # a cell holds a line break of its own
    if fast is FAST_CODE:
        if not joined.isascii() or _CODE_TROUBLE.search("\n" + joined + "\n") is not None:
            return None
        return list(texts)
    if fast is FAST_AMOUNT:
        if _SIMPLE_AMOUNTS.fullmatch(joined) is not None:
            amounts = _floats(joined.replace(",", "."))
            if max(amounts) > column.upper:
                return None
            # As the comprehension's texts vote: what a mark proves, once per column.
            if "," in joined:
                column.vote.add(DecimalStyle.COMMA)
            if "." in joined:
                column.vote.add(DecimalStyle.POINT)
            return amounts
        return _grouped_amounts(column, joined)
    if fast is FAST_WHOLE:
        if _WHOLE_NUMBERS.fullmatch(joined) is None:
            return None
        wholes = list(map(int, texts))
        return wholes if max(wholes) <= column.upper else None
    return None


def _floats(amounts: str) -> list[float]:
    """The amounts of ``amounts``, one a line, each digits with at most two decimals
    after a ".".

    ``float`` straight from the text: reading whole cents with ``int`` and dividing by
    100 gives the same doubles but took twice as long (``int`` of a text makes an
    ASCII copy of it first), 0.1 s more on a 1M-row price list.
    """
    return list(map(float, amounts.split("\n")))


def _grouped_amounts(column: ColumnChecker, joined: str) -> list[float] | None:
    """A column with thousands grouped, all in one convention: 1.234,50 and 10,5 alike.

    Each cell votes as the full parser would have it vote (``numbers.read_number``):
    a grouped amount its convention, a plain one by its mark. A column with both
    conventions in it matches neither pattern and is left to the cell-by-cell check.
    """
    if _COMMA_AMOUNTS.fullmatch(joined) is not None:
        style, mark = DecimalStyle.COMMA, ","
        amounts = _floats(joined.replace(".", "").replace(",", "."))
    elif _POINT_AMOUNTS.fullmatch(joined) is not None:
        style, mark = DecimalStyle.POINT, "."
        amounts = _floats(joined.replace(",", ""))
    else:
        return None
    if max(amounts) > column.upper:
        return None
    if mark in joined:
        column.vote.add(style)
    return amounts


def _choices(column: ColumnChecker, raw: Sequence[CellValue]) -> list[Any] | None:
    """Columns of a few distinct values (currencies, units): each is checked once."""
    first = raw[0]
    # One currency, one unit (the common file): text equals only text, so a count,
    # which compares without hashing a million cells, says they are all the same.
    distinct = {first} if type(first) is str and raw.count(first) == len(raw) else set(raw)
    if any(type(value) is bool for value in distinct):
        return None  # True == 1 == 1.0 would share an outcome with a number
    cache = column.cache
    for value in distinct.difference(cache):
        column.convert(value)
    outcomes: dict[CellValue, Any] = {}
    for value in distinct:
        known = cache.get(value)
        if known is None or known[0] != OK:
            return None  # not remembered (the cache is full) or not usable: cell by cell
        outcomes[value] = known[1]
    if len(outcomes) == 1:  # one currency, one unit: the common file
        return [*outcomes.values()] * len(raw)
    return list(map(outcomes.__getitem__, raw))
