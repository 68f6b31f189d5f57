"""What the client learns of a server's variants, keeps beside the profiles, and learns again.

A recording transport (a real HTTP transport that notes each URL) shows which
requests the client sent: with facts kept, a second client asks the right way first.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from omnidesk.api import OmnitronClient, RetryPolicy, ServerFacts
from omnidesk.sandbox import Dialect, SandboxServer
from omnidesk.settings.facts import FactsStore

pytestmark = pytest.mark.asyncio

QUICK = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02)


class Recording(httpx.AsyncHTTPTransport):
    """The ordinary transport, noting every URL it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[httpx.URL] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(request.url)
        return await super().handle_async_request(request)

    def asked(self, path_part: str) -> list[httpx.URL]:
        return [url for url in self.urls if path_part in url.path]


@pytest.fixture
def facts(tmp_path: Path) -> FactsStore:
    return FactsStore(tmp_path / "settings" / "servers.json")


async def client_for(
    sandbox: SandboxServer, facts: FactsStore | None, recording: Recording
) -> OmnitronClient:
    client = OmnitronClient(sandbox.url, retry=QUICK, facts=facts, transport=recording)
    await client.login("demo", "demo")
    return client


@pytest_asyncio.fixture
async def recording() -> AsyncIterator[Recording]:
    transport = Recording()
    yield transport
    await transport.aclose()


async def test_each_fact_is_learned_from_the_answers_and_kept(
    sandbox: SandboxServer, dialect: Dialect, facts: FactsStore, recording: Recording
) -> None:
    dialect.set(ordering="ordering", i1=False, max_page_size=50, identity="id")
    async with await client_for(sandbox, facts, recording) as client:
        assert client.facts == ServerFacts()
        # Descending, since the two shops' pks happen to be in name order.
        page = await client.stock_lists.list(name="mağaza", ordering="-name", limit=100)
        assert page.in_order
        assert [row.name for row in page.results] == ["Kadıköy Mağaza", "Ankara Mağaza"]
        await client.product_prices.list(1, limit=200)
    assert facts.load(sandbox.url) == ServerFacts(
        ordering_word="ordering", sorts=True, page_cap=50, sku_source="products", identity="id"
    )
    assert "token" not in facts.path.read_text(encoding="utf-8").lower()

    # A second client starts from what the first learned: ordering= first, no i1.
    second = Recording()
    async with await client_for(sandbox, facts, second) as client:
        await client.stock_lists.list(name="mağaza", ordering="-name", limit=100)
        await client.product_prices.list(1, limit=200)
    await second.aclose()
    (listing,) = second.asked("/stock_list/")
    assert listing.params["ordering"] == "-name"
    assert "sort" not in listing.params
    assert second.asked("/api/i1/") == []


async def test_a_fact_that_stops_holding_is_learned_again(
    sandbox: SandboxServer, dialect: Dialect, facts: FactsStore, recording: Recording
) -> None:
    facts.save(
        sandbox.url, ServerFacts(ordering_word="ordering", sorts=True, sku_source="i1", page_cap=50)
    )
    dialect.set(i1=False)  # sort= again (the primary word), and i1 gone
    async with await client_for(sandbox, facts, recording) as client:
        page = await client.stock_lists.list(ordering="name", limit=100)
        assert page.in_order
        prices = await client.product_prices.list(1, limit=200)
        assert all(row.product_sku for row in prices.results)
        assert len(prices.results) == 200  # no cap of 50 any more
    tried = [url.params for url in recording.asked("/stock_list/")]
    assert [("ordering" in params, "sort" in params) for params in tried] == [
        (True, False),
        (False, True),
    ]
    assert facts.load(sandbox.url) == ServerFacts(
        ordering_word="sort", sorts=True, page_cap=None, sku_source="products", identity="pk"
    )


async def test_a_server_that_does_not_sort_is_said_so_on_the_page(
    sandbox: SandboxServer, dialect: Dialect, recording: Recording
) -> None:
    dialect.variant("V2-ignored")
    async with await client_for(sandbox, None, recording) as client:
        page = await client.stock_lists.list(ordering="name", limit=100)
        assert not page.in_order
        assert [row.pk for row in page.results] == sorted(row.pk for row in page.results)
        assert client.facts.sorts is False
        again = await client.stock_lists.list(ordering="-name", limit=100)
        assert not again.in_order
        # It knows now: one request each time, not one per word.
        assert len(recording.asked("/stock_list/")) == 3
        # Every row at hand, it sorts them here as the server would have.
        rows = [row.name async for row in client.stock_lists.iterate(ordering="-name")]
        dialect.reset()
        sorted_there = [row.name async for row in client.stock_lists.iterate(ordering="-name")]
    assert rows == sorted_there


async def test_rows_too_few_to_show_an_order_are_sorted_here_when_the_server_does_not_sort(
    sandbox: SandboxServer, dialect: Dialect, recording: Recording
) -> None:
    dialect.variant("V2-ignored")
    async with await client_for(sandbox, None, recording) as client:
        await client.stock_lists.list(ordering="name", limit=100)  # learns it does not sort
        # Two lists, one of them without a code: no two codes to compare, but descending
        # puts the empty one first, where the server's own (pk) order does not.
        page = await client.stock_lists.list(name="mağaza", ordering="-code", limit=100)
        assert not page.in_order
        rows = [
            (row.name, row.code)
            async for row in client.stock_lists.iterate(name="mağaza", ordering="-code")
        ]
    assert rows == [("Kadıköy Mağaza", None), ("Ankara Mağaza", "ST-ANK-07")]


async def test_a_sorted_page_and_the_words_that_sort_it(
    sandbox: SandboxServer, dialect: Dialect, recording: Recording
) -> None:
    async with await client_for(sandbox, None, recording) as client:
        page = await client.price_lists.list(ordering="-created_date", limit=100)
        dates = [row.created_date for row in page.results]
        assert page.in_order
        assert dates == sorted(dates, reverse=True)
        assert (client.facts.ordering_word, client.facts.sorts) == ("sort", True)
        dialect.variant("V2")
        page = await client.price_lists.list(ordering="-created_date", limit=100)
        assert page.in_order
        assert [row.created_date for row in page.results] == sorted(dates, reverse=True)
        assert client.facts.ordering_word == "ordering"
