"""The row rules: the warnings a usable row gets, listed by the schemas and the guardrails."""

from __future__ import annotations

from omnidesk.imports.guardrails import GUARDRAILS
from omnidesk.spreadsheet import ROW_RULES, SCHEMAS


def test_every_guardrail_s_offline_rule_is_a_row_rule_the_checker_has() -> None:
    named = {rule.key: rule.offline_rule for rule in GUARDRAILS if rule.offline_rule is not None}
    assert named, "no guardrail names an offline rule any more"
    assert {key: rule for key, rule in named.items() if rule not in ROW_RULES} == {}


def test_every_schema_lists_only_row_rules_the_checker_has() -> None:
    listed = {kind: set(schema.row_rules) - set(ROW_RULES) for kind, schema in SCHEMAS.items()}
    assert listed == {kind: set() for kind in SCHEMAS}
