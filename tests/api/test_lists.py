"""Price lists and stock lists through the client, against the real sandbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from omnidesk.api import (
    AuthenticationRequired,
    NotFound,
    OmnitronClient,
    PriceList,
    StockList,
    ValidationFailed,
)
from omnidesk.sandbox import SandboxServer
from tests.names import unique

pytestmark = pytest.mark.asyncio


async def test_login_keeps_the_token_and_never_shows_it(sandbox: SandboxServer) -> None:
    async with OmnitronClient(sandbox.url) as client:
        assert not client.signed_in
        token = await client.login("demo", "demo")
        assert client.signed_in
        assert client.token == token
        assert token not in repr(client)
        assert "signed in" in repr(client)
        page = await client.price_lists.list()
        assert page.count >= 12


async def test_login_refused_says_why(sandbox: SandboxServer) -> None:
    async with OmnitronClient(sandbox.url) as client:
        with pytest.raises(ValidationFailed) as refused:
            await client.login("demo", "wrong")
    assert refused.value.non_field_errors == ["Unable to log in with provided credentials."]
    assert str(refused.value) == "Unable to log in with provided credentials."


async def test_without_or_with_a_bad_token_authentication_is_required(
    sandbox: SandboxServer,
) -> None:
    async with OmnitronClient(sandbox.url) as anonymous:
        with pytest.raises(AuthenticationRequired) as missing:
            await anonymous.stock_lists.list()
    assert missing.value.detail == "Authentication credentials were not provided."
    assert "Sign in again" in str(missing.value)
    async with OmnitronClient(sandbox.url, token="f" * 40) as stale:
        with pytest.raises(AuthenticationRequired) as invalid:
            await stale.stock_lists.get(1)
    assert invalid.value.detail == "Invalid token."
    assert "f" * 40 not in str(invalid.value) + repr(invalid.value)


async def test_list_returns_typed_rows_and_paging_facts(client: OmnitronClient) -> None:
    page = await client.price_lists.list(limit=5)
    assert page.count >= 13
    assert len(page.results) == 5
    assert page.has_next
    assert not page.has_previous
    first = page.results[0]
    assert isinstance(first, PriceList)
    assert first.created_date.tzinfo is not None
    second = await client.price_lists.list(limit=5, page=2)
    assert second.has_previous
    assert {row.pk for row in page.results}.isdisjoint(row.pk for row in second.results)


async def test_each_filter_reaches_the_server(client: OmnitronClient) -> None:
    named = [r.name for r in (await client.price_lists.list(name="price", limit=100)).results]
    assert "Demo Price List" in named  # other tests add lists with "price" in their names
    assert all("price" in name.casefold() for name in named)
    codes = {r.code for r in (await client.price_lists.list(code="ERP-PL-TR")).results}
    assert codes == {"ERP-PL-TR-001", "ERP-PL-TR-OUT"}
    exact = await client.price_lists.list(code_exact="ERP-PL-TR-001")
    assert [r.name for r in exact.results] == ["Türkiye Perakende"]
    synced = [r async for r in client.stock_lists.iterate(is_auto_sync=True)]
    assert synced
    assert all(r.is_auto_sync for r in synced)
    unsynced = [r async for r in client.stock_lists.iterate(is_auto_sync=False)]
    assert all(not r.is_auto_sync for r in unsynced)


async def test_created_between_dates_is_inclusive_of_both_days(client: OmnitronClient) -> None:
    every = [row async for row in client.price_lists.iterate(ordering="created_date")]
    middle = every[len(every) // 2]
    day = middle.created_date.astimezone(UTC).date()
    same_day = [
        row async for row in client.price_lists.iterate(created_after=day, created_before=day)
    ]
    assert middle.pk in {row.pk for row in same_day}
    assert all(row.created_date.astimezone(UTC).date() == day for row in same_day)
    after = [row async for row in client.price_lists.iterate(created_after=middle.created_date)]
    assert {row.pk for row in after} == {
        row.pk for row in every if row.created_date >= middle.created_date
    }
    before = [
        row
        async for row in client.price_lists.iterate(
            created_before=middle.created_date - timedelta(microseconds=1)
        )
    ]
    assert middle.pk not in {row.pk for row in before}
    assert (await client.price_lists.list(created_after=date(2099, 1, 1))).count == 0


async def test_ordering_and_its_guard(client: OmnitronClient) -> None:
    newest_first = [row async for row in client.stock_lists.iterate(ordering="-created_date")]
    dates = [row.created_date for row in newest_first]
    assert dates == sorted(dates, reverse=True)
    with pytest.raises(ValueError, match="cannot order by"):
        await client.stock_lists.list(ordering="colour")


async def test_iterate_visits_every_row_across_pages(client: OmnitronClient) -> None:
    count = (await client.product_prices.list(3)).count
    seen = [row.id async for row in client.product_prices.iterate(3, page_size=700)]
    assert len(seen) == count
    assert len(set(seen)) == count


async def test_get_create_update(client: OmnitronClient) -> None:
    created = await client.stock_lists.create(name=unique("Client stock"), code=unique("CS"))
    assert isinstance(created, StockList)
    assert created.is_auto_sync is True  # the documented default for stock lists
    assert await client.stock_lists.get(created.pk) == created
    renamed = await client.stock_lists.update(created.pk, name=unique("Renamed"))
    assert renamed.code == created.code
    assert renamed.name != created.name
    assert renamed.modified_date > created.modified_date


async def test_update_sends_only_the_given_fields(
    client: OmnitronClient, sandbox: SandboxServer
) -> None:
    created = await client.price_lists.create(name=unique("Only"), currency="eur")
    # Someone else renames the list meanwhile; our currency change must not undo that.
    assert sandbox.store is not None
    sandbox.store.update_list("price_list", created.pk, {"name": unique("Renamed elsewhere")})
    changed = await client.price_lists.update(created.pk, currency="gbp")
    assert changed.currency == "gbp"
    assert changed.name.startswith("Renamed elsewhere")


async def test_unknown_fields_are_refused_before_sending(client: OmnitronClient) -> None:
    with pytest.raises(TypeError, match="colour"):
        await client.price_lists.create(name="x", colour="red")
    with pytest.raises(TypeError, match="currency"):
        await client.stock_lists.create(name="x", currency="try")


async def test_validation_errors_are_normalised(client: OmnitronClient) -> None:
    with pytest.raises(ValidationFailed) as auto_sync:
        await client.price_lists.create(name=unique("Auto"), is_auto_sync=True)
    error = auto_sync.value
    assert error.non_field_errors == ["PriceList code is required when is_auto_sync is True."]
    assert error.error_code == "product_price_300_2"
    assert error.field_errors == {}

    existing = await client.price_lists.get(1)
    with pytest.raises(ValidationFailed) as duplicate:
        await client.price_lists.create(name=existing.name)
    assert duplicate.value.field_errors == {"name": ["price list with this name already exists."]}
    assert duplicate.value.non_field_errors == []
    assert "already exists" in str(duplicate.value)


async def test_unknown_list_is_not_found(client: OmnitronClient) -> None:
    with pytest.raises(NotFound, match="That price list was not found"):
        await client.price_lists.get(987654)
    with pytest.raises(NotFound):
        await client.stock_lists.update(987654, name="x")


async def test_product_prices_stocks_and_products(client: OmnitronClient) -> None:
    prices = await client.product_prices.list(1, product_sku="2015227")
    assert prices.count == 1
    price = prices.results[0]
    assert price.product_sku == "2015227"
    assert price.price.as_tuple().exponent == -2  # Decimal, two places, never a float
    assert price.currency_type == "try"
    stocks = await client.product_stocks.list(1, limit=3)
    assert len(stocks.results) == 3
    assert all(isinstance(row.stock, int) for row in stocks.results)
    products = await client.products.list(sku="2015227")
    assert [p.name for p in products.results] == ["GANT Man Black Sock"]


async def test_a_date_from_the_server_is_aware_utc(client: OmnitronClient) -> None:
    row = await client.price_lists.get(1)
    assert row.created_date.utcoffset() == timedelta(0)
    assert row.created_date < datetime.now(UTC)
