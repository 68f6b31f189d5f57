"""The columns Omnitron's spreadsheet import expects, one schema per kind of list.

The contract is in ``shared/omnitron-api.md`` ("Spreadsheet import"). Each
``Field`` names a server column, what a person calls it and the spellings they
use for it; ``header.py`` matches a file's headers onto them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from omnidesk.currencies import CURRENCIES
from omnidesk.i18n import N_, _, number
from omnidesk.kinds import ListKind, info


class ValueKind(StrEnum):
    CODE = "code"  # text that must stay exactly as typed (SKU)
    MONEY = "money"  # decimal >= 0, at most 2 places
    PERCENT = "percent"  # decimal 0-100, at most 2 places
    WHOLE = "whole"  # whole number within [minimum, maximum]
    CHOICE = "choice"  # one of ``choices``, compared case-insensitively
    INFO = "info"  # carried along for people, not checked by the server


MAX_WHOLE = 2_147_483_647  # the server stores these in a 32-bit integer column

UNIT_TYPES: tuple[str, ...] = ("qty", "kg")

# Spellings people use for an allowed value; they are written out as the server's value.
CHOICE_ALIASES: dict[str, dict[str, str]] = {
    "currency_type": {"tl": "try", "₺": "try", "€": "eur", "euro": "eur", "$": "usd", "£": "gbp"},
    "unit_type": {
        "adet": "qty",
        "ad": "qty",
        "pcs": "qty",
        "piece": "qty",
        "pieces": "qty",
        "quantity": "qty",
        "kilo": "kg",
        "kilogram": "kg",
        "kgs": "kg",
    },
}


@dataclass(frozen=True, slots=True)
class Field:
    """One server column: ``name`` is the exact header the server reads.

    ``label`` and ``help`` are in the language spoken now; ``label_en`` and ``help_en``
    are their English, as written here. The ``aliases`` are data, not sentences: the
    headers people write in their files, in Turkish and in English alike, recognised
    whatever the language OmniDesk speaks.
    """

    name: str
    label_en: str  # what a merchandiser calls it, used in messages
    type: ValueKind
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    minimum: int = 0
    maximum: int | None = None
    example: str = ""
    help_en: str = ""  # may name {choices} and {maximum}

    @property
    def label(self) -> str:
        return _(self.label_en)

    @property
    def help(self) -> str:
        """What to enter in the column, as a template's Instructions sheet says it."""
        if not self.help_en:
            return ""
        return _(self.help_en).format(
            choices=", ".join(self.choices),
            maximum="" if self.maximum is None else number(self.maximum),
        )


# The column every import has: which product a row is for.
SKU_FIELD = "product__sku"


@dataclass(frozen=True, slots=True)
class Schema:
    kind: ListKind
    fields: tuple[Field, ...]
    # The warnings each usable row gets (``row_rules.ROW_RULES``), by key: the keys the
    # guardrails name as their ``offline_rule``, so both speak of the same rule.
    row_rules: tuple[str, ...] = ()

    def field(self, name: str) -> Field:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    @property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    @property
    def compared(self) -> tuple[Field, ...]:
        """The fields an import changes on the server, and so the ones compared with a list.

        The models of a list's contents carry them under these very names.
        """
        return tuple(f for f in self.fields if f.type is not ValueKind.INFO and f.name != SKU_FIELD)

    @property
    def label(self) -> str:
        return info(self.kind).noun


_SKU = Field(
    SKU_FIELD,
    N_("SKU"),
    ValueKind.CODE,
    required=True,
    aliases=(
        "sku",
        "product sku",
        "ürün sku",
        "stok kodu",
        "stock code",
        "ürün kodu",
        "product code",
        "item code",
        "article",
        "article code",
        "artikel",
        "model kodu",
        "malzeme kodu",
        "kod",
        "code",
    ),
    example="2015227",
    help_en=N_("The product's SKU exactly as in Omnitron. Format the column as Text in Excel."),
)
_PRODUCT_NAME = Field(
    "product__name",
    N_("Product name"),
    ValueKind.INFO,
    aliases=("name", "product name", "product", "ürün adı", "ürün ismi", "ürün", "açıklama"),
    example="GANT Man Black Sock",
    help_en=N_("Optional, for your own reference; the server ignores it."),
)

