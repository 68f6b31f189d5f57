"""Drills with the sandbox's fault knobs: a flaky network, expiring tokens, a slow server."""

from __future__ import annotations

import asyncio

import pytest

from omnidesk.api import (
    AuthenticationRequired,
    OmnitronClient,
    Retrying,
    RetryPolicy,
    ServerError,
    ServerUnreachable,
    StockList,
    ValidationFailed,
)
from omnidesk.sandbox import Faults, SandboxServer
from tests.names import unique

from .conftest import Counting

pytestmark = pytest.mark.asyncio

# At a 30 % failure rate, ten tries leave one request in 170,000 failing.
PATIENT = RetryPolicy(attempts=10, base_delay=0.005, max_delay=0.05)


async def test_listing_every_row_survives_a_30_percent_failure_rate(
    sandbox: SandboxServer, faults: Faults
) -> None:
    async with OmnitronClient(sandbox.url, retry=PATIENT) as client:
        await client.login("demo", "demo")
        expected = (await client.product_stocks.list(2)).count
        faults.fail_rate = 0.3
        seen = [row.pk async for row in client.product_stocks.iterate(2, page_size=250)]
    assert len(seen) == expected
    assert len(set(seen)) == expected


async def create_once(client: OmnitronClient, name: str, outcomes: list[str]) -> StockList:
    """What a careful caller does: never re-send blindly, look before trying again."""
    while True:
        try:
            return await client.stock_lists.create(name=name, is_auto_sync=False)
        except ServerError:
            outcomes.append("refused")  # a 503: the server did nothing
        except ServerUnreachable as lost:
            outcomes.append("lost, maybe applied" if lost.maybe_applied else "lost")
            page = await client.stock_lists.list(name=name)
            if page.results:
                return page.results[0]


async def test_creating_fifty_lists_on_a_flaky_network_creates_exactly_fifty(
    sandbox: SandboxServer, faults: Faults
) -> None:
    tag = unique("Flaky").replace(" ", "")
    outcomes: list[str] = []
    retried: list[Retrying] = []
    async with OmnitronClient(sandbox.url, retry=PATIENT, on_retry=retried.append) as client:
        await client.login("demo", "demo")
        faults.fail_rate = 0.3
        try:
            created = [await create_once(client, f"{tag}-{n}", outcomes) for n in range(50)]
        except ValidationFailed as duplicate:  # the client re-sent a POST that had arrived
            pytest.fail(f"a create was sent twice: {duplicate}")
        faults.fail_rate = 0.0
        on_server = [row async for row in client.stock_lists.iterate(name=tag)]
    assert len({row.pk for row in created}) == 50
    assert len(on_server) == 50
    # The drill did exercise answers lost after the work was done, and said so.
    assert "lost, maybe applied" in outcomes
    assert "lost" not in outcomes
    # A 503 means the server did nothing: the client sent the create again by itself,
    # and said so, instead of handing the person an error.
    assert any(event.method == "POST" and event.status == 503 for event in retried)
    assert "refused" not in outcomes


async def test_an_expired_token_asks_for_sign_in_and_a_fresh_one_resumes(
    sandbox: SandboxServer, faults: Faults
) -> None:
    faults.token_ttl = 0.5
    async with OmnitronClient(sandbox.url) as client:
        await client.login("demo", "demo")
        first = await client.price_lists.list(limit=3)
        await asyncio.sleep(0.6)
        with pytest.raises(AuthenticationRequired):
            await client.price_lists.list(page=2, limit=3)
        await client.login("demo", "demo")
        resumed = await client.price_lists.list(page=2, limit=3)
    assert resumed.count == first.count
    assert {r.pk for r in resumed.results}.isdisjoint(r.pk for r in first.results)


async def test_a_server_slower_than_the_timeout_is_reported_not_waited_for(
    sandbox: SandboxServer, faults: Faults
) -> None:
    faults.latency_ms = 400
    quick = RetryPolicy(attempts=2, base_delay=0.01)
    async with OmnitronClient(sandbox.url, timeout=0.1, retry=quick) as impatient:
        with pytest.raises(ServerUnreachable, match="did not answer in time"):
            await impatient.products.list()
    async with OmnitronClient(sandbox.url, timeout=5, retry=quick) as patient:
        await patient.login("demo", "demo")
        assert (await patient.products.list(sku="2015227")).count == 1


async def test_a_slow_login_is_not_repeated_and_talks_of_no_change(
    sandbox: SandboxServer, faults: Faults
) -> None:
    faults.latency_ms = 300
    counting = Counting()
    async with OmnitronClient(
        sandbox.url, timeout=0.1, retry=PATIENT, transport=counting
    ) as client:
        with pytest.raises(ServerUnreachable) as lost:
            await client.login("demo", "demo")
    assert [url.path for url in counting.sent] == ["/api/v1/auth/login/"]
    # A sign-in changes nothing a person would check (issue 14, item 9).
    assert not lost.value.maybe_applied
    assert "change" not in str(lost.value)
    assert "did not answer in time" in str(lost.value)
