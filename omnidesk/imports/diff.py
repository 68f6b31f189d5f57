"""What an import would change: the file's rows against the list's current prices or stocks.

Also the guardrails: changes that are legal but often mistakes (a price cut by
half, prices of zero, many products going out of stock, a currency that is not
the list's). They need the person's explicit confirmation before the upload.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from omnidesk.api import (
    ListKind,
    OmnitronClient,
    OmnitronError,
    Page,
    ProductPrice,
    ProductStock,
)
from omnidesk.settings.preferences import GuardrailPreferences
from omnidesk.spreadsheet import CleanRow

# The server has two spellings of the lira and the euro; they mean the same currency.
SAME_CURRENCY = {"tr": "try", "eu": "eur"}
# Looking SKUs up in the catalogue costs a request each; past this, they are not checked.
MAX_CATALOGUE_LOOKUPS = 500
CATALOGUE_LOOKUPS_AT_ONCE = 8

Progress = Callable[[int, int], None]  # (done, total)


class ChangeKind(StrEnum):
    NEW = "new"  # the product has no price (stock) in this list yet
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    NOT_IN_CATALOGUE = "not in catalogue"  # the server will refuse this row


@dataclass(frozen=True)
class Change:
    row: int  # the row of the person's sheet
    sku: str
    kind: ChangeKind
    old: dict[str, Any]  # the compared fields as they are now (empty for new rows)
    new: dict[str, Any]  # as the file would make them

    @property
    def main_field(self) -> str:
        return "price" if "price" in self.new else "stock"

    @property
    def differing(self) -> list[str]:
        """The fields this row changes (all given fields for a new row)."""
        if not self.old:
            return list(self.new)
        return [
            name for name, value in self.new.items() if not _same(name, self.old.get(name), value)
        ]

    @property
    def percent(self) -> Decimal | None:
        """The change of the price (or stock) in percent; None when there is no old value."""
        before, after = self.old.get(self.main_field), self.new.get(self.main_field)
        if before is None or after is None or Decimal(before) == 0 or before == after:
            return None
        return (Decimal(after) - Decimal(before)) * 100 / Decimal(before)


# Thresholds; a person changes them in the preferences (omnidesk.settings.preferences).
# "Many" products going out of stock: at least stock_to_zero_count of them, and
# stock_to_zero_percent of the rows.
GuardrailSettings = GuardrailPreferences


@dataclass(frozen=True)
class Guardrail:
    key: str
    message: str
    rows: tuple[int, ...]


@dataclass
class ImportDiff:
    kind: ListKind
    changes: list[Change]  # every row but the unchanged ones, in sheet order
    unchanged_rows: frozenset[int]
    counts: Counter[ChangeKind]
    guardrails: list[Guardrail]
    notes: list[str] = field(default_factory=list)
    # Where each new SKU's rows sit in ``changes``, so marking unknown products
    # later touches only those rows (on a UI thread, a pass over all would stall).
    new_at: dict[str, list[int]] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"{self.counts[kind]:,} {kind.value}" for kind in ChangeKind]
        return ", ".join(parts)


# -- what is there now ---------------------------------------------------------------------


async def fetch_current(
    client: OmnitronClient, kind: ListKind, list_pk: int, progress: Progress | None = None
) -> dict[str, dict[str, Any]]:
    """The list's current values by SKU, every page of them."""
    current: dict[str, dict[str, Any]] = {}
    page_number, seen = 1, 0
    while True:
        page: Page[ProductPrice] | Page[ProductStock]
        if kind is ListKind.PRICE:
            page = await client.product_prices.list(list_pk, page=page_number, limit=1000)
        else:
            page = await client.product_stocks.list(list_pk, page=page_number, limit=1000)
        for row in page.results:
            if row.product_sku is not None:
                current[row.product_sku] = _compared_values(row)
        seen += len(page.results)
        if progress is not None:
            progress(seen, page.count)
        if not page.has_next or not page.results:
            return current
        page_number += 1


def _compared_values(row: ProductPrice | ProductStock) -> dict[str, Any]:
    if isinstance(row, ProductPrice):
        return {
            "price": row.price,
            "retail_price": row.retail_price,
            "tax_rate": row.tax_rate,
            "currency_type": row.currency_type,
        }
    return {
        "stock": row.stock,
        "unit_type": row.unit_type,
        "sold_quantity_unreported": row.sold_quantity_unreported,
    }


# -- comparing (plain CPU work: runs in a worker thread) ------------------------------------


def _same(field_name: str, old: Any, new: Any) -> bool:
    if field_name == "currency_type" and isinstance(old, str) and isinstance(new, str):
        return SAME_CURRENCY.get(old, old) == SAME_CURRENCY.get(new, new)
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return old is not None and new is not None and Decimal(old) == Decimal(new)
    return bool(old == new)


