"""Exporting what a table shows, in its on-screen order and filter, to .xlsx or .csv.

A list's contents are written in the import's own columns with real numbers
(omnidesk/imports/exporting.py), so the file imports back with nothing changed; a
table of lists is written as it reads. A CSV is split and punctuated as the Excel of
the person's locale reads one (``;`` and decimal commas under Turkish), or as chosen.

A list name, code or SKU comes from the server and may be anything a person typed,
``=cmd|' /C calc'!A0`` included: both formats write it as text a spreadsheet shows,
never as a formula it runs (``spreadsheet.formulas.csv_safe``, ``writing.text_cell``).
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QSortFilterProxyModel
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableView, QWidget

from omnidesk.i18n import _
from omnidesk.imports.exporting import (
    DECIMAL_COMMA_CSV,
    DECIMAL_POINT_CSV,
    CsvStyle,
    csv_style_for,
    field_value,
    write_export,
)
from omnidesk.kinds import ListKind
from omnidesk.spreadsheet.formulas import csv_safe

from .memory import EXPORT, in_last_folder, remember_folder
from .paged_model import PagedTableModel
from .tasks import BackgroundTasks


def write_table(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A table as it reads (the lists): plain disk work, for a worker thread."""
    if path.suffix.lower() == ".csv":
        # UTF-8 with BOM: Excel on Windows then shows Turkish letters correctly.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            # Every cell quoted: Excel in a Turkish locale splits a .csv on ";", and a
            # cell "a;=cmd…" would otherwise start a cell of its own with "=".
            writer = csv.writer(out, quoting=csv.QUOTE_ALL)
            writer.writerow([csv_safe(h) for h in headers])
            writer.writerows([csv_safe("" if v is None else v) for v in row] for row in rows)
        return
    # openpyxl only now: a tenth of a second that the window's start need not wait for.
    import openpyxl

    from omnidesk.spreadsheet.writing import text_cell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    sheet.append([text_cell(sheet, h) for h in headers])
    for row in rows:
        sheet.append([text_cell(sheet, v) for v in row])
    workbook.save(path)


def locale_csv() -> CsvStyle:
    return csv_style_for(QLocale().decimalPoint())


class Exporter:
    """Saves every row a table shows (loading the rest first), in its order and filter."""

    def __init__(
        self,
        owner: QWidget,
        model: PagedTableModel[Any],
        tasks: BackgroundTasks,
        *,
        table: QTableView | None = None,
        kind: ListKind | None = None,
    ) -> None:
        """``kind``: a list's contents, written in that kind's import columns."""
        self.owner, self.model, self.tasks = owner, model, tasks
        self.table, self.kind = table, kind
        self.dialog: QFileDialog | None = None
        self.box: QMessageBox | None = None
        self.filters = {
            _("Excel workbook (*.xlsx)"): None,
            _("CSV for Excel with ; and decimal commas (*.csv)"): DECIMAL_COMMA_CSV,
            _("CSV with , and decimal points (*.csv)"): DECIMAL_POINT_CSV,
        }

    def ask(self, suggested_name: str) -> None:
        # open(), never exec(): a nested event loop would stall every running request.
        self.dialog = QFileDialog(self.owner, _("Export"), in_last_folder(EXPORT, suggested_name))
        self.dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        names = list(self.filters)
        if locale_csv() is DECIMAL_POINT_CSV:  # the locale's own CSV first among the CSVs
            names = [names[0], names[2], names[1]]
        self.dialog.setNameFilters(names)
        self.dialog.setDefaultSuffix("xlsx")
        self.dialog.fileSelected.connect(self._chosen)
        self.dialog.open()

    def _chosen(self, path: str) -> None:
        assert self.dialog is not None
        remember_folder(EXPORT, Path(path))
        style = self.filters.get(self.dialog.selectedNameFilter()) or locale_csv()
        self.tasks.start(self.export(Path(path), style))

    def shown_rows(self) -> list[Any]:
        """The model's rows in the order (and through the filter) the view shows them."""
        view = self.table.model() if self.table is not None else None
        if not isinstance(view, QSortFilterProxyModel):
            return list(self.model.rows)
        return [
            self.model.row(view.mapToSource(view.index(r, 0)).row()) for r in range(view.rowCount())
        ]

    def shown_columns(self) -> list[int]:
        """The model's columns left to right as the header shows them, hidden ones left out."""
        if self.table is None:
            return list(range(len(self.model.columns)))
        header = self.table.horizontalHeader()
        logical = [header.logicalIndex(v) for v in range(header.count())]
        return [c for c in logical if not header.isSectionHidden(c)]

    async def export(self, path: Path, style: CsvStyle | None = None) -> bool:
        if not await self.model.load_all():
            self._tell(_("The export stopped: {why}").format(why=self.model.error))
            return False
        columns = [self.model.columns[c] for c in self.shown_columns()]
        rows = self.shown_rows()
        try:
            if self.kind is not None:
                fields = [c.field for c in columns if c.field is not None]
                names: dict[str, str] = getattr(self.model, "names", {})
                values = [[field_value(row, f, names) for f in fields] for row in rows]
                await asyncio.to_thread(
                    write_export, path, self.kind, fields, values, style=style or locale_csv()
                )
            else:
                headers = [_(c.title) for c in columns]
                table = [[c.export_value(row) for c in columns] for row in rows]
                await asyncio.to_thread(write_table, path, headers, table)
        except OSError as problem:
            self._tell(
                _("{name} could not be written: {why}.").format(
                    name=path.name, why=problem.strerror or problem
                )
            )
            return False
        return True

    def _tell(self, text: str) -> None:
        self.box = QMessageBox(QMessageBox.Icon.Warning, _("Export"), text, parent=self.owner)
        self.box.open()
