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


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("localhost:abc", "port"),
        ("localhost:99999", "port"),
        ("acme.example:0", "port"),
        ("admin:S3cret@127.0.0.1:47999/api/v1/", "username and password out of the address"),
        ("https://admin@acme.example", "username and password out of the address"),
    ],
)
def test_an_address_that_cannot_be_used_says_why(typed: str, words: str) -> None:
    problem = check_base_url(clean_base_url(typed))
    assert problem is not None
    assert words in problem
