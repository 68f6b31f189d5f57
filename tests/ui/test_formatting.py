"""Numbers and dates as the person's locale writes them, the same in every place they show."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, QLocale

from omnidesk.ui.formatting import date_format, local_datetime, local_decimal, local_integer


@pytest.fixture
def locale(request: pytest.FixtureRequest) -> Iterator[str]:
    before = QLocale()
    QLocale.setDefault(QLocale(request.param))
    yield request.param
    QLocale.setDefault(before)


@pytest.mark.parametrize(
    ("locale", "count", "price", "day", "moment"),
    [
        ("tr_TR", "1.234.567", "1.234.567,50", "03.06.2024", r"\d\d\.\d\d\.\d{4} \d\d:\d\d"),
        ("en_GB", "1,234,567", "1,234,567.50", "03/06/2024", r"\d\d/\d\d/\d{4} \d\d:\d\d"),
        ("en_IN", "12,34,567", "12,34,567.50", "03/06/2024", r"\d\d/\d\d/\d{4} \d\d:\d\d"),
        # The bare C locale: ISO dates, and counts grouped as in the window's sentences.
        ("C", "1,234,567", "1,234,567.50", "2024-06-03", r"\d{4}-\d\d-\d\d \d\d:\d\d"),
    ],
    indirect=["locale"],
)
def test_counts_prices_and_dates_follow_the_locale(
    locale: str, count: str, price: str, day: str, moment: str
) -> None:
    assert local_integer(1_234_567) == count
    assert local_decimal(Decimal("1234567.5")) == price
    assert QDate(2024, 6, 3).toString(date_format()) == day  # zero-padded, the whole year
    assert re.fullmatch(moment, local_datetime(datetime(2024, 6, 3, 9, 5, tzinfo=UTC)))


@pytest.mark.parametrize("locale", ["tr_TR"], indirect=True)
def test_exact_and_signed_without_float(locale: str) -> None:
    assert local_decimal(Decimal("0.1") + Decimal("0.2")) == "0,30"
    assert local_decimal(Decimal("-1234.5")) == "-1.234,50"
    assert local_decimal(Decimal("-0.001")) == "0,00"  # not "-0,00"
    assert local_decimal(None) == ""
