"""Walking a resource's pages: every row once, and an end even when the server never says one.

Page after page until ``next`` is null; but also until ``count`` rows were seen (a
server that keeps saying there is more), and never past a page already seen (a
cache that ignores the query string answers page 1 to every page, ``next`` set):
that raises PagingBroken, since what was read is not the whole.

A list's contents can be read in parallel (``every_row_in_parallel``): the first
page tells the count and the page size the server really serves, the other pages
are asked for a few at once, and the whole is checked before a row is given out —
every page with the same count, each full but the last, no row twice, the rows in
the order the first page shows. Anything else (a list changing while it is read)
falls back to reading page after page, and says so.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar

from omnidesk.i18n import _

from .errors import PagingBroken
from .models import Page

log = logging.getLogger("omnidesk.api")

T = TypeVar("T")
Fetch = Callable[[int], Awaitable[Page[T]]]
OnPage = Callable[[Page[T]], None]
OnNote = Callable[[str], None]
# Pages asked for at once: enough to hide a 100 ms round trip behind the others'
# (1,000 pages of 100 in about 7 s of round trips), few enough that a server is not
# flooded by one person's comparison (with each page's i1 twin, 32 requests at most).
PAGES_AT_ONCE = 16


def _fingerprint(page: Page[Any]) -> tuple[Any, ...]:
    rows = page.results
    return (len(rows), rows[0], rows[-1]) if rows else ()


async def every_row(
    fetch: Fetch[T], on_page: OnPage[T] | None = None, *, quiet_until: int = 0
) -> AsyncIterator[T]:
    """Every row, page after page. ``quiet_until``: pages whose rows were already told
    to ``on_page`` (by a parallel read that fell back here) are not told again."""
    number = 1
    seen = 0
    fingerprints: set[tuple[Any, ...]] = set()
    while True:
        page = await fetch(number)
        if page.results:
            fingerprint = _fingerprint(page)
            if fingerprint in fingerprints:
                raise PagingBroken(number)
            fingerprints.add(fingerprint)
        seen += len(page.results)
        if on_page is not None and seen > quiet_until:
            on_page(page)
        for row in page.results:
            yield row
        if not page.has_next or not page.results:
            return
        if page.count and seen >= page.count:
            log.warning(
                "page %d still says there is a next page, but all %d rows were seen: stopped",
                number,
                page.count,
            )
            return
        number += 1


def _ascending(keys: Sequence[Any]) -> bool:
    return all(a < b for a, b in itertools.pairwise(keys))


def _whole(pages: list[Page[T]], identity: Callable[[T], Hashable]) -> str | None:
    """Why these pages are not one list read whole, or None when they are."""
    first = pages[0]
    served = len(first.results)
    keys: list[Hashable] = []
    for number, page in enumerate(pages, start=1):
        if page.count != first.count:
            return f"the count moved from {first.count} to {page.count} on page {number}"
        last = number == len(pages)
        if not last and (len(page.results) != served or not page.has_next):
            return f"page {number} has {len(page.results)} rows, not {served}"
        keys += [identity(row) for row in page.results]
    if len(keys) != first.count:
        return f"{len(keys)} rows came for a count of {first.count}"
    if len(set(keys)) != len(keys):
        return "a row came twice"
    first_keys = keys[:served]
    if _ascending(first_keys) and not _ascending(keys):
        return "the rows are not in the order the first page shows"
    return None


async def every_row_in_parallel(
    fetch: Fetch[T],
    identity: Callable[[T], Hashable],
    on_page: OnPage[T] | None = None,
    *,
    at_once: int = PAGES_AT_ONCE,
    on_note: OnNote | None = None,
) -> AsyncIterator[T]:
    """Every row in the server's order, its pages asked for ``at_once`` at a time."""
    first = await fetch(1)
    served = len(first.results)
    if on_page is not None:
        on_page(first)
    if not first.has_next or served == 0 or first.count <= served:
        for row in first.results:
            yield row
        return
    pages_in_all = -(-first.count // served)
    pages: dict[int, Page[T]] = {1: first}
    told = served
    gate = asyncio.Semaphore(max(1, at_once))

    async def read(number: int) -> None:
        nonlocal told
        async with gate:
            page = await fetch(number)
        pages[number] = page
        told += len(page.results)
        if on_page is not None:
            on_page(page)

    readers = [asyncio.ensure_future(read(number)) for number in range(2, pages_in_all + 1)]
    try:
        await asyncio.gather(*readers)
    except BaseException:  # one failure (or the caller's cancel) ends the others too
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        raise
    ordered = [pages[number] for number in range(1, pages_in_all + 1)]
    problem = _whole(ordered, identity)
    if problem is None:
        for page in ordered:
            for row in page.results:
                yield row
        return
    log.warning("parallel read not whole (%s): reading page after page", problem)
    if on_note is not None:
        on_note(
            _(
                "The list changed while it was read (rows moved, or their number did), so "
                "it was read again page after page."
            )
        )
    async for row in every_row(fetch, on_page, quiet_until=told):
        yield row
