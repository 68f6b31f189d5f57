"""Delimited text files (csv, tsv, txt, and the ``.xls`` that ERPs write as text)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from omnidesk.i18n import _
from omnidesk.i18n import number as figure  # ``number`` is a row's, here

from .cells import SheetRow
from .csv_text import TextFormat, detect_encoding, sniff_delimiter
from .errors import EmptyFile, SheetNotFound, TooLarge, UnreadableFile
from .limits import ReadLimits
from .sheet import Batch, SheetInfo, Spreadsheet
from .text_columns import ColumnBatch, plain_pieces

_SEP_DIRECTIVE = re.compile(r"\ufeff?sep=(.)\r?\n", re.IGNORECASE)


class TextSheet(Spreadsheet):
    """A delimited text file, decoded and split as it streams."""

    file_type = "csv"

    def __init__(self, path: Path, sheet: str | None, limits: ReadLimits) -> None:
        self.path = path
        self._limits = limits
        encoding = detect_encoding(path)
        with path.open(encoding=encoding, newline="", errors="replace") as handle:
            sample = handle.read(64 * 1024)
        if not sample.strip():
            raise EmptyFile(_("{name} holds no data, only blank lines.").format(name=path.name))
        preferred = "\t" if path.suffix.lower() == ".tsv" else ","
        directive = _SEP_DIRECTIVE.match(sample)
        # Excel writes “sep=;” as a first line for other locales, obeys it and hides it.
        self._skip_first_line = directive is not None
        delimiter = directive.group(1) if directive else sniff_delimiter(sample, preferred)
        self.text_format: TextFormat | None = TextFormat(encoding, delimiter)
        self.sheet_name = path.stem
        self.sheets: tuple[SheetInfo, ...] = (SheetInfo(self.sheet_name, False),)
        if sheet is not None and sheet.casefold() != self.sheet_name.casefold():
            raise SheetNotFound(
                _(
                    "{name} is a text file with a single sheet (“{only}”); it has no sheet "
                    "named “{wanted}”."
                ).format(name=path.name, only=self.sheet_name, wanted=sheet)
            )

    def rows(self) -> Iterator[SheetRow]:
        assert self.text_format is not None
        limits = self._limits
        number = lines = 0
        reader = None
        try:
            with self.path.open(encoding=self.text_format.encoding, newline="") as handle:
                if self._skip_first_line:
                    handle.readline()
                reader = csv.reader(handle, delimiter=self.text_format.delimiter)
                for number, cells in enumerate(reader, 1):
                    lines = reader.line_num
                    if not cells:
                        continue
                    if len(cells) > limits.max_columns:
                        raise TooLarge(
                            _(
                                "Row {row} of {name} has {columns} columns; OmniDesk reads up "
                                "to {limit} columns."
                            ).format(
                                row=number,
                                name=self.path.name,
                                columns=figure(len(cells)),
                                limit=figure(limits.max_columns),
                            ),
                            limit_name="max_columns",
                            limit=limits.max_columns,
                        )
                    if number > limits.max_rows:
                        raise TooLarge(
                            _(
                                "{name} has more than {limit} rows, the most OmniDesk checks at "
                                "a time. Split it into smaller files."
                            ).format(name=self.path.name, limit=figure(limits.max_rows)),
                            limit_name="max_rows",
                            limit=limits.max_rows,
                        )
                    if cells.count("") != len(cells):
                        yield SheetRow(number, cells)
        except UnicodeDecodeError:
            raise UnreadableFile(
                _(
                    "{name} changes its text encoding after row {row}. Save it again as "
                    "“CSV UTF-8” and try again."
                ).format(name=self.path.name, row=number)
            ) from None
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise self._long_cell(
                    number + 1, reader.line_num - lines if reader else 0
                ) from None
            raise UnreadableFile(
                _(
                    "Row {row} of {name} cannot be split into columns ({error}). A quote mark "
                    "may be missing its partner."
                ).format(row=number + 1, name=self.path.name, error=error)
            ) from None

    def batches(self, size: int) -> Iterator[Batch]:
        """The rows ``size`` at a time, their numbers a ``range`` where nothing was skipped.

        Lines without quotes come split into columns by ``text_columns.plain_pieces``;
        the rest as the csv module's rows, handed on as the reader made them when all
        are non-empty and within the limits (nearly all), else sifted row by row. An
        undecodable byte or a broken quote is reported, with its exact row, by
        reading the file again the slow way (``rows``).
        """
        assert self.text_format is not None
        limits = self._limits
        delimiter = self.text_format.delimiter
        number = 0
        first = 1  # the first row not handed on yet
        try:
            with self.path.open(encoding=self.text_format.encoding, newline="") as handle:
                if self._skip_first_line:
                    handle.readline()
                for piece in plain_pieces(handle, delimiter, size):
                    if isinstance(piece, ColumnBatch):
                        first, number = number + 1, number + len(piece)
                        if len(piece.columns) > limits.max_columns or number > limits.max_rows:
                            break  # rows() says which row goes past which limit
                        yield range(first, number + 1), piece
                        first = number + 1
                        continue
                    reader = csv.reader(piece, delimiter=delimiter)
                    while chunk := list(islice(reader, size)):
                        first, number = number + 1, number + len(chunk)
                        widths = set(map(len, chunk))
                        if max(widths) > limits.max_columns or number > limits.max_rows:
                            break
                        yield self._sifted(first, number, chunk, widths)
                        first = number + 1
                    else:
                        continue
                    break
                else:
                    return
        except (UnicodeDecodeError, csv.Error):
            pass
        # Only a refusal is left to come: rows() raises it with the row it concerns.
        replay = self.rows()
        for row in replay:
            if row.number >= first:
                yield [row.number], [row.cells]
        raise AssertionError("rows() read the file to its end")  # pragma: no cover

    @staticmethod
    def _sifted(first: int, last: int, chunk: list[list[str]], widths: set[int]) -> Batch:
        """Rows ``first``..``last`` of the csv module without the empty ones."""
        # No row empty ([] or every cell ""); for rows of one width the test is a
        # comparison in C, which fails at the first cell of a real row.
        width = next(iter(widths))
        if [""] * width not in chunk if len(widths) == 1 and width else all(map(any, chunk)):
            return range(first, last + 1), chunk
        kept = [(n, cells) for n, cells in enumerate(chunk, first) if any(cells)]
        return [n for n, _ in kept], [cells for _, cells in kept]

    def _long_cell(self, number: int, lines: int) -> UnreadableFile:
        """A cell past the csv module's limit (131,072 characters): say which kind it is."""
        limit = csv.field_size_limit()
        if lines > 1:
            # Across many lines: the rows after a lone quote mark, read as one cell.
            return UnreadableFile(
                _(
                    "Row {row} of {name} has a cell that runs over {lines} lines and more "
                    'than {limit} characters: a quote mark (") in that row is probably '
                    "missing its partner, so the rows after it were read into one cell. Fix "
                    "the quote and save again."
                ).format(row=number, name=self.path.name, lines=figure(lines), limit=figure(limit))
            )
        return UnreadableFile(
            _(
                "Row {row} of {name} has a cell of more than {limit} characters on one line, "
                "far longer than any price or stock list needs (OmniDesk reads cells up to "
                "that length). Shorten or delete that cell and save again."
            ).format(row=number, name=self.path.name, limit=figure(limit))
        )

    def close(self) -> None:
        """Nothing stays open between ``rows()`` calls."""
