"""Splitting plain delimited text into columns in C, for the rows ``csv`` would read the same.

Most CSV files that reach OmniDesk hold no quote mark at all: every line is one
row and every delimiter separates two cells. For such lines, joining them with the
delimiter and splitting once gives every cell of a batch in one C call, and every
n-th cell is a column: a million rows cost about what ``csv.reader`` costs to
throw them away, and the check gets its columns without a row list per row.

``plain_pieces`` cuts what a text file holds into batches of lines. A batch of
lines of one width with no empty row becomes a ``ColumnBatch``; any other batch
is handed back as lines for ``csv.reader``; from the first quote mark, NUL or lone
carriage return on, the rest of the file is handed back as one stream of lines
for ``csv.reader``, which alone knows quoting. The row numbers are the same
either way: one per line, as ``csv.reader`` counts records without quotes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, repeat
from typing import IO, overload

from .cells import CellValue

_BLOCK = 1 << 20  # characters read at a time
# What only csv.reader reads right: quoting, NUL, and a carriage return on its own
# (an old Mac line end, or one inside a cell).
_UNSPLITTABLE = ('"', "\x00")


class ColumnBatch(Sequence[list[CellValue]]):
    """Rows of one width, held as columns: ``columns[j][i]`` is cell ``j`` of row ``i``.

    Read as a sequence it gives each row as a list, as ``csv.reader`` would; the
    check takes ``columns`` as they are.
    """

    __slots__ = ("_length", "columns")

    def __init__(self, columns: list[list[CellValue]], length: int) -> None:
        self.columns = columns
        self._length = length

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> list[CellValue]: ...
    @overload
    def __getitem__(self, index: slice) -> ColumnBatch: ...
    def __getitem__(self, index: int | slice) -> list[CellValue] | ColumnBatch:
        if isinstance(index, slice):
            length = len(range(*index.indices(self._length)))
            return ColumnBatch([column[index] for column in self.columns], length)
        return [column[index] for column in self.columns]

    def __iter__(self) -> Iterator[list[CellValue]]:
        return map(list, zip(*self.columns, strict=True))

    @staticmethod
    def joined(batches: Sequence[ColumnBatch]) -> ColumnBatch:
        """Batches of one width as one batch."""
        parts = zip(*(batch.columns for batch in batches), strict=True)
        columns = [list(chain.from_iterable(part)) for part in parts]
        return ColumnBatch(columns, sum(map(len, batches)))


def plain_pieces(
    handle: IO[str], delimiter: str, size: int
) -> Iterator[ColumnBatch | list[str] | Iterable[str]]:
    """What ``handle`` holds from where it is: ``ColumnBatch``es, lists of lines, a stream.

    A ``ColumnBatch`` and a list of lines (without their line ends) each hold up to
    ``size`` rows; a stream, if one comes, is the last piece and holds every line
    left, ends included. Lines for ``csv.reader`` read exactly as they would
    straight from the file.
    """
    if delimiter in ('"', "\r", "\n", "\x00"):
        yield handle
        return
    pending: list[str] = []  # lines of the last block that did not fill a batch
    limit = csv.field_size_limit()
    while block := handle.read(_BLOCK):
        if not block.endswith("\n"):
            # Whole lines only; a "\r" at the end may be the first half of a "\r\n".
            block += handle.readline()
        text = block
        if any(mark in text for mark in _UNSPLITTABLE) or (
            "\r" in text and text.count("\r") != text.count("\r\n")
        ):
            head = "\n".join(pending) + "\n" if pending else ""
            yield chain(io.StringIO(head + block, newline=""), handle)
            return
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
        if pending:
            lines = pending + lines
        full = len(lines) - len(lines) % size
        for start in range(0, full, size):
            yield _split(lines[start : start + size], delimiter, limit)
        pending = lines[full:]
    if pending:
        yield _split(pending, delimiter, limit)


def _split(lines: list[str], delimiter: str, limit: int) -> ColumnBatch | list[str]:
    """Lines of one width as columns; any other lines as they are, for ``csv.reader``."""
    counts = set(map(str.count, lines, repeat(delimiter)))
    if len(counts) != 1:
        return lines
    width = counts.pop() + 1
    # An empty row (no cell but "") is skipped by the reader; a cell past the csv
    # module's limit is refused by it: both are for csv.reader to say.
    if delimiter * (width - 1) in lines:
        return lines
    text = delimiter.join(lines)
    if len(text) > limit and max(map(len, lines)) > limit:
        return lines
    cells: list[CellValue] = text.split(delimiter)  # type: ignore[assignment]
    return ColumnBatch([cells[j::width] for j in range(width)], len(lines))
