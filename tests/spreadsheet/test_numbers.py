from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omnidesk.spreadsheet import DecimalStyle, parse_number, read_number
from omnidesk.spreadsheet.numbers import DecimalStyleVote


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10.00", "10.00"),
        ("10,00", "10.00"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("₺1.234,50", "1234.50"),
        ("10 TL", "10"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1.234.567", "1234567"),
        ("1,234,567.8", "1234567.8"),
        ("0,123", "0.123"),
        ("-5", "-5"),
        ("$ 7.5", "7.5"),
        ("12 EUR", "12"),
    ],
)
def test_reads_the_forms_turkish_and_european_files_use(text: str, value: str) -> None:
    assert parse_number(text) == Decimal(value)


def test_a_value_like_1_234_is_ambiguous_until_the_column_decides() -> None:
    reading = read_number("1,234")
    assert reading.value is None
    assert reading.resolve(None) is None
    assert reading.resolve(DecimalStyle.POINT) == Decimal("1234")
    assert reading.resolve(DecimalStyle.COMMA) == Decimal("1.234")
    with pytest.raises(ValueError, match=r"1234 or 1\.234"):
        parse_number("1,234")


def test_currency_marks_are_recognised() -> None:
    assert read_number("₺1.234,50").currency == "try"
    assert read_number("10 TL").currency == "try"
    assert read_number("€3").currency == "eur"


@pytest.mark.parametrize("text", ["abc", "1,2,3", "12,34,567", "1.234,5.6", "", "--1", "1e5"])
def test_non_numbers_are_problems_not_exceptions(text: str) -> None:
    reading = read_number(text)
    assert reading.value is None
    assert reading.ambiguous is None
    assert reading.problem


def test_percent_only_where_allowed() -> None:
    assert read_number("%18", percent_allowed=True).value == Decimal("18")
    assert read_number("18%", percent_allowed=False).problem


def test_vote_decides_only_on_agreement() -> None:
    vote = DecimalStyleVote()
    assert vote.decided() is None
    vote.add(read_number("10,50").style)
    assert vote.decided() is DecimalStyle.COMMA
    vote.add(read_number("1,234.50").style)
    assert vote.conflicting
    assert vote.decided() is None


def _write(value: Decimal, style: DecimalStyle, grouped: bool) -> str:
    text = format(value, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    decimal_mark, thousands = (".", ",") if style is DecimalStyle.POINT else (",", ".")
    if grouped:
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = thousands.join([whole, *groups])
    return sign + whole + (decimal_mark + frac if frac else "")


@settings(max_examples=300, deadline=None)
@given(
    value=st.decimals(
        min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False
    ),
    style=st.sampled_from(list(DecimalStyle)),
    grouped=st.booleans(),
)
def test_any_amount_written_in_either_convention_reads_back(
    value: Decimal, style: DecimalStyle, grouped: bool
) -> None:
    text = _write(value, style, grouped)
    assert parse_number(text, style) == value
    # Whatever the text proves about its convention must not contradict the truth.
    assert read_number(text).style in (None, style)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_text_gives_a_reading_never_an_exception(text: str) -> None:
    reading = read_number(text, percent_allowed=True)
    outcomes = [reading.value is not None, reading.ambiguous is not None, bool(reading.problem)]
    assert outcomes.count(True) == 1
