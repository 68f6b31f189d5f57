"""How a draft opens its file: the whole sheet, or only some of its rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from omnidesk.spreadsheet import SheetRow, Spreadsheet, open_spreadsheet


@dataclass(frozen=True)
class OnlyRows:
    """Some rows of a file: those numbered in ``rows``, below the header at ``header_row``."""

    header_row: int
    rows: frozenset[int]


class RowsOnly(Spreadsheet):
    """A sheet that gives its header (and the title rows above it) and the chosen rows."""

    def __init__(self, sheet: Spreadsheet, only: OnlyRows) -> None:
        self.inner, self.only = sheet, only
        self.path, self.file_type = sheet.path, sheet.file_type
        self.sheets, self.sheet_name = sheet.sheets, sheet.sheet_name
        self.text_format = sheet.text_format

    def rows(self) -> Iterator[SheetRow]:
        header, keep = self.only.header_row, self.only.rows
        return (row for row in self.inner.rows() if row.number <= header or row.number in keep)

    def close(self) -> None:
        self.inner.close()


def open_with_preview(
    path: Path, sheet_name: str | None, only_rows: OnlyRows | None
) -> tuple[Spreadsheet, list[SheetRow]]:
    sheet: Spreadsheet = open_spreadsheet(path, sheet=sheet_name)
    if only_rows is not None:
        sheet = RowsOnly(sheet, only_rows)
    try:
        return sheet, sheet.preview()
    except BaseException:
        sheet.close()
        raise
