"""Every tone reaches WCAG AA (4.5:1) on what it is drawn on, in the light and the dark scheme.

Measured on the running app: the text colour is the one the widget paints with
(its palette, as the app's style sheet set it, or the model's brush for a cell),
the background is the colour found most often where the widget sits in its
window's own rendering. The system switching scheme is the colour-scheme signal
Qt sends; the offscreen platform gives no dark palette, so the app's own goes in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QLabel, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from omnidesk.imports import JournalState
from omnidesk.kinds import ListKind
from omnidesk.settings import Environment
from omnidesk.ui import style
from omnidesk.ui.import_wizard import ImportWizard
from omnidesk.ui.imports_view import JournalModel
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.widgets import EnvironmentBanner

AA = 4.5


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(one: QColor, other: QColor) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def most_common(image: QImage) -> QColor:
    counts = Counter(
        image.pixel(x, y) for x in range(0, image.width()) for y in range(0, image.height())
    )
    return QColor.fromRgb(counts.most_common(1)[0][0])


def drawn_under(widget: QWidget, area: QRect | None = None) -> QColor:
    """What the widget is drawn on: the commonest colour of its place in its window."""
    window = widget.window()
    place = area or widget.rect()
    origin = widget.mapTo(window, place.topLeft())
    return most_common(window.grab(QRect(origin, place.size())).toImage())


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    hints = QGuiApplication.styleHints()
    chosen = Qt.ColorScheme.Dark if request.param == "dark" else Qt.ColorScheme.Light
    hints.colorSchemeChanged.emit(chosen)  # what Qt sends when the system switches
    assert style.dark_scheme() is (request.param == "dark")
    yield request.param
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)


def passes(ratio: float, scheme: str, state: str) -> None:
    assert ratio >= AA, f"{state} in the {scheme} scheme: {ratio:.2f}:1"


def text_on(scheme: str, state: str, widget: QWidget, area: QRect | None = None) -> None:
    widget.ensurePolished()
    text = widget.palette().color(widget.foregroundRole())
    passes(contrast(text, drawn_under(widget, area)), scheme, state)


def cell(scheme: str, state: str, view: QAbstractItemView, index: QModelIndex) -> None:
    view.clearSelection()
    view.setCurrentIndex(QModelIndex())
    view.scrollTo(index)
    rect = view.visualRect(index).adjusted(2, 2, -2, -2)
    fill = most_common(view.viewport().grab(rect).toImage())
    text = index.data(Qt.ItemDataRole.ForegroundRole).color()
    passes(contrast(text, fill), scheme, state)


def wizard_with_problems(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> ImportWizard:
    source = tmp_path / "fiyatlar.csv"
    source.write_text("product__sku,price\nA-1,abc\nA-2,0\nA-3,10\n", encoding="utf-8")
    wizard = window.open_import(source)
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(lambda: wizard.checked is not None)
    return wizard


def test_the_window_is_painted_in_the_scheme_the_system_asks_for(
    qtbot: QtBot, window: MainWindow, scheme: str
) -> None:
    background = window.palette().window().color()
    assert (background.lightness() < 128) is (scheme == "dark")
    table = window.panes[ListKind.PRICE].table
    qtbot.waitUntil(lambda: table.model().rowCount() > 0)
    text = table.palette().text().color()
    passes(contrast(text, drawn_under(table.viewport(), QRect(0, 0, 40, 20))), scheme, "rows")


def test_error_and_warning_texts(
    qtbot: QtBot, window: MainWindow, scheme: str, tmp_path: Path
) -> None:
    pane = window.panes[ListKind.PRICE]
    dialog = pane.new_list()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "x" * 65)
    label = dialog.error_labels["name"]
    assert label.isVisible()
    text_on(scheme, "error text (list dialog)", label)
    dialog._show_banner("The server did not accept this; see below.")
    text_on(scheme, "text on the error banner (list dialog)", dialog.banner)
    dialog.name.clear()
    dialog.name.textEdited.emit("")
    dialog.reject()

    wizard = wizard_with_problems(qtbot, window, tmp_path)
    upload = wizard.upload_page
    wizard.pages.setCurrentWidget(upload)
    upload.follow_trouble.setText("The server does not answer; trying again in 5 s.")
    text_on(scheme, "warning text (upload page)", upload.follow_trouble)
    changes = wizard.changes_page
    wizard.pages.setCurrentWidget(changes)
    changes.guardrail_box.show()
    title_area = QRect(0, 0, changes.guardrail_box.width(), 18)
    text_on(scheme, "warning heading (guardrails)", changes.guardrail_box, title_area)
    changes.changes_problem.setText("What would change cannot be shown without the server.")
    text_on(scheme, "error text (changes page)", changes.changes_problem)
    wizard.reject()


def test_problem_cells_of_the_check(
    qtbot: QtBot, window: MainWindow, scheme: str, tmp_path: Path
) -> None:
    wizard = wizard_with_problems(qtbot, window, tmp_path)
    preview = wizard.check_page.preview
    view = wizard.check_page.preview_table
    error_cell = preview.index(0, 2)  # A-1's price "abc"
    warning_cell = preview.index(1, 2)  # A-2's price 0
    assert error_cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert warning_cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    cell(scheme, "text on an error cell", view, error_cell)
    cell(scheme, "text on a warning cell", view, warning_cell)
    wizard.reject()


def test_banners(qtbot: QtBot, window: MainWindow, scheme: str) -> None:
    for environment in Environment:
        banner = EnvironmentBanner(environment, "demo @ http://127.0.0.1")
        qtbot.addWidget(banner)
        banner.resize(600, 28)
        banner.show()
        qtbot.waitExposed(banner)
        state = f"environment banner: {environment.value}"
        text_on(scheme, state, banner)
    states = window.panes[ListKind.PRICE].states
    states.more_failed.setText("Only the first 100 price lists could be loaded.")
    states.more_bar.show()
    states.setCurrentWidget(states.table_page)
    qtbot.waitUntil(states.more_failed.isVisible)
    text_on(scheme, "text on the “more failed” bar", states.more_failed)


def test_the_drop_zone(qtbot: QtBot, window: MainWindow, scheme: str) -> None:
    wizard = window.open_import()
    qtbot.waitExposed(wizard)
    zone = wizard.choose_page.drop_zone
    message: QLabel = zone.message
    for verdict, state in (("", "drop zone at rest"), ("good", "drop zone: good file"),
                           ("bad", "drop zone: refused file")):  # fmt: skip
        zone._show_drop(verdict)
        message.ensurePolished()
        text_on(scheme, state, message)
    wizard.reject()


def test_the_imports_page_states(qtbot: QtBot, window: MainWindow, scheme: str) -> None:
    # The journal's state cells use the same fills as the check: one failed import.
    record = window.journal.start(
        file_path=Path("/tmp/fiyatlar.csv"), sha256="0" * 64, kind="price", list_pk=1,
        list_name="Demo", server=window.session.client.base_url, rows=3, row_map=[2, 3, 4],
    )  # fmt: skip
    window.journal.update(record, state=JournalState.FAILURE, message="refused")
    window.show_imports()
    window.imports.refresh()
    view = window.imports.table
    index = window.imports.model.index(0, JournalModel.STATE)
    cell(scheme, "text on a failed import's state", view, index)


def test_the_calendar_arrow_of_a_date_field(qtbot: QtBot, window: MainWindow, scheme: str) -> None:
    edit = window.panes[ListKind.PRICE].filters.created_from
    image = edit.calendar_action.icon().pixmap(16, 16).toImage()
    arrow = next(
        QColor.fromRgba(image.pixel(x, y))
        for y in range(image.height())
        for x in range(image.width())
        if QColor.fromRgba(image.pixel(x, y)).alpha() == 255
    )
    passes(contrast(arrow, drawn_under(edit)), scheme, "the calendar arrow")


def test_the_edge_of_a_check_box_and_a_text_field_in_the_dark(
    qtbot: QtBot, window: MainWindow
) -> None:
    """An unticked guardrail box or an empty filter field shows where it is: its edge
    reaches 3:1 (WCAG's for a control) on the dark window."""
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    try:
        filters = window.panes[ListKind.PRICE].filters
        spin = QSpinBox()  # as Preferences' thresholds are
        typed = QComboBox()  # as the wizard's list chooser is
        typed.setEditable(True)
        for widget in (spin, typed):
            qtbot.addWidget(widget)
            widget.show()
        for widget, what in (
            (filters.exact_code, "a check box"),
            (filters.name, "a text field"),
            (spin, "a spin box"),
            (typed, "a combo box one types into"),
        ):
            qtbot.waitUntil(widget.isVisible)
            around = drawn_under(widget)
            image = widget.grab().toImage()
            # Its left edge, halfway down: the box's or the field's frame, not a word of text.
            edge = max(
                contrast(QColor.fromRgb(image.pixel(x, image.height() // 2)), around)
                for x in range(4)
            )
            assert edge >= 3, f"the edge of {what} in the dark: {edge:.2f}:1"
    finally:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
