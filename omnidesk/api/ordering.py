"""Is a page in the order asked for, and putting rows in that order here when it is not (V2).

A server may ignore an ordering parameter it does not know and answer in its own
order (by pk). The client cannot ask the server which collation it sorts names
with (PostgreSQL's locale, ICU, plain code points), so the check is lenient: two
neighbouring names are in order if any usual collation puts them so. Rows in
pk order almost always break that somewhere; rows a server did sort never do.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

T = TypeVar("T")

# Turkish letters after their Latin base (c < ç < d), as a Turkish locale sorts them.
_TURKISH_AFTER = str.maketrans(
    {"ç": "c\uffff", "ğ": "g\uffff", "ı": "h\uffff", "ö": "o\uffff", "ş": "s\uffff", "ü": "u\uffff"}
)


def _fold(text: str) -> str:
    # Both Turkish i's fold to a plain i: "İade" files with the I's, "Kasım" with "Kasim".
    return text.casefold().replace("\u0307", "").replace("ı", "i")


def letters_first(text: str) -> str:
    """Base letters only, case-blind: İ with I, Ç with C, ğ with g (a real locale's first level)."""
    decomposed = unicodedata.normalize("NFKD", _fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _turkish(text: str) -> str:
    lowered = text.replace("I", "ı").replace("İ", "i").lower()
    return lowered.translate(_TURKISH_AFTER)


def _letters_and_digits(text: str) -> str:
    # ICU and glibc locales pass over spaces and punctuation at the first level.
    return "".join(c for c in letters_first(text) if c.isalnum())


TEXT_COLLATIONS: tuple[Callable[[str], str], ...] = (
    str.casefold,
    letters_first,
    _turkish,
    _letters_and_digits,
)


def _in_order(before: Any, after: Any) -> bool:
    if isinstance(before, str) and isinstance(after, str):
        return any(key(before) <= key(after) for key in TEXT_COLLATIONS)
    return bool(before <= after)


def sort_value(row: Any, field: str) -> Any:
    value = getattr(row, field)
    return value.timestamp() if isinstance(value, datetime) else value


def order_evidence(rows: Sequence[Any], ordering: str) -> bool | None:
    """True when the rows show the order asked for, False when they break it, and None
    when they cannot tell (fewer than two different values)."""
    field = ordering.removeprefix("-")
    descending = ordering.startswith("-")
    # Servers differ on where empty codes go; they say nothing about the order.
    values = [value for row in rows if (value := sort_value(row, field)) is not None]
    if len(set(values)) < 2:
        return None
    for before, after in itertools.pairwise(values):
        if descending:
            before, after = after, before
        if not _in_order(before, after):
            return False
    return True


def sort_locally(rows: list[T], ordering: str, identity: Callable[[T], int]) -> list[T]:
    """The rows in the order a server sorting by ``ordering`` gives (PostgreSQL's habits:
    names by letter, empty values last ascending and first descending, ties by pk)."""
    field = ordering.removeprefix("-")
    descending = ordering.startswith("-")

    def key(row: T) -> tuple[bool, Any]:
        value = sort_value(row, field)
        if isinstance(value, str):
            return False, (letters_first(value), value)
        return value is None, value if value is not None else 0

    by_pk = sorted(rows, key=identity)
    # Python's sort is stable in both directions, so equal keys stay in pk order.
    return sorted(by_pk, key=key, reverse=descending)
