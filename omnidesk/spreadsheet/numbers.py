"""Numbers the way Turkish and European spreadsheets write them.

``10,00`` is ten in Istanbul and ``1,234.50`` is over a thousand in London; a file
may use either. One value rarely proves which convention a column follows, so
each text is read into a ``NumberReading`` that says what it proves, and the
column's convention is decided from all its values (``DecimalStyleVote``). A
value like ``1,234`` that means 1234 or 1.234 depending on that convention is
kept ``ambiguous`` until the column has been seen, and is reported rather than
guessed if nothing in the column settles it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from omnidesk.i18n import _


class DecimalStyle(StrEnum):
    POINT = "point"  # 1,234.50
    COMMA = "comma"  # 1.234,50

    @property
    def example(self) -> str:
        return "1,234.50" if self is DecimalStyle.POINT else "1.234,50"


class NumberProblem(StrEnum):
    """Why a text is not a number; ``problem_message`` says it in the person's language."""

    EMPTY = "empty"
    PERCENTAGE = "percentage"  # 18% where an amount or a quantity is wanted
    NOT_A_NUMBER = "not a number"
    MIXED_SEPARATORS = "mixed separators"  # 1.234,5.6
    MISPLACED_SEPARATOR = "misplaced separator"  # 12,34,567


def problem_message(problem: NumberProblem, label: str, text: str) -> str:
    """The sentence for a value of the column ``label`` that reads as no number."""
    if problem is NumberProblem.EMPTY:
        return _("{label} is empty.").format(label=label)
    if problem is NumberProblem.PERCENTAGE:
        sentence = _("{label} “{text}” is a percentage, not an amount.")
    elif problem is NumberProblem.MIXED_SEPARATORS:
        sentence = _("{label} “{text}” is not a number (mixed separators).")
    elif problem is NumberProblem.MISPLACED_SEPARATOR:
        sentence = _("{label} “{text}” is not a number (misplaced separator).")
    else:
        sentence = _("{label} “{text}” is not a number.")
    return sentence.format(label=label, text=text)


@dataclass(frozen=True, slots=True)
class NumberReading:
    """What one text says as a number.

    Exactly one of ``value``, ``ambiguous`` and ``problem`` is set. ``style`` is the
    convention the text proves (``None`` when it fits both). ``currency`` is the
    currency code a symbol or suffix named (``₺10`` → ``"try"``).
    """

    value: Decimal | None = None
    style: DecimalStyle | None = None
    ambiguous: tuple[Decimal, Decimal] | None = None  # (if POINT, if COMMA)
    problem: NumberProblem | None = None
    currency: str | None = None

    def resolve(self, style: DecimalStyle | None) -> Decimal | None:
        """The value under the column's convention; ``None`` if still undecided."""
        if self.value is not None:
            return self.value
        if self.ambiguous is not None and style is not None:
            return self.ambiguous[0] if style is DecimalStyle.POINT else self.ambiguous[1]
        return None


class DecimalStyleVote:
    """Collects the evidence of a column's values and decides its convention."""

    __slots__ = ("comma", "point")

    def __init__(self) -> None:
        self.point = 0
        self.comma = 0

    def add(self, style: DecimalStyle | None) -> None:
        if style is DecimalStyle.POINT:
            self.point += 1
        elif style is DecimalStyle.COMMA:
            self.comma += 1

    @property
    def conflicting(self) -> bool:
        return bool(self.point and self.comma)

    def decided(self) -> DecimalStyle | None:
        """The column's convention, or ``None`` when no value shows it or values disagree."""
        if self.point and not self.comma:
            return DecimalStyle.POINT
        if self.comma and not self.point:
            return DecimalStyle.COMMA
        return None


_CURRENCY_MARKS = {
    "₺": "try",
    "tl": "try",
    "try": "try",
    "$": "usd",
    "usd": "usd",
    "€": "eur",
    "eur": "eur",
    "£": "gbp",
    "gbp": "gbp",
}
_MARK = r"₺|\$|€|£|tl|try|usd|eur|gbp"
_AFFIXED = re.compile(
    rf"(?P<pre>{_MARK}|%)?\s*(?P<body>.*?)\s*(?P<post>{_MARK}|%)?", re.IGNORECASE | re.DOTALL
)
# The overwhelmingly common case in a clean export: plain digits, maybe a decimal point.
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_BODY = re.compile(r"[0-9.,' ]+")
_GROUP_SEPARATORS = re.compile(r"[' ]")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "’": "'"})


def read_number(text: str, *, percent_allowed: bool = False) -> NumberReading:
    """Read ``text`` as a number without assuming a decimal convention."""
    stripped = text.strip()
    if _PLAIN.fullmatch(stripped):
        return _read_plain(stripped)
    if not stripped:
        return NumberReading(problem=NumberProblem.EMPTY)
    return _read_decorated(stripped.translate(_SPACES), percent_allowed)


def _read_plain(text: str) -> NumberReading:
    point = text.find(".")
    if point < 0:
        return NumberReading(value=Decimal(text))
    whole = text[1:point] if text[0] == "-" else text[:point]
    if len(text) - point - 1 == 3 and len(whole) <= 3 and whole[0] != "0":
        frac = text[point + 1 :]
        return NumberReading(ambiguous=(Decimal(text), Decimal(text[:point] + frac)))
    return NumberReading(value=Decimal(text), style=DecimalStyle.POINT)


