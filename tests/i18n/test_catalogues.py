"""Each language's catalogue says every sentence OmniDesk can show, and says it whole."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from tools import messages  # the script the developers run: what it sees, the test checks

PLACEHOLDER = re.compile(r"\{[a-z_0-9]*[^{}]*\}")

LANGUAGES = sorted(messages.catalogues())


def test_turkish_is_one_of_the_catalogues() -> None:
    assert "tr" in LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sentence_has_its_translation(language: str) -> None:
    missing = messages.missing(language)
    assert missing == [], f"{len(missing)} untranslated in {language}: see tools/messages.py"


# A sentence may be given a word in two forms; a language that says "3 satır", not
# "3 satırlar", uses the singular one where English uses the plural.
EITHER_FORM = [{"{noun}", "{plural}"}, {"{row}", "{rows}"}]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translation_keeps_every_placeholder_of_its_sentence(language: str) -> None:
    """No figure or name is lost, and none is asked for that the code does not give."""
    with messages.catalogues()[language].open("rb") as source:
        catalog = read_po(source, locale=language)
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        given = set().union(*(PLACEHOLDER.findall(text) for text in sources))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for form, text in enumerate(strings):
            if not text:
                continue  # an empty one is the test above's
            used = set(PLACEHOLDER.findall(text))
            # The first form serves one only, as the English singular does: it may leave
            # out what that leaves out ("this row", not "these 1 rows").
            own = given
            if form == 0 and len(sources) > 1:
                own = set(PLACEHOLDER.findall(sources[0]))
            lost = own - used
            for pair in EITHER_FORM:
                if pair <= own and used & pair:
                    lost -= pair
            if used - given or lost:
                wrong.append(f"{sources[0]!r} → {text!r}")
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_has_no_sentence_the_code_no_longer_says(language: str) -> None:
    """An obsolete entry is a sentence translated for nothing (tools/messages.py drops it)."""
    with messages.catalogues()[language].open("rb") as source:
        catalog = read_po(source, locale=language)
    said = {m.id for m in messages.extracted() if m.id}
    assert sorted(str(m.id) for m in catalog if m.id and m.id not in said) == []
