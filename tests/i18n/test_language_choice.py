"""Which language OmniDesk speaks: the person's choice, else the system's, else English."""

from __future__ import annotations

import pytest

from omnidesk import i18n


@pytest.mark.parametrize(
    ("environment", "spoken"),
    [
        ({"LANGUAGE": "tr:en"}, "tr"),
        ({"LANG": "tr_TR.UTF-8"}, "tr"),
        ({"LC_ALL": "tr_TR@euro"}, "tr"),
        ({"LANGUAGE": "de:tr", "LANG": "tr_TR.UTF-8"}, "en"),  # German first: not Turkish
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_system_language_is_the_first_one_omnidesk_speaks(
    environment: dict[str, str], spoken: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert i18n.system_language() == spoken


def test_a_chosen_language_wins_over_the_system_and_an_unknown_one_falls_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANGUAGE", "tr")
    try:
        assert i18n.set_language("en") == "en"
        assert i18n.set_language(None) == "tr"
        assert i18n.set_language("xx") == "tr"  # not one we speak: the system's
    finally:
        monkeypatch.delenv("LANGUAGE")
        i18n.set_language(None)
    assert i18n.language() == "en"
