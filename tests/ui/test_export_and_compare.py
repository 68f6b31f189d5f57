"""The window's export imports back with nothing changed; Ctrl+E exports the table in focus;
the template is in the File menu; two lists side by side."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient
from omnidesk.imports import ImportTarget
from omnidesk.imports.exporting import DECIMAL_COMMA_CSV
from omnidesk.kinds import ListKind
from omnidesk.ui.import_wizard import Step
from omnidesk.ui.list_compare import SideBySideModel
from omnidesk.ui.main_window import MainWindow

from .conftest import Runner
from .test_grid_edits import column_of, opened, seeded_list


@pytest.mark.parametrize("name", ["shown.xlsx", "shown.csv"])
def test_what_the_grid_shows_exported_imports_back_with_nothing_changed(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path, name: str
) -> None:
    listed = run(seeded_list(client, tmp_path, 30, page=71))
    contents = opened(qtbot, window, listed, run)
    price = column_of(contents, "price")
    contents.proxy.sort(price, Qt.SortOrder.DescendingOrder)  # the grid's order, not the server's
    qtbot.waitUntil(lambda: contents.proxy.sortColumn() == price)
    contents.sku.setText(" ".join(row.product_sku or "" for row in contents.model.rows[:12]))
    contents.filter_now()
    qtbot.waitUntil(lambda: contents.proxy.rowCount() == 12)
    out = tmp_path / name
    assert run(contents.exporter.export(out, DECIMAL_COMMA_CSV))

    if out.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(out).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("product__sku", "product__name", "price")
        shown_prices = [Decimal(str(r[2])) for r in rows[1:]]
        assert all(isinstance(r[2], float | int) for r in rows[1:])  # numbers, not text
        assert shown_prices == sorted(shown_prices, reverse=True)  # the on-screen order
        assert len(rows) == 13  # the filter's twelve, and the header
    else:
        lines = out.read_text(encoding="utf-8-sig").splitlines()
        assert lines[0].startswith("product__sku;product__name;price;")
        assert len(lines) == 13

    wizard = window.open_import(out, ListKind.PRICE, ImportTarget.of(listed))
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.checked is not None)
    qtbot.waitUntil(wizard.next.isEnabled)
    wizard.next.click()
    qtbot.waitUntil(lambda: wizard.diff is not None and wizard.current_step is Step.CHANGES)
    assert wizard.diff is not None
    assert dict(wizard.diff.counts) == {"unchanged": 12}
    assert wizard.diff.guardrails == []
    wizard.discard()


def test_ctrl_e_exports_the_table_with_the_focus(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    listed = run(seeded_list(client, tmp_path, 3, page=72))
    pane = window.panes[ListKind.PRICE]
    contents = opened(qtbot, window, listed, run)
    contents.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert contents.exporter.dialog is not None
    assert contents.exporter.dialog.isVisible()
    assert contents.exporter.dialog.windowTitle() == "Export"
    contents.exporter.dialog.reject()
    pane.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert pane.exporter.dialog is not None
    assert pane.exporter.dialog.isVisible()
    pane.exporter.dialog.reject()


def test_the_file_menu_saves_a_template_with_its_instructions(
    qtbot: QtBot, window: MainWindow, run: Runner, tmp_path: Path
) -> None:
    (templates,) = [a.menu() for a in window.menuBar().actions()[0].menu().actions() if a.menu()]
    assert [a.text() for a in templates.actions()] == ["For a price list…", "For a stock list…"]
    dialog = window.ask_for_template(ListKind.STOCK)
    dialog.reject()
    out = tmp_path / "stock.xlsx"
    assert run(window.save_template(ListKind.STOCK, out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Stock", "Instructions"]
    assert book["Stock"]["A1"].value == "product__sku"
    assert "Saved stock.xlsx" in window.statusBar().currentMessage()


def test_two_lists_side_by_side(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    mine = run(seeded_list(client, tmp_path, 4, page=73))
    other = run(seeded_list(client, tmp_path, 4, page=73))
    contents = opened(qtbot, window, mine, run)
    changed = tmp_path / "other.csv"
    skus = sorted(row.product_sku or "" for row in contents.model.rows)
    changed.write_text(f"product__sku,price\n{skus[0]},150.00\n", encoding="utf-8")
    key = run(client.price_lists.upload(other.pk, changed))
    run(_finished(client, other.pk, key))

    dialog = contents.open_compare()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.other.count() > 1)
    dialog.choose(other.pk)
    qtbot.waitUntil(lambda: dialog.ready and dialog.model.rowCount() == 4)
    model = dialog.model
    by_sku = {
        model.index(r, SideBySideModel.SKU).data(): [
            model.index(r, c).data() for c in range(1, len(SideBySideModel.COLUMNS))
        ]
        for r in range(model.rowCount())
    }
    first = run(client.product_prices.list(mine.pk, product_sku=skus[0])).results[0].price
    difference = Decimal("150.00") - first
    assert by_sku[skus[0]][2].lstrip("+").replace(",", ".") == f"{difference:.2f}"
    assert by_sku[skus[1]][2] in ("0.00", "0,00")
    assert "4 SKUs in both lists, 1 of them differ" in dialog.summary.text()
    assert not dialog.problem.isVisible()  # nothing went wrong: no empty line above the table
    dialog.only.setCurrentIndex(dialog.only.findData("different"))
    assert dialog.shown.rowCount() == 1
    dialog.close()


async def _finished(client: OmnitronClient, pk: int, key: str) -> None:
    async for status in client.price_lists.follow_import(pk, key, first_interval=0.05):
        assert status.state.value != "FAILURE"
