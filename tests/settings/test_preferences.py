from decimal import Decimal
from pathlib import Path

from omnidesk.settings.preferences import GuardrailPreferences, PreferencesStore


def test_preferences_round_trip_and_default_when_missing(tmp_path: Path) -> None:
    store = PreferencesStore(tmp_path / "preferences.json")
    assert store.load() == GuardrailPreferences()
    chosen = GuardrailPreferences(Decimal(15), 5, Decimal(2))
    store.save(chosen)
    assert store.load() == chosen


def test_a_damaged_file_means_defaults_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    path.write_text('{"guardrails": {"stock_to_zero_count": "many"}}', encoding="utf-8")
    assert PreferencesStore(path).load() == GuardrailPreferences()
    path.write_text("{not json", encoding="utf-8")
    assert PreferencesStore(path).load() == GuardrailPreferences()
