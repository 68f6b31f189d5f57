"""The catalogue's products by SKU: every SKU of a file looked up, in as few requests as can be.

The contract gives ``/products/?sku=`` (one SKU a request) [doc on the channel
variant]; a file may bring 60,000 new SKUs. So the cost of each way is weighed
on the first page of the catalogue, which tells its size: when the SKUs to find
are fewer than the catalogue's pages, each is asked for exactly; otherwise the
whole catalogue is read once, its pages in parallel (paging.py), and kept for
the client's life. Either way the answer is checked here, not trusted: a server
whose ``sku`` filter means "contains", or that ignores it, still gives only exact
matches, and "not found" is said only when the server was really asked.

The same catalogue answers which SKU a person may have meant (``near_misses``):
18299 for 018299, as Excel writes a code it took for a number.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from omnidesk.i18n import _

from .adapter import read_page
from .contract import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PRODUCTS_PATH
from .facts import Learned
from .models import Page, Product
from .paging import PAGES_AT_ONCE, every_row_in_parallel


# What a 403 from the catalogue says (a function: in the language spoken when it is said).
def look_up_refused() -> str:
    return _("Your account may not look up products in the catalogue.")


Request = Callable[..., Awaitable[Any]]  # OmnitronClient._request
Progress = Callable[[int, int], None]  # (SKUs done, SKUs in all)
Remember = Callable[[Iterable[Product]], None]
T = TypeVar("T")


def near_key(sku: str) -> str:
    """What is left of a SKU once the ways a spreadsheet mangles one are undone: spaces
    anywhere, the letters' case, a trailing ".0" (a number cell), leading zeros."""
    text = "".join(sku.split()).casefold()
    while text.endswith(".0"):
        text = text[:-2]
    return text.lstrip("0") or text[:1]


# Bookkeeping over more SKUs than this goes to a worker: a pass over 100,000 of them
# held the window's thread for 30–50 ms (#15); fewer are not worth the hop.
IN_A_WORKER = 2_000
# SKUs taken in one step of C in a worker; between steps, a window waiting for the
# interpreter gets it.
_PIECE = 5_000


def _once_each(skus: list[str]) -> list[str]:
    """``skus`` without repeats, in their order, a piece at a time: in one go, 100,000
    held the interpreter 7 ms on a quiet machine and 35 with its cores busy, and the
    window waited as long, whichever thread it was."""
    seen: dict[str, None] = {}
    for start in range(0, len(skus), _PIECE):
        seen.update(dict.fromkeys(skus[start : start + _PIECE]))
    return list(seen)


async def _off_the_loop(work: Callable[[], T], size: int) -> T:
    """``work()``, in a worker when ``size`` (the SKUs it passes over) is large."""
    return await asyncio.to_thread(work) if size > IN_A_WORKER else work()


class _Inconclusive(Exception):
    """An exact lookup whose answer cannot tell (the filter was ignored)."""


