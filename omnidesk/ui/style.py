"""Every colour the window uses, one pair per colour scheme, and how widgets ask for them.

Widgets never name a colour: they say what a text or a fill means (``Tone``) and
this module gives it the colour of the scheme in use. Pairs are chosen so that
text reaches WCAG AA contrast (4.5:1) on what it is drawn on, in the light and
in the dark scheme alike. The app installs one style sheet built from the
current scheme and builds it again when the system switches between light and
dark; table models ask ``brush()`` at paint time, so they follow at once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionComboBox,
    QStyleOptionComplex,
    QStyleOptionFrame,
    QWidget,
)

from omnidesk.settings import Environment


class Tone(StrEnum):
    """What a text or a fill says; the property ``tone`` a style sheet rule picks up."""

    ERROR = "error"  # something is wrong and stops the work
    WARNING = "warning"  # something deserves a look
    HEADING = "heading"  # a page's title
    TITLE = "title"  # a step's or a result's title
    STRONG = "strong"  # a line that names what is shown below it
    STAGED = "staged"  # a value changed here and not sent yet


@dataclass(frozen=True)
class Colours:
    error_text: str
    warning_text: str
    error_fill: str  # behind a problem cell or an error banner
    warning_fill: str
    fill_text: str  # text drawn on either fill
    good_border: str
    good_fill: str
    quiet_border: str


LIGHT = Colours(
    error_text="#b00020",
    warning_text="#8a5300",
    error_fill="#f8d7da",
    warning_fill="#fff3cd",
    fill_text="#1b1b1b",
    good_border="#2e7d32",
    good_fill="#e8f5e9",
    quiet_border="#9e9e9e",
)
DARK = Colours(
    error_text="#ff8a80",
    warning_text="#ffcc80",
    error_fill="#5c1d24",
    warning_fill="#4a3a10",
    fill_text="#f2f2f2",
    good_border="#81c784",
    good_fill="#1e3a22",
    quiet_border="#8a8a8a",
)


# The environment banner sets its text and its background alike: one pair for both
# schemes, each well past 4.5:1, so production looks the same red everywhere.
BANNER_COLOURS = {
    Environment.PRODUCTION: ("#b00020", "#ffffff"),
    Environment.STAGING: ("#b23c00", "#ffffff"),
    Environment.TEST: ("#1565c0", "#ffffff"),
    Environment.DEMO: ("#fdd835", "#000000"),
}


# The window's own colours when the system asks for dark and the platform gives no dark
# palette (a GNOME or KDE session whose Qt has no theme plugin, say): Fusion's roles in
# dark, each text role past 4.5:1 on what it is drawn on.
DARK_PALETTE = {
    QPalette.ColorRole.Window: "#2b2b2b",
    QPalette.ColorRole.WindowText: "#eeeeee",
    QPalette.ColorRole.Base: "#1f1f1f",
    QPalette.ColorRole.AlternateBase: "#282828",
    QPalette.ColorRole.ToolTipBase: "#3a3a3a",
    QPalette.ColorRole.ToolTipText: "#eeeeee",
    QPalette.ColorRole.PlaceholderText: "#a6a6a6",
    QPalette.ColorRole.Text: "#eeeeee",
    QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#eeeeee",
    QPalette.ColorRole.BrightText: "#ff8a80",
    QPalette.ColorRole.Light: "#4a4a4a",
    QPalette.ColorRole.Midlight: "#3e3e3e",
    QPalette.ColorRole.Mid: "#2f2f2f",
    QPalette.ColorRole.Dark: "#1a1a1a",
    QPalette.ColorRole.Shadow: "#101010",
    QPalette.ColorRole.Highlight: "#2f65ca",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#8ab4f8",
    QPalette.ColorRole.LinkVisited: "#c58af9",
}
DARK_DISABLED = {
    QPalette.ColorRole.WindowText: "#8c8c8c",
    QPalette.ColorRole.Text: "#8c8c8c",
    QPalette.ColorRole.ButtonText: "#8c8c8c",
    QPalette.ColorRole.Highlight: "#3a3a3a",
    QPalette.ColorRole.HighlightedText: "#8c8c8c",
}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK_PALETTE.items():
        palette.setColor(role, QColor(colour))
    for role, colour in DARK_DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return palette


def _is_dark(palette: QPalette) -> bool:
    return palette.window().color().lightness() < 128


class _Painting:
    """The scheme the app is painted in, and whether the dark palette is ours."""

    dark: bool | None = None  # None until install(): then the palette's lightness decides
    palette_is_ours = False


def dark_scheme() -> bool:
    """Whether the window is drawn dark (the scheme follow() last painted)."""
    if _Painting.dark is None:
        return _is_dark(QGuiApplication.palette())
    return _Painting.dark


def colours() -> Colours:
    return DARK if dark_scheme() else LIGHT


def brush(tone: Tone) -> QBrush:
    """The fill behind a cell of that tone (ERROR, WARNING or STAGED), in the scheme in use."""
    now = colours()
    if tone is Tone.STAGED:
        return _brush_of(now.good_fill)
    return _brush_of(now.error_fill if tone is Tone.ERROR else now.warning_fill)


def fill_text_brush() -> QBrush:
    """Text on a problem fill: the view's own text colour would vanish on it in one scheme."""
    return _brush_of(colours().fill_text)


@functools.cache
def _brush_of(colour: str) -> QBrush:
    # Asked for by every problem cell a table paints, twice: made once per colour (a
    # view copies what data() gives), not at each ask (0.6 µs of the 6 µs a cell's
    # data() took in a changes table's first paint).
    return QBrush(QColor(colour))


