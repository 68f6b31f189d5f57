"""Issue 15's network rows: a 100,000-row live list fetched for the comparison, and every
new SKU of a 60,000-row file looked up, each at 100 ms latency with pages capped at 100.

The sandbox runs in a process of its own (`--seed-size large`, LARGE-PL), so its work
and the client's do not share one interpreter. Each figure is min–median–max of a
few runs; each is set against a baseline measured in the same run: the old way
(pages one after another; one request per SKU), measured on a slice and scaled up,
and the round-trip floor of the new way (pages in all ÷ pages at once × one page's
round trip).

Run: .venv/bin/python -m pytest tests/benchmarks/test_network_speed.py -o addopts= -s
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from omnidesk.api import ListKind, OmnitronClient
from omnidesk.api.paging import PAGES_AT_ONCE, every_row
from omnidesk.imports import fetch_current
from tests.drills.conftest import SandboxProcess, free_port

from .figures import spread

RUNS = 3
LATENCY_MS = 100
PAGE_CAP = 100
FETCH_GOAL = 15.0  # seconds, issue 15
LOOKUP_GOAL = 10.0
# Kept between runs: seeding 100,000 products and two lists of 100,000 takes a while.
LARGE_DB = Path(tempfile.gettempdir()) / "omnidesk-benchmark-large.sqlite3"


def report(line: str) -> None:
    sys.__stdout__.write(f"\n[benchmark] {line}")
    sys.__stdout__.flush()


@pytest.fixture(scope="module")
def large() -> Iterator[SandboxProcess]:
    server = SandboxProcess(
        LARGE_DB,
        free_port(),
        "--seed-size",
        "large",
        "--latency-ms",
        str(LATENCY_MS),
        "--max-page-size",
        str(PAGE_CAP),
    )
    server.start(seed=True)  # seeds only an empty database
    try:
        yield server
    finally:
        server.stop()


def timed(action: Callable[[], Awaitable[object]]) -> float:
    async def run() -> float:
        started = time.perf_counter()
        await action()
        return time.perf_counter() - started

    return asyncio.run(run())


async def signed_in(url: str) -> OmnitronClient:
    client = OmnitronClient(url)
    await client.login("demo", "demo")
    return client


async def large_list(client: OmnitronClient) -> int:
    (found,) = (await client.price_lists.list(code_exact="LARGE-PL")).results
    return found.pk


@pytest.mark.timeout(900)
def test_a_100k_row_live_list_in_parallel_pages(large: SandboxProcess) -> None:
    async def sequential_slice() -> tuple[float, int, int]:
        """The old way, pages one after another, over the first 50 pages."""
        client = await signed_in(large.url)
        pk = await large_list(client)
        pages = 0
        count = 0

        def seen(page: object) -> None:
            nonlocal pages, count
            pages += 1
            count = getattr(page, "count", 0)

        started = time.perf_counter()
        async for _ in every_row(
            lambda n: client.product_prices.list(pk, page=n, limit=1000), seen
        ):
            if pages >= 50:
                break
        elapsed = time.perf_counter() - started
        await client.aclose()
        return elapsed / pages, count, pages

    per_page, count, _ = asyncio.run(sequential_slice())
    pages_in_all = -(-count // PAGE_CAP)
    sequential = per_page * pages_in_all
    floor = pages_in_all / PAGES_AT_ONCE * (LATENCY_MS / 1000)
    figures: list[float] = []

    async def fetch(into: dict[str, object]) -> None:
        client = await signed_in(large.url)
        into.update(await fetch_current(client, ListKind.PRICE, await large_list(client)))
        await client.aclose()

    for _ in range(RUNS):
        rows: dict[str, object] = {}
        figures.append(timed(lambda rows=rows: fetch(rows)))
        assert len(rows) == count == 100_000
    median = statistics.median(figures)
    report(
        f"fetch {count:,} rows, {pages_in_all} pages of {PAGE_CAP} at {LATENCY_MS} ms: "
        f"{spread(figures, digits=1)} ({PAGES_AT_ONCE} pages at once); sequential (measured on 50 "
        f"pages, {per_page * 1000:.0f} ms a page) {sequential:.0f} s = {sequential / median:.1f}x "
        f"the median; round-trip floor {floor:.1f} s, the median {median / floor:.2f}x it"
    )
    assert median <= FETCH_GOAL


def catalogue_skus(database: Path, count: int) -> list[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT sku FROM products ORDER BY pk DESC LIMIT ?", (count,)
        ).fetchall()
    return [sku for (sku,) in rows]


@pytest.mark.timeout(900)
def test_every_new_sku_of_a_60k_row_file_looked_up(large: SandboxProcess) -> None:
    # 50,000 SKUs the catalogue has and 10,000 it does not: a file of new products.
    known = catalogue_skus(large.db, 50_000)
    file_skus = known + [f"NEW-{n:05d}" for n in range(10_000)]

    async def one_by_one() -> float:
        """The old way (a request per SKU, 8 at once), over 400 SKUs."""
        client = await signed_in(large.url)
        gate = asyncio.Semaphore(8)

        async def ask(sku: str) -> None:
            async with gate:
                await client.products.list(sku=sku, limit=1)

        started = time.perf_counter()
        await asyncio.gather(*(ask(sku) for sku in file_skus[:400]))
        elapsed = time.perf_counter() - started
        await client.aclose()
        return elapsed / 400

    per_sku = asyncio.run(one_by_one())
    old_way = per_sku * len(file_skus)
    figures: list[float] = []

    async def look_up(into: dict[str, object]) -> None:
        client = await signed_in(large.url)  # a fresh client: nothing cached
        into.update(await client.catalogue.find(file_skus))
        await client.aclose()

    for _ in range(RUNS):
        found: dict[str, object] = {}
        figures.append(timed(lambda found=found: look_up(found)))
        assert len(found) == len(known)
    median = statistics.median(figures)
    report(
        f"look up {len(file_skus):,} SKUs (catalogue of 100,000, pages of {PAGE_CAP} at "
        f"{LATENCY_MS} ms): {spread(figures, digits=1)}; one request a SKU (measured on 400, "
        f"8 at once) "
        f"{old_way:.0f} s = {old_way / median:.0f}x the median; capped at 500 before"
    )
    assert median <= LOOKUP_GOAL
