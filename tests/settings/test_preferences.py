from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from omnidesk.imports.guardrails import GuardrailSettings
from omnidesk.settings.preferences import PreferencesStore


def test_preferences_round_trip_and_default_when_missing(tmp_path: Path) -> None:
    store = PreferencesStore(tmp_path / "preferences.json")
    assert store.load() == GuardrailSettings()
    chosen = GuardrailSettings(Decimal(15), 5, Decimal(2))
    store.save(chosen)
    assert store.load() == chosen


def test_a_damaged_file_means_defaults_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    path.write_text('{"guardrails": {"stock_to_zero_count": "many"}}', encoding="utf-8")
    assert PreferencesStore(path).load() == GuardrailSettings()
    path.write_text("{not json", encoding="utf-8")
    assert PreferencesStore(path).load() == GuardrailSettings()


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("max_price_drop_percent", '"NaN"'),
        ("max_price_drop_percent", '"Infinity"'),
        ("max_price_drop_percent", "NaN"),  # Python's json reads the bare word too
        ("max_price_drop_percent", '"250"'),  # would turn the price-cut guardrail off
        ("max_price_drop_percent", '"0"'),
        ("stock_to_zero_count", '"-20"'),
        ("stock_to_zero_count", "0"),
        ("stock_to_zero_count", "2000000"),
        ("stock_to_zero_count", "true"),
        ("stock_to_zero_percent", '"-20"'),
        ("stock_to_zero_percent", '"101"'),
        ("stock_to_zero_percent", '"-Infinity"'),
    ],
)
def test_a_hand_edited_value_out_of_range_falls_back_to_its_default_alone(
    tmp_path: Path, name: str, written: str
) -> None:
    chosen = {"max_price_drop_percent": '"15"', "stock_to_zero_count": "5"}
    chosen["stock_to_zero_percent"] = '"2"'
    chosen[name] = written
    body = ", ".join(f'"{key}": {value}' for key, value in chosen.items())
    path = tmp_path / "preferences.json"
    path.write_text(f'{{"guardrails": {{{body}}}}}', encoding="utf-8")
    loaded = PreferencesStore(path).load()
    expected = replace(
        GuardrailSettings(Decimal(15), 5, Decimal(2)),
        **{name: getattr(GuardrailSettings(), name)},
    )
    assert loaded == expected


def test_the_ends_of_the_dialogs_ranges_are_kept(tmp_path: Path) -> None:
    store = PreferencesStore(tmp_path / "preferences.json")
    for chosen in (
        GuardrailSettings(Decimal(1), 1, Decimal(0)),
        GuardrailSettings(Decimal(100), 1_000_000, Decimal(100)),
    ):
        store.save(chosen)
        assert store.load() == chosen


def test_the_language_is_kept_beside_the_guardrails_without_touching_them(
    tmp_path: Path,
) -> None:
    store = PreferencesStore(tmp_path / "preferences.json")
    assert store.language() is None  # the system's
    chosen = GuardrailSettings(Decimal(15), 5, Decimal(2))
    store.save(chosen)
    store.save_language("tr")
    assert (store.language(), store.load()) == ("tr", chosen)
    store.save(GuardrailSettings())
    assert store.language() == "tr"  # saving the thresholds keeps the language
    store.save_language(None)
    assert store.language() is None
    assert store.load() == GuardrailSettings()


@pytest.mark.parametrize("written", ['"klingon"', "7", "{"])
def test_a_language_omnidesk_does_not_speak_means_the_systems(tmp_path: Path, written: str) -> None:
    path = tmp_path / "preferences.json"
    path.write_text(f'{{"language": {written}}}', encoding="utf-8")
    assert PreferencesStore(path).language() is None
