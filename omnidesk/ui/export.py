"""Writing what a table shows to .xlsx or .csv (plain Python: it runs in a worker thread).

A list name, code or SKU comes from the server and may be anything a person typed,
``=cmd|' /C calc'!A0`` included: both formats write it as text a spreadsheet shows,
never as a formula it runs (``spreadsheet.writing.csv_safe`` and ``text_cell``).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

from omnidesk.spreadsheet.writing import csv_safe, text_cell


def write_table(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if path.suffix.lower() == ".csv":
        # UTF-8 with BOM: Excel on Windows then shows Turkish letters correctly.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            # Every cell quoted: Excel in a Turkish locale splits a .csv on ";", and a
            # cell "a;=cmd…" would otherwise start a cell of its own with "=".
            writer = csv.writer(out, quoting=csv.QUOTE_ALL)
            writer.writerow([csv_safe(h) for h in headers])
            writer.writerows([csv_safe("" if v is None else v) for v in row] for row in rows)
        return
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    sheet.append([text_cell(sheet, h) for h in headers])
    for row in rows:
        sheet.append([text_cell(sheet, v) for v in row])
    workbook.save(path)
