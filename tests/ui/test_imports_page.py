"""The Imports page: per server, in honest words, and each import opening to its report."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient
from omnidesk.imports import ImportTarget, JournalState
from omnidesk.kinds import ListKind
from omnidesk.ui.import_report import ImportReportDialog
from omnidesk.ui.imports_view import JournalModel
from omnidesk.ui.main_window import MainWindow

from .conftest import Runner, watch_model
from .wizard_steps import checked, new_list, skus, upload, wait_for_result, write_prices


def journaled(window: MainWindow, server: str, name: str, **ended: object) -> int:
    record_id = window.journal.start(
        file_path=Path(f"/data/{name}"), sha256="cd" * 32, kind="price_list", list_pk=1,
        list_name="Outlet", server=server, rows=5, row_map=[2, 3, 4, 5, 6],
    )  # fmt: skip
    window.journal.update(record_id, **ended)
    return record_id


def states(window: MainWindow) -> dict[str, str]:
    model = window.imports.model
    return {
        model.index(r, JournalModel.FILE).data(): model.index(r, JournalModel.STATE).data()
        for r in range(model.rowCount())
    }


def test_the_imports_of_this_server_are_shown_in_words_others_on_request(
    qtbot: QtBot, window: MainWindow
) -> None:
    here = window.session.client.base_url
    journaled(window, here, "ekim.csv", state=JournalState.SUCCESS, created=3, failed=2)
    journaled(window, here, "kasım.csv", state=JournalState.SUCCESS, created=5, failed=0)
    journaled(window, here, "bozuk.csv", state=JournalState.FAILURE, message="no")
    journaled(window, "https://other.example", "başka.csv", state=JournalState.SUCCESS)
    window.show_imports()
    watch_model(window.imports.model)
    assert states(window) == {
        "ekim.csv": "done, 2 refused",
        "kasım.csv": "done",
        "bozuk.csv": "failed",
    }
    window.imports.this_server_only.setChecked(False)
    assert "başka.csv" in states(window)
    model = window.imports.model
    servers = {model.index(r, JournalModel.SERVER).data() for r in range(model.rowCount())}
    assert servers == {here, "https://other.example"}


def test_an_import_opens_to_its_report_and_its_failed_rows_can_be_sent_again(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    target = ImportTarget.of(run(new_list(client)))
    a, b = skus(run, client, 2, page=14)
    path = write_prices(
        tmp_path / "kasım.xlsx",
        ["SKU", "Fiyat"],
        [[a, 10], ["GHOST-REPORT", 5], [b, "abc"], [b + "-NOT", 0]],
    )
    wizard = window.open_import(path, ListKind.PRICE, target)
    qtbot.addWidget(wizard)
    checked(qtbot, wizard)
    wizard.check_page.good_rows_only.setChecked(True)
    upload(qtbot, wizard, confirming=True)  # the price of 0 asks
    wait_for_result(qtbot, wizard)
    wizard.close()

    window.show_imports()
    window.imports.table.setFocus()
    window.imports.table.selectRow(0)
    qtbot.keyClick(window.imports.table, Qt.Key.Key_Return)
    report = window.report_dialog
    assert isinstance(report, ImportReportDialog)
    qtbot.waitUntil(report.isVisible)
    headline = report.findChild(QLabel, "reportHeadline")
    assert headline is not None
    assert headline.text() == f"kasım.xlsx → {target.name}: done, 2 refused"
    confirmed = [w.text() for w in report.findChildren(QLabel, "confirmedGuardrail")]
    assert confirmed == ["✓ 1 product would be sold for free (price 0)."]
    rows = {(row, column): words for row, column, words in report.rows.rows}
    assert rows[(3, "SKU")].startswith("Refused by the server: ")
    assert rows[(4, "Fiyat")] == "Not sent (the check held it back): Price “abc” is not a number."
    assert rows[(5, "SKU")].startswith("Refused by the server: ")  # not in the catalogue

    out = tmp_path / "kasım (checked).xlsx"
    assert run(report.save_annotated(out))
    problems = openpyxl.load_workbook(out)["Problems"]
    said = {(r[0], r[3]) for r in problems.iter_rows(min_row=2, values_only=True)}
    assert any(
        row == 3 and str(text).startswith("The server refused this row") for row, text in said
    )
    assert (4, "Price “abc” is not a number.") in said

    report.again_button.click()
    qtbot.waitUntil(lambda: bool(window.wizards))  # the first one is closed and gone
    (again,) = window.wizards
    qtbot.addWidget(again)
    checked(qtbot, again)
    assert again.target is not None
    assert again.target.pk == target.pk
    assert again.checked is not None
    assert again.checked.rows == 3  # the two refused and the one held back, nothing else
    again.discard()


def test_a_report_whose_file_changed_since_says_so_instead_of_guessing(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    target = ImportTarget.of(run(new_list(client)))
    (a,) = skus(run, client, 1, page=15)
    path = write_prices(tmp_path / "ekim.csv", ["SKU", "Fiyat"], [[a, "10"], ["GHOST-E", "5"]])
    wizard = window.open_import(path, ListKind.PRICE, target)
    qtbot.addWidget(wizard)
    upload(qtbot, wizard)
    wait_for_result(qtbot, wizard)
    wizard.close()
    path.write_text("SKU,Fiyat\nsomething,else\n", encoding="utf-8")
    (record,) = [r for r in window.journal.history() if r.list_pk == target.pk]
    report = window.open_report(record)
    report.again_button.click()
    qtbot.waitUntil(report.problem.isVisible)
    assert "ekim.csv has changed since it was imported" in report.problem.text()
    assert len(window.wizards) == 0
    report.close()


def test_the_server_column_shows_only_with_other_servers_and_the_note_fits_a_laptop(
    qtbot: QtBot, window: MainWindow
) -> None:
    here = window.session.client.base_url
    journaled(window, here, "bozuk.csv", state=JournalState.FAILURE, message="Job failed.")
    journaled(window, "https://other.example", "başka.csv", state=JournalState.SUCCESS)
    window.resize(1366, 768)
    window.show_imports()
    table = window.imports.table
    qtbot.waitUntil(lambda: window.imports.model.rowCount() == 1)
    assert table.isColumnHidden(JournalModel.SERVER)  # every row would name this one
    assert not window.imports.notice.isVisible()  # nothing to say: no empty line
    shown = range(window.imports.model.columnCount())
    fitted = sum(table.columnWidth(c) for c in shown if not table.isColumnHidden(c))
    note = table.columnWidth(JournalModel.NOTE)
    assert fitted <= table.viewport().width()
    assert note >= 80  # the failure's words in view
    window.imports.this_server_only.setChecked(False)
    qtbot.waitUntil(lambda: window.imports.model.rowCount() == 2)
    assert not table.isColumnHidden(JournalModel.SERVER)


def test_with_nothing_to_list_the_page_says_what_goes_there_and_what_is_hidden(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.imports
    window.show_imports()
    assert page.pages.currentWidget() is page.empty
    assert page.empty.text().startswith("No import yet. Drop a spreadsheet on the window")
    assert not page.open_button.isEnabled()  # no report to open
    journaled(window, "https://other.example", "başka.csv", state=JournalState.SUCCESS)
    page.refresh()
    assert page.empty.text() == (
        "No import to this server yet. 1 import to another server is hidden: "
        "untick “Only this server” to see it."
    )
    page.this_server_only.setChecked(False)
    assert page.pages.currentWidget() is page.table
    assert page.open_button.isEnabled()
    assert states(window) == {"başka.csv": "done"}