def _read_decorated(text: str, percent_allowed: bool) -> NumberReading:
    match = _AFFIXED.fullmatch(text)
    assert match is not None  # the pattern accepts any text
    pre, body, post = match.group("pre"), match.group("body"), match.group("post")
    currency = None
    for mark in (pre, post):
        if mark is None:
            continue
        if mark == "%":
            if not percent_allowed:
                return NumberReading(problem=NumberProblem.PERCENTAGE)
        else:
            currency = _CURRENCY_MARKS[mark.lower()]
    negative = False
    if body.startswith("(") and body.endswith(")"):
        negative, body = True, body[1:-1].strip()
    if body[:1] in ("-", "+", "−"):
        negative, body = body[0] != "+", body[1:].lstrip()
    if body[:1] in _CURRENCY_MARKS and currency is None:
        currency, body = _CURRENCY_MARKS[body[0]], body[1:].lstrip()
    if not body or not _BODY.fullmatch(body) or not any(ch.isdigit() for ch in body):
        return NumberReading(problem=NumberProblem.NOT_A_NUMBER)
    reading = _read_body(body)
    if reading.problem is not None:
        return reading
    if negative:
        reading = NumberReading(
            value=-reading.value if reading.value is not None else None,
            style=reading.style,
            ambiguous=(-reading.ambiguous[0], -reading.ambiguous[1]) if reading.ambiguous else None,
        )
    if currency is not None:
        reading = NumberReading(
            value=reading.value, style=reading.style, ambiguous=reading.ambiguous, currency=currency
        )
    return reading


def _read_body(body: str) -> NumberReading:
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        decimal_mark = "." if body.rfind(".") > body.rfind(",") else ","
        if body.count(decimal_mark) != 1:
            return NumberReading(problem=NumberProblem.MIXED_SEPARATORS)
        whole, frac = body.split(decimal_mark)
        digits = _grouped_digits(whole, "," if decimal_mark == "." else ".")
        return _decimal(digits, frac, _style_of(decimal_mark))
    if dots or commas:
        mark = "." if dots else ","
        if dots + commas > 1:
            # The same mark twice can only separate thousands: 1.234.567
            digits = _grouped_digits(body, mark)
            return _decimal(digits, "", _style_of("," if mark == "." else "."))
        whole, frac = body.split(mark)
        grouped_by_space = bool(_GROUP_SEPARATORS.search(whole))
        digits = _grouped_digits(whole, "")
        if digits is None or (not frac.isdigit() and frac):
            return NumberReading(problem=NumberProblem.MISPLACED_SEPARATOR)
        if (
            len(frac) == 3
            and not grouped_by_space
            and 1 <= len(whole) <= 3
            and whole[0] != "0"
            and " " not in frac
        ):
            as_decimal = Decimal(f"{whole}.{frac}")
            as_thousands = Decimal(whole + frac)
            if mark == ".":
                return NumberReading(ambiguous=(as_decimal, as_thousands))
            return NumberReading(ambiguous=(as_thousands, as_decimal))
        return _decimal(digits, frac, _style_of(mark) if frac else None)
    return _decimal(_grouped_digits(body, ""), "", None)


def _style_of(decimal_mark: str) -> DecimalStyle:
    return DecimalStyle.POINT if decimal_mark == "." else DecimalStyle.COMMA


def _decimal(digits: str | None, frac: str, style: DecimalStyle | None) -> NumberReading:
    if digits is None or (frac and not frac.isdigit()):
        return NumberReading(problem=NumberProblem.MISPLACED_SEPARATOR)
    text = (digits or "0") + ("." + frac if frac else "")
    try:
        return NumberReading(value=Decimal(text), style=style)
    except InvalidOperation:  # pragma: no cover - the text is digits by construction
        return NumberReading(problem=NumberProblem.NOT_A_NUMBER)


def _grouped_digits(text: str, thousands_mark: str) -> str | None:
    """The digits of ``text`` if its separators group thousands properly, else ``None``."""
    groups = re.split(r"[' ]" if not thousands_mark else rf"[' {re.escape(thousands_mark)}]", text)
    if len(groups) == 1:
        return text if text.isdigit() or not text else None
    first, rest = groups[0], groups[1:]
    if not (1 <= len(first) <= 3 and first.isdigit()):
        return None
    if not all(len(group) == 3 and group.isdigit() for group in rest):
        return None
    return "".join(groups)


def parse_number(text: str, style: DecimalStyle | None = None) -> Decimal:
    """Read one number, resolving an ambiguous text with ``style``; raise ``ValueError``.

    A convenience for single values (a dialog field, a test); columns should use
    ``read_number`` with a ``DecimalStyleVote``.
    """
    reading = read_number(text, percent_allowed=True)
    value = reading.resolve(style)
    if value is None:
        if reading.problem is not None:
            raise ValueError(problem_message(reading.problem, _("The value"), text.strip()))
        assert reading.ambiguous is not None
        raise ValueError(
            _("“{text}” could mean either {first} or {second}.").format(
                text=text.strip(),
                first=plain_decimal(reading.ambiguous[0]),
                second=plain_decimal(reading.ambiguous[1]),
            )
        )
    return value


def plain_decimal(value: Decimal) -> str:
    """``value`` with a decimal point, no exponent and no trailing zeros: ``1234.5``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
