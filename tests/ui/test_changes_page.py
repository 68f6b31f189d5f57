"""The wizard's "what will change" page: sortable, filterable, with its figures and no guesses."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient, ProductPrice
from omnidesk.imports import ChangeKind, ImportTarget
from omnidesk.kinds import ListKind
from omnidesk.ui.import_wizard.models import ChangesModel
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.style import Tone, brush, fill_text_brush
from omnidesk.ui.table_models import RIGHT

from .conftest import Runner, watch_model
from .wizard_steps import new_list, skus, to_changes, upload, wait_for_result, write_prices


async def prices_of(client: OmnitronClient, pk: int) -> list[ProductPrice]:
    return [row async for row in client.product_prices.iterate(pk)]


def column(model: QAbstractItemModel, number: int) -> list[str]:
    return [model.index(row, number).data() for row in range(model.rowCount())]


def painted(table: QTableView, row: int, number: int) -> tuple[QColor, str]:
    """A cell as the view paints it: its fill, and the side its text keeps to."""
    area = table.visualRect(table.model().index(row, number)).adjusted(2, 2, -2, -2)
    image = table.viewport().grab(area).toImage()
    pixels = Counter(
        image.pixelColor(x, y).rgb() for x in range(image.width()) for y in range(image.height())
    )
    fill = QColor.fromRgb(pixels.most_common(1)[0][0])
    inked = [
        x
        for x in range(image.width())
        if any(image.pixelColor(x, y) != fill for y in range(image.height()))
    ]
    left_margin, right_margin = min(inked), image.width() - 1 - max(inked)
    return fill, "left" if left_margin < right_margin else "right"


def test_the_changes_sort_filter_and_say_which_way_prices_move(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    target = ImportTarget.of(run(new_list(client)))
    a, b, c, d = skus(run, client, 4, page=9)
    seed = write_prices(
        tmp_path / "seed.csv",
        ["product__sku", "price", "currency_type"],
        [[a, "100", "try"], [b, "100", "try"], [c, "100", "eur"]],
    )
    first = window.open_import(seed, ListKind.PRICE, target)
    qtbot.addWidget(first)
    upload(qtbot, first, confirming=True)  # the euro price in a lira list asks
    wait_for_result(qtbot, first)
    first.close()

    path = write_prices(
        tmp_path / "next.csv",
        ["product__sku", "price", "currency_type"],
        [[a, "150", "try"], [b, "20", "try"], [c, "4", "try"], [d, "9", "try"]],
    )
    wizard = window.open_import(path, ListKind.PRICE, target)
    qtbot.addWidget(wizard)
    page = wizard.changes_page
    watch_model(page.changes)
    to_changes(qtbot, wizard)

    # Figures: one up, one down (the euro price changes currency: no percentage for it).
    assert page.movement.text() == (
        f"1 up, 1 down. Largest rise: +50.0 % ({a}). Largest cut: −80.0 % ({b})."
    )
    percent = ChangesModel.PERCENT
    shown = dict(
        zip(column(page.changes, ChangesModel.SKU), column(page.changes, percent), strict=True)
    )
    assert shown[c] == "currency changes"
    assert shown[d] == "—"  # a new product has no old price: a dash, not a blank
    now = dict(
        zip(
            column(page.changes, ChangesModel.SKU),
            column(page.changes, ChangesModel.NOW),
            strict=True,
        )
    )
    assert now[c] == "price 100.00 · currency eur"
    assert now[d] == "—"

    # Sorted by the change, largest cut first; the rows without a percentage last.
    page.changes_table.sortByColumn(percent, Qt.SortOrder.AscendingOrder)
    assert column(page.changes, ChangesModel.SKU) == [b, a, c, d]
    page.changes_table.sortByColumn(ChangesModel.ROW, Qt.SortOrder.AscendingOrder)
    assert column(page.changes, ChangesModel.SKU) == [a, b, c, d]

    # Only the rows behind a guardrail: the 80 % cut, and the change of currency.
    assert {g.key for g in wizard.diff.guardrails} == {"price_drop", "currency_change"}  # type: ignore[union-attr]
    page.change_filter.setCurrentIndex(page.change_filter.findData("guardrail"))
    behind = page.changes_table.model()
    watch_model(behind)
    assert sorted(column(behind, ChangesModel.SKU)) == sorted([b, c])
    page.changes_table.sortByColumn(ChangesModel.SKU, Qt.SortOrder.DescendingOrder)
    assert column(behind, ChangesModel.SKU) == sorted([b, c], key=str.casefold, reverse=True)
    wizard.discard()


def test_a_file_that_names_another_list_asks_before_it_goes_to_this_one(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    target = ImportTarget.of(run(new_list(client)))
    a, b = skus(run, client, 2, page=16)
    path = write_prices(
        tmp_path / "perakende.csv",
        ["product__sku", "price_list__name", "price"],
        [[a, "Türkiye Perakende", "10"], [b, "Türkiye Perakende", "12"]],
    )
    wizard = window.open_import(path, ListKind.PRICE, target)
    qtbot.addWidget(wizard)
    to_changes(qtbot, wizard)
    assert wizard.diff is not None
    (guardrail,) = wizard.diff.guardrails
    assert guardrail.key == "other_list"
    assert guardrail.rows == (2, 3)
    (box,) = wizard.changes_page.guardrail_checks
    assert "“Türkiye Perakende”" in box.text()
    assert f"“{target.name}”" in box.text()
    assert not wizard.next.isEnabled()
    wizard.discard()


def test_skus_excel_mangled_are_named_and_one_click_sends_the_catalogues(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    target = ImportTarget.of(run(new_list(client)))
    catalogue = skus(run, client, 1000, page=3)
    zeros = next(sku for sku in catalogue if sku.startswith("0"))
    letters = next(sku for sku in catalogue if sku[:1].isalpha())
    plain = next(sku for sku in catalogue if sku not in (zeros, letters))
    excel = zeros.lstrip("0")  # what Excel makes of 018299
    path = write_prices(
        tmp_path / "excel.csv",
        ["SKU", "Fiyat"],
        [[excel, "10"], [f"{letters.lower()} ", "11"], [plain, "0"], ["NOTHING-LIKE-IT", "13"]],
    )
    before = path.read_bytes()
    wizard = window.open_import(path, ListKind.PRICE, target)
    qtbot.addWidget(wizard)
    page = wizard.changes_page
    watch_model(page.changes)
    to_changes(qtbot, wizard)

    # Each mangled row names the SKU meant, in its cell and its tooltip; a line says why.
    skus_shown = column(page.changes, ChangesModel.SKU)
    assert skus_shown == [
        f"{excel} → {zeros}?",
        f"{letters.lower()} → {letters}?",
        plain,
        "NOTHING-LIKE-IT",
    ]
    tip = page.changes.index(0, ChangesModel.CHANGE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == f"Not in the catalogue — did you mean {zeros}?"
    assert page.changes.index(3, ChangesModel.CHANGE).data(Qt.ItemDataRole.ToolTipRole) is None
    # What needs a look is coloured: a SKU not in the catalogue as an error, a row behind
    # a guardrail (the price of 0) as a warning, each with the text colour for its fill.
    cell = page.changes.index
    assert cell(0, ChangesModel.SKU).data(Qt.ItemDataRole.BackgroundRole) == brush(Tone.ERROR)
    assert cell(0, ChangesModel.SKU).data(Qt.ItemDataRole.ForegroundRole) == fill_text_brush()
    assert cell(2, ChangesModel.NOW).data(Qt.ItemDataRole.BackgroundRole) == brush(Tone.WARNING)
    assert cell(2, ChangesModel.AFTER).data(Qt.ItemDataRole.TextAlignmentRole) == RIGHT
    assert cell(2, ChangesModel.SKU).data(Qt.ItemDataRole.TextAlignmentRole) is None
    # And so the table paints them: the view asks a cell all its roles at once.
    table = page.changes_table
    error, warning = brush(Tone.ERROR).color(), brush(Tone.WARNING).color()
    assert painted(table, 0, ChangesModel.SKU) == (error, "left")
    assert painted(table, 2, ChangesModel.NOW) == (warning, "right")
    assert painted(table, 2, ChangesModel.SKU) == (warning, "left")
    assert page.sku_box.isVisible()
    assert page.sku_box.words.text().startswith(
        "2 rows' SKUs are not in the catalogue as written, but are there with leading zeros"
    )
    assert page.sku_box.use.text() == "Use the catalogue's SKUs for these 2 rows"
    assert wizard.diff is not None
    assert wizard.diff.counts[ChangeKind.NOT_IN_CATALOGUE] == 3
    (zero,) = page.guardrail_checks
    zero.setChecked(True)  # the price of 0: looked at already

    page.sku_box.use.click()
    qtbot.waitUntil(lambda: wizard.diff is not None and bool(wizard.diff.replaced))
    assert wizard.diff is not None
    assert wizard.diff.counts[ChangeKind.NOT_IN_CATALOGUE] == 1
    assert column(page.changes, ChangesModel.SKU) == [zeros, letters, plain, "NOTHING-LIKE-IT"]
    assert page.changes.index(0, ChangesModel.SKU).data(Qt.ItemDataRole.ToolTipRole) == (
        f"Sent as {zeros}, the catalogue's SKU; the file says {excel}."
    )
    assert page.sku_box.words.text() == (
        "2 rows go with the catalogue's SKUs instead of the ones in your file; your file "
        "itself is not changed."
    )
    assert not page.sku_box.use.isVisible()
    assert page.sku_box.undo.text() == "Use the file's SKUs again"
    (zero,) = page.guardrail_checks
    assert zero.isChecked()  # it says the same as before: still looked at
    assert wizard.next.isEnabled()

    wizard.next.click()
    wait_for_result(qtbot, wizard)
    assert wizard.outcome is not None
    assert (wizard.outcome.created, wizard.outcome.failed_rows) == (3, 1)
    sent = {row.product_sku: row.price for row in run(prices_of(client, target.pk))}
    assert set(sent) == {zeros, letters, plain}
    assert path.read_bytes() == before  # the person's file is as it was
    wizard.close()


def test_the_page_shows_its_percentages_titled_and_asks_only_what_applies(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    """Beside a scroll bar the last column still shows its title whole; with every row a
    change, "skip the 0 unchanged rows" is not offered; no empty line pushes the table down."""
    target = ImportTarget.of(run(new_list(client)))
    known = skus(run, client, 40, page=12)
    path = write_prices(
        tmp_path / "prices.csv", ["product__sku", "price"], [[sku, "5"] for sku in known]
    )
    wizard = window.open_import(path, ListKind.PRICE, target)
    qtbot.addWidget(wizard)
    wizard.resize(1100, 700)
    to_changes(qtbot, wizard)
    page = wizard.changes_page
    table = page.changes_table
    qtbot.waitUntil(table.verticalScrollBar().isVisible)
    title = page.changes.headerData(ChangesModel.PERCENT, Qt.Orientation.Horizontal)
    assert title == "Price change"  # the kind's own value, not "Price/stock change"
    widest = max(table.fontMetrics().horizontalAdvance(t) for t in (title, "−100.0 %"))
    assert table.columnWidth(ChangesModel.PERCENT) >= widest + 8
    visible_width = sum(table.columnWidth(c) for c in range(page.changes.columnCount()))
    assert visible_width <= table.viewport().width()  # all of it in view, none cut at the edge
    assert not page.skip_unchanged.isVisible()  # all 40 are new: nothing unchanged to skip
    assert not page.changes_problem.isVisible()  # no problem: no empty line for one
    assert not table.isColumnHidden(ChangesModel.ROW)  # the person's own file: its rows
    wizard.discard()
