"""What a column shows fits in it: 13-digit barcodes whole, file names shortened in the middle;
counts grouped alike in a table and in a sentence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from pytestqt.qtbot import QtBot

from omnidesk.kinds import ListKind
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.paged_model import LoadState
from omnidesk.ui.widgets import DataTable


def fits(table: DataTable, column: int, text: str) -> bool:
    # The delegate's margins: the text is cut ("…") unless the column leaves room for them.
    return table.columnWidth(column) >= table.fontMetrics().horizontalAdvance(text) + 8


def test_barcodes_show_whole_in_the_contents_and_in_the_wizard(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: pane.model.state is LoadState.LOADED and pane.model.rowCount() > 0)
    pane.contents.show_list(
        pane.model.row([r.name for r in pane.model.rows].index("Demo Price List"))
    )
    contents = pane.contents
    qtbot.waitUntil(lambda: contents.model.state is LoadState.LOADED and bool(contents.model.rows))
    barcodes = [r.product_sku for r in contents.model.rows if len(r.product_sku or "") == 13]
    assert barcodes  # the demo has them: Excel would print them as 1.23E+12
    assert all(fits(contents.table, 0, sku) for sku in barcodes)

    source = tmp_path / "fiyatlar.csv"
    source.write_text(
        "product__sku,price\n" + "".join(f"{sku},9.90\n" for sku in barcodes), "utf-8"
    )
    wizard = window.open_import(source)
    qtbot.waitUntil(lambda: wizard.checked is not None)
    assert all(fits(wizard.check_page.preview_table, 1, sku) for sku in barcodes)
    wizard.reject()


def test_a_long_file_name_keeps_its_end_on_the_imports_page(window: MainWindow) -> None:
    assert window.imports.table.textElideMode() is Qt.TextElideMode.ElideMiddle
    assert fits(window.imports.table, 1, "kasim-fiyatlari-2024.xlsx")


@pytest.fixture
def turkish_numbers() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale("tr_TR"))
    yield
    QLocale.setDefault(before)


def test_a_count_reads_the_same_in_the_wizards_sentences(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, turkish_numbers: None
) -> None:
    source = tmp_path / "fiyatlar.csv"
    rows = "".join(f"S-{n},{n}.50\n" for n in range(1, 1501))
    source.write_text(f"product__sku,price\n{rows}S-X,abc\n", "utf-8")
    wizard = window.open_import(source)
    qtbot.waitUntil(lambda: wizard.checked is not None)
    assert wizard.check_page.check_summary.text().startswith("1.501 rows: 1.500 good")
    assert "1.500 good rows" in wizard.check_page.good_rows_only.text()
    wizard.reject()