def mark(widget: QWidget, tone: Tone | None) -> None:
    """Give a widget a tone (None: none again); the app's style sheet colours it."""
    widget.setProperty("tone", tone.value if tone is not None else "")
    give_sheet(widget)


def named(widget: QWidget, name: str) -> None:
    """Give a widget a name the app's style sheet draws it by (a banner, a bar)."""
    widget.setObjectName(name)
    give_sheet(widget)


# Set on each widget that has the app's style sheet, for a change of scheme to find.
_HAS_SHEET = "omnideskSheet"


def give_sheet(widget: QWidget) -> None:
    """The app's style sheet, on this widget (and what it holds) alone.

    Not on the whole app: a style sheet there routes every widget through Qt's
    style-sheet style, which made a table paint in 7 ms instead of 4.6 and a window
    build in twice the time, for rules that concern a few marked or named widgets.
    Said again after a property the sheet reads has changed (a tone, a drop's verdict).
    """
    widget.setProperty(_HAS_SHEET, True)
    sheet = style_sheet(colours())
    if widget.styleSheet() == sheet:
        # A property changed since: it takes effect once the widget is polished again.
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
    else:
        widget.setStyleSheet(sheet)


def style_sheet(now: Colours) -> str:
    return f"""
    *[tone="error"] {{ color: {now.error_text}; }}
    *[tone="warning"] {{ color: {now.warning_text}; }}
    QGroupBox[tone="warning"] {{ color: {now.warning_text}; font-weight: bold; }}
    *[tone="heading"] {{ font-size: 16px; font-weight: bold; }}
    *[tone="title"] {{ font-size: 15px; font-weight: bold; }}
    *[tone="strong"] {{ font-weight: bold; }}
    QLabel#dialogBanner {{
        background: {now.error_fill}; color: {now.fill_text}; padding: 6px;
    }}
    QFrame#moreBar {{ background: {now.error_fill}; }}
    QFrame#stagedBar {{ background: {now.good_fill}; border: 1px solid {now.good_border}; }}
    QFrame#stagedBar QLabel {{ color: {now.fill_text}; }}
    QFrame#moreBar QLabel {{ color: {now.fill_text}; }}
    QWidget#dropZone {{ border: 2px dashed {now.quiet_border}; border-radius: 8px; }}
    QWidget#dropZone[drop="good"] {{
        border: 2px dashed {now.good_border}; background: {now.good_fill};
    }}
    QWidget#dropZone[drop="bad"] {{
        border: 2px dashed {now.error_text}; background: {now.error_fill};
    }}
    QWidget#dropZone[drop="good"] QLabel, QWidget#dropZone[drop="bad"] QLabel {{
        color: {now.fill_text};
    }}
    """


def follow(app: QApplication, scheme: Qt.ColorScheme) -> None:
    """Paint the app for the system's colour scheme: its palette and the tones' colours.

    What is drawn decides: a platform that gives a dark palette is dark whatever it
    reports. When the system asks for dark and the platform's palette is light (it
    has none for dark), the app's own dark palette goes in, and out again for light.
    """
    if _Painting.palette_is_ours:
        app.setPalette(QPalette())  # back to whatever the platform gives now
        _Painting.palette_is_ours = False
    platform_dark = _is_dark(app.palette())
    dark = platform_dark or scheme is Qt.ColorScheme.Dark
    if dark and not platform_dark:
        app.setPalette(dark_palette())
        _Painting.palette_is_ours = True
    _Painting.dark = dark
    sheet = style_sheet(DARK if dark else LIGHT)
    for widget in app.allWidgets():
        if widget.property(_HAS_SHEET):
            widget.setStyleSheet(sheet)


_EDGED = {
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
    QStyle.PrimitiveElement.PE_PanelLineEdit,
}


class EdgedStyle(QProxyStyle):
    """The platform's style, with a visible edge round check boxes, radio buttons, text
    fields and spin boxes when the app's own dark palette is in: Fusion draws their edge
    a shade darker than the window, which on a dark window leaves an unticked guardrail
    box or an empty field all but invisible (1.1:1; WCAG asks 3:1 of a control's edge)."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if not _Painting.palette_is_ours or element not in _EDGED:
            return
        if isinstance(option, QStyleOptionFrame) and option.lineWidth == 0:
            return  # a frameless field: the one inside an editable combo box, say
        _edge(painter, option, round_=element is QStyle.PrimitiveElement.PE_IndicatorRadioButton)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if not _Painting.palette_is_ours:
            return
        # Preferences' thresholds, and the wizard's list chooser one types into: fields.
        spin = control is QStyle.ComplexControl.CC_SpinBox
        typed = control is QStyle.ComplexControl.CC_ComboBox and (
            isinstance(option, QStyleOptionComboBox) and option.editable
        )
        if spin or typed:
            _edge(painter, option)


def _edge(painter: QPainter, option: QStyleOption, *, round_: bool = False) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QColor(DARK.quiet_border))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    edge = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)  # on the pixels, not between
    if round_:
        painter.drawEllipse(edge)
    else:
        painter.drawRoundedRect(edge, 2, 2)
    painter.restore()


def install(app: QApplication) -> None:
    """Paint the app for the scheme in use, and again whenever the system switches."""
    if not isinstance(app.style(), EdgedStyle):
        app.setStyle(EdgedStyle(app.style().name()))
    hints = app.styleHints()
    follow(app, hints.colorScheme() if hints is not None else Qt.ColorScheme.Unknown)
    if hints is not None:
        hints.colorSchemeChanged.connect(lambda scheme: follow(app, scheme))
