"""The row rules: the warnings a usable row gets, listed by the schemas and the guardrails."""

from __future__ import annotations

from omnidesk.imports.guardrails import GUARDRAILS
from omnidesk.spreadsheet import ROW_RULES, SCHEMAS, Severity

from .checks import check, messages


def test_every_guardrail_s_offline_rule_is_a_row_rule_the_checker_has() -> None:
    named = {rule.key: rule.offline_rule for rule in GUARDRAILS if rule.offline_rule is not None}
    assert named, "no guardrail names an offline rule any more"
    assert {key: rule for key, rule in named.items() if rule not in ROW_RULES} == {}


def test_every_schema_lists_only_row_rules_the_checker_has() -> None:
    listed = {kind: set(schema.row_rules) - set(ROW_RULES) for kind, schema in SCHEMAS.items()}
    assert listed == {kind: set() for kind in SCHEMAS}


def test_retail_below_price_and_zero_price_warn_without_blocking() -> None:
    result = check("price", ["sku", "price", "retail_price"], ["A", 10, 8], ["B", 0, ""])
    assert [f.severity for f in result.findings] == [Severity.WARNING, Severity.WARNING]
    assert result.all_rows_usable


def test_currency_signs_that_contradict_the_row_warn() -> None:
    result = check(
        "price",
        ["sku", "price", "currency_type"],
        ["A", "$12", "try"],
        ["B", "₺1.234,50", "try"],
        ["C", "€5", "eu"],
    )
    assert messages(result) == [
        (2, "price", "warning", "Price “$12” is in USD, but the row's currency is try.")
    ]


def test_a_currency_sign_without_a_currency_column_goes_with_the_row() -> None:
    # Whether "$" is wrong depends on the list's currency: the comparison decides.
    result = check(
        "price",
        ["sku", "price"],
        ["A", "$12"],
        ["B", "10 TL"],
        ["C", "7.50"],
        ["D", "$1,299"],  # ambiguous alone: settled by the column's convention
    )
    assert result.findings == []
    signs = {row.values["product__sku"]: row.currency_sign for row in result.good_rows()}
    assert signs == {"A": "usd", "B": "try", "C": None, "D": "usd"}
