"""Walking pages (api/paging.py): in parallel when the server allows it, whole or not at all.

Against the sandbox where it can show it (a list read in parallel and one after
another gives the same rows in the same order, at any page cap); servers that
misbehave in ways the sandbox does not (a count that moves while pages are read,
`next` set past the end) come from httpx.MockTransport.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from omnidesk.api import OmnitronClient, RetryPolicy
from omnidesk.sandbox import Dialect, SandboxServer

from .conftest import Counting

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("cap", [1000, 100, 50])
async def test_a_list_read_in_parallel_is_the_list_read_page_after_page(
    client: OmnitronClient, dialect: Dialect, cap: int
) -> None:
    dialect.set(max_page_size=cap)
    notes: list[str] = []
    one_by_one = [row async for row in client.product_prices.iterate(3, at_once=1)]
    parallel = [row async for row in client.product_prices.iterate(3, on_note=notes.append)]
    assert len(parallel) == (await client.product_prices.list(3)).count > 50 * 3
    assert [row.identity for row in parallel] == [row.identity for row in one_by_one]
    assert [row.product_sku for row in parallel] == [row.product_sku for row in one_by_one]
    assert all(row.product_sku for row in parallel)
    assert notes == []


async def test_each_page_is_asked_for_once(sandbox: SandboxServer, dialect: Dialect) -> None:
    dialect.set(max_page_size=50)
    counting = Counting()
    async with OmnitronClient(sandbox.url, transport=counting) as client:
        await client.login("demo", "demo")
        counting.sent.clear()
        heard: list[int] = []
        rows = [
            row
            async for row in client.product_stocks.iterate(
                2, on_page=lambda page: heard.append(len(page.results))
            )
        ]
    pages = -(-len(rows) // 50)
    v1 = [url for url in counting.sent if url.path.startswith("/api/v1/")]
    assert len(v1) == pages  # each page once, whatever the order they came in
    assert sum(heard) == len(rows)


def page_server(count_of_page: dict[int, int], rows: int, size: int = 10) -> httpx.MockTransport:
    """Pages of price lists whose count may differ from page to page."""

    def answer(request: httpx.Request) -> httpx.Response:
        page = int(parse_qs(urlsplit(str(request.url)).query).get("page", ["1"])[0])
        start = (page - 1) * size
        results = [
            {
                "id": n,
                "product": n,
                "product_sku": f"S{n}",
                "price_list": 1,
                "price": "1.00",
                "currency_type": "try",
            }
            for n in range(start + 1, min(rows, start + size) + 1)
        ]
        body = {
            "count": count_of_page.get(page, rows),
            "next": "http://x/?page=next" if start + size < rows else None,
            "previous": None,
            "results": results,
        }
        return httpx.Response(200, json=body)

    return httpx.MockTransport(answer)


async def test_a_count_that_moves_while_pages_are_read_falls_back_to_one_after_another() -> None:
    notes: list[str] = []
    transport = page_server({3: 29}, rows=30)  # page 3 says a row went
    async with OmnitronClient("https://x.example", "t", transport=transport) as client:
        rows = [row async for row in client.product_prices.iterate(1, on_note=notes.append)]
    assert [row.identity for row in rows] == list(range(1, 31))
    assert notes == [
        "The list changed while it was read (rows moved, or their number did), so it was "
        "read again page after page."
    ]


async def test_a_next_past_the_count_ends_the_walk() -> None:
    # A server whose last page still says there is more: stop once count rows are seen.
    def answer(request: httpx.Request) -> httpx.Response:
        page = int(parse_qs(urlsplit(str(request.url)).query).get("page", ["1"])[0])
        rows = [
            {
                "pk": page,
                "name": f"L{page}",
                "created_date": "2022-03-02T09:20:07Z",
                "modified_date": "2022-03-02T09:20:07Z",
            }
        ]
        return httpx.Response(200, json={"count": 3, "next": "http://x/", "results": rows})

    async with OmnitronClient(
        "https://x.example", "t", transport=httpx.MockTransport(answer), retry=RetryPolicy(1)
    ) as client:
        lists = [row.pk async for row in client.price_lists.iterate(page_size=1)]
    assert lists == [1, 2, 3]
