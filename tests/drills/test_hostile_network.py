"""Drills through a hostile proxy on loopback (tests/drills/hostile.py), issue 14 items 7 and 11:
an HTML 502, truncated JSON, a wrong shape, a body dripped a byte at a time, a socket
that never answers, a `next` that loops, an endless body. Each call must end, within
its deadline, with a sentence that says what happened; nothing is written twice.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from omnidesk.api import (
    OmnitronClient,
    PagingBroken,
    RetryPolicy,
    ServerError,
    ServerUnreachable,
    UnexpectedResponse,
)
from omnidesk.api.session import Session
from omnidesk.imports import ImportTarget, Journal
from omnidesk.sandbox import SandboxServer
from tests.names import unique

from .conftest import Relogin, jobs_of, plan_for, price_file, quick_run
from .hostile import HostileProxy

pytestmark = pytest.mark.asyncio

QUICK = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
DEADLINE = 3.0  # each call, its retries included


@pytest_asyncio.fixture
async def proxy(sandbox: SandboxServer) -> AsyncIterator[HostileProxy]:
    async with HostileProxy(sandbox.url) as hostile:
        yield hostile


@pytest_asyncio.fixture
async def client(proxy: HostileProxy) -> AsyncIterator[OmnitronClient]:
    async with OmnitronClient(proxy.url, retry=QUICK, timeout=1.0, deadline=DEADLINE) as signed_in:
        await signed_in.login("demo", "demo")
        yield signed_in


async def test_an_html_502_names_the_page_and_a_write_behind_it_is_not_repeated(
    proxy: HostileProxy, client: OmnitronClient, sandbox: SandboxServer
) -> None:
    proxy.misbehave("html502", path=r"/price_list/$")
    with pytest.raises(ServerError) as read:
        await client.price_lists.list()
    assert "temporarily unavailable (HTTP 502)" in str(read.value)
    assert "an HTML page titled “502 Bad Gateway”" in str(read.value)
    assert proxy.seen.misbehaved == QUICK.attempts  # a read is tried again, bounded
    name = unique("Behind a 502")
    with pytest.raises(ServerError):
        await client.price_lists.create(name=name)
    assert proxy.seen.misbehaved == QUICK.attempts + 1  # a 502 may hide work done: once
    assert sandbox.store is not None
    assert sandbox.store.find_list_by("price_list", "name", name) is None


async def test_truncated_json_is_unexpected_in_words(
    proxy: HostileProxy, client: OmnitronClient
) -> None:
    proxy.misbehave("truncated", path=r"/stock_list/$")
    with pytest.raises(UnexpectedResponse) as odd:
        await client.stock_lists.list()
    assert str(odd.value).startswith("The server answered with something unexpected")


async def test_a_wrong_shape_is_unexpected_in_words(
    proxy: HostileProxy, client: OmnitronClient
) -> None:
    proxy.misbehave("wrong_shape", path=r"/price_list/$")
    with pytest.raises(UnexpectedResponse, match="a page without a list of results"):
        await client.price_lists.list()


async def test_a_dripped_body_ends_at_the_deadline(
    proxy: HostileProxy, client: OmnitronClient
) -> None:
    # Each byte comes well within the read timeout (1 s): only a deadline ends it.
    proxy.misbehave("drip", path=r"/price_list/$")
    started = time.monotonic()
    with pytest.raises(ServerUnreachable) as slow:
        await client.price_lists.list(limit=50)
    assert time.monotonic() - started < 2 * DEADLINE
    assert f"had not answered in full after {DEADLINE:.0f} s" in str(slow.value)
    assert not slow.value.maybe_applied


async def test_a_dripped_answer_to_an_upload_is_never_sent_again(
    proxy: HostileProxy, client: OmnitronClient, sandbox: SandboxServer, tmp_path: Path
) -> None:
    target = ImportTarget.of(await client.price_lists.create(name=unique("Dripped upload")))
    skus = [p.sku for p in (await client.products.list(limit=20, page=7)).results]
    source = price_file(tmp_path / "d.csv", skus)
    relogin = Relogin()
    relogin.client = client
    journal = Journal(tmp_path / "journal.sqlite3")
    run = quick_run(Session(client, relogin), journal, target)
    proxy.misbehave("drip", path=r"/excel_import/$")
    with pytest.raises(ServerUnreachable) as lost:
        await run.upload(plan_for(source, tmp_path / "u"), source=source, sha256="d")
    journal.close()
    assert lost.value.maybe_applied
    assert "may or may not have been saved" in str(lost.value)
    assert sandbox.store is not None
    assert len(jobs_of(sandbox.store, target.pk)) == 1  # it arrived, once


async def test_a_socket_that_never_answers_ends_in_words(
    proxy: HostileProxy, client: OmnitronClient
) -> None:
    proxy.misbehave("silent", path=r"/stock_list/$")
    started = time.monotonic()
    with pytest.raises(ServerUnreachable) as silent:
        await client.stock_lists.list()
    assert time.monotonic() - started < 2 * DEADLINE
    assert "did not answer in time" in str(silent.value) or "had not answered in full" in str(
        silent.value
    )


async def test_a_looping_next_stops_at_the_repeated_page_and_says_so(
    proxy: HostileProxy, client: OmnitronClient
) -> None:
    # A cache that ignores the query string: every page is page 1, `next` always set.
    proxy.misbehave("loop_next", path=r"/product_stock/$")
    with pytest.raises(PagingBroken) as looping:
        _ = [row async for row in client.product_stocks.iterate(2, page_size=50, at_once=1)]
    assert "sent the same rows again when asked for page 2" in str(looping.value)
    assert proxy.seen.misbehaved <= 4  # page 1 and 2 (each with its i1 twin), not 30,000
    with pytest.raises(PagingBroken):  # the parallel read too
        _ = [row async for row in client.product_stocks.iterate(2, page_size=50)]


async def test_an_endless_body_is_refused_before_it_fills_memory(
    proxy: HostileProxy, client: OmnitronClient
) -> None:
    proxy.misbehave("huge", path=r"/price_list/$")
    with pytest.raises(UnexpectedResponse, match="larger than 32 MB"):
        await client.price_lists.list()
