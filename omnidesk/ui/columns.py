"""The columns of each table: what they show, how they sort, which the server can order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from omnidesk.api import PriceList, ProductPrice, ProductStock, StockList
from omnidesk.i18n import N_
from omnidesk.imports.exporting import NAME_FIELD
from omnidesk.spreadsheet import SKU_FIELD

from .formatting import currency_name, local_datetime, local_decimal, local_integer, yes_no
from .paged_model import Column


def _currency_tooltip(row: PriceList) -> str:
    return currency_name(row.currency)


AnyList = TypeVar("AnyList", PriceList, StockList)


def list_columns(extra: list[Column[AnyList]]) -> list[Column[AnyList]]:
    """Name and code, the kind's own columns, auto-sync, then the dates: both kinds alike."""
    first: list[Column[AnyList]] = [
        Column(N_("Name"), lambda r: r.name, lambda r: r.name.casefold(), server_field="name"),
        Column(
            N_("Code"),
            lambda r: r.code or "",
            lambda r: (r.code or "").casefold(),
            server_field="code",
        ),
    ]
    last: list[Column[AnyList]] = [
        Column(N_("Auto-sync"), lambda r: yes_no(r.is_auto_sync), lambda r: r.is_auto_sync),
        Column(
            N_("Created"),
            lambda r: local_datetime(r.created_date),
            lambda r: r.created_date.timestamp(),
            server_field="created_date",
        ),
        Column(
            N_("Modified"),
            lambda r: local_datetime(r.modified_date),
            lambda r: r.modified_date.timestamp(),
            server_field="modified_date",
        ),
    ]
    return first + extra + last


PRICE_LIST_COLUMNS: list[Column[PriceList]] = list_columns(
    [
        Column(
            N_("Currency"),
            lambda r: r.currency.upper(),
            lambda r: r.currency,
            tooltip=_currency_tooltip,
        )
    ]
)
STOCK_LIST_COLUMNS: list[Column[StockList]] = list_columns([])


def _money_key(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("-Infinity")  # empty cells sort first


def _sku_column() -> Column[Any]:
    return Column(
        N_("SKU"),
        lambda r: r.product_sku or str(r.product),
        lambda r: r.product_sku or "",
        field=SKU_FIELD,
    )


def _name_column() -> Column[Any]:
    # The names come from the catalogue, not the row: the contents model fills them in.
    return Column(N_("Product"), lambda r: "", lambda r: "", field=NAME_FIELD)


PRODUCT_PRICE_COLUMNS: list[Column[ProductPrice]] = [
    _sku_column(),
    _name_column(),
    Column(
        N_("Price"),
        lambda r: local_decimal(r.price),
        lambda r: _money_key(r.price),
        numeric=True,
        field="price",
    ),
    Column(
        N_("Retail price"),
        lambda r: local_decimal(r.retail_price),
        lambda r: _money_key(r.retail_price),
        numeric=True,
        field="retail_price",
    ),
    Column(
        N_("Tax %"),
        lambda r: local_decimal(r.tax_rate),
        lambda r: _money_key(r.tax_rate),
        numeric=True,
        field="tax_rate",
    ),
    Column(
        N_("Currency"),
        lambda r: r.currency_type.upper(),
        lambda r: r.currency_type,
        field="currency_type",
    ),
]

PRODUCT_STOCK_COLUMNS: list[Column[ProductStock]] = [
    _sku_column(),
    _name_column(),
    Column(
        N_("Stock"),
        lambda r: local_integer(r.stock),
        lambda r: r.stock,
        numeric=True,
        export=lambda r: r.stock,
        field="stock",
    ),
    Column(N_("Unit"), lambda r: r.unit_type, lambda r: r.unit_type, field="unit_type"),
    Column(
        N_("Unreported sold"),
        lambda r: local_integer(r.sold_quantity_unreported),
        lambda r: r.sold_quantity_unreported,
        numeric=True,
        export=lambda r: r.sold_quantity_unreported,
        field="sold_quantity_unreported",
    ),
]
