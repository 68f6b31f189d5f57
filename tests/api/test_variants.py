"""The client's flows against the sandbox in each variant of the contract, and in all at once.

Each flow (sign in; lists with filters and an order; contents with their SKUs; a
dry-run comparison of a file; an import followed to the end) is run first in the
primary dialect, then in each variant: the results must be the same, whatever
the server says differently.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from omnidesk.api import (
    ImportStatusUnclear,
    ListKind,
    OmnitronClient,
    RetryPolicy,
    TwoFactorRequired,
)
from omnidesk.imports import ChangeKind, compare, fetch_current
from omnidesk.imports.diff import mark_unknown_products
from omnidesk.sandbox import ALL_AT_ONCE, VARIANTS, Dialect, SandboxServer
from omnidesk.spreadsheet import check_spreadsheet, open_spreadsheet
from tests import totp
from tests.names import unique

QUICK = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
# Seeded lists keep their pks whatever other tests create beside them.
SEEDED_PRICE_LISTS = 13
SEEDED_STOCK_LISTS = 6
# A job whose statuses cannot be measured (V10) is followed this long, then left.
PATIENCE = 0.3


async def sign_in(client: OmnitronClient, username: str = "demo") -> None:
    try:
        await client.login(username, username)
    except TwoFactorRequired:
        await client.verify_code(totp.code())


async def first(rows: AsyncIterator[Any], count: int) -> list[Any]:
    taken = []
    async for row in rows:
        taken.append(row)
        if len(taken) == count:
            break
    return taken


@dataclass
class Results:
    lists: dict[str, list[str]]
    prices: list[tuple[str | None, Decimal, Decimal | None]]
    stocks: list[tuple[str | None, int]]
    by_sku: list[tuple[str | None, Decimal]]
    no_such_sku: int
    imported: dict[str | None, tuple[Decimal, Decimal | None]]
    import_counts: tuple[int, int, list[int | None]] | None  # None: the status could not say
    diff: dict[str, int]


def catalogue_skus(sandbox: SandboxServer, count: int) -> list[str]:
    assert sandbox.store is not None
    rows = sandbox.store.query(
        "SELECT sku FROM products WHERE pk > 2000 ORDER BY pk LIMIT ?", (count,)
    )
    return [row["sku"] for row in rows]


def write(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("product__sku,price\n" + "".join(f"{s},{p}\n" for s, p in rows), "utf-8")
    return path


async def lists_flow(client: OmnitronClient) -> dict[str, list[str]]:
    async def names(rows: AsyncIterator[Any], seeded: int | None = None) -> list[str]:
        return [row.name async for row in rows if seeded is None or row.pk <= seeded]

    prices, stocks = client.price_lists, client.stock_lists
    return {
        "ERP price lists by name": await names(prices.iterate(code="ERP-PL", ordering="name")),
        "ERP price lists by code, down": await names(prices.iterate(code="ERP", ordering="-code")),
        "depots by name, down": await names(stocks.iterate(name="depo", ordering="-name")),
        "stock lists, newest first": await names(
            stocks.iterate(ordering="-created_date"), SEEDED_STOCK_LISTS
        ),
        "auto-synced price lists by code": await names(
            prices.iterate(is_auto_sync=True, ordering="code"), SEEDED_PRICE_LISTS
        ),
        "price lists by name": await names(prices.iterate(ordering="name"), SEEDED_PRICE_LISTS),
    }


async def import_flow(
    client: OmnitronClient, sandbox: SandboxServer, folder: Path
) -> tuple[dict[str | None, tuple[Decimal, Decimal | None]], Any, dict[str, int]]:
    skus = catalogue_skus(sandbox, 30)
    target = await client.price_lists.create(name=unique("Variant import"), currency="try")
    sent = [(sku, f"{10 + n}.50") for n, sku in enumerate(skus[:20])] + [("NO-SUCH-SKU", "1")]
    key = await client.price_lists.upload(target.pk, write(folder / "first.csv", sent))
    counts: Any
    try:
        statuses = [
            status
            async for status in client.price_lists.follow_import(
                target.pk, key, first_interval=0.02, max_interval=0.05, patience=PATIENCE
            )
        ]
        final = statuses[-1]
        assert final.succeeded
        counts = (final.created, final.updated, [error.line for error in final.errors])
    except ImportStatusUnclear as unclear:
        # The server's words said nothing OmniDesk knows: it points the person to Omnitron.
        told = str(unclear)
        assert told.endswith("Check the price list in Omnitron to see whether the changes arrived.")
        counts = None
        await job_ended(sandbox, key)  # what the person would see there
    imported = {
        row.product_sku: (row.price, row.retail_price)
        async for row in client.product_prices.iterate(target.pk, page_size=1000)
    }

    # A second file compared with the list as it now is: 5 unchanged, 5 changed, 5 new
    # products, 2 the catalogue does not have.
    second = (
        sent[:5]
        + [(sku, "99.99") for sku, _ in sent[5:10]]
        + [(sku, "5.00") for sku in skus[20:25]]
        + [("NOT-IN-CATALOGUE-1", "1"), ("NOT-IN-CATALOGUE-2", "2")]
    )
    with open_spreadsheet(write(folder / "second.csv", second)) as sheet:
        checked = check_spreadsheet(sheet, ListKind.PRICE)
    current = await fetch_current(client, ListKind.PRICE, target.pk)
    diff = compare(ListKind.PRICE, checked.good_rows(), current, list_currency="try")
    await mark_unknown_products(client, diff)
    return imported, counts, {kind.value: diff.counts[kind] for kind in ChangeKind}


async def job_ended(sandbox: SandboxServer, cache_key: str) -> None:
    assert sandbox.store is not None
    deadline = time.monotonic() + 30
    while sandbox.store.get_import_job(cache_key)["status"] not in ("SUCCESS", "FAILURE"):
        assert time.monotonic() < deadline, "the sandbox never finished the import"
        await asyncio.sleep(0.02)


async def flows(sandbox: SandboxServer, folder: Path) -> Results:
    async with OmnitronClient(sandbox.url, retry=QUICK) as client:
        await sign_in(client)
        lists = await lists_flow(client)
        prices = [
            (row.product_sku, row.price, row.retail_price)
            for row in await first(client.product_prices.iterate(2, page_size=100), 120)
        ]
        stocks = [
            (row.product_sku, row.stock)
            for row in await first(client.product_stocks.iterate(3, page_size=100), 120)
        ]
        by_sku = [
            (row.product_sku, row.price)
            for row in (await client.product_prices.list(1, product_sku="2015227")).results
        ]
        no_such = (await client.product_prices.list(1, product_sku="NO-SUCH-SKU")).count
        imported, counts, diff = await import_flow(client, sandbox, folder)
    return Results(lists, prices, stocks, by_sku, no_such, imported, counts, diff)


@pytest.fixture(scope="module")
def primary(sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Results:
    assert sandbox.dialect == Dialect()
    return asyncio.run(flows(sandbox, tmp_path_factory.mktemp("primary")))


def test_the_primary_flows_show_what_the_variants_must_match(primary: Results) -> None:
    # The oracle itself: sorted lists, every row with a SKU, the import applied.
    assert primary.lists["ERP price lists by name"] == sorted(
        primary.lists["ERP price lists by name"], key=str.casefold
    )
    assert len(primary.lists["stock lists, newest first"]) == SEEDED_STOCK_LISTS
    assert len(primary.prices) == len(primary.stocks) == 120
    assert all(sku for sku, *_ in primary.prices + primary.stocks)
    assert primary.by_sku == [("2015227", primary.by_sku[0][1])]
    assert primary.no_such_sku == 0
    assert len(primary.imported) == 20
    assert primary.import_counts == (20, 0, [22])
    assert primary.diff == {"new": 5, "changed": 5, "unchanged": 5, "not in catalogue": 2}


@pytest.mark.parametrize("variant", [*VARIANTS, "all at once"])
def test_every_variant_gives_the_primary_results(
    sandbox: SandboxServer, dialect: Dialect, primary: Results, tmp_path: Path, variant: str
) -> None:
    for name in ALL_AT_ONCE if variant == "all at once" else (variant,):
        dialect.variant(name)
    results = asyncio.run(flows(sandbox, tmp_path))
    assert results.lists == primary.lists
    assert results.prices == primary.prices
    assert results.stocks == primary.stocks
    assert results.by_sku == primary.by_sku
    assert results.no_such_sku == 0
    assert results.imported == primary.imported
    assert results.diff == primary.diff
    if dialect.status_words == "other":
        assert results.import_counts is None  # said in words instead, and checked there
    else:
        assert results.import_counts == primary.import_counts
