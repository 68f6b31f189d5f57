"""Two lists of one kind side by side: each SKU's value in this list and in the other."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from omnidesk.currencies import same_currency

Values = Mapping[str, Mapping[str, Any]]  # SKU → field → value (diff.fetch_current)


class Presence(StrEnum):
    BOTH = "both"
    ONLY_HERE = "only here"
    ONLY_THERE = "only there"


@dataclass(frozen=True)
class SideBySide:
    sku: str
    here: Any  # the value in this list (None: not in it, or empty)
    there: Any
    presence: Presence
    difference: Decimal | None  # there − here, when both are numbers in one currency
    percent: Decimal | None  # the difference against this list's value
    currencies_differ: bool = False

    @property
    def differs(self) -> bool:
        return (
            self.presence is not Presence.BOTH or self.here != self.there or self.currencies_differ
        )


def side_by_side(field: str, here: Values, there: Values) -> list[SideBySide]:
    """Every SKU of either list, in SKU order, with the field's value in each."""
    rows = []
    for sku in sorted(here.keys() | there.keys()):
        mine, theirs = here.get(sku), there.get(sku)
        a = mine.get(field) if mine is not None else None
        b = theirs.get(field) if theirs is not None else None
        presence = (
            Presence.BOTH
            if mine is not None and theirs is not None
            else Presence.ONLY_HERE
            if mine is not None
            else Presence.ONLY_THERE
        )
        other_money = (
            mine is not None
            and theirs is not None
            and same_currency(str(mine.get("currency_type") or ""))
            != same_currency(str(theirs.get("currency_type") or ""))
        )
        difference: Decimal | None = None
        percent: Decimal | None = None
        if a is not None and b is not None and _number(a) and _number(b) and not other_money:
            difference = Decimal(b) - Decimal(a)
            percent = difference * 100 / Decimal(a) if a else None
        rows.append(SideBySide(sku, a, b, presence, difference, percent, other_money))
    return rows


def _number(value: Any) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)
