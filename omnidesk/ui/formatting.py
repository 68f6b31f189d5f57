"""How values look on screen: dates and money in the person's locale, never through float."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QDateTime, QLocale, QTimeZone

from omnidesk.i18n import _


def local_datetime(moment: datetime) -> str:
    qt_moment = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.systemTimeZone())
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        # The bare "C" locale (servers, containers) has no readable short format.
        return qt_moment.toString("yyyy-MM-dd HH:mm")
    return locale.toString(qt_moment, QLocale.FormatType.ShortFormat)


def local_decimal(value: Decimal | None, places: int = 2) -> str:
    """1234.5 → "1,234.50" or "1.234,50", by the person's locale."""
    if value is None:
        return ""
    locale = QLocale()
    text = f"{value:,.{places}f}"  # Decimal formatting: exact, no float on the way
    group, point = locale.groupSeparator(), locale.decimalPoint()
    return text.replace(",", "\x00").replace(".", point).replace("\x00", group)


def local_integer(value: int) -> str:
    return QLocale().toString(value)


def signed_percent(value: Decimal) -> str:
    """A change in percent, its sign first: "+40.0 %", or in Turkish "+%40,0"."""
    sign = "+" if value > 0 else "−" if value < 0 else ""
    magnitude = local_decimal(abs(value), places=1)
    return sign + _("{number} %").format(number=magnitude)


def yes_no(flag: bool) -> str:
    return _("Yes") if flag else _("No")
