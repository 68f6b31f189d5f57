"""The currencies of Omnitron's price lists, and the two spellings some of them have.

One home for every layer: the client sends them, the checker accepts them in a
file, the comparison and the guardrails compare them. Imports only the translation
functions (the currencies' names are said in the person's language).
[ours] where omnitron-api.md says so: the docs' enum and the payloads disagree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from omnidesk.i18n import N_, _

# The docs' enum is tr, eu, usd, …; every example uses try. We accept both, try first.
CURRENCIES: Final = (
    "try", "eur", "tr", "eu", "usd", "egp", "gbp", "mad", "pln", "sar", "ron", "uah",
    "czk", "huf", "rub", "bgn", "iqd", "kwd", "bhd", "omr", "qar", "aed", "ngn", "inr",
    "lei", "kzt", "jod", "rsd",
)  # fmt: skip

_ENGLISH_NAMES: Final = {
    "try": N_("Turkish lira"),
    "tr": N_("Turkish lira (tr)"),
    "eur": N_("Euro"),
    "eu": N_("Euro (eu)"),
    "usd": N_("US dollar"),
    "egp": N_("Egyptian pound"),
    "gbp": N_("Pound sterling"),
    "mad": N_("Moroccan dirham"),
    "pln": N_("Polish złoty"),
    "sar": N_("Saudi riyal"),
    "ron": N_("Romanian leu"),
    "uah": N_("Ukrainian hryvnia"),
    "czk": N_("Czech koruna"),
    "huf": N_("Hungarian forint"),
    "rub": N_("Russian rouble"),
    "bgn": N_("Bulgarian lev"),
    "iqd": N_("Iraqi dinar"),
    "kwd": N_("Kuwaiti dinar"),
    "bhd": N_("Bahraini dinar"),
    "omr": N_("Omani rial"),
    "qar": N_("Qatari riyal"),
    "aed": N_("UAE dirham"),
    "ngn": N_("Nigerian naira"),
    "inr": N_("Indian rupee"),
    "lei": N_("Romanian leu (lei)"),
    "kzt": N_("Kazakhstani tenge"),
    "jod": N_("Jordanian dinar"),
    "rsd": N_("Serbian dinar"),
}


class _Names(Mapping[str, str]):
    """Currency code → its name in the language spoken now (looked up on each use, so a
    language chosen after this module is imported is the one spoken)."""

    def __init__(self, english: Mapping[str, str]) -> None:
        self._english = english

    def __getitem__(self, code: str) -> str:
        return _(self._english[code])

    def __iter__(self) -> Iterator[str]:
        return iter(self._english)

    def __len__(self) -> int:
        return len(self._english)


CURRENCY_NAMES: Final[Mapping[str, str]] = _Names(_ENGLISH_NAMES)

DEFAULT_CURRENCY: Final = "try"

# The server's two spellings of the lira and the euro; they mean the same currency.
SAME_CURRENCY: Final = {"tr": "try", "eu": "eur"}


def same_currency(code: str | None) -> str:
    """One spelling per currency, so that ``tr`` and ``try`` compare equal."""
    text = (code or "").lower()
    return SAME_CURRENCY.get(text, text)
