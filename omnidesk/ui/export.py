"""Writing what a table shows to .xlsx or .csv (plain Python: it runs in a worker thread)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl


def write_table(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if path.suffix.lower() == ".csv":
        # UTF-8 with BOM: Excel on Windows then shows Turkish letters correctly.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(headers)
            writer.writerows(["" if v is None else v for v in row] for row in rows)
        return
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
