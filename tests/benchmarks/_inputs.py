# ruff: noqa: E501 - the package boilerplate is clearer on one line per part
"""Large price and stock files for the benchmarks, written quickly and realistically.

openpyxl needs about a minute for a million rows, so the .xlsx files are written
as raw SpreadsheetML the way Excel lays it out: text in a shared-string table,
numbers as numeric cells, every cell with its reference.
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

PRICE_HEADER = [
    "product__sku", "product__name", "price_list__name", "currency_type", "price",
    "retail_price", "tax_rate",
]  # fmt: skip
STOCK_HEADER = [
    "product__sku", "product__name", "stock_list__name", "stock", "unit_type",
    "sold_quantity_unreported",
]  # fmt: skip


def price_rows(count: int, seed: int = 1) -> Iterator[list[object]]:
    rng = random.Random(seed)
    for i in range(count):
        cents = rng.randint(100, 500_000)
        price = cents / 100
        retail = round(price * 1.2, 2)
        yield [
            f"SKU{i:08d}", f"Product {i} {rng.choice(('Sock', 'Shirt', 'Coat'))}",
            "Demo Price List", "try", price, retail, rng.choice((1, 10, 20)),
        ]  # fmt: skip


def stock_rows(count: int, seed: int = 2) -> Iterator[list[object]]:
    rng = random.Random(seed)
    for i in range(count):
        yield [
            f"SKU{i:08d}", f"Product {i}", "Main Warehouse", rng.randint(0, 5000),
            rng.choice(("qty", "kg")), rng.randint(0, 3),
        ]  # fmt: skip


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)  # fmt: skip
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)  # fmt: skip
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)  # fmt: skip
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)  # fmt: skip


def _letters(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def write_xlsx(path: Path, header: list[str], rows: Iterator[list[object]]) -> None:
    strings: dict[str, int] = {}

    def shared(text: str) -> int:
        index = strings.get(text)
        if index is None:
            index = strings[text] = len(strings)
        return index

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            for number, row in enumerate([header, *rows], 1):
                cells = []
                for column, value in enumerate(row):
                    ref = f"{_letters(column)}{number}"
                    if isinstance(value, str):
                        cells.append(f'<c r="{ref}" t="s"><v>{shared(value)}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                sheet.write(f'<row r="{number}">{"".join(cells)}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as table:
            table.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for text in strings:
                table.write(f"<si><t>{escape(text)}</t></si>".encode())
            table.write(b"</sst>")


def write_csv(
    path: Path,
    header: list[str],
    rows: Iterator[list[object]],
    *,
    turkish: bool = False,
    grouped: bool = False,
    encoding: str = "utf-8",
) -> None:
    """``turkish``: ``;`` between fields and decimal commas, as Excel saves it in Türkiye;
    ``grouped``: thousands grouped too (``1.234,50``), as its "Number" format writes them."""
    delimiter = ";" if turkish else ","
    with path.open("w", encoding=encoding, newline="") as handle:
        handle.write(delimiter.join(header) + "\n")
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, float):
                    text = f"{value:,.2f}" if grouped else f"{value:.2f}"
                    if turkish:
                        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
                else:
                    text = str(value)
                cells.append(text)
            handle.write(delimiter.join(cells) + "\n")


def turkish_price_rows(count: int, seed: int = 3) -> Iterator[list[object]]:
    """Price rows with Turkish names, for a file saved as Windows-1254."""
    rng = random.Random(seed)
    for i in range(count):
        price = rng.randint(100, 500_000) / 100
        yield [
            f"SKU{i:08d}", f"Ürün {i} {rng.choice(('Çorap', 'Gömlek', 'Kışlık Ceket'))}",
            "Kasım Fiyatları", "try", price, round(price * 1.2, 2), rng.choice((1, 10, 20)),
        ]  # fmt: skip
