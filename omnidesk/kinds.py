"""The kinds of list OmniDesk works with, and everything that tells one from another.

One entry per kind. Every other module asks this registry instead of writing
``if kind is PRICE … else`` itself, so a kind it does not know is a ``KeyError``
at once, never silently treated as stock. It imports nothing of omnidesk: the
client, the checker, the import workflow and the window may all use it (the
sandbox never does; it keeps its own definitions, see DESIGN.md).

What each layer adds per kind is a map keyed by ``ListKind`` in that layer:
the list and contents models (``api/models.py``), the import schema
(``spreadsheet/schema.py``), the columns and panes (``ui/kinds.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class ListKind(StrEnum):
    """A kind of list, named as Omnitron's URL paths name it."""

    PRICE = "price_list"
    STOCK = "stock_list"


@dataclass(frozen=True)
class KindInfo:
    kind: ListKind
    word: str  # "price": the command line's --kind, and "kind" in its JSON
    noun: str  # "price list"
    plural: str  # "price lists"
    title: str  # "Price lists": a page of the window
    row_noun: str  # "price": one row of a list's contents
    row_plural: str  # "prices"
    contents_title: str  # "Prices": a list's contents, the sheet of a template
    has_currency: bool  # a price list has one; a stock list has none
    auto_sync_by_default: bool  # what the server gives a new list [doc: stock lists]
    main_field: str  # the value whose change is shown in percent
    list_name_field: str  # the file's informational column naming the list
    # The contents on the wire: GET /api/v1/<contents_path>/?<contents_list_param>=<pk>
    contents_path: str
    contents_list_param: str

    @property
    def wire_name(self) -> str:
        """The list's URL path segment: /api/v1/<wire_name>/."""
        return self.kind.value


_KINDS: dict[ListKind, KindInfo] = {
    ListKind.PRICE: KindInfo(
        kind=ListKind.PRICE,
        word="price",
        noun="price list",
        plural="price lists",
        title="Price lists",
        row_noun="price",
        row_plural="prices",
        contents_title="Prices",
        has_currency=True,
        auto_sync_by_default=False,
        main_field="price",
        list_name_field="price_list__name",
        contents_path="product_price",
        contents_list_param="price_list",
    ),
    ListKind.STOCK: KindInfo(
        kind=ListKind.STOCK,
        word="stock",
        noun="stock list",
        plural="stock lists",
        title="Stock lists",
        row_noun="stock row",
        row_plural="stock rows",
        contents_title="Stock",
        has_currency=False,
        auto_sync_by_default=True,
        main_field="stock",
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
