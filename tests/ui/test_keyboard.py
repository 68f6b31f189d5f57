"""The keyboard alone: no Tab traps, dates typed, Ctrl+End, the shortcuts, accessible names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAccessible, QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from omnidesk.kinds import ListKind
from omnidesk.ui.formatting import date_format
from omnidesk.ui.import_wizard import ImportWizard
from omnidesk.ui.list_pane import ListPane
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.paged_model import LoadState
from omnidesk.ui.widgets import DataTable


def price_pane(qtbot: QtBot, window: MainWindow) -> ListPane:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: pane.model.state is LoadState.LOADED and pane.model.rowCount() > 0)
    window.activateWindow()
    qtbot.waitActive(window)
    return pane


def tab_walk(qtbot: QtBot, start: QWidget, presses: int) -> list[QWidget]:
    start.setFocus()
    seen = [start]
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_tab_goes_through_the_date_filters_and_on(qtbot: QtBot, window: MainWindow) -> None:
    pane = price_pane(qtbot, window)
    filters = pane.filters
    walked = tab_walk(qtbot, filters.name, 10)
    at_from = walked.index(filters.created_from)
    assert walked[at_from + 1] is filters.created_to  # one Tab each, not one per section
    assert walked[at_from + 2] is filters.clear
    assert pane.table in walked  # and on to the list


def test_typing_a_date_into_an_empty_filter_gives_that_date(
    qtbot: QtBot, window: MainWindow
) -> None:
    pane = price_pane(qtbot, window)
    edit = pane.filters.created_from
    assert edit.text() == ""
    assert edit.placeholderText() == "any"
    edit.setFocus()
    qtbot.keyClicks(edit, "20240630")
    assert edit.bound() == date(2024, 6, 30)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)  # leaving it shows the date as it was understood
    assert edit.text() == QDate(2024, 6, 30).toString(date_format())
    assert pane.filters.values()["created_after"] == date(2024, 6, 30)
    edit.clear()
    assert edit.bound() is None
    assert "created_after" not in pane.filters.values()


def test_what_is_not_a_date_is_said_once_the_field_is_left(
    qtbot: QtBot, window: MainWindow
) -> None:
    pane = price_pane(qtbot, window)
    filters = pane.filters
    filters.created_from.setFocus()
    qtbot.keyClicks(filters.created_from, "2024-13-45")
    assert not filters.problem.isVisible()  # still being typed: no red yet
    qtbot.keyClick(filters.created_from, Qt.Key.Key_Tab)
    assert filters.problem.isVisible()
    assert filters.problem.text().startswith("“2024-13-45” is not a date")
    assert "created_after" not in filters.values()


def test_a_to_before_from_is_refused_in_words(qtbot: QtBot, window: MainWindow) -> None:
    pane = price_pane(qtbot, window)
    filters = pane.filters
    filters.created_from.set_bound(date(2024, 6, 30))
    filters.created_to.set_bound(date(2024, 6, 1))
    assert filters.problem.isVisible()
    assert "is before “from”" in filters.problem.text()
    values = filters.values()
    assert "created_after" not in values
    assert "created_before" not in values
    filters.created_to.set_bound(date(2024, 7, 31))
    assert not filters.problem.isVisible()
    assert filters.values()["created_before"] == date(2024, 7, 31)


# A popup asks the platform to raise it and give it the keyboard; offscreen cannot, and says so.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_the_calendar_opens_on_today_or_on_the_date_typed(qtbot: QtBot, window: MainWindow) -> None:
    pane = price_pane(qtbot, window)
    edit = pane.filters.created_to
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = edit.calendar
    assert calendar is not None
    qtbot.waitUntil(calendar.isVisible)
    assert calendar.selectedDate() == QDate.currentDate()
    screen = edit.screen()
    assert screen.availableGeometry().contains(calendar.frameGeometry())  # the "to" field is
    # at the window's right edge: the calendar opens leftwards, not off the screen
    qtbot.keyClick(calendar, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not calendar.isVisible())
    edit.set_bound(date(2023, 3, 11))
    edit.open_calendar()
    assert (calendar.yearShown(), calendar.monthShown()) == (2023, 3)
    calendar.activated.emit(QDate(2023, 3, 20))  # Enter on the 20th
    assert edit.bound() == date(2023, 3, 20)
    assert not calendar.isVisible()


def test_tab_leaves_every_table_instead_of_walking_its_cells(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    source = tmp_path / "fiyatlar.csv"
    source.write_text(
        "product__sku,price\n" + "".join(f"S-{n},{n}.50\n" for n in range(1, 400)), "utf-8"
    )
    wizard = window.open_import(source)
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(lambda: wizard.checked is not None)
    tables = wizard.findChildren(DataTable) + window.findChildren(DataTable)
    assert all(not table.tabKeyNavigation() for table in tables)
    preview = wizard.check_page.preview_table
    wizard.activateWindow()
    qtbot.waitActive(wizard)
    preview.setFocus()
    preview.setCurrentIndex(preview.model().index(0, 1))
    qtbot.keyClick(preview, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not preview
    wizard.reject()


def test_ctrl_end_goes_to_the_real_last_row_of_a_paged_list(
    qtbot: QtBot, window: MainWindow
) -> None:
    pane = price_pane(qtbot, window)
    row = [r.name for r in pane.model.rows].index("Demo Price List")
    pane.contents.show_list(pane.model.row(row))
    contents = pane.contents
    qtbot.waitUntil(lambda: contents.model.state is LoadState.LOADED and bool(contents.model.rows))
    assert not contents.model.fully_loaded  # more pages than the first: the point here
    contents.table.setFocus()
    qtbot.keyClick(contents.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    total = contents.model.total
    qtbot.waitUntil(lambda: contents.table.currentIndex().row() == total - 1, timeout=20_000)
    assert contents.model.fully_loaded


def test_help_lists_every_shortcut_the_menus_have(qtbot: QtBot, window: MainWindow) -> None:
    price_pane(qtbot, window)
    # A shortcut added to a menu later is listed without touching the dialog.
    (view_menu,) = [m.menu() for m in window.menuBar().actions() if m.text() == "&View"]
    added = QAction("&Zoom in", window, shortcut=QKeySequence("Ctrl+="))
    view_menu.addAction(added)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.shortcuts_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    rows = dialog.rows()
    native = QKeySequence.SequenceFormat.NativeText
    for section, keys, words in (
        ("File", "Ctrl+I", "Import a spreadsheet"),
        ("List", "F2", "Edit"),
        ("View", "F5 or Ctrl+R", "Refresh"),
        ("View", QKeySequence("Ctrl+=").toString(native), "Zoom in"),
        ("Help", "F1", "Keyboard shortcuts"),
        ("Anywhere in the window", "Del", "Say where lists are deleted (in Omnitron itself)"),
        ("In a table", "Ctrl+End", "Go to the last row (the rest of the list is loaded first)"),
        ("In a date field", "Alt+Down", "Open the calendar of a date field (F4 too)"),
    ):
        assert (section, keys, words) in rows
    dialog.close()


def nameless(root: QWidget) -> list[str]:
    """Every control a keyboard or screen-reader user meets that has no accessible name."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.objectName().startswith("qt_"):
            continue
        interactive = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or isinstance(
            widget, QAbstractButton
        )
        if not interactive:
            continue
        accessible = QAccessible.queryAccessibleInterface(widget)
        if accessible is None or not accessible.text(QAccessible.Text.Name).strip():
            where = widget.parent().__class__.__name__ if widget.parent() else ""
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} in {where}")
    return missing