class Catalogue:
    def __init__(self, request: Request, remember: Remember | None = None) -> None:
        self._request = request
        self._remember = remember  # the SKU finder's pk ↔ SKU maps learn from here too
        self._found: dict[str, Product] = {}  # SKU → its product, as the server has it
        self._absent: set[str] = set()  # asked for exactly: not in the catalogue
        self._whole = False  # every product has been read: _found is the catalogue
        self._reading = asyncio.Lock()

    def forget(self) -> None:
        """Drop what is known: the next question asks the server again."""
        self._found.clear()
        self._absent.clear()
        self._whole = False

    async def find(
        self, skus: Iterable[str], progress: Progress | None = None
    ) -> dict[str, Product]:
        """The product of each SKU the catalogue has (exact SKUs); the others are left out."""
        given = list(skus)
        asked = await _off_the_loop(lambda: _once_each(given), len(given))
        wanted = await _off_the_loop(lambda: self._unknown(asked), len(asked))
        total = len(wanted)
        if wanted:
            await self._look_up(wanted, progress)
        if progress is not None:
            progress(total, total)
        found = self._found
        return await _off_the_loop(
            lambda: {sku: found[sku] for sku in asked if sku in found}, len(asked)
        )

    async def near_misses(
        self, skus: Iterable[str], progress: Progress | None = None
    ) -> dict[str, str]:
        """For each SKU the catalogue does not have, the one catalogue SKU it differs from
        only in leading zeros, case, spaces or a trailing ".0". A SKU with no such
        SKU, or with several, is left out: a one-click fix needs one answer.

        The whole catalogue is read for it (once for the client's life); ``progress``
        hears how far, in the SKUs asked about."""
        given = list(skus)
        asked = await _off_the_loop(lambda: _once_each(given), len(given))
        await self._read_whole(progress, len(asked))
        # A pass over every SKU asked (a whole file's, maybe): in a worker, so a window
        # driving this does not stall, over a copy that requests still coming may not change.
        found = self._found
        known = await _off_the_loop(lambda: set(found), len(found))
        return await asyncio.to_thread(_near_misses, asked, known)

    def _unknown(self, skus: list[str]) -> list[str]:
        return [sku for sku in skus if not self._known(sku)]

    def _known(self, sku: str) -> bool:
        return self._whole or sku in self._found or sku in self._absent

    def _keep(self, products: Iterable[Product]) -> None:
        kept = list(products)
        for product in kept:
            self._found[product.sku] = product
        if self._remember is not None:
            self._remember(kept)

    async def _page(self, number: int, limit: int = MAX_PAGE_SIZE) -> Page[Product]:
        params = {"page": number, "limit": limit}
        body = await self._request("GET", PRODUCTS_PATH, params=params, refused=look_up_refused())
        # Up to a thousand products made from the answer: in a worker, beside the window.
        return await asyncio.to_thread(
            Page.from_json, body, Product.from_json, page=number, limit=limit
        )

    async def _look_up(self, wanted: list[str], progress: Progress | None) -> None:
        if len(wanted) > PAGES_AT_ONCE:
            # Weigh the two ways on the catalogue's first page: its count and page size.
            first = await self._page(1)
            self._keep(first.results)
            served = len(first.results) or 1
            pages = -(-first.count // served)
            wanted = await _off_the_loop(lambda: self._unknown(wanted), len(wanted))
            if len(wanted) > pages:
                await self._read_whole(progress, len(wanted), first)
                return
        try:
            await self._each(wanted, progress)
        except _Inconclusive:
            await self._read_whole(progress, len(wanted))

    async def _each(self, wanted: list[str], progress: Progress | None) -> None:
        gate = asyncio.Semaphore(PAGES_AT_ONCE)
        done = 0

        async def one(sku: str) -> None:
            nonlocal done
            async with gate:
                body = await self._request(
                    "GET",
                    PRODUCTS_PATH,
                    params={"sku": sku, "limit": 10},
                    refused=look_up_refused(),
                )
            page = Page.from_json(body, Product.from_json, page=1, limit=10)
            self._keep(page.results)
            if sku not in self._found:
                if page.has_next:  # more answers than one page: not an exact filter
                    raise _Inconclusive
                self._absent.add(sku)
            done += 1
            if progress is not None:
                progress(done, len(wanted))

        lookups = [asyncio.ensure_future(one(sku)) for sku in wanted]
        try:
            await asyncio.gather(*lookups)
        except BaseException:
            for lookup in lookups:
                lookup.cancel()
            await asyncio.gather(*lookups, return_exceptions=True)
            raise

    async def _read_whole(
        self, progress: Progress | None, skus: int, first: Page[Product] | None = None
    ) -> None:
        async with self._reading:
            if self._whole:
                return
            read = 0

            async def fetch(number: int) -> Page[Product]:
                if number == 1 and first is not None:
                    return first
                return await self._page(number)

            def counted(page: Page[Product]) -> None:
                nonlocal read
                read += len(page.results)
                if progress is not None and page.count:
                    progress(min(skus, skus * read // page.count), skus)

            # A catalogue page is one request (a list's has its i1 twin): twice the
            # pages at once is the same bound on requests in flight.
            products = [
                product
                async for product in every_row_in_parallel(
                    fetch, lambda product: product.pk, counted, at_once=2 * PAGES_AT_ONCE
                )
            ]
            await _off_the_loop(lambda: self._keep(products), len(products))
            self._absent.clear()
            self._whole = True


class Products:
    """``/products/`` page by page, as the server answers it (``client.products``)."""

    def __init__(self, request: Request, learned: Learned) -> None:
        self._request = request
        self._learned = learned

    async def list(
        self, *, sku: str | None = None, page: int = 1, limit: int = DEFAULT_PAGE_SIZE
    ) -> Page[Product]:
        params: dict[str, Any] = {"page": page, "limit": limit}
        if sku:
            params["sku"] = sku
        body = await self._request("GET", PRODUCTS_PATH, params=params, refused=look_up_refused())
        return read_page(body, Product.from_json, self._learned, page=page, limit=limit)


def _near_misses(asked: list[str], known: set[str]) -> dict[str, str]:
    """Each SKU of ``asked`` not in ``known`` whose ``near_key`` one known SKU shares.

    Only the keys of the SKUs missing are kept, with the known SKUs that share each: a
    file misses a handful, where an index of the whole catalogue's keys made a list for
    each of 100,000 SKUs (100 -> 35 ms for the pass, and nothing large to free at the end).
    """
    sharing: dict[str, list[str]] = {}  # a missing SKU's key → the known SKUs that have it
    for sku in asked:
        if sku not in known:
            sharing.setdefault(near_key(sku), [])
    if sharing:
        for sku in known:
            found = sharing.get(near_key(sku))
            if found is not None:
                found.append(sku)
    misses: dict[str, str] = {}
    for sku in asked:
        if sku not in known:
            candidates = sharing[near_key(sku)]
            if len(candidates) == 1:
                misses[sku] = candidates[0]
    return misses
