"""The currencies of Omnitron's price lists, and the two spellings some of them have.

One home for every layer: the client sends them, the checker accepts them in a
file, the comparison and the guardrails compare them. Imports nothing.
[ours] where omnitron-api.md says so: the docs' enum and the payloads disagree.
"""

from __future__ import annotations

from typing import Final

# The docs' enum is tr, eu, usd, …; every example uses try. We accept both, try first.
CURRENCIES: Final = (
    "try", "eur", "tr", "eu", "usd", "egp", "gbp", "mad", "pln", "sar", "ron", "uah",
    "czk", "huf", "rub", "bgn", "iqd", "kwd", "bhd", "omr", "qar", "aed", "ngn", "inr",
    "lei", "kzt", "jod", "rsd",
)  # fmt: skip

CURRENCY_NAMES: Final = {
    "try": "Turkish lira",
    "tr": "Turkish lira (tr)",
    "eur": "Euro",
    "eu": "Euro (eu)",
    "usd": "US dollar",
    "egp": "Egyptian pound",
    "gbp": "Pound sterling",
    "mad": "Moroccan dirham",
    "pln": "Polish złoty",
    "sar": "Saudi riyal",
    "ron": "Romanian leu",
    "uah": "Ukrainian hryvnia",
    "czk": "Czech koruna",
    "huf": "Hungarian forint",
    "rub": "Russian rouble",
    "bgn": "Bulgarian lev",
    "iqd": "Iraqi dinar",
    "kwd": "Kuwaiti dinar",
    "bhd": "Bahraini dinar",
    "omr": "Omani rial",
    "qar": "Qatari riyal",
    "aed": "UAE dirham",
    "ngn": "Nigerian naira",
    "inr": "Indian rupee",
    "lei": "Romanian leu (lei)",
    "kzt": "Kazakhstani tenge",
    "jod": "Jordanian dinar",
    "rsd": "Serbian dinar",
}

DEFAULT_CURRENCY: Final = "try"

# The server's two spellings of the lira and the euro; they mean the same currency.
SAME_CURRENCY: Final = {"tr": "try", "eu": "eur"}


def same_currency(code: str | None) -> str:
    """One spelling per currency, so that ``tr`` and ``try`` compare equal."""
    text = (code or "").lower()
    return SAME_CURRENCY.get(text, text)