@pytest.mark.parametrize("page", ["price lists with contents", "stock lists", "imports"])
def test_every_control_of_the_window_has_an_accessible_name(
    qtbot: QtBot, window: MainWindow, page: str
) -> None:
    pane = price_pane(qtbot, window)
    if page == "price lists with contents":
        pane.contents.show_list(pane.model.row(0))
        qtbot.waitUntil(lambda: pane.contents.model.state is LoadState.LOADED)
    elif page == "stock lists":
        window.navigation.setCurrentRow(1)
    else:
        window.show_imports()
    missing = nameless(window)
    assert missing == [], "; ".join(missing)


def test_every_control_of_the_wizard_has_an_accessible_name(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    source = tmp_path / "fiyatlar.csv"
    source.write_text("product__sku,price\nA-1,abc\nA-2,10\n", "utf-8")
    wizard: ImportWizard = window.open_import(source)
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(lambda: wizard.checked is not None)
    missing = nameless(wizard)
    wizard.reject()
    assert missing == [], "; ".join(missing)


@pytest.mark.parametrize("kind", [ListKind.PRICE, ListKind.STOCK])
def test_every_control_of_the_list_dialog_has_an_accessible_name(
    qtbot: QtBot, window: MainWindow, kind: ListKind
) -> None:
    pane = window.panes[kind]
    dialog = pane.new_list()
    qtbot.waitExposed(dialog)
    missing = nameless(dialog)
    dialog.reject()
    assert missing == [], "; ".join(missing)
