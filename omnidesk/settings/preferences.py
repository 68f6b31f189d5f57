"""The person's preferences: the guardrail thresholds of imports, and the window's language.

A small JSON file beside the profiles; a damaged or missing file means defaults.
Each part is saved without touching the others.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

# The thresholds belong to the guardrails they set; this module only keeps them on disk.
from omnidesk.i18n import LANGUAGES, _
from omnidesk.imports.guardrails import THRESHOLDS, GuardrailSettings, Threshold

log = logging.getLogger(__name__)


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


def _read(threshold: Threshold, raw: Any) -> Decimal | int:
    return _whole(raw) if threshold.whole else _decimal(raw)


class PreferencesStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> GuardrailSettings:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8")).get("guardrails", {})
            if not isinstance(raw, dict):
                raise TypeError(raw)
        except FileNotFoundError:
            return GuardrailSettings()
        except (ValueError, TypeError, AttributeError):
            log.warning(
                _("preferences file {file} is damaged; using the defaults").format(file=self.path)
            )
            return GuardrailSettings()
        # One bad value costs only itself: the others were chosen on purpose.
        defaults = GuardrailSettings()
        values: dict[str, Any] = {}
        for threshold in THRESHOLDS:
            if threshold.name not in raw:
                continue
            lowest, highest = threshold.minimum, threshold.maximum
            try:
                value = _read(threshold, raw[threshold.name])
            except (ValueError, TypeError, InvalidOperation):
                value = None
            if value is None or not lowest <= value <= highest:
                log.warning(
                    _(
                        "preferences file {file}: {name} = {value!r} is not a number from "
                        "{lowest} to {highest}; using {default}"
                    ).format(
                        file=self.path,
                        name=threshold.name,
                        value=raw[threshold.name],
                        lowest=lowest,
                        highest=highest,
                        default=getattr(defaults, threshold.name),
                    )
                )
                continue
            values[threshold.name] = value
        return GuardrailSettings(**values)

    def language(self) -> str | None:
        """The language chosen for the window ("en", "tr"), or None: the system's."""
        chosen = self._read().get("language")
        return chosen if isinstance(chosen, str) and chosen in LANGUAGES else None

    def save(self, guardrails: GuardrailSettings) -> None:
        values = {name: str(value) for name, value in asdict(guardrails).items()}
        self._write("guardrails", values)

    def save_language(self, language: str | None) -> None:
        """None: follow the system's language again."""
        self._write("language", language if language in LANGUAGES else None)

    def _read(self) -> dict[str, Any]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return raw if isinstance(raw, dict) else {}

    def _write(self, part: str, value: Any) -> None:
        everything = self._read()
        if value is None:
            everything.pop(part, None)
        else:
            everything[part] = value
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(everything, indent=2), encoding="utf-8")
        temporary.replace(self.path)
