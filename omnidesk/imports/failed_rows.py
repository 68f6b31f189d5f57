"""The rows of a person's file that did not make it, as a CSV to fix and import again.

Each row as the person's own file has it (their header, their cells), with a last
column saying what went wrong: a refusal by the server, or the check holding it back.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from omnidesk.i18n import _
from omnidesk.spreadsheet import CellValue, cell_text, headers_of, open_spreadsheet
from omnidesk.spreadsheet.formulas import csv_safe

from .exporting import DECIMAL_POINT_CSV, CsvStyle
from .workflow import RowProblem


def write_failed_rows(
    source: Path,
    sheet: str | None,
    header_row: int,
    problems: Sequence[RowProblem],
    out: Path,
    *,
    style: CsvStyle = DECIMAL_POINT_CSV,
) -> int:
    """Write the rows named in ``problems`` (every sheet row once, its problems joined)
    below the file's own header, with a ``problem`` column; returns the rows written.
    Plain disk work: run it in a worker."""
    said: dict[int, list[str]] = {}
    for problem in problems:
        if problem.row is not None:
            words = f"{problem.column}: {problem.message}" if problem.column else problem.message
            said.setdefault(problem.row, []).append(words)
    written = 0
    with (
        open_spreadsheet(source, sheet=sheet) as opened,
        out.open("w", encoding="utf-8-sig", newline="") as handle,
    ):
        writer = csv.writer(handle, delimiter=style.delimiter, lineterminator="\r\n")
        for row in opened.rows():
            if row.number == header_row:
                writer.writerow([*(csv_safe(h) for h in headers_of(row)), _("problem")])
            elif row.number in said:
                cells = [_text(cell, style) for cell in row.cells]
                writer.writerow([*cells, csv_safe(" · ".join(said[row.number]))])
                written += 1
    return written


def _text(cell: CellValue, style: CsvStyle) -> object:
    # A plain number in the person's decimal mark, so their spreadsheet reads it as one;
    # a cell with a look of its own (000123, 8.5 %) as it was shown.
    if type(cell) is float and not cell.is_integer():
        return format(Decimal(repr(cell)), "f").replace(".", style.decimal)
    if isinstance(cell, float | int | datetime.date):
        return cell_text(cell)
    return csv_safe(cell_text(cell))
