"""The columns Omnitron's spreadsheet import expects, and how a file's headers map onto them.

The contract is in ``shared/omnitron-api.md`` ("Spreadsheet import"): the server
reads the first row as headers, matches them exactly and ignores the rest. People
write ``SKU``, ``Stok Kodu`` or ``Fiyat (TL)`` instead, so matching here is
forgiving, and the clean upload file then carries the server's exact names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from omnidesk.kinds import ListKind, info


class ValueKind(StrEnum):
    CODE = "code"  # text that must stay exactly as typed (SKU)
    MONEY = "money"  # decimal >= 0, at most 2 places
    PERCENT = "percent"  # decimal 0-100, at most 2 places
    WHOLE = "whole"  # whole number within [minimum, maximum]
    CHOICE = "choice"  # one of ``choices``, compared case-insensitively
    INFO = "info"  # carried along for people, not checked by the server


MAX_WHOLE = 2_147_483_647  # the server stores these in a 32-bit integer column

CURRENCIES: tuple[str, ...] = (
    "try", "eur", "tr", "eu", "usd", "egp", "gbp", "mad", "pln", "sar", "ron", "uah", "czk",
    "huf", "rub", "bgn", "iqd", "kwd", "bhd", "omr", "qar", "aed", "ngn", "inr", "lei", "kzt",
    "jod", "rsd",
)  # fmt: skip
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
    """One server column: ``name`` is the exact header the server reads."""

    name: str
    label: str  # what a merchandiser calls it, used in messages
    type: ValueKind
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    minimum: int = 0
    maximum: int | None = None
    example: str = ""
    help: str = ""


# The column every import has: which product a row is for.
SKU_FIELD = "product__sku"


@dataclass(frozen=True, slots=True)
class Schema:
    kind: ListKind
    fields: tuple[Field, ...]
    # Whether the checker warns of prices of zero, retail below price and currency signs.
    price_rules: bool = False

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
    "SKU",
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
    help="The product's SKU exactly as in Omnitron. Format the column as Text in Excel.",
)
_PRODUCT_NAME = Field(
    "product__name",
    "Product name",
    ValueKind.INFO,
    aliases=("name", "product name", "product", "ürün adı", "ürün ismi", "ürün", "açıklama"),
    example="GANT Man Black Sock",
    help="Optional, for your own reference; the server ignores it.",
)

PRICE_LIST_SCHEMA = Schema(
    ListKind.PRICE,
    (
        _SKU,
        _PRODUCT_NAME,
        Field(
            "price_list__name",
            "Price list name",
            ValueKind.INFO,
            aliases=("price list", "fiyat listesi", "liste adı", "price list name"),
            example="Demo Price List",
            help="Optional, for your own reference; the server ignores it.",
        ),
        Field(
            "currency_type",
            "Currency",
            ValueKind.CHOICE,
            aliases=("currency", "para birimi", "döviz", "döviz cinsi", "currency code", "pb"),
            choices=CURRENCIES,
            example="try",
            help="Optional. One of: " + ", ".join(CURRENCIES) + ".",
        ),
        Field(
            "price",
            "Price",
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
            help="Required. The selling price: a number >= 0 with at most 2 decimal places.",
        ),
        Field(
            "retail_price",
            "Retail price",
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
            help="Optional. The crossed-out list price: a number >= 0, at most 2 decimal places.",
        ),
        Field(
            "tax_rate",
            "Tax rate",
            ValueKind.PERCENT,
            aliases=("kdv", "kdv oranı", "vat", "vat rate", "tax", "vergi", "vergi oranı", "tax %"),
            maximum=100,
            example="20",
            help="Optional. A percentage from 0 to 100, e.g. 20 for 20%.",
        ),
    ),
    price_rules=True,
)

STOCK_LIST_SCHEMA = Schema(
    ListKind.STOCK,
    (
        _SKU,
        _PRODUCT_NAME,
        Field(
            "stock_list__name",
            "Stock list name",
            ValueKind.INFO,
            aliases=("stock list", "stok listesi", "stock list name", "depo", "warehouse"),
            example="Main Warehouse",
            help="Optional, for your own reference; the server ignores it.",
        ),
        Field(
            "stock",
            "Stock",
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
            help=f"Required. A whole number from 0 to {MAX_WHOLE}.",
        ),
        Field(
            "unit_type",
            "Unit",
            ValueKind.CHOICE,
            aliases=("unit", "birim", "unit type", "birim tipi", "ölçü birimi"),
            choices=UNIT_TYPES,
            example="qty",
            help="Optional. qty (pieces) or kg.",
        ),
        Field(
            "sold_quantity_unreported",
            "Sold, not yet reported",
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
            help="Optional. Items sold but not yet reported to the ERP: a whole number >= 0.",
        ),
    ),
)


SCHEMAS: Mapping[ListKind, Schema] = MappingProxyType(
    {schema.kind: schema for schema in (PRICE_LIST_SCHEMA, STOCK_LIST_SCHEMA)}
)


def schema_for(kind: ListKind) -> Schema:
    """The import columns of that kind of list; KeyError for a kind without an import."""
    return SCHEMAS[kind]


_TURKISH_FOLD = str.maketrans("İIıŞşĞğÜüÖöÇçÂâÎîÛû", "iiissgguuooccaaiiuu")
_NOT_ALNUM = re.compile(r"[\W_]+")


def normalise_header(text: str) -> str:
    """``"Stok Kodu"``, ``"STOK_KODU"`` and ``"stok-kodu "`` all become ``"stokkodu"``."""
    return _NOT_ALNUM.sub("", text.translate(_TURKISH_FOLD).casefold())


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which column of the file feeds which server field.

    ``headers`` are the header cells as written; ``field_of`` maps a column index
    to a field name; columns not in it are ignored, as the server ignores them.
    ``notes`` explain choices a person may want to revisit (a second price column
    that was not used, a required field with no column).
    """

    headers: tuple[str, ...]
    field_of: Mapping[int, str]
    missing: tuple[Field, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def column_of(self, field_name: str) -> int | None:
        for index, name in self.field_of.items():
            if name == field_name:
                return index
        return None

    def as_dict(self) -> dict[str, str | None]:
        """``{header: field or None}`` in column order, for JSON and the wizard."""
        result: dict[str, str | None] = {}
        for index, header in enumerate(self.headers):
            key = header if header not in result else f"{header} ({column_letter(index)})"
            result[key] = self.field_of.get(index)
        return result


def _alias_table(schema: Schema) -> dict[str, str]:
    table: dict[str, str] = {}
    for f in schema.fields:
        for spelling in (f.name, *f.aliases):
            table.setdefault(normalise_header(spelling), f.name)
    return table


def match_columns(
    headers: Sequence[str],
    schema: Schema,
    explicit: Mapping[str | int, str | None] | None = None,
) -> ColumnMapping:
    """Map ``headers`` onto ``schema``; ``explicit`` overrides by header text or column index.

    An explicit ``None`` ignores that column. The first column that matches a field
    wins; later ones are ignored with a note, because uploading two price columns
    would leave it to chance which one counts.
    """
    aliases = _alias_table(schema)
    valid = {f.name for f in schema.fields}
    field_of: dict[int, str] = {}
    notes: list[str] = []
    explicit = dict(explicit or {})
    for target in explicit.values():
        if target is not None and target not in valid:
            raise ValueError(
                f"“{target}” is not a {schema.label} column; use one of: "
                + ", ".join(sorted(valid))
            )
    taken: set[str] = set()
    decided: dict[int, str | None] = {}
    for index, header in enumerate(headers):
        for key in (index, header):
            if key in explicit:
                decided[index] = explicit[key]
                break
    for index, target in decided.items():
        if target is not None:
            if target in taken:
                notes.append(f"Column “{headers[index]}” is ignored: {target} is already mapped.")
                continue
            field_of[index] = target
            taken.add(target)
    for index, header in enumerate(headers):
        if index in decided:
            continue
        target = aliases.get(normalise_header(header))
        if target is None:
            target = _loose_match(header, schema)
        if target is None:
            continue
        if target in taken:
            label = schema.field(target).label
            notes.append(
                f"Column “{header}” ({column_letter(index)}) is ignored: an earlier column "
                f"is already used as {label}."
            )
            continue
        field_of[index] = target
        taken.add(target)
    missing = tuple(f for f in schema.required if f.name not in taken)
    return ColumnMapping(tuple(headers), dict(sorted(field_of.items())), missing, tuple(notes))


def _loose_match(header: str, schema: Schema) -> str | None:
    """Headers like ``Fiyat (TL)`` or ``KDV %``: strip a trailing unit and try again."""
    trimmed = re.sub(r"\s*[\(\[].*?[\)\]]\s*$|\s*%$", "", header.strip())
    if trimmed == header.strip() or not trimmed:
        return None
    return _alias_table(schema).get(normalise_header(trimmed))


def column_letter(index: int) -> str:
    """0 → ``A``, 26 → ``AA``: how the office suite names a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