def compare(
    kind: ListKind,
    rows: Iterable[CleanRow],
    current: dict[str, dict[str, Any]],
    *,
    list_currency: str | None = None,
    settings: GuardrailSettings | None = None,
) -> ImportDiff:
    settings = settings or GuardrailSettings()
    changes: list[Change] = []
    unchanged: set[int] = set()
    counts: Counter[ChangeKind] = Counter()
    drops: list[int] = []
    zero_prices: list[int] = []
    retail_below: list[int] = []
    to_zero: list[int] = []
    other_currency: list[int] = []
    new_at: dict[str, list[int]] = {}
    list_money = SAME_CURRENCY.get(list_currency or "", list_currency)
    total = 0
    for clean in rows:
        total += 1
        values = clean.values
        sku = str(values["product__sku"])
        # An empty optional cell leaves the server's value as it is: compare what is given.
        new = {k: v for k, v in values.items() if k != "product__sku" and v is not None}
        old = current.get(sku)
        if old is None:
            change = Change(clean.row, sku, ChangeKind.NEW, {}, new)
        elif all(_same(name, old.get(name), value) for name, value in new.items()):
            counts[ChangeKind.UNCHANGED] += 1
            unchanged.add(clean.row)
            continue
        else:
            compared = {name: old.get(name) for name in new}
            change = Change(clean.row, sku, ChangeKind.CHANGED, compared, new)
        counts[change.kind] += 1
        if change.kind is ChangeKind.NEW:
            new_at.setdefault(sku, []).append(len(changes))
        changes.append(change)

        if kind is ListKind.PRICE:
            price = new.get("price")
            if price is not None and Decimal(price) == 0:
                zero_prices.append(clean.row)
            retail = new.get("retail_price", (old or {}).get("retail_price"))
            if price is not None and retail is not None and Decimal(retail) < Decimal(price):
                retail_below.append(clean.row)
            percent = change.percent
            if percent is not None and -percent > settings.max_price_drop_percent:
                drops.append(clean.row)
            currency = str(new.get("currency_type") or clean.currency_sign or "")
            if list_money and currency and SAME_CURRENCY.get(currency, currency) != list_money:
                other_currency.append(clean.row)
        elif new.get("stock") == 0 and old is not None and (old.get("stock") or 0) > 0:
            to_zero.append(clean.row)

    guardrails: list[Guardrail] = []
    if drops:
        guardrails.append(
            Guardrail(
                "price_drop",
                f"{len(drops):,} prices drop by more than "
                f"{settings.max_price_drop_percent}% at once.",
                tuple(drops),
            )
        )
    if zero_prices:
        guardrails.append(
            Guardrail(
                "zero_price",
                f"{len(zero_prices):,} products would cost 0 (given away).",
                tuple(zero_prices),
            )
        )
    if retail_below:
        guardrails.append(
            Guardrail(
                "retail_below_price",
                f"{len(retail_below):,} retail prices are below the selling price: "
                "customers would see a crossed-out price lower than the one they pay.",
                tuple(retail_below),
            )
        )
    share = Decimal(len(to_zero)) * 100 / total if total else Decimal(0)
    if len(to_zero) >= settings.stock_to_zero_count and share >= settings.stock_to_zero_percent:
        guardrails.append(
            Guardrail(
                "stock_to_zero",
                f"{len(to_zero):,} products in stock would go to 0 ({share:.0f}% of the rows).",
                tuple(to_zero),
            )
        )
    if other_currency:
        guardrails.append(
            Guardrail(
                "currency_mismatch",
                f"{len(other_currency):,} rows are in a currency other than the list's "
                f"({(list_currency or '').upper()}), by their currency column or by a "
                "sign on the amount (₺, $, €, TL…).",
                tuple(other_currency),
            )
        )
    return ImportDiff(kind, changes, frozenset(unchanged), counts, guardrails, new_at=new_at)


# -- products the catalogue does not have ------------------------------------------------------


async def mark_unknown_products(
    client: OmnitronClient, diff: ImportDiff, progress: Progress | None = None
) -> None:
    """Turn NEW rows whose SKU the catalogue does not know into NOT_IN_CATALOGUE."""
    new_skus = list(diff.new_at)
    to_ask = new_skus[:MAX_CATALOGUE_LOOKUPS]
    if len(new_skus) > len(to_ask):
        diff.notes.append(
            f"{len(new_skus) - len(to_ask):,} new SKUs were not looked up in the catalogue; "
            "the server will say if any is unknown."
        )
    gate = asyncio.Semaphore(CATALOGUE_LOOKUPS_AT_ONCE)
    unknown: set[str] = set()
    done = 0

    async def look_up(sku: str) -> None:
        nonlocal done
        async with gate:
            page = await client.products.list(sku=sku, limit=1)
        if not any(product.sku == sku for product in page.results):
            unknown.add(sku)
        done += 1
        if progress is not None:
            progress(done, len(to_ask))

    try:
        await asyncio.gather(*(look_up(sku) for sku in to_ask))
    except OmnitronError:
        diff.notes.append("The catalogue could not be asked about new SKUs.")
        return
    if not unknown:
        return
    for sku in unknown:
        for position in diff.new_at.pop(sku, ()):
            change = diff.changes[position]
            diff.changes[position] = Change(
                change.row, change.sku, ChangeKind.NOT_IN_CATALOGUE, {}, change.new
            )
            diff.counts[ChangeKind.NEW] -= 1
            diff.counts[ChangeKind.NOT_IN_CATALOGUE] += 1
