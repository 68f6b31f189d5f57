"""The person's preferences: for now, the guardrail thresholds of imports.

A small JSON file beside the profiles; a damaged or missing file means defaults.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# What the Preferences dialog's spin boxes allow, and so all a value may be: the file
# can be edited by hand, and a value outside these would turn a guardrail off
# (a price cut of more than 250 %) or make the comparison itself fail (NaN).
MAX_PRICE_DROP_PERCENT_RANGE = (1, 100)
STOCK_TO_ZERO_COUNT_RANGE = (1, 1_000_000)
STOCK_TO_ZERO_PERCENT_RANGE = (0, 100)


@dataclass(frozen=True)
class GuardrailPreferences:
    max_price_drop_percent: Decimal = Decimal(30)
    stock_to_zero_count: int = 20
    stock_to_zero_percent: Decimal = Decimal(5)


def _decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool):  # JSON true is not a number of percent
        raise TypeError(raw)
    value = Decimal(str(raw))
    if not value.is_finite():
        raise ValueError(raw)
    return value


def _whole(raw: Any) -> int:
    if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
        raise TypeError(raw)
    return int(raw)


_READERS: dict[str, tuple[Callable[[Any], Decimal | int], tuple[int, int]]] = {
    "max_price_drop_percent": (_decimal, MAX_PRICE_DROP_PERCENT_RANGE),
    "stock_to_zero_count": (_whole, STOCK_TO_ZERO_COUNT_RANGE),
    "stock_to_zero_percent": (_decimal, STOCK_TO_ZERO_PERCENT_RANGE),
}


class PreferencesStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> GuardrailPreferences:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8")).get("guardrails", {})
            if not isinstance(raw, dict):
                raise TypeError(raw)
        except FileNotFoundError:
            return GuardrailPreferences()
        except (ValueError, TypeError, AttributeError):
            log.warning("preferences file %s is damaged; using the defaults", self.path)
            return GuardrailPreferences()
        # One bad value costs only itself: the others were chosen on purpose.
        defaults = GuardrailPreferences()
        values: dict[str, Any] = {}
        for item in fields(GuardrailPreferences):
            if item.name not in raw:
                continue
            read, (lowest, highest) = _READERS[item.name]
            try:
                value = read(raw[item.name])
            except (ValueError, TypeError, InvalidOperation):
                value = None
            if value is None or not lowest <= value <= highest:
                log.warning(
                    "preferences file %s: %s = %r is not a number from %s to %s; using %s",
                    self.path,
                    item.name,
                    raw[item.name],
                    lowest,
                    highest,
                    getattr(defaults, item.name),
                )
                continue
            values[item.name] = value
        return GuardrailPreferences(**values)

    def save(self, guardrails: GuardrailPreferences) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        values = {name: str(value) for name, value in asdict(guardrails).items()}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"guardrails": values}, indent=2), encoding="utf-8")
        temporary.replace(self.path)
