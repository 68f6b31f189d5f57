"""A list's contents as a spreadsheet that the import reads back with no changes.

The columns are the import's own (the kind's schema: ``product__sku``, ``price``…),
amounts are real numbers in a workbook, and a CSV is written the way the Excel of
the person's locale reads one: ``;`` and a decimal comma where the comma is the
decimal mark (Turkish), ``,`` and a point elsewhere. The window's export and
``omnidesk export`` both write through here.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from omnidesk.api import AnyContents, OmnitronClient
from omnidesk.kinds import ListKind, info
from omnidesk.spreadsheet import SKU_FIELD, CleanValue, ValueKind, schema_for, upload_text
from omnidesk.spreadsheet.formulas import csv_safe

from .catalogue import product_names

if TYPE_CHECKING:
    from openpyxl.cell import Cell

NAME_FIELD = "product__name"  # informational: the import reads past it
for _kind in ListKind:
    schema_for(_kind).field(NAME_FIELD)  # every kind's import has it: KeyError otherwise


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV separates its fields and writes its decimals."""

    delimiter: str
    decimal: str


# What Excel reads when the system's decimal mark is a comma (Turkish, German…): Excel
# then takes ``;`` for the field separator, and ``1709,99`` for a number.
DECIMAL_COMMA_CSV = CsvStyle(";", ",")
DECIMAL_POINT_CSV = CsvStyle(",", ".")


def csv_style_for(decimal_mark: str) -> CsvStyle:
    """The CSV a spreadsheet program opens correctly under a locale with this decimal mark."""
    return DECIMAL_COMMA_CSV if decimal_mark == "," else DECIMAL_POINT_CSV


# What makes a spreadsheet program take a CSV cell for a formula (OWASP's list).
def export_fields(kind: ListKind) -> tuple[str, ...]:
    """The import's columns a list's contents fill: the SKU, the name, the compared fields."""
    return (SKU_FIELD, NAME_FIELD, *(spec.name for spec in schema_for(kind).compared))


def field_value(row: AnyContents, field: str, names: Mapping[str, str]) -> CleanValue:
    """One row's value for one import column, as the server has it (never rounded)."""
    sku = row.product_sku or ""
    if field == SKU_FIELD:
        return sku
    if field == NAME_FIELD:
        return names.get(sku) or None
    value: CleanValue = getattr(row, field)
    return value


def write_export(
    path: Path,
    kind: ListKind,
    fields: Sequence[str],
    rows: Iterable[Sequence[CleanValue]],
    *,
    style: CsvStyle | None = None,
) -> int:
    """Write the rows under the import's own headers (.xlsx, or .csv in ``style``);
    returns how many. Plain disk work: run it in a worker."""
    schema = schema_for(kind)
    types = [schema.field(name).type for name in fields]
    if path.suffix.lower() == ".csv":
        return _write_csv(path, fields, types, rows, style or DECIMAL_POINT_CSV)
    # openpyxl only now: a tenth of a second that the window's start need not wait for.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(info(kind).contents_title)
    bold = Font(bold=True)
    header = []
    for name in fields:
        cell = WriteOnlyCell(sheet, name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for values in rows:
        sheet.append(
            [
                _xlsx_cell(sheet, value, kind_, WriteOnlyCell)
                for value, kind_ in zip(values, types, strict=True)
            ]
        )
        count += 1
    workbook.save(path)
    return count


def _xlsx_cell(
    sheet: object, value: CleanValue, value_type: ValueKind, new_cell: Callable[..., Cell]
) -> object:
    if value is None:
        return None
    cell = new_cell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: "=A1" is a code, not a formula
        cell.number_format = "@"  # and Excel keeps it so when it is edited: 000123 stays
    elif value_type is ValueKind.MONEY:
        cell.number_format = "0.00"
    return cell


def _write_csv(
    path: Path,
    fields: Sequence[str],
    types: Sequence[ValueKind],
    rows: Iterable[Sequence[CleanValue]],
    style: CsvStyle,
) -> int:
    count = 0
    # UTF-8 with a byte-order mark: Excel on Windows then reads Turkish letters right.
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=style.delimiter, lineterminator="\r\n")
        writer.writerow(fields)
        for values in rows:
            writer.writerow(
                [_csv_text(value, kind_, style) for value, kind_ in zip(values, types, strict=True)]
            )
            count += 1
    return count


def _csv_text(value: CleanValue, value_type: ValueKind, style: CsvStyle) -> object:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return upload_text(value, value_type).replace(".", style.decimal)
    return csv_safe(upload_text(value, value_type))


async def export_list(
    client: OmnitronClient, kind: ListKind, list_pk: int, path: Path, style: CsvStyle | None
) -> int:
    """Every row of a list, in the server's order, written to ``path``; how many."""
    rows = [row async for row in client.contents(kind).iterate(list_pk)]
    names = await product_names(client, (row.product_sku or "" for row in rows))
    fields = export_fields(kind)
    values = [[field_value(row, field, names) for field in fields] for row in rows]
    return await asyncio.to_thread(write_export, path, kind, fields, values, style=style)
