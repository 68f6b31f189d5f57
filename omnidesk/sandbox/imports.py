"""Spreadsheet imports: read an uploaded .xlsx or .csv and upsert its rows in the background.

The job moves PENDING → PROGRESS → SUCCESS (row errors are recorded, the other
rows still apply) or FAILURE (the file as a whole could not be used). Progress
is the share of data rows really processed.
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import io
import logging
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .store import Store, now_iso
from .validation import CURRENCIES

log = logging.getLogger("omnidesk.sandbox.imports")

MAX_ROWS = 1_000_000
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_STOCK = 2_147_483_647
# DRF DecimalField(max_digits=12, decimal_places=2), as Omnitron's prices.
MAX_DIGITS = 12
DECIMAL_PLACES = 2

COLUMNS = {
    "price_list": {
        "required": ("product__sku", "price"),
        "optional": (
            "retail_price",
            "tax_rate",
            "currency_type",
            "product__name",
            "price_list__name",
        ),
    },
    "stock_list": {
        "required": ("product__sku", "stock"),
        "optional": (
            "unit_type",
            "sold_quantity_unreported",
            "product__name",
            "stock_list__name",
        ),
    },
}
UNIT_TYPES = ("qty", "kg")


class UnusableFile(Exception):
    """The file as a whole cannot be imported; the message says why, for a person."""


@dataclass
class SheetRows:
    header: list[str]
    # (1-based sheet row, {column: text}) for every non-blank data row
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


# -- reading -------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as the text a person sees: 2015227.0 is the SKU "2015227"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        uncompressed = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UnusableFile(
            "The file is not a readable Excel workbook (.xlsx); it may be damaged."
        ) from exc
    if uncompressed > MAX_UNCOMPRESSED_BYTES:
        raise UnusableFile(
            f"The workbook unpacks to more than {MAX_UNCOMPRESSED_BYTES // 2**20} MB; "
            "split it into smaller files."
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError, zipfile.BadZipFile) as exc:
        raise UnusableFile(
            "The file is not a readable Excel workbook (.xlsx); it may be damaged."
        ) from exc
    try:
        if not workbook.worksheets:
            raise UnusableFile("The workbook has no sheet.")
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _decode_csv(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Files saved by Excel on Turkish Windows.
        return data.decode("cp1254", errors="replace")


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnusableFile("The file is not a text (.csv) file.")
    text = _decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise UnusableFile(f"The CSV file could not be read: {exc}.") from exc


def read_sheet(file_name: str, data: bytes) -> SheetRows:
    if not data:
        raise UnusableFile("The file is empty.")
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    is_zip = data.startswith(b"PK\x03\x04")
    if suffix in ("xlsx", "xlsm") or (is_zip and suffix not in ("csv", "txt")):
        raw_rows = _xlsx_rows(data)
    elif suffix in ("csv", "txt", ""):
        raw_rows = _csv_rows(data)
    else:
        raise UnusableFile(
            f"Files of type .{suffix} cannot be imported; upload an .xlsx or .csv file."
        )

    header: list[str] | None = None
    sheet = SheetRows(header=[])
    for line, raw in enumerate(raw_rows, start=1):
        if header is None:
            header = [cell_text(cell).lower() for cell in raw]
            sheet.header = header
            continue
        values = [cell_text(cell) for cell in raw]
        if not any(values):
            continue
        if len(sheet.rows) >= MAX_ROWS:
            raise UnusableFile(f"The file has more than {MAX_ROWS:,} rows; split it.")
        row = {}
        for column, value in zip(header, values, strict=False):
            if column and column not in row:
                row[column] = value
        sheet.rows.append((line, row))
    if header is None or not any(header):
        raise UnusableFile("The file is empty.")
    return sheet


def check_columns(kind: str, header: list[str]) -> None:
    missing = [column for column in COLUMNS[kind]["required"] if column not in header]
    if missing:
        wanted = ", ".join(COLUMNS[kind]["required"])
        raise UnusableFile(
            f"The first row has no {' or '.join(missing)} column. "
            f"The first row must name the columns; required: {wanted}."
        )


# -- checking one row ----------------------------------------------------------------------------


def _decimal(text: str, *, maximum: Decimal | None = None) -> Decimal | str:
    """The value, or DRF's message for why it is not acceptable."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return "A valid number is required."
    if not value.is_finite():
        return "A valid number is required."
    if value < 0:
        return "Ensure this value is greater than or equal to 0."
    if maximum is not None and value > maximum:
        return f"Ensure this value is less than or equal to {maximum}."
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > DECIMAL_PLACES:
        return f"Ensure that there are no more than {DECIMAL_PLACES} decimal places."
    if value.adjusted() + 1 > MAX_DIGITS - DECIMAL_PLACES:
        return (
            f"Ensure that there are no more than {MAX_DIGITS - DECIMAL_PLACES} digits "
            "before the decimal point."
        )
    return value.quantize(Decimal("0.01"))


