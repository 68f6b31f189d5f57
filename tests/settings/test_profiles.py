"""Server addresses as people type them."""

from __future__ import annotations

import pytest

from omnidesk.settings.profiles import check_base_url, clean_base_url


@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("acme.omnitron.example", "https://acme.omnitron.example"),
        (" acme.omnitron.example/api/v1/ ", "https://acme.omnitron.example"),
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("localhost:8000/", "http://localhost:8000"),
        ("HTTP://10.0.0.5:8000", "HTTP://10.0.0.5:8000"),  # a choice made: kept, and warned
        ("https://acme.omnitron.example/api/i1", "https://acme.omnitron.example"),
    ],
)
def test_an_address_without_a_scheme_gets_the_one_a_browser_would_try(
    typed: str, address: str
) -> None:
    assert clean_base_url(typed) == address
    assert check_base_url(clean_base_url(typed)) is None


def test_nothing_typed_stays_nothing() -> None:
    assert clean_base_url("   ") == ""
    assert check_base_url("") is not None
