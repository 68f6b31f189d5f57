"""What the catalogue says of products: their names, by SKU.

One small function on purpose: the client is about to keep a products-by-pk cache of
its own, and where names come from should change here and nowhere else.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from omnidesk.api import OmnitronClient
from omnidesk.api.contract import MAX_PAGE_SIZE

LOOKUPS_AT_ONCE = 8
# Up to this many SKUs are looked up one by one; for more, reading the catalogue page
# by page asks fewer questions (a list's 6,000 rows: six pages instead of 6,000 lookups).
ONE_BY_ONE_UP_TO = 200


async def product_names(client: OmnitronClient, skus: Iterable[str]) -> dict[str, str]:
    """The name of each product the catalogue knows among ``skus`` (the rest are left out)."""
    wanted = {sku for sku in skus if sku}
    if not wanted:
        return {}
    if len(wanted) <= ONE_BY_ONE_UP_TO:
        gate = asyncio.Semaphore(LOOKUPS_AT_ONCE)

        async def one(sku: str) -> list[tuple[str, str]]:
            async with gate:
                page = await client.products.list(sku=sku, limit=1)
            return [(p.sku, p.name) for p in page.results if p.sku == sku]

        found = await asyncio.gather(*(one(sku) for sku in sorted(wanted)))
        return dict(pair for pairs in found for pair in pairs)
    names: dict[str, str] = {}
    number = 1
    while True:
        page = await client.products.list(page=number, limit=MAX_PAGE_SIZE)
        names.update((p.sku, p.name) for p in page.results if p.sku in wanted)
        if len(names) == len(wanted) or not page.has_next or not page.results:
            return names
        number += 1
