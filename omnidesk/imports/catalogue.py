"""What the catalogue says of products: their names, by SKU.

One small function on purpose: the client is about to keep a products-by-pk cache of
its own, and where names come from should change here and nowhere else. Until then
the names seen are kept per client (a signed-in session), so a grid that loads page
after page asks the catalogue once.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Iterable

from omnidesk.api import OmnitronClient
from omnidesk.api.contract import MAX_PAGE_SIZE

LOOKUPS_AT_ONCE = 8
# Up to this many unknown SKUs are looked up one by one; for more, reading the catalogue
# page by page asks fewer questions (a list's 6,000 rows: six pages, not 6,000 lookups).
ONE_BY_ONE_UP_TO = 20

_seen: weakref.WeakKeyDictionary[OmnitronClient, dict[str, str]] = weakref.WeakKeyDictionary()


async def product_names(client: OmnitronClient, skus: Iterable[str]) -> dict[str, str]:
    """The name of each product the catalogue knows among ``skus`` (the rest are left out)."""
    known = _seen.setdefault(client, {})
    wanted = {sku for sku in skus if sku}
    missing = wanted - known.keys()
    if 0 < len(missing) <= ONE_BY_ONE_UP_TO:
        gate = asyncio.Semaphore(LOOKUPS_AT_ONCE)

        async def one(sku: str) -> None:
            async with gate:
                page = await client.products.list(sku=sku, limit=1)
            known.update((p.sku, p.name) for p in page.results if p.sku == sku)

        await asyncio.gather(*(one(sku) for sku in sorted(missing)))
    elif missing:
        number = 1
        while True:
            page = await client.products.list(page=number, limit=MAX_PAGE_SIZE)
            known.update((p.sku, p.name) for p in page.results)
            if missing <= known.keys() or not page.has_next or not page.results:
                break
            number += 1
    return {sku: known[sku] for sku in wanted if sku in known}
