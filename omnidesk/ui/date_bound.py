"""A date that may be left open, for the "Created from … to …" filters.

A plain text field rather than a QDateEdit: a QDateEdit always holds some date
(an "any" had to be its lowest one, shown as a word that typing then appended
to), and Tab walks its sections instead of leaving it. Here empty means any
date; a date is typed as the person's locale writes it, as 2024-06-30, or as
eight digits; the calendar (the button at the end, Alt+Down or F4) opens at the
date typed, or at today.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QStyle, QWidget

from omnidesk.i18n import N_, _

from .formatting import date_format

ISO = "yyyy-MM-dd"
# For Help ▸ Keyboard shortcuts; handled in DateBoundEdit.keyPressEvent.
DATE_KEYS = (
    ("Alt+Down", N_("Open the calendar of a date field (F4 too)")),
    ("Escape", N_("Close the calendar")),
)
_EIGHT_DIGITS = re.compile(r"\d{8}")


def read_date(text: str) -> date | None:
    """The date in ``text`` (the locale's way, ISO, or eight digits), or None."""
    text = text.strip()
    candidates = [(text, date_format()), (text, ISO)]
    if _EIGHT_DIGITS.fullmatch(text):
        # 20240630, or the locale's order run together (30062024 in Türkiye).
        candidates.append((text, "yyyyMMdd"))
        candidates.append((text, re.sub(r"[^dMy]", "", date_format())))
    for candidate, pattern in candidates:
        found = QDate.fromString(candidate, pattern)
        if found.isValid() and 1900 <= found.year() <= 2999:
            return date(found.year(), found.month(), found.day())
    return None


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class DateBoundEdit(QLineEdit):
    """Empty for "any date", or a date typed or picked; ``boundChanged`` as it changes."""

    boundChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("any"))
        self.setClearButtonEnabled(True)
        example = QDate(2024, 12, 31).toString(date_format())
        self.setToolTip(
            _(
                "Type a date such as {example}, or leave it empty for any date. "
                "Alt+Down opens a calendar."
            ).format(example=example)
        )
        # Room for the date and the two buttons at its end (clear, calendar).
        icon = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.setFixedWidth(self.fontMetrics().horizontalAdvance(f"{example}  ") + 2 * icon + 24)
        self.calendar_action = QAction(self._calendar_icon(), _("Choose from a calendar"), self)
        self.calendar_action.triggered.connect(self.open_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.calendar: QCalendarWidget | None = None
        self._bound: date | None = None
        self.textChanged.connect(self._text_changed)
        self.editingFinished.connect(self._tidy)

    def _calendar_icon(self) -> QIcon:
        """A down arrow in the field's own text colour: the style's stock arrow is dark
        in either scheme, and vanished on a dark field."""
        side = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        pixmap = QPixmap(side, side)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().color(QPalette.ColorRole.Text))
        third = side / 3
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(third * 0.5, third),
                    QPointF(side - third * 0.5, third),
                    QPointF(side / 2, side - third),
                ]
            )
        )
        painter.end()
        return QIcon(pixmap)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # The scheme switched: the arrow again, in the new text colour (not while building).
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "calendar_action"):
            self.calendar_action.setIcon(self._calendar_icon())

    # -- the value --------------------------------------------------------------------------------

    def bound(self) -> date | None:
        """The date typed, or None when the field is empty or holds no date (see problem())."""
        return self._bound

    def problem(self) -> str | None:
        """What is wrong with the text, in words; None when it is empty or a date."""
        text = self.text().strip()
        if not text or self._bound is not None:
            return None
        example = QDate(2024, 6, 30).toString(date_format())
        return _("“{text}” is not a date: type it as {example}, or leave it empty.").format(
            text=text, example=example
        )

    def set_bound(self, day: date | None) -> None:
        self.setText("" if day is None else _qdate(day).toString(date_format()))

    def clear_bound(self) -> None:
        self.set_bound(None)

    def _text_changed(self, text: str) -> None:
        found = read_date(text) if text.strip() else None
        if found != self._bound:
            self._bound = found
            self.boundChanged.emit()

    def _tidy(self) -> None:
        # 20240630 becomes 30.06.2024 (or 2024-06-30): the date as it was understood.
        if self._bound is not None:
            self.set_bound(self._bound)

    # -- the calendar -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        opens = event.key() == Qt.Key.Key_F4 or (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if opens:
            self.open_calendar()
            return
        super().keyPressEvent(event)

    def open_calendar(self) -> QCalendarWidget:
        """A calendar under the field, on the date typed or on today; picking a day sets it."""
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.setAccessibleName(_("Calendar"))
            self.calendar.setGridVisible(True)
            self.calendar.clicked.connect(self._picked)
            self.calendar.activated.connect(self._picked)  # Enter on a day
            self.calendar.installEventFilter(self)
        shown = self._bound or date.today()
        self.calendar.setSelectedDate(_qdate(shown))
        self.calendar.setCurrentPage(shown.year, shown.month)
        self.calendar.adjustSize()
        self.calendar.move(self._calendar_place(self.calendar.size()))
        self.calendar.show()
        self.calendar.setFocus()
        return self.calendar

    def _calendar_place(self, size: QSize) -> QPoint:
        """Under the field, its right edge under the field's; moved to stay on the screen."""
        below = self.mapToGlobal(QPoint(self.width() - size.width(), self.height()))
        screen = self.screen()
        if screen is None:
            return below
        room = screen.availableGeometry()
        x = min(max(below.x(), room.left()), room.right() - size.width())
        y = below.y()
        if y + size.height() > room.bottom():  # no room below: above the field
            y = self.mapToGlobal(QPoint(0, 0)).y() - size.height()
        return QPoint(x, max(y, room.top()))

    def _picked(self, day: QDate) -> None:
        self.set_bound(date(day.year(), day.month(), day.day()))
        if self.calendar is not None:
            self.calendar.hide()
        self.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Escape closes the calendar and gives the keyboard back to the field.
        if (
            watched is self.calendar
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Cancel)
        ):
            self.calendar.hide()
            self.setFocus()
            return True
        return super().eventFilter(watched, event)