def _whole_number(text: str, *, maximum: int) -> int | str:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return "A valid integer is required."
    if not value.is_finite() or value != value.to_integral_value():
        return "A valid integer is required."
    if value < 0:
        return "Ensure this value is greater than or equal to 0."
    if value > maximum:
        return f"Ensure this value is less than or equal to {maximum}."
    return int(value)


@dataclass
class RowCheck:
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)

    def take(self, column: str, outcome: Any) -> None:
        if isinstance(outcome, str):
            self.errors.append((column, outcome))
        else:
            self.values[column] = outcome


def check_price_row(row: dict[str, str]) -> RowCheck:
    check = RowCheck()
    if not row.get("product__sku"):
        check.errors.append(("product__sku", "This field is required."))
    if not row.get("price"):
        check.errors.append(("price", "This field is required."))
    else:
        check.take("price", _decimal(row["price"]))
    if row.get("retail_price"):
        check.take("retail_price", _decimal(row["retail_price"]))
    if row.get("tax_rate"):
        check.take("tax_rate", _decimal(row["tax_rate"], maximum=Decimal(100)))
    currency = row.get("currency_type", "")
    if currency:
        if currency.lower() in CURRENCIES:
            check.values["currency_type"] = currency.lower()
        else:
            check.errors.append(("currency_type", f'"{currency}" is not a valid choice.'))
    return check


def check_stock_row(row: dict[str, str]) -> RowCheck:
    check = RowCheck()
    if not row.get("product__sku"):
        check.errors.append(("product__sku", "This field is required."))
    if not row.get("stock"):
        check.errors.append(("stock", "This field is required."))
    else:
        check.take("stock", _whole_number(row["stock"], maximum=MAX_STOCK))
    unit = row.get("unit_type", "")
    if unit:
        if unit.lower() in UNIT_TYPES:
            check.values["unit_type"] = unit.lower()
        else:
            check.errors.append(("unit_type", f'"{unit}" is not a valid choice.'))
    if row.get("sold_quantity_unreported"):
        check.take(
            "sold_quantity_unreported",
            _whole_number(row["sold_quantity_unreported"], maximum=MAX_STOCK),
        )
    return check


# -- applying ------------------------------------------------------------------------------------


def _apply_price(
    conn: sqlite3.Connection, list_row: dict[str, Any], product: int, values: dict[str, Any]
) -> bool:
    """Upsert one product price; True when it was created."""
    stamp = now_iso()
    text = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}
    existing = conn.execute(
        "SELECT id FROM product_prices WHERE price_list = ? AND product = ?",
        (list_row["pk"], product),
    ).fetchone()
    if existing is None:
        conn.execute(
            "INSERT INTO product_prices (product, price_list, price, retail_price, tax_rate, "
            "currency_type, created_date, modified_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                product,
                list_row["pk"],
                text["price"],
                text.get("retail_price"),
                text.get("tax_rate"),
                text.get("currency_type", list_row["currency"]),
                stamp,
                stamp,
            ),
        )
        return True
    # Optional cells left empty keep what the price already had.
    changes = {**text, "modified_date": stamp}
    assignments = ", ".join(f"{name} = ?" for name in changes)
    conn.execute(
        f"UPDATE product_prices SET {assignments} WHERE id = ?",
        (*changes.values(), existing["id"]),
    )
    return False


