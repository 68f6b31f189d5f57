"""What the window shows for each kind of list: the one place a kind meets its widgets.

The nouns and the currency come from the kind registry (``omnidesk/kinds.py``);
this map adds what only the window needs, in the way of napari's
``layer_to_controls``. A kind missing here is a ``KeyError`` when its pane is
built, never a pane with another kind's columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from omnidesk.kinds import ListKind

from .columns import (
    PRICE_LIST_COLUMNS,
    PRODUCT_PRICE_COLUMNS,
    PRODUCT_STOCK_COLUMNS,
    STOCK_LIST_COLUMNS,
)
from .paged_model import Column


@dataclass(frozen=True)
class KindView:
    list_columns: Sequence[Column[Any]]  # the table of lists
    contents_columns: Sequence[Column[Any]]  # the table of one list's prices or stocks


KIND_VIEWS: Mapping[ListKind, KindView] = MappingProxyType(
    {
        ListKind.PRICE: KindView(PRICE_LIST_COLUMNS, PRODUCT_PRICE_COLUMNS),
        ListKind.STOCK: KindView(STOCK_LIST_COLUMNS, PRODUCT_STOCK_COLUMNS),
    }
)