PRICE_LIST_SCHEMA = Schema(
    ListKind.PRICE,
    (
        _SKU,
        _PRODUCT_NAME,
        Field(
            "price_list__name",
            N_("Price list name"),
            ValueKind.INFO,
            aliases=("price list", "fiyat listesi", "liste adı", "price list name"),
            example="Demo Price List",
            help_en=N_("Optional, for your own reference; the server ignores it."),
        ),
        Field(
            "currency_type",
            N_("Currency"),
            ValueKind.CHOICE,
            aliases=("currency", "para birimi", "döviz", "döviz cinsi", "currency code", "pb"),
            choices=CURRENCIES,
            example="try",
            help_en=N_("Optional. One of: {choices}."),
        ),
        Field(
            "price",
            N_("Price"),
            ValueKind.MONEY,
            required=True,
            aliases=(
                "fiyat",
                "satış fiyatı",
                "sale price",
                "selling price",
                "indirimli fiyat",
                "fiyat tl",
                "net fiyat",
                "price tl",
            ),
            example="8.00",
            help_en=N_("Required. The selling price: a number >= 0 with at most 2 decimal places."),
        ),
        Field(
            "retail_price",
            N_("Retail price"),
            ValueKind.MONEY,
            aliases=(
                "retail",
                "list price",
                "liste fiyatı",
                "piyasa fiyatı",
                "etiket fiyatı",
                "psf",
                "perakende fiyatı",
                "perakende satış fiyatı",
                "rrp",
                "msrp",
            ),
            example="10.00",
            help_en=N_(
                "Optional. The crossed-out list price: a number >= 0, at most 2 decimal places."
            ),
        ),
        Field(
            "tax_rate",
            N_("Tax rate"),
            ValueKind.PERCENT,
            aliases=("kdv", "kdv oranı", "vat", "vat rate", "tax", "vergi", "vergi oranı", "tax %"),
            maximum=100,
            example="20",
            help_en=N_("Optional. A percentage from 0 to 100, e.g. 20 for 20%."),
        ),
    ),
    row_rules=("zero_price", "retail_below_price", "currency_sign"),
)

STOCK_LIST_SCHEMA = Schema(
    ListKind.STOCK,
    (
        _SKU,
        _PRODUCT_NAME,
        Field(
            "stock_list__name",
            N_("Stock list name"),
            ValueKind.INFO,
            aliases=("stock list", "stok listesi", "stock list name", "depo", "warehouse"),
            example="Main Warehouse",
            help_en=N_("Optional, for your own reference; the server ignores it."),
        ),
        Field(
            "stock",
            N_("Stock"),
            ValueKind.WHOLE,
            required=True,
            aliases=(
                "stok",
                "stok miktarı",
                "stok adedi",
                "quantity",
                "qty",
                "miktar",
                "adet",
                "stock quantity",
                "on hand",
                "available",
                "envanter",
                "inventory",
            ),
            maximum=MAX_WHOLE,
            example="25",
            help_en=N_("Required. A whole number from 0 to {maximum}."),
        ),
        Field(
            "unit_type",
            N_("Unit"),
            ValueKind.CHOICE,
            aliases=("unit", "birim", "unit type", "birim tipi", "ölçü birimi"),
            choices=UNIT_TYPES,
            example="qty",
            help_en=N_("Optional. qty (pieces) or kg."),
        ),
        Field(
            "sold_quantity_unreported",
            N_("Sold, not yet reported"),
            ValueKind.WHOLE,
            aliases=(
                "sold quantity unreported",
                "unreported sold quantity",
                "unreported sales",
                "bildirilmemiş satış",
                "raporlanmamış satış",
            ),
            maximum=MAX_WHOLE,
            example="0",
            help_en=N_(
                "Optional. Items sold but not yet reported to the ERP: a whole number >= 0."
            ),
        ),
    ),
)


SCHEMAS: Mapping[ListKind, Schema] = MappingProxyType(
    {schema.kind: schema for schema in (PRICE_LIST_SCHEMA, STOCK_LIST_SCHEMA)}
)


def schema_for(kind: ListKind) -> Schema:
    """The import columns of that kind of list; KeyError for a kind without an import."""
    return SCHEMAS[kind]
