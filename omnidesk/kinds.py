"""The kinds of list OmniDesk works with, and everything that tells one from another.

One entry per kind. Every other module asks this registry instead of writing
``if kind is PRICE … else`` itself, so a kind it does not know is a ``KeyError``
at once, never silently treated as stock. It imports nothing of omnidesk but the
translation functions: the client, the checker, the import workflow and the
window may all use it (the sandbox never does; it keeps its own definitions,
see DESIGN.md).

What each layer adds per kind is a map keyed by ``ListKind`` in that layer:
the list and contents models (``api/models.py``), the import schema
(``spreadsheet/schema.py``), the columns and panes (``ui/kinds.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from omnidesk.i18n import N_, _


class ListKind(StrEnum):
    """A kind of list, named as Omnitron's URL paths name it."""

    PRICE = "price_list"
    STOCK = "stock_list"


@dataclass(frozen=True)
class KindInfo:
    """One kind. The words are in English as written here; ``noun`` and the others give
    them in the language spoken now (omnidesk.i18n), so a kind reads right wherever shown."""

    kind: ListKind
    word: str  # "price": the command line's --kind, and "kind" in its JSON; never translated
    noun_en: str  # "price list"
    plural_en: str  # "price lists"
    title_en: str  # "Price lists": a page of the window
    row_noun_en: str  # "price": one row of a list's contents
    row_plural_en: str  # "prices"
    contents_title_en: str  # "Prices": a list's contents, the sheet of a template
    has_currency: bool  # a price list has one; a stock list has none
    auto_sync_by_default: bool  # what the server gives a new list [doc: stock lists]
    main_field: str  # the value whose change is shown in percent
    change_title_en: str  # the title over that percentage: "Price change"
    list_name_field: str  # the file's informational column naming the list
    # The contents on the wire: GET /api/v1/<contents_path>/?<contents_list_param>=<pk>
    contents_path: str
    contents_list_param: str

    @property
    def wire_name(self) -> str:
        """The list's URL path segment: /api/v1/<wire_name>/."""
        return self.kind.value

    @property
    def noun(self) -> str:
        return _(self.noun_en)

    @property
    def plural(self) -> str:
        return _(self.plural_en)

    @property
    def title(self) -> str:
        return _(self.title_en)

    @property
    def row_noun(self) -> str:
        return _(self.row_noun_en)

    @property
    def row_plural(self) -> str:
        return _(self.row_plural_en)

    @property
    def contents_title(self) -> str:
        return _(self.contents_title_en)

    @property
    def change_title(self) -> str:
        return _(self.change_title_en)


_KINDS: dict[ListKind, KindInfo] = {
    ListKind.PRICE: KindInfo(
        kind=ListKind.PRICE,
        word="price",
        noun_en=N_("price list"),
        plural_en=N_("price lists"),
        title_en=N_("Price lists"),
        row_noun_en=N_("price"),
        row_plural_en=N_("prices"),
        contents_title_en=N_("Prices"),
        has_currency=True,
        auto_sync_by_default=False,
        main_field="price",
        change_title_en=N_("Price change"),
        list_name_field="price_list__name",
        contents_path="product_price",
        contents_list_param="price_list",
    ),
    ListKind.STOCK: KindInfo(
        kind=ListKind.STOCK,
        word="stock",
        noun_en=N_("stock list"),
        plural_en=N_("stock lists"),
        title_en=N_("Stock lists"),
        row_noun_en=N_("stock row"),
        row_plural_en=N_("stock rows"),
        contents_title_en=N_("Stock"),
        has_currency=False,
        auto_sync_by_default=True,
        main_field="stock",
        change_title_en=N_("Stock change"),
        list_name_field="stock_list__name",
        contents_path="product_stock",
        contents_list_param="stock_list",
    ),
}

KINDS: Mapping[ListKind, KindInfo] = MappingProxyType(_KINDS)

# The command line's words for the kinds, in the registry's order.
WORDS: tuple[str, ...] = tuple(entry.word for entry in KINDS.values())


def info(kind: ListKind | str) -> KindInfo:
    """The registry's entry for a kind (or its wire name); KeyError for any other."""
    try:
        return KINDS[ListKind(kind)]
    except ValueError:
        raise KeyError(kind) from None


def from_word(word: str) -> ListKind:
    """The kind the command line calls ``word`` ("price", "stock"); KeyError otherwise."""
    for entry in KINDS.values():
        if entry.word == word:
            return entry.kind
    raise KeyError(word)
