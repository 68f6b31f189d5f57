"""How values look on screen: numbers, dates and money in the person's locale, never through float.

Every number and date the window shows goes through here, so a count reads the
same in a table, a title and a sentence (1.234 in Türkiye, 1,234 in England,
12,34,567 in India).
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QDateTime, QLocale

from omnidesk import i18n
from omnidesk.currencies import CURRENCY_NAMES, same_currency
from omnidesk.i18n import _


def date_format() -> str:
    """The locale's short date, zero-padded and with the whole year: 03.06.2024, 06/03/2024.

    The bare "C" locale (servers, containers) has no readable one: ISO then.
    """
    short = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    # "C" dates (d MM yyyy) also come with English words when LANG=C and LANGUAGE=en.
    if short == QLocale.c().dateFormat(QLocale.FormatType.ShortFormat):
        return "yyyy-MM-dd"
    return re.sub(r"y+", "yyyy", re.sub(r"M+", "MM", re.sub(r"d+", "dd", short)))


def local_datetime(moment: datetime) -> str:
    # In the computer's local time, as the C library keeps it: QTimeZone.systemTimeZone()
    # says the same but reads the time zone database first (10 ms of the window's start).
    qt_moment = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
    return qt_moment.toString(f"{date_format()} HH:mm")


# The default locale and the grouping copy made of it, kept: making the copy (its number
# options set) is most of what formatting one number cost, and a table's paint formats
# hundreds. A new default (the system's format changed) makes a new copy.
_numbers_made: tuple[QLocale, QLocale] | None = None


def _numbers() -> QLocale:
    global _numbers_made
    default = QLocale()
    if _numbers_made is not None and _numbers_made[0] == default:
        return _numbers_made[1]
    locale = QLocale(default)
    # The "C" locale leaves thousands ungrouped, where f"{n:,}" elsewhere grouped them:
    # grouped everywhere, so a count reads the same in a table and in a sentence.
    locale.setNumberOptions(locale.numberOptions() & ~QLocale.NumberOption.OmitGroupSeparator)
    _numbers_made = (default, locale)
    return locale


def local_decimal(value: Decimal | None, places: int = 2) -> str:
    """1234.5 → "1,234.50", "1.234,50" or "12,34,567.50", grouped as the person's locale does."""
    if value is None:
        return ""
    locale = _numbers()
    text = f"{abs(value):.{places}f}"  # Decimal formatting: exact, no float on the way
    whole, _, fraction = text.partition(".")
    grouped = _grouped(locale, int(whole))
    negative = value < 0 and any(digit not in "0." for digit in text)  # not "-0.00"
    sign = locale.negativeSign() if negative else ""
    return f"{sign}{grouped}{locale.decimalPoint() + fraction if fraction else ''}"


def local_integer(value: int) -> str:
    """1234 → "1,234" or "1.234": every count the window shows."""
    return _grouped(_numbers(), value)


def _grouped(locale: QLocale, value: int) -> str:
    if abs(value) >= 2**63:  # beyond what QLocale takes: still grouped, the English way
        return f"{value:,}"
    return locale.toString(value)


# The widest texts a column usually holds, for DataTable.fit_columns.
BARCODE_SAMPLE = "8690000000000"  # EAN-13: the longest SKUs a catalogue has in numbers
MONEY_SAMPLE = Decimal("1234567.89")
COUNT_SAMPLE = 1_000_000


def datetime_sample() -> str:
    return local_datetime(datetime(2024, 12, 31, 23, 59))


def signed_percent(value: Decimal) -> str:
    """A change in percent, its sign first: "+40.0 %", or in Turkish "+%40,0"."""
    sign = "+" if value > 0 else "−" if value < 0 else ""
    magnitude = local_decimal(abs(value), places=1)
    return sign + _("{number} %").format(number=magnitude)


def yes_no(flag: bool) -> str:
    return _("Yes") if flag else _("No")


# The codes Babel does not know, and the currency each spells.
_NOT_ISO = {"lei": "ron"}


def currency_name(code: str) -> str:
    """A currency's name in the language spoken: "Turkish lira", "Türk lirası". The
    names in other languages are Babel's (CLDR's), so none is translated by hand; a
    second spelling of a currency (tr, eu, lei) keeps its code beside the name."""
    english = CURRENCY_NAMES.get(code, code)
    spoken = i18n.language()
    if spoken in (i18n.SOURCE_LANGUAGE, i18n.PSEUDO):
        return english
    from babel.numbers import get_currency_name  # on first use, as i18n does

    iso = _NOT_ISO.get(code, same_currency(code))
    name = str(get_currency_name(iso.upper(), locale=spoken))
    if name.upper() == iso.upper():  # Babel has no name for it either
        return english
    return name if iso == code else f"{name} ({code})"
