"""The person's preferences: for now, the guardrail thresholds of imports.

A small JSON file beside the profiles; a damaged or missing file means defaults.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GuardrailPreferences:
    max_price_drop_percent: Decimal = Decimal(30)
    stock_to_zero_count: int = 20
    stock_to_zero_percent: Decimal = Decimal(5)


class PreferencesStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> GuardrailPreferences:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8")).get("guardrails", {})
            defaults = GuardrailPreferences()
            return GuardrailPreferences(
                max_price_drop_percent=Decimal(
                    str(raw.get("max_price_drop_percent", defaults.max_price_drop_percent))
                ),
                stock_to_zero_count=int(
                    raw.get("stock_to_zero_count", defaults.stock_to_zero_count)
                ),
                stock_to_zero_percent=Decimal(
                    str(raw.get("stock_to_zero_percent", defaults.stock_to_zero_percent))
                ),
            )
        except FileNotFoundError:
            return GuardrailPreferences()
        except (ValueError, TypeError, AttributeError, InvalidOperation):
            log.warning("preferences file %s is damaged; using the defaults", self.path)
            return GuardrailPreferences()

    def save(self, guardrails: GuardrailPreferences) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        values = {name: str(value) for name, value in asdict(guardrails).items()}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"guardrails": values}, indent=2), encoding="utf-8")
        temporary.replace(self.path)
