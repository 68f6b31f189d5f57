"""What an import would change, and the guardrails that ask for a second look."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from omnidesk.api import ListKind
from omnidesk.api.session import Session
from omnidesk.imports import ChangeKind, GuardrailSettings, compare, fetch_current
from omnidesk.imports.diff import mark_unknown_products
from omnidesk.spreadsheet import CleanRow

from .conftest import checked, write_csv

D = Decimal


def price(row: int, sku: str, value: str, **more: object) -> CleanRow:
    return CleanRow(row, {"product__sku": sku, "price": D(value), **more})


CURRENT = {
    "A": {
        "price": D("100.00"),
        "retail_price": D("120.00"),
        "tax_rate": D("20.00"),
        "currency_type": "try",
    },
    "B": {"price": D("50.00"), "retail_price": None, "tax_rate": None, "currency_type": "try"},
    "C": {"price": D("10.00"), "retail_price": None, "tax_rate": None, "currency_type": "tr"},
}


def test_new_changed_and_unchanged_rows_with_percent_change() -> None:
    diff = compare(
        ListKind.PRICE,
        [price(2, "A", "110.00"), price(3, "B", "50"), price(4, "Z", "5.00")],
        CURRENT,
        list_currency="try",
    )
    assert diff.counts[ChangeKind.CHANGED] == 1
    assert diff.counts[ChangeKind.UNCHANGED] == 1
    assert diff.counts[ChangeKind.NEW] == 1
    assert diff.unchanged_rows == {3}
    changed = diff.changes[0]
    assert (changed.row, changed.sku, changed.kind) == (2, "A", ChangeKind.CHANGED)
    assert changed.old == {"price": D("100.00")}
    assert changed.percent == D(10)
    assert diff.changes[1].kind is ChangeKind.NEW
    assert diff.guardrails == []


def test_an_empty_optional_cell_is_not_a_change() -> None:
    # Retail price left empty keeps the server's 120.00: the row changes nothing.
    diff = compare(ListKind.PRICE, [price(2, "A", "100", retail_price=None)], CURRENT)
    assert diff.unchanged_rows == {2}


def test_the_two_spellings_of_the_lira_are_the_same_currency() -> None:
    diff = compare(
        ListKind.PRICE, [price(2, "C", "10", currency_type="try")], CURRENT, list_currency="tr"
    )
    assert diff.unchanged_rows == {2}
    assert diff.guardrails == []


def test_a_currency_sign_on_the_amount_is_held_against_the_lists_currency() -> None:
    rows = [
        CleanRow(2, {"product__sku": "Y", "price": D("1799")}, currency_sign="try"),  # ₺1799
        CleanRow(3, {"product__sku": "Z", "price": D("12")}, currency_sign="eur"),  # €12
        price(4, "W", "5.00"),  # no sign: the list's own currency
    ]
    in_euro = compare(ListKind.PRICE, rows, {}, list_currency="eur")
    (mismatch,) = in_euro.guardrails
    assert (mismatch.key, mismatch.rows) == ("currency_mismatch", (2,))
    assert "sign on the amount" in mismatch.message
    in_lira = compare(ListKind.PRICE, rows, {}, list_currency="tr")  # the lira's other spelling
    assert [g.rows for g in in_lira.guardrails] == [(3,)]


def test_each_price_guardrail() -> None:
    diff = compare(
        ListKind.PRICE,
        [
            price(2, "A", "60.00"),  # -40 %
            price(3, "B", "0"),  # free
            price(4, "C", "10.00", retail_price=D("8.00")),  # retail below price
            price(5, "Z", "3.00", currency_type="usd"),  # not the list's currency
        ],
        CURRENT,
        list_currency="try",
    )
    by_key = {g.key: g for g in diff.guardrails}
    assert set(by_key) == {"price_drop", "zero_price", "retail_below_price", "currency_mismatch"}
    assert by_key["price_drop"].rows == (2, 3)  # a drop to zero is a drop too
    assert by_key["zero_price"].rows == (3,)
    assert by_key["retail_below_price"].rows == (4,)
    assert by_key["currency_mismatch"].rows == (5,)
    assert "30%" in by_key["price_drop"].message
    # Beside each row, the changes table says the first guardrail that names it: row 3
    # drops to zero, and the drop comes first.
    assert diff.row_flags() == {
        2: by_key["price_drop"].message,
        3: by_key["price_drop"].message,
        4: by_key["retail_below_price"].message,
        5: by_key["currency_mismatch"].message,
    }
    stricter = compare(
        ListKind.PRICE,
        [price(2, "A", "85.00")],
        CURRENT,
        settings=GuardrailSettings(max_price_drop_percent=D(10)),
    )
    assert [g.key for g in stricter.guardrails] == ["price_drop"]


def stock(row: int, sku: str, count: int) -> CleanRow:
    return CleanRow(row, {"product__sku": sku, "stock": count})


def test_many_products_going_out_of_stock_needs_a_look() -> None:
    current = {
        f"S{n}": {"stock": 5, "unit_type": "qty", "sold_quantity_unreported": 0} for n in range(100)
    }
    few = compare(ListKind.STOCK, [stock(n + 2, f"S{n}", 0) for n in range(3)], current)
    assert few.guardrails == []  # a handful selling out is normal
    many = compare(ListKind.STOCK, [stock(n + 2, f"S{n}", 0) for n in range(30)], current)
    assert [g.key for g in many.guardrails] == ["stock_to_zero"]
    assert len(many.guardrails[0].rows) == 30


@pytest.mark.asyncio
async def test_against_the_sandbox_current_prices_and_unknown_skus(
    session: Session, tmp_path: Path
) -> None:
    client = session.client
    current = await fetch_current(client, ListKind.PRICE, 5)
    assert len(current) == (await client.product_prices.list(5)).count
    existing_sku, values = next(iter(current.items()))
    catalogue = (await client.products.list(limit=100)).results
    outside = next(p.sku for p in catalogue if p.sku not in current)  # ~10 % are not listed
    lines = [
        "product__sku,price",
        f"{existing_sku},{values['price']}",
        "GHOST-1,5.00",
        f"{outside},7.00",
    ]
    result = checked(write_csv(tmp_path / "p.csv", lines), "price")
    diff = compare(ListKind.PRICE, result.good_rows(), current, list_currency="try")
    await mark_unknown_products(client, diff)
    assert diff.unchanged_rows == {2}
    kinds = {c.sku: c.kind for c in diff.changes}
    assert kinds["GHOST-1"] is ChangeKind.NOT_IN_CATALOGUE
    assert kinds[outside] is ChangeKind.NEW
    assert diff.counts[ChangeKind.NEW] == 1
    assert diff.counts[ChangeKind.NOT_IN_CATALOGUE] == 1


@pytest.mark.asyncio
async def test_every_new_sku_is_looked_up_not_the_first_500(session: Session) -> None:
    # Issue 12: 54,081 of a 60,000-row file were left unknown, "0 not in catalogue".
    client = session.client
    real = [p.sku for p in (await client.products.list(limit=1000, page=2)).results]
    ghosts = [f"GHOST-{n}" for n in range(1500)]
    rows = [price(n + 2, sku, "5.00") for n, sku in enumerate(real + ghosts)]
    diff = compare(ListKind.PRICE, rows, {}, list_currency="try")
    heard: list[tuple[int, int]] = []
    paused: list[None] = []
    await mark_unknown_products(
        client, diff, lambda *p: heard.append(p), pause=lambda: paused.append(None)
    )
    assert diff.counts[ChangeKind.NOT_IN_CATALOGUE] == 1500
    assert diff.counts[ChangeKind.NEW] == 1000
    assert diff.notes == []  # none left unasked
    assert heard[-1] == (2500, 2500)
    # Marking the unknown rows gives a waiting window its turns: every 500 of them.
    assert len(paused) == 3


def test_a_big_price_rise_needs_a_look_with_its_own_threshold() -> None:
    rows = [price(2, "B", "500.00"), price(3, "C", "12.00")]  # ×10 (a typo's zero), +20 %
    diff = compare(ListKind.PRICE, rows, CURRENT, list_currency="try")
    (rise,) = diff.guardrails
    assert (rise.key, rise.rows) == ("price_rise", (2,))
    assert "100%" in rise.message
    stricter = compare(
        ListKind.PRICE,
        rows,
        CURRENT,
        list_currency="try",
        settings=GuardrailSettings(max_price_rise_percent=D(10)),
    )
    assert [g.rows for g in stricter.guardrails] == [(2, 3)]


def test_a_price_changing_currency_shows_no_percentage_and_asks() -> None:
    current = {**CURRENT, "E": {**CURRENT["A"], "currency_type": "eur"}}
    # 100 TRY → 3 EUR is not a 97 % cut: the two amounts are in two currencies.
    diff = compare(ListKind.PRICE, [price(2, "E", "3.00", currency_type="try")], current,
                   list_currency="try")  # fmt: skip
    (change,) = diff.changes
    assert change.currency_changes
    assert change.percent is None
    assert change.old == {"price": D("100.00"), "currency_type": "eur"}
    assert [g.key for g in diff.guardrails] == ["currency_change"]  # not price_drop
    # The same currency spelled the other way is no change at all.
    same = compare(ListKind.PRICE, [price(2, "C", "5.00", currency_type="try")], CURRENT)
    assert not same.changes[0].currency_changes
    assert same.changes[0].percent == D(-50)


def test_a_change_of_unit_needs_a_look() -> None:
    current = {"S": {"stock": 5, "unit_type": "qty", "sold_quantity_unreported": 0}}
    rows = [CleanRow(2, {"product__sku": "S", "stock": 5, "unit_type": "kg"})]
    (guardrail,) = compare(ListKind.STOCK, rows, current).guardrails
    assert (guardrail.key, guardrail.rows) == ("unit_change", (2,))
    kept = [CleanRow(2, {"product__sku": "S", "stock": 7, "unit_type": "qty"})]
    assert compare(ListKind.STOCK, kept, current).guardrails == []


def test_the_movement_counts_rises_and_cuts_and_names_the_largest() -> None:
    rows = [price(2, "A", "150.00"), price(3, "B", "45.00"), price(4, "C", "2.00")]
    movement = compare(ListKind.PRICE, rows, CURRENT, list_currency="try").movement
    assert (movement.up, movement.down) == (1, 2)
    assert movement.largest_rise is not None
    assert movement.largest_rise.sku == "A"
    assert movement.largest_cut is not None
    assert movement.largest_cut.sku == "C"


def test_a_file_naming_another_list_in_its_list_column_needs_a_look() -> None:
    rows = [price(2, "A", "100.00"), price(3, "Z", "5.00")]  # one unchanged, one new
    named = {"Türkiye Perakende": [2, 3]}
    diff = compare(ListKind.PRICE, rows, CURRENT, list_name="Personel İndirimi", named_lists=named)
    (other,) = diff.guardrails
    assert (other.key, other.rows) == ("other_list", (2, 3))  # unchanged rows count too
    assert "“Türkiye Perakende”" in other.message
    assert "“Personel İndirimi”" in other.message
    # The list's own name, however it is cased or spaced, is no reason to ask.
    same = {"PERSONEL  İNDİRİMİ": [2, 3]}
    assert compare(ListKind.PRICE, rows, CURRENT, list_name="Personel İndirimi",
                   named_lists=same).guardrails == []  # fmt: skip
