"""client.catalogue: every SKU of a file looked up, in few requests, and the SKUs meant.

Against the shared sandbox (6,000 products), counting the requests the client sends;
a server whose ?sku= filter is ignored comes from httpx.MockTransport.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import pytest_asyncio

from omnidesk.api import OmnitronClient, RetryPolicy
from omnidesk.api.catalogue import near_key
from omnidesk.sandbox import SandboxServer

from .conftest import Counting

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def counted(sandbox: SandboxServer) -> AsyncIterator[tuple[OmnitronClient, Counting]]:
    counting = Counting()
    async with OmnitronClient(sandbox.url, transport=counting) as client:
        await client.login("demo", "demo")
        counting.sent.clear()
        yield client, counting


async def catalogue_skus(client: OmnitronClient, count: int, page: int = 2) -> list[str]:
    return [p.sku for p in (await client.products.list(limit=count, page=page)).results]


async def test_a_few_skus_are_each_asked_for_exactly(
    counted: tuple[OmnitronClient, Counting],
) -> None:
    client, counting = counted
    a, b = await catalogue_skus(client, 2)
    counting.sent.clear()
    found = await client.catalogue.find([a, b, "NO-SUCH-SKU", a])
    assert set(found) == {a, b}
    assert found[a].sku == a
    assert sorted(parse_qs(url.query.decode())["sku"][0] for url in counting.sent) == sorted(
        [a, b, "NO-SUCH-SKU"]
    )
    counting.sent.clear()
    assert set(await client.catalogue.find([b, "NO-SUCH-SKU"])) == {b}  # kept: not asked again
    assert counting.sent == []


async def test_thousands_of_skus_read_the_whole_catalogue_once_in_parallel_pages(
    counted: tuple[OmnitronClient, Counting],
) -> None:
    client, counting = counted
    real = await catalogue_skus(client, 1000, page=3)
    ghosts = [f"GHOST-{n}" for n in range(2000)]
    counting.sent.clear()
    heard: list[tuple[int, int]] = []
    found = await client.catalogue.find(real + ghosts, lambda *p: heard.append(p))
    assert set(found) == set(real)
    # 6,000 products at 1,000 a page: six pages, whatever the number of SKUs asked.
    pages = sorted(int(parse_qs(url.query.decode()).get("page", ["1"])[0]) for url in counting.sent)
    assert pages == [1, 2, 3, 4, 5, 6]
    assert heard[-1] == (3000, 3000)
    assert all(done <= total for done, total in heard)


async def test_skus_a_file_repeats_are_asked_once_and_answered_in_the_files_order(
    counted: tuple[OmnitronClient, Counting],
) -> None:
    client, _ = counted
    real = await catalogue_skus(client, 1000, page=4)
    ghosts = [f"GHOST-{n}" for n in range(4000)]
    # Each SKU three times, far apart: more SKUs than the worker takes in one step.
    asked = [sku for _ in range(3) for pair in zip(real, ghosts, strict=False) for sku in pair]
    asked += ghosts[len(real) :]
    heard: list[tuple[int, int]] = []
    found = await client.catalogue.find(asked, lambda *p: heard.append(p))
    assert list(found) == real
    assert heard[-1] == (len(real) + len(ghosts),) * 2


async def test_the_skus_a_spreadsheet_mangled_are_offered_as_near_misses(
    counted: tuple[OmnitronClient, Counting],
) -> None:
    client, _ = counted
    every = (
        {p.sku async for p in client.products_all()} if hasattr(client, "products_all") else None
    )
    assert every is None  # no such helper: the catalogue reads itself
    zeros = next(s for s in await catalogue_skus(client, 1000, page=1) if s.startswith("0"))
    letters = next(s for s in await catalogue_skus(client, 1000, page=1) if s[:1].isalpha())
    asked = {
        zeros.lstrip("0"): zeros,  # Excel took 018299 for the number 18299
        f"{zeros.lstrip('0')}.0": zeros,  # and wrote it as 18299.0
        letters.lower(): letters,
        f" {letters} ": letters,
    }
    misses = await client.catalogue.near_misses([*asked, zeros, "NOTHING-LIKE-IT"])
    # An exact SKU is no miss; a SKU like no other has none; an ambiguous one is left out.
    ambiguous = {sku for sku in asked if sku not in misses}
    assert {sku: misses[sku] for sku in asked if sku in misses} == {
        sku: meant for sku, meant in asked.items() if sku not in ambiguous
    }
    assert not ambiguous - {zeros.lstrip("0"), f"{zeros.lstrip('0')}.0"}
    assert zeros not in misses
    assert "NOTHING-LIKE-IT" not in misses


async def test_the_near_key_undoes_what_spreadsheets_do() -> None:
    assert near_key("018299") == near_key("18299") == near_key("18299.0") == "18299"
    assert near_key(" gnt-2228-40 ") == near_key("GNT-2228-40")
    assert near_key("0") == "0"


async def test_a_server_that_ignores_the_sku_filter_still_gets_exact_answers() -> None:
    catalogue = [{"pk": n, "sku": f"P-{n}", "name": ""} for n in range(1, 31)]

    def ignoring_sku(request: httpx.Request) -> httpx.Response:
        query = parse_qs(urlsplit(str(request.url)).query)
        page = int(query.get("page", ["1"])[0])
        rows = catalogue[(page - 1) * 10 : page * 10]  # capped at 10 a page, ?sku= ignored
        more = page < 3
        body = {
            "count": 30,
            "next": f"http://x/?page={page + 1}" if more else None,
            "previous": None,
            "results": rows,
        }
        return httpx.Response(200, json=body)

    async with OmnitronClient(
        "https://omnitron.example",
        "t",
        transport=httpx.MockTransport(ignoring_sku),
        retry=RetryPolicy(attempts=1),
    ) as client:
        found = await client.catalogue.find(["P-25", "P-99"])
    assert set(found) == {"P-25"}  # not "P-1, the first answer"; P-99 not taken for absent blindly
