"""Grid edits without the grid: each value checked as a cell, the rules, the staged store."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from omnidesk.imports import Journal
from omnidesk.imports.editing import CellChecks, Rule, RuleKind, apply_rule, parse_percent
from omnidesk.imports.staged import EditedList, StagedEdit, StagedEdits
from omnidesk.kinds import ListKind


@pytest.mark.parametrize(
    ("field", "typed", "decimal_comma", "value", "problem"),
    [
        ("price", "1.709,99", True, "1709.99", None),
        ("price", "1709.99", False, "1709.99", None),
        ("price", "1.234", True, "1234.00", None),  # a thousands point, under a comma locale
        ("price", "1.234", False, None, "Price “1.234” has more than 2 decimal places."),
        ("price", "₺12,50", True, "12.50", None),
        ("price", "-3", True, None, "Price “-3” cannot be negative."),
        ("price", "abc", True, None, "Price “abc” is not a number."),
        ("price", " ", True, None, "Price cannot be empty: every row of the list has one."),
        ("tax_rate", "%8,5", True, "8.5", None),
        ("tax_rate", "120", True, None, "Tax rate “120” must be between 0 and 100."),
        ("currency_type", "TL", True, "try", None),
    ],
)
def test_a_typed_value_is_checked_as_the_import_checks_a_cell(
    field: str, typed: str, decimal_comma: bool, value: str | None, problem: str | None
) -> None:
    checks = CellChecks(ListKind.PRICE, decimal_comma=decimal_comma)
    assert checks.check(field, typed) == (value, problem)


def test_stock_cells_too() -> None:
    checks = CellChecks(ListKind.STOCK, decimal_comma=False)
    assert checks.check("stock", "1,000") == ("1000", None)
    assert checks.check("stock", "1.5") == (None, "Stock “1.5” must be a whole number.")
    assert checks.check("unit_type", "adet") == ("qty", None)


def test_the_rules() -> None:
    price, stock = ListKind.PRICE, ListKind.STOCK
    assert apply_rule(Rule(RuleKind.CHANGE, Decimal(5)), price, "price", "100.00") == "105.00"
    assert apply_rule(Rule(RuleKind.CHANGE, Decimal(-10)), price, "price", "1709.99") == "1538.99"
    assert apply_rule(Rule(RuleKind.CHANGE, Decimal(5)), stock, "stock", "7") == "7"
    assert apply_rule(Rule(RuleKind.CHANGE, Decimal(5)), price, "retail_price", None) is None
    nines = [apply_rule(Rule(RuleKind.ROUND_99), price, "price", v) for v in ("12.34", "12.60")]
    assert nines == ["11.99", "12.99"]  # the nearest amount ending in ,99
    assert apply_rule(Rule(RuleKind.ROUND_99), price, "price", "0.20") == "0.99"
    assert apply_rule(Rule(RuleKind.SET, text="9,90"), price, "price", "1.00") == "9,90"
    assert [parse_percent(t) for t in ("+5 %", "−10%", "-2,5", "5")] == [
        Decimal(5), Decimal(-10), Decimal("-2.5"), None
    ]  # fmt: skip


def test_staged_edits_outlive_the_journal_that_kept_them_and_settle_with_their_import(
    tmp_path: Path,
) -> None:
    where = EditedList("http://omnitron.example", "price_list", 7, "Outlet")
    journal = Journal(tmp_path / "journal.sqlite3")
    StagedEdits(journal).stage(
        where,
        [
            StagedEdit("A", "price", "10.00", "12.00"),
            StagedEdit("B", "price", "20.00", "20.00"),  # back to the list's own: no edit
            StagedEdit("C", "tax_rate", "18", "20"),
        ],
    )
    journal.close()

    journal = Journal(tmp_path / "journal.sqlite3")  # the app started again
    staged = StagedEdits(journal)
    pending = staged.pending(where)
    assert sorted(pending) == [("A", "price"), ("C", "tax_rate")]
    assert [(p.where.list_name, p.count) for p in staged.lists_with_pending(where.server)] == [
        ("Outlet", 2)
    ]
    staged.mark_sent(where, 41, [(pending[("A", "price")], 2), (pending[("C", "tax_rate")], 3)])
    assert staged.pending(where) == {}  # on their way: no longer pending
    staged.settle(41, refused={3: "Tax rate is not allowed here."})
    (back,) = staged.pending(where).values()
    assert (back.sku, back.problem) == ("C", "Tax rate is not allowed here.")
    staged.mark_sent(where, 42, [(back, 2)])
    staged.settle(42, failed="The server could not import the file.")
    assert staged.pending(where)[("C", "tax_rate")].problem == (
        "The server could not import the file."
    )
    staged.discard(where)
    assert staged.pending(where) == {}
    journal.close()
