"""The main window against the sandbox: lists, filters, contents, states, keys, sign-in."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from omnidesk import APP_DISPLAY_NAME
from omnidesk.api import OmnitronClient
from omnidesk.kinds import ListKind
from omnidesk.sandbox import Faults
from omnidesk.settings import Environment, Profile
from omnidesk.ui.list_pane import ListPane
from omnidesk.ui.main_window import MainWindow, window_title
from omnidesk.ui.paged_model import LoadState

from .conftest import Runner


def settled(pane: ListPane) -> bool:
    return pane.model.state is LoadState.LOADED


def names(pane: ListPane) -> list[str]:
    return [row.name for row in pane.model.rows]


def test_price_lists_appear_with_their_count(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner
) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: settled(pane) and pane.model.rowCount() > 0)
    total = run(client.price_lists.list()).count
    assert pane.model.total == total
    assert pane.count.text() == f"{total} price lists"
    assert "Demo Price List" in names(pane)
    assert pane.states.currentWidget() is pane.states.table_page
    assert window.windowTitle() == "Test — Sandbox — OmniDesk"


@pytest.mark.parametrize(
    ("name", "environment", "title"),
    [
        ("Demo", Environment.DEMO, "Demo — OmniDesk"),
        ("Acme", Environment.PRODUCTION, "PRODUCTION — Acme — OmniDesk"),
        ("Staging", Environment.STAGING, "Staging — OmniDesk"),
    ],
)
def test_the_title_says_each_thing_once_and_ends_with_the_app_name(
    name: str, environment: Environment, title: str
) -> None:
    # X11, Wayland and Windows append the display name to a title that does not end
    # with it: ending with it is what keeps "OmniDesk" from being said twice there.
    assert window_title(Profile(name, "https://x.example", "u", environment)) == title
    assert title.endswith(APP_DISPLAY_NAME)  # what app.py names the application


def test_name_filter_reaches_the_server_and_shows_n_of_m(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: settled(pane) and pane.model.rowCount() > 0)
    everything = pane.model.total
    qtbot.keyClicks(pane.filters.name, "demo price")
    qtbot.waitUntil(lambda: settled(pane) and names(pane) == ["Demo Price List"], timeout=5000)
    qtbot.waitUntil(lambda: pane.count.text() == f"1 of {everything} price lists")


def test_code_filters_contains_and_exact(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.panes[ListKind.PRICE]
    pane.filters.code.setText("ERP-PL-TR")
    qtbot.waitUntil(
        lambda: settled(pane) and set(names(pane)) == {"Türkiye Perakende", "Outlet Fiyatları"}
    )
    pane.filters.code.setText("ERP-PL-TR-001")
    pane.filters.exact_code.setChecked(True)
    qtbot.waitUntil(lambda: settled(pane) and names(pane) == ["Türkiye Perakende"])


def test_auto_sync_and_date_filters(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner
) -> None:
    window.navigation.setCurrentRow(1)
    pane = window.panes[ListKind.STOCK]
    qtbot.waitUntil(lambda: settled(pane) and pane.model.rowCount() > 0)
    pane.filters.auto_sync.setCurrentIndex(2)  # "no"
    qtbot.waitUntil(lambda: settled(pane) and all(not r.is_auto_sync for r in pane.model.rows))
    pane.filters.auto_sync.setCurrentIndex(0)
    pane.filters.created_from.set_bound(date(2023, 4, 1))
    pane.filters.created_to.set_bound(date(2023, 7, 31))
    expected = run(
        client.stock_lists.list(
            created_after=date(2023, 4, 1),
            created_before=date(2023, 7, 31),
        )
    )
    qtbot.waitUntil(
        lambda: settled(pane) and sorted(names(pane)) == sorted(r.name for r in expected.results),
        timeout=5000,
    )
    assert 0 < len(expected.results) < 6


def test_nothing_matches_says_so_and_clear_brings_everything_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    pane = window.panes[ListKind.PRICE]
    pane.filters.name.setText("zzz no such list")
    qtbot.waitUntil(
        lambda: settled(pane) and pane.states.currentWidget() is pane.states.message_page
    )
    assert (
        pane.states.message.text()
        == "No price list matches this filter: name contains “zzz no such list”."
    )
    assert pane.states.clear_button.isVisibleTo(pane)
    qtbot.mouseClick(pane.states.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(pane) and pane.model.rowCount() > 10)
    assert pane.filters.name.text() == ""


def test_sorting_by_created_asks_the_server(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: settled(pane) and pane.model.rowCount() > 0)
    pane.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: settled(pane) and pane.model.ordering == "-created_date")
    qtbot.waitUntil(lambda: pane.model.rowCount() > 0)
    created = [row.created_date for row in pane.model.rows]
    assert created == sorted(created, reverse=True)


def test_enter_opens_a_lists_contents_filterable_by_sku(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: settled(pane) and "Demo Price List" in names(pane))
    row = names(pane).index("Demo Price List")
    pane.table.setFocus()
    pane.table.select_row(row)
    qtbot.keyClick(pane.table, Qt.Key.Key_Return)
    contents = pane.contents
    qtbot.waitUntil(lambda: contents.isVisible() and contents.model.rowCount() > 0)
    assert contents.title.text() == "Prices in “Demo Price List” (TRY)"
    assert contents.model.total > 5000
    contents.sku.setText("2015227")  # a part of a SKU: every row is looked through
    qtbot.waitUntil(
        lambda: contents.model.fully_loaded and contents.proxy.rowCount() == 1, timeout=30_000
    )
    assert contents.table.model().index(0, 0).data() == "2015227"


def test_a_page_failing_mid_scroll_keeps_the_rows_says_so_and_retry_goes_on(
    qtbot: QtBot, window: MainWindow, faults: Faults
) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: settled(pane) and "Demo Price List" in names(pane))
    pane.table.select_row(names(pane).index("Demo Price List"))
    qtbot.keyClick(pane.table, Qt.Key.Key_Return)
    contents = pane.contents
    qtbot.waitUntil(
        lambda: contents.model.state is LoadState.LOADED and contents.model.rowCount() > 0
    )
    shown = contents.model.rowCount()
    faults.fail_rate = 1.0
    contents.table.scrollToBottom()  # the next page is asked for, and fails
    qtbot.waitUntil(lambda: contents.model.state is LoadState.FAILED, timeout=5000)
    states = contents.states
    assert states.currentWidget() is states.table_page  # the rows stay
    assert contents.model.rowCount() == shown
    assert states.more_bar.isVisibleTo(contents)
    assert states.more_failed.text().startswith(f"Only the first {shown:,} prices could be")
    faults.fail_rate = 0.0
    qtbot.mouseClick(states.more_retry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: contents.model.rowCount() > shown)
    assert not states.more_bar.isVisibleTo(contents)


def test_an_expired_token_brings_sign_in_back_and_the_refresh_goes_on(
    qtbot: QtBot, window: MainWindow, faults: Faults
) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: settled(pane) and pane.model.rowCount() > 0)
    faults.token_ttl = 0.0  # every token is now too old
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.sign_in_dialog is not None and window.sign_in_dialog.isVisible())
    dialog = window.sign_in_dialog
    assert dialog is not None
    assert "has ended" in dialog.intro.text()
    assert dialog.username.text() == "demo"
    faults.token_ttl = None
    dialog.password.setText("demo")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.sign_in_dialog is None)
    qtbot.waitUntil(lambda: settled(pane) and pane.model.rowCount() > 0)


def test_a_wrong_password_keeps_the_dialog_and_says_why(
    qtbot: QtBot, window: MainWindow, faults: Faults
) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: settled(pane))
    faults.token_ttl = 0.0
    pane.refresh()
    qtbot.waitUntil(lambda: window.sign_in_dialog is not None and window.sign_in_dialog.isVisible())
    dialog = window.sign_in_dialog
    assert dialog is not None
    faults.token_ttl = None
    dialog.password.setText("wrong")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Unable to log in" in dialog.error.text())
    assert dialog.isVisible()
    assert dialog.username.text() == "demo"
    dialog.password.setText("demo")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(pane) and pane.model.rowCount() > 0)


def test_server_down_shows_the_error_and_retry_recovers(
    qtbot: QtBot, window: MainWindow, faults: Faults
) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: settled(pane))
    faults.fail_rate = 1.0
    pane.refresh()
    qtbot.waitUntil(lambda: pane.model.state is LoadState.FAILED, timeout=5000)
    assert pane.states.currentWidget() is pane.states.message_page
    assert pane.states.message.text().startswith("The price lists could not be loaded.")
    assert pane.states.retry_button.isVisibleTo(pane)
    faults.fail_rate = 0.0
    qtbot.mouseClick(pane.states.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(pane) and pane.model.rowCount() > 0)
    assert pane.states.currentWidget() is pane.states.table_page


def test_ctrl_c_copies_selected_cells_as_tab_separated_text(
    qtbot: QtBot, window: MainWindow
) -> None:
    pane = window.panes[ListKind.PRICE]
    pane.filters.code.setText("ERP-PL-TR")
    qtbot.waitUntil(lambda: settled(pane) and pane.model.rowCount() == 2)
    pane.table.setFocus()
    pane.table.selectAll()
    qtbot.keyClick(pane.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert len(lines) == 2
    cells = lines[0].split("\t")
    assert cells[0] in ("Outlet Fiyatları", "Türkiye Perakende")
    assert cells[1].startswith("ERP-PL-TR")
    assert cells[2] == "TRY"


def test_ctrl_f_focuses_the_filter_and_delete_deletes_nothing(
    qtbot: QtBot, window: MainWindow
) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: settled(pane) and pane.model.rowCount() > 0)
    before = pane.model.total
    pane.table.setFocus()
    qtbot.keyClick(pane.table, Qt.Key.Key_Delete)
    assert "does not delete" in window.statusBar().currentMessage()
    assert pane.model.total == before
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(QApplication.focusWidget(), QLineEdit)
    assert QApplication.focusWidget() is pane.filters.name


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_writes_every_matching_row(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, run: Runner, suffix: str
) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: settled(pane) and "Demo Price List" in names(pane))
    pane.contents.show_list(pane.model.row(names(pane).index("Demo Price List")))
    qtbot.waitUntil(lambda: pane.contents.model.rowCount() > 0)
    target = tmp_path / f"demo{suffix}"
    assert run(pane.contents.exporter.export(target), timeout=30_000)
    if suffix == ".csv":
        with target.open(encoding="utf-8-sig") as exported:
            rows = list(csv.reader(exported))
    else:
        workbook = openpyxl.load_workbook(target, read_only=True)
        rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    # The import's own columns, in the order the grid shows them (issue 16).
    assert rows[0] == [
        "product__sku", "product__name", "price", "retail_price", "tax_rate", "currency_type"
    ]  # fmt: skip
    assert len(rows) - 1 == pane.contents.model.total
    assert any(row[0] == "2015227" for row in rows[1:])
