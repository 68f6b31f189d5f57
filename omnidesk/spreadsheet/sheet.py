"""What an opened spreadsheet offers, whatever file it came from.

``Spreadsheet`` is one chosen sheet of an opened file; ``workbook.py`` (calamine)
and ``text_file.py`` (delimited text) implement it, and ``reading.open_spreadsheet``
decides which one a file gets.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from .cells import CellValue, SheetRow
from .csv_text import TextFormat

Batch = tuple[Sequence[int], Sequence[Sequence[CellValue]]]
"""Rows as a reader has them: their sheet row numbers, and their cells."""

PREVIEW_ROWS = 100


@dataclass(frozen=True, slots=True)
class SheetInfo:
    name: str
    hidden: bool


class Spreadsheet(ABC):
    """An opened file with one chosen sheet (a CSV file has exactly one).

    Use it as a context manager, or call ``close()``.
    """

    path: Path
    file_type: str  # the format read, e.g. "xlsx" or "csv", whatever the name says
    sheets: tuple[SheetInfo, ...]
    sheet_name: str
    text_format: TextFormat | None = None  # encoding and delimiter, for text files only

    @abstractmethod
    def rows(self) -> Iterator[SheetRow]:
        """Non-empty rows in order; each call starts again from the top."""

    def batches(self, size: int) -> Iterator[Batch]:
        """``rows()`` up to ``size`` at a time, without a ``SheetRow`` for each.

        What the check reads; a reader whose rows are lists already gives them as
        they are (``TextSheet``), which saves a million objects on a million rows.
        """
        rows = self.rows()
        try:
            while chunk := list(islice(rows, size)):
                yield [row.number for row in chunk], [row.cells for row in chunk]
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()

    def preview(self, count: int = PREVIEW_ROWS) -> list[SheetRow]:
        """The first ``count`` non-empty rows, header included."""
        rows = self.rows()
        try:
            return list(islice(rows, count))
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()

    @abstractmethod
    def close(self) -> None:
        """Release the file; the sheet cannot be read afterwards."""

    def __enter__(self) -> Spreadsheet:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