def _apply_stock(
    conn: sqlite3.Connection, list_row: dict[str, Any], product: int, values: dict[str, Any]
) -> bool:
    """Upsert one product stock; True when it was created."""
    stamp = now_iso()
    existing = conn.execute(
        "SELECT pk FROM product_stocks WHERE stock_list = ? AND product = ?",
        (list_row["pk"], product),
    ).fetchone()
    if existing is None:
        conn.execute(
            "INSERT INTO product_stocks (product, stock_list, stock, unit_type, "
            "sold_quantity_unreported, created_date, modified_date) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                product,
                list_row["pk"],
                values["stock"],
                values.get("unit_type", "qty"),
                values.get("sold_quantity_unreported", 0),
                stamp,
                stamp,
            ),
        )
        return True
    changes = {**values, "modified_date": stamp}
    assignments = ", ".join(f"{name} = ?" for name in changes)
    conn.execute(
        f"UPDATE product_stocks SET {assignments} WHERE pk = ?",
        (*changes.values(), existing["pk"]),
    )
    return False


ROW_CHECKS = {"price_list": check_price_row, "stock_list": check_stock_row}
APPLIERS = {"price_list": _apply_price, "stock_list": _apply_stock}


async def run_import(
    store: Store,
    cache_key: str,
    kind: str,
    list_pk: int,
    file_name: str,
    data: bytes,
    rows_per_second: float | None = None,
) -> None:
    """Carry an import job from PENDING to SUCCESS or FAILURE, recording it in the store."""
    errors: list[dict[str, Any]] = []
    try:
        sheet = await asyncio.to_thread(read_sheet, file_name, data)
        check_columns(kind, sheet.header)
        if not sheet.rows:
            raise UnusableFile("The file has a header row but no data rows.")
        total = len(sheet.rows)
        store.update_import_job(cache_key, status="PROGRESS", total=total)

        known = store.product_pks_by_sku(row.get("product__sku", "") for _, row in sheet.rows)
        # Paced imports report about ten times a second so a progress bar moves smoothly.
        batch_size = max(1, int(rows_per_second // 10)) if rows_per_second else 500
        processed = created = updated = error_count = 0
        for start in range(0, total, batch_size):
            list_row = store.get_list(kind, list_pk)
            if list_row is None:
                raise UnusableFile("The list was deleted while the file was being imported.")
            with store.transaction() as conn:
                for line, row in sheet.rows[start : start + batch_size]:
                    check = ROW_CHECKS[kind](row)
                    sku = row.get("product__sku", "")
                    if sku and sku not in known:
                        check.errors.insert(
                            0, ("product__sku", f'Product with SKU "{sku}" does not exist.')
                        )
                    if check.errors:
                        error_count += len(check.errors)
                        errors.extend(
                            {"line": line, "column": column, "message": message}
                            for column, message in check.errors
                        )
                    elif APPLIERS[kind](conn, list_row, known[sku], check.values):
                        created += 1
                    else:
                        updated += 1
                    processed += 1
                # In the rows' own transaction: a server killed between the two would
                # otherwise hold rows its job does not count.
                store.update_import_job(
                    cache_key,
                    within=conn,
                    processed=processed,
                    created=created,
                    updated=updated,
                    error_count=error_count,
                    errors=errors,
                )
            if rows_per_second:
                await asyncio.sleep(min(batch_size, total - start) / rows_per_second)
            else:
                await asyncio.sleep(0)  # let requests in between batches
        store.update_import_job(cache_key, status="SUCCESS")
    except UnusableFile as problem:
        errors.append({"line": None, "column": None, "message": str(problem)})
        store.update_import_job(cache_key, status="FAILURE", errors=errors, error_count=len(errors))
    except asyncio.CancelledError:
        errors.append(
            {
                "line": None,
                "column": None,
                "message": "The server stopped before this import finished. Upload the file again.",
            }
        )
        store.update_import_job(cache_key, status="FAILURE", errors=errors, error_count=len(errors))
        raise
    except Exception:
        log.exception("import %s failed", cache_key)
        errors.append(
            {
                "line": None,
                "column": None,
                "message": "The import failed because of an error "
                "on the server. Try again; if it keeps failing, report it.",
            }
        )
        store.update_import_job(cache_key, status="FAILURE", errors=errors, error_count=len(errors))
