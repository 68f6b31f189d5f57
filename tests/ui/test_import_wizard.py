"""The import wizard against the sandbox: from a dropped file to the result, and the journal."""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent
from PySide6.QtWidgets import QApplication, QComboBox, QFormLayout, QMessageBox
from pytestqt.qtbot import QtBot

from omnidesk.api import ListKind, OmnitronClient
from omnidesk.api.session import Session
from omnidesk.imports import ImportTarget, Journal, JournalState
from omnidesk.sandbox import Faults, SandboxServer
from omnidesk.settings import Environment, Profile
from omnidesk.settings.preferences import PreferencesStore
from omnidesk.ui.import_wizard import ImportWizard, Step
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.paged_model import LoadState
from omnidesk.ui.tasks import BackgroundTasks

from .conftest import Runner, watch_model
from .wizard_steps import (
    checked,
    drop,
    new_list,
    skus,
    to_changes,
    upload,
    wait_for_result,
    write_prices,
)


def test_a_dropped_file_is_previewed_and_checked_offline(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    faults: Faults,
) -> None:
    path = write_prices(
        tmp_path / "fiyat.xlsx",
        ["Stok Kodu", "Fiyat", "KDV"],
        [["A-1", 10.5, 20], ["A-2", "abc", 20], ["A-3", 7, 120]],
        title=True,
    )
    faults.fail_rate = 1.0  # the server is down: checking must not need it
    wizard = window.open_import()
    qtbot.addWidget(wizard)
    watch_model(wizard.check_page.preview)
    assert wizard.pages.currentIndex() == Step.CHOOSE
    drop(wizard.choose_page.drop_zone, path)
    assert wizard.pages.currentIndex() == Step.CHECK
    checked(qtbot, wizard)
    assert wizard.check_page.preview.rowCount() == 3
    assert [wizard.check_page.preview.index(r, 0).data() for r in range(3)] == ["3", "4", "5"]
    price_cell = wizard.check_page.preview.index(1, 2)
    assert price_cell.data() == "abc"
    assert price_cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "number" in price_cell.data(Qt.ItemDataRole.ToolTipRole)
    assert wizard.check_page.check_summary.text().startswith("3 rows: 1 good, 2 with errors.")
    wizard.check_page.only_problems.setChecked(True)
    watch_model(wizard.check_page.preview_table.model())
    assert wizard.check_page.preview_table.model().rowCount() == 2
    wizard.check_page.only_problems.setChecked(False)
    assert wizard.check_page.preview_table.model().rowCount() == 3


def test_a_missing_column_marks_every_row_and_the_problem_filter_shows_them(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
) -> None:
    path = write_prices(tmp_path / "tutar.csv", ["SKU", "Tutar"], [["A-1", "5"], ["A-2", "6"]])
    wizard = window.open_import(path)
    qtbot.addWidget(wizard)
    checked(qtbot, wizard)
    assert wizard.check_page.check_summary.text().startswith("2 rows: 0 good, 2 with errors.")
    wizard.check_page.only_problems.setChecked(True)
    shown = wizard.check_page.preview_table.model()
    assert shown.rowCount() == 2  # as many as the summary counts
    assert "No column for" in shown.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_closing_the_window_with_an_import_being_prepared_asks_first(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
) -> None:
    path = write_prices(tmp_path / "hazir.csv", ["product__sku", "price"], [["A-1", "5"]])
    wizard = window.open_import(path)
    checked(qtbot, wizard)
    closed: list[bool] = []
    window.closing.connect(lambda: closed.append(True))
    window.close()
    question = window.closing_question
    assert question is not None
    assert question.isVisible()
    assert "The import of hazir.csv you are preparing is thrown away." in question.text()
    question.button(QMessageBox.StandardButton.Cancel).click()  # "Keep working"
    assert window.isVisible()
    assert wizard.isVisible()  # nothing was thrown away
    assert not closed
    window.close()
    question = window.closing_question
    assert question is not None
    question.button(QMessageBox.StandardButton.Close).click()
    assert not window.isVisible()
    assert closed == [True]


def test_several_files_open_wizards_that_do_not_hide_each_other(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
) -> None:
    paths = [
        write_prices(tmp_path / f"part{n}.csv", ["product__sku", "price"], [["A", "1"]])
        for n in range(3)
    ]
    wizards = [window.open_import(path) for path in paths]
    corners = [(w.pos().x(), w.pos().y()) for w in wizards]
    assert len(set(corners)) == 3  # each one can be seen and clicked
    for wizard in wizards:
        checked(qtbot, wizard)


def test_a_stock_file_dropped_on_the_price_lists_page_is_taken_as_stock(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
) -> None:
    path = write_prices(tmp_path / "stok.csv", ["SKU", "Stok"], [["A-1", "5"], ["A-2", "0"]])
    assert window.current_pane() is window.panes[ListKind.PRICE]
    wizard = window.open_import(path)  # as a drop on the window does
    checked(qtbot, wizard)
    assert wizard.kind is ListKind.STOCK
    assert wizard.check_page.check_summary.text().startswith("2 rows: 2 good")


def test_dropping_on_a_list_row_makes_it_the_target(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: pane.model.state is LoadState.LOADED and pane.model.rowCount() > 2)
    path = write_prices(tmp_path / "p.csv", ["product__sku", "price"], [["X", "1"]])
    row = 2
    target_name = pane.model.row(row).name
    pane.table.fileDropped.emit(path, pane.proxy.index(row, 0))
    wizard = window.wizards[-1]
    qtbot.addWidget(wizard)
    assert wizard.target is not None
    assert wizard.target.name == target_name
    qtbot.waitUntil(lambda: wizard.chooser.list_choice.currentText().startswith(target_name))


def test_a_file_that_is_not_a_spreadsheet_is_refused_while_dragging(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks, tmp_path: Path
) -> None:
    wizard = ImportWizard(session, tasks, Journal(tmp_path / "j.sqlite3"))
    qtbot.addWidget(wizard)
    wizard.show()
    notes = tmp_path / "notes.pdf"
    notes.write_bytes(b"%PDF-1.4")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes))])
    enter = QDragEnterEvent(
        QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(wizard.choose_page.drop_zone, enter)
    assert (
        "notes.pdf: .pdf files are not spreadsheets" in wizard.choose_page.drop_zone.message.text()
    )
    assert wizard.pages.currentIndex() == Step.CHOOSE


def test_a_column_matched_by_hand_and_a_decimal_convention_chosen(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks, tmp_path: Path
) -> None:
    path = write_prices(
        tmp_path / "tutar.csv", ["SKU", "Tutar"], [["A-1", "1,250"], ["A-2", "2,500"]]
    )
    wizard = ImportWizard(session, tasks, Journal(tmp_path / "j.sqlite3"))
    qtbot.addWidget(wizard)
    wizard.open_file(path)
    checked(qtbot, wizard)
    first = wizard.checked
    assert first is not None
    assert first.mapping.missing  # "Tutar" means nothing to the server
    price_choice = wizard.check_page.mapping_form.itemAt(
        1, wizard.check_page.mapping_form.ItemRole.FieldRole
    ).widget()
    price_choice.setCurrentIndex(price_choice.findData("price"))
    qtbot.waitUntil(lambda: wizard.checked is not None and wizard.checked is not first)
    by_hand = wizard.checked
    assert by_hand is not None
    assert by_hand.error_rows == 2  # 1,250 is 1250 or 1.25: OmniDesk asks instead of guessing
    style = wizard.check_page.styles_form.itemAt(
        0, wizard.check_page.styles_form.ItemRole.FieldRole
    ).widget()
    style.setCurrentIndex(style.findData("comma"))
    qtbot.waitUntil(lambda: wizard.checked is not None and wizard.checked.valid_rows == 2)
    prices = [row.values["price"] for row in wizard.checked.good_rows()]
    assert prices == [Decimal("1.25"), Decimal("2.5")]


def test_guardrails_need_confirmation_then_upload_and_follow_to_success(
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    tmp_path: Path,
    faults: Faults,
) -> None:
    target = run(new_list(client))
    a, b, c = skus(run, client, 3)
    seed = write_prices(tmp_path / "seed.csv", ["product__sku", "price"], [[a, "100"], [b, "50"]])
    first = window.open_import(seed, ListKind.PRICE, ImportTarget.of(target))
    qtbot.addWidget(first)
    upload(qtbot, first)
    wait_for_result(qtbot, first)
    first.close()

    faults.import_rows_per_second = 40
    rows = [[a, "40"], [b, "50"], [c, "9.99"]] + [[s, "1.00"] for s in skus(run, client, 80, 8)]
    path = write_prices(tmp_path / "cut.csv", ["product__sku", "price"], rows)
    wizard = window.open_import(path, ListKind.PRICE, ImportTarget.of(target))
    qtbot.addWidget(wizard)
    watch_model(wizard.check_page.preview, wizard.changes_page.changes, wizard.result_page.problems)
    to_changes(qtbot, wizard)
    assert wizard.pages.currentIndex() == Step.CHANGES
    assert [g.key for g in wizard.diff.guardrails] == ["price_drop"]
    assert not wizard.next.isEnabled()  # a 60 % cut needs a second look
    assert wizard.changes_page.skip_unchanged.isChecked()
    assert wizard.next.text() == f"Upload {len(rows) - 1} rows"  # b is unchanged
    wizard.changes_page.change_filter.setCurrentIndex(
        wizard.changes_page.change_filter.findData("changed")
    )
    only_changed = wizard.changes_page.changes_table.model()
    watch_model(only_changed)
    assert [only_changed.index(r, 1).data() for r in range(only_changed.rowCount())] == [a]
    wizard.changes_page.change_filter.setCurrentIndex(0)
    assert (
        wizard.changes_page.changes_table.model().rowCount()
        == wizard.changes_page.changes.rowCount()
    )
    wizard.changes_page.guardrail_checks[0].setChecked(True)
    assert wizard.next.isEnabled()
    wizard.next.click()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == Step.UPLOAD)
    qtbot.waitUntil(
        lambda: 0 < wizard.upload_page.server_progress.value() < len(rows) - 1, timeout=10_000
    )
    assert wizard.upload_page.bytes_progress.value() == wizard.upload_page.bytes_progress.maximum()
    assert "of 82 rows" in wizard.upload_page.server_label.text()
    wait_for_result(qtbot, wizard)
    assert wizard.result_page.result_headline.text() == "Import finished"
    assert wizard.outcome is not None
    assert (wizard.outcome.created, wizard.outcome.updated) == (81, 1)
    stored = run(client.product_prices.list(target.pk, product_sku=a)).results[0]
    assert str(stored.price) == "40.00"


def test_row_errors_are_shown_against_the_original_rows_and_saved_in_the_workbook(
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    tmp_path: Path,
) -> None:
    target = run(new_list(client))
    a, b = skus(run, client, 2, 9)
    path = write_prices(
        tmp_path / "satirlar.xlsx",
        ["Stok Kodu", "Fiyat"],
        [[a, 5], ["NO-SUCH-SKU", 6], [b, "x"], [b, 7]],
        title=True,
    )
    wizard = window.open_import(path, ListKind.PRICE, ImportTarget.of(target))
    qtbot.addWidget(wizard)
    watch_model(wizard.check_page.preview, wizard.changes_page.changes, wizard.result_page.problems)
    checked(qtbot, wizard)
    wizard.check_page.good_rows_only.setChecked(True)
    wizard.next.click()
    qtbot.waitUntil(lambda: wizard.diff is not None)
    wizard.next.click()
    wait_for_result(qtbot, wizard)
    shown = [
        (
            wizard.result_page.problems.index(r, 0).data(),
            wizard.result_page.problems.index(r, 1).data(),
        )
        for r in range(wizard.result_page.problems.rowCount())
    ]
    # Sheet rows: title 1, header 2, data 3..6. The server refused row 4; the check kept 5 back.
    assert shown == [("4", "Stok Kodu"), ("5", "Fiyat")]
    assert "NO-SUCH-SKU" in wizard.result_page.problems.index(0, 2).data()
    # The server's English, said to be the server's, as the check's is said to be held back.
    assert wizard.result_page.problems.index(0, 2).data().startswith("Refused by the server: ")
    assert wizard.result_page.problems.index(1, 2).data().startswith("Not sent:")
    out = tmp_path / "annotated.xlsx"
    task = asyncio.ensure_future(wizard.check_page.save_annotated_copy(out, True))
    qtbot.waitUntil(task.done)
    assert task.result()
    book = openpyxl.load_workbook(out)
    listed = [
        (row, column, severity)
        for row, column, severity, _ in book["Problems"].iter_rows(min_row=2, values_only=True)
        if row is not None
    ]
    assert (4, "Stok Kodu", "error") in listed  # the server's refusal, in the person's file
    assert (5, "Fiyat", "error") in listed  # and the check's
    assert book.worksheets[0]["A4"].comment is not None
    assert "server refused" in book.worksheets[0]["A4"].comment.text


def test_the_same_file_again_asks_first(
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    tmp_path: Path,
) -> None:
    target = run(new_list(client))
    (a,) = skus(run, client, 1, 10)
    path = write_prices(tmp_path / "twice.csv", ["product__sku", "price"], [[a, "3.00"]])
    for attempt in (1, 2):
        wizard = window.open_import(path, ListKind.PRICE, ImportTarget.of(target))
        qtbot.addWidget(wizard)
        to_changes(qtbot, wizard)
        wizard.changes_page.skip_unchanged.setChecked(False)
        wizard.next.click()
        if attempt == 1:
            wait_for_result(qtbot, wizard)
            wizard.close()
            continue
        qtbot.waitUntil(lambda w=wizard: w.question is not None and w.question.isVisible())
        assert wizard.question is not None
        assert "This very file was imported into" in wizard.question.text()
        wizard.question.button(QMessageBox.StandardButton.No).click()
        assert wizard.pages.currentIndex() == Step.CHANGES  # nothing sent
        assert len(window.journal.history()) == 1


def test_an_expired_token_while_following_signs_in_and_the_watch_goes_on(
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    tmp_path: Path,
    faults: Faults,
) -> None:
    target = run(new_list(client))
    rows = [[s, "2.00"] for s in skus(run, client, 120, 11)]
    path = write_prices(tmp_path / "slow.csv", ["product__sku", "price"], rows)
    faults.import_rows_per_second = 60
    wizard = window.open_import(path, ListKind.PRICE, ImportTarget.of(target))
    qtbot.addWidget(wizard)
    upload(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.upload_page.server_progress.value() > 0, timeout=10_000)
    faults.token_ttl = 0.0
    qtbot.waitUntil(lambda: window.sign_in_dialog is not None and window.sign_in_dialog.isVisible())
    dialog = window.sign_in_dialog
    assert dialog is not None
    faults.token_ttl = None
    dialog.password.setText("demo")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    wait_for_result(qtbot, wizard)
    assert wizard.outcome is not None
    assert wizard.outcome.created == 120


def test_closed_mid_import_and_reopened_the_journal_offers_to_follow(
    qtbot: QtBot,
    sandbox: SandboxServer,
    client: OmnitronClient,
    tasks: BackgroundTasks,
    run: Runner,
    tmp_path: Path,
    faults: Faults,
) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    profile = Profile("Sandbox", sandbox.url, "demo", Environment.TEST)

    async def reconnect(chosen: Profile, password: str) -> None:
        await client.login(chosen.username, password)

    def open_window() -> MainWindow:
        session = Session(client, lambda: main.ask_to_sign_in())
        main = MainWindow(profile, session, tasks, reconnect, journal)
        qtbot.addWidget(main)
        main.show()
        main.start()
        return main

    target = run(new_list(client))
    rows = [[s, "4.00"] for s in skus(run, client, 150, 12)]
    path = write_prices(tmp_path / "left.csv", ["product__sku", "price"], rows)
    faults.import_rows_per_second = 60
    first = open_window()
    wizard = first.open_import(path, ListKind.PRICE, ImportTarget.of(target))
    upload(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.upload_page.server_progress.value() > 0, timeout=10_000)
    first.close()  # the app is closed mid-import
    wizard.reject()
    assert [r.state for r in journal.unfinished()] == [JournalState.WAITING]

    again = open_window()
    qtbot.waitUntil(lambda: again.question is not None and again.question.isVisible())
    assert again.question is not None
    assert "left.csv" in again.question.text()
    again.question.button(QMessageBox.StandardButton.Yes).click()
    assert again.pages.currentWidget() is again.imports
    qtbot.waitUntil(lambda: not journal.unfinished(), timeout=15_000)
    record = journal.history()[0]
    assert (record.state, record.created) == (JournalState.SUCCESS, 150)
    qtbot.waitUntil(lambda: again.imports.model.records[0].state is JournalState.SUCCESS)


def sending_slowly(
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    path: Path,
    faults: Faults,
) -> ImportWizard:
    """A wizard in the middle of sending 40 rows, each request taking 1.5 s."""
    target = run(new_list(client))
    rows = [[s, "4.00"] for s in skus(run, client, 40, 13)]
    wizard = window.open_import(
        write_prices(path, ["product__sku", "price"], rows), ListKind.PRICE, ImportTarget.of(target)
    )
    to_changes(qtbot, wizard)
    faults.latency_ms = 1500
    wizard.next.click()
    qtbot.waitUntil(lambda: wizard.upload_page.bytes_label.text().startswith("Sending 40 rows"))
    return wizard


def test_stop_watching_while_the_file_is_sent_lets_it_arrive_for_the_imports_page(
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    tmp_path: Path,
    faults: Faults,
    caplog: pytest.LogCaptureFixture,
) -> None:
    wizard = sending_slowly(qtbot, window, client, run, tmp_path / "on-its-way.csv", faults)
    assert wizard.cancel.text() == "Stop watching"
    wizard.cancel.click()
    assert not wizard.isVisible()
    qtbot.waitUntil(lambda: wizard not in window.wizards, timeout=10_000)  # once it arrived
    faults.latency_ms = 0
    (record,) = window.journal.history()
    assert record.cache_key  # the server has it, and the journal knows its job
    # The Imports page follows it in the background, says so, and says how it ended.
    assert [r.file_name for r in window.imports.model.records] == ["on-its-way.csv"]
    qtbot.waitUntil(lambda: window.journal.history()[0].state is JournalState.SUCCESS)
    qtbot.waitUntil(lambda: "on-its-way.csv → " in window.statusBar().currentMessage())
    assert window.statusBar().currentMessage().endswith(": done.")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_closing_the_window_while_a_file_is_sent_asks_and_then_breaks_nothing(
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    tmp_path: Path,
    faults: Faults,
    caplog: pytest.LogCaptureFixture,
) -> None:
    wizard = sending_slowly(qtbot, window, client, run, tmp_path / "closing.csv", faults)
    window.close()
    question = window.closing_question
    assert question is not None
    assert "Sending closing.csv may be cut off" in question.text()
    question.button(QMessageBox.StandardButton.Close).click()
    assert not window.isVisible()
    qtbot.waitUntil(lambda: not wizard.uploading, timeout=10_000)
    faults.latency_ms = 0
    (record,) = window.journal.history()
    assert record.cache_key  # the file arrived; the next start can follow its job
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_server_restart_mid_import_ends_in_a_failure_in_words(
    qtbot: QtBot, tasks: BackgroundTasks, run: Runner, tmp_path: Path
) -> None:
    database = tmp_path / "restart.sqlite3"
    server = SandboxServer(database, faults=Faults(import_rows_per_second=50))
    server.start()
    port = int(server.url.rsplit(":", 1)[1])
    client = OmnitronClient(server.url)
    run(client.login("demo", "demo"))
    session = Session(client, lambda: asyncio.sleep(0, result=False))
    target = run(client.price_lists.create(name="Restarted"))
    rows = [[p.sku, "1.00"] for p in run(client.products.list(limit=300)).results]
    path = write_prices(tmp_path / "r.csv", ["product__sku", "price"], rows)
    wizard = ImportWizard(
        session, tasks, Journal(tmp_path / "j.sqlite3"), target=ImportTarget.of(target)
    )
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.open_file(path)
    upload(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.upload_page.server_progress.value() > 0, timeout=10_000)
    server.stop()
    qtbot.waitUntil(
        lambda: "Still trying" in wizard.upload_page.follow_trouble.text(), timeout=10_000
    )
    again = SandboxServer(database, seed=False, port=port)
    again.start()
    try:
        wait_for_result(qtbot, wizard)
    finally:
        again.stop()
        run(client.aclose())
    assert wizard.result_page.result_headline.text() == "The import failed"
    assert "stopped before this import finished" in wizard.result_page.result_reason.text()


def test_guardrail_thresholds_come_from_the_preferences(
    qtbot: QtBot,
    sandbox: SandboxServer,
    client: OmnitronClient,
    tasks: BackgroundTasks,
    run: Runner,
    tmp_path: Path,
) -> None:
    store = PreferencesStore(tmp_path / "preferences.json")
    main = MainWindow(
        Profile("Sandbox", sandbox.url, "demo", Environment.TEST),
        Session(client, lambda: asyncio.sleep(0, result=False)),
        tasks,
        lambda profile, password: client.login(profile.username, password),  # type: ignore[arg-type, return-value]
        Journal(tmp_path / "j.sqlite3"),
        preferences=store,
    )
    qtbot.addWidget(main)
    dialog = main.open_preferences()
    assert dialog is not None
    dialog.fields["max_price_drop_percent"].setValue(10)
    dialog.save()
    assert store.load().max_price_drop_percent == Decimal(10)

    target = run(new_list(client))
    (a,) = skus(run, client, 1, 13)
    seed = write_prices(tmp_path / "s.csv", ["product__sku", "price"], [[a, "100"]])
    first = main.open_import(seed, ListKind.PRICE, ImportTarget.of(target))
    qtbot.addWidget(first)
    upload(qtbot, first)
    wait_for_result(qtbot, first)
    cut = write_prices(tmp_path / "c.csv", ["product__sku", "price"], [[a, "85"]])  # -15 %
    wizard = main.open_import(cut, ListKind.PRICE, ImportTarget.of(target))
    qtbot.addWidget(wizard)
    to_changes(qtbot, wizard)
    assert [g.key for g in wizard.diff.guardrails] == ["price_drop"]  # 30 % would let it pass
    assert "more than 10%" in wizard.diff.guardrails[0].message


@pytest.mark.parametrize(
    ("header", "preset", "guess", "expected"),
    [
        (["product__sku", "stock"], ListKind.PRICE, True, ListKind.STOCK),
        (["SKU", "Stok"], ListKind.PRICE, True, ListKind.STOCK),
        (["Stok Kodu", "Fiyat"], ListKind.STOCK, True, ListKind.PRICE),
        (["SKU", "Fiyat", "Stok"], ListKind.STOCK, True, ListKind.STOCK),  # fits both
        (["SKU", "Renk"], ListKind.STOCK, True, ListKind.STOCK),  # fits neither
        (["SKU", "Stok"], ListKind.PRICE, False, ListKind.PRICE),  # chosen: never overridden
    ],
)
def test_a_file_opened_without_a_kind_is_imported_as_the_kind_its_header_fits(
    qtbot: QtBot,
    client: OmnitronClient,
    tasks: BackgroundTasks,
    tmp_path: Path,
    header: list[str],
    preset: ListKind,
    guess: bool,
    expected: ListKind,
) -> None:
    path = write_prices(tmp_path / "file.csv", header, [["A-1", "5", "7"][: len(header)]])
    journal = Journal(tmp_path / "j.sqlite3")
    session = Session(client, lambda: asyncio.sleep(0, result=False))
    wizard = ImportWizard(session, tasks, journal, kind=preset, guess_kind=guess)
    qtbot.addWidget(wizard)
    wizard.open_file(path)
    checked(qtbot, wizard)
    assert wizard.kind is expected
    assert wizard.chooser.kind_choice.currentData() == expected.value
    assert wizard.checked is not None
    assert wizard.checked.kind is expected
    if len(header) == 2 and expected is not preset:
        assert not wizard.checked.mapping.missing  # no "a column is missing"
        # The target lists offered are of the kind the file was taken for.
        qtbot.waitUntil(lambda: wizard.chooser.list_choice.itemText(0) == "Choose a list…")
        offered = [
            wizard.chooser.list_choice.itemData(i)
            for i in range(1, wizard.chooser.list_choice.count())
        ]
        assert offered
        assert all(t.kind is expected for t in offered)
    journal.close()


def test_a_kind_chosen_by_the_person_or_the_target_is_kept_for_any_file(
    qtbot: QtBot,
    client: OmnitronClient,
    tasks: BackgroundTasks,
    run: Runner,
    tmp_path: Path,
) -> None:
    stock_file = write_prices(tmp_path / "stock.csv", ["SKU", "Stok"], [["A-1", 5]])
    journal = Journal(tmp_path / "j.sqlite3")
    session = Session(client, lambda: asyncio.sleep(0, result=False))
    target = ImportTarget.of(run(new_list(client)))
    dropped_on_a_row = ImportWizard(session, tasks, journal, target=target, guess_kind=True)
    qtbot.addWidget(dropped_on_a_row)
    dropped_on_a_row.open_file(stock_file)
    checked(qtbot, dropped_on_a_row)
    assert dropped_on_a_row.kind is ListKind.PRICE

    chosen = ImportWizard(session, tasks, journal, kind=ListKind.STOCK, guess_kind=True)
    qtbot.addWidget(chosen)
    chosen.chooser.kind_choice.setCurrentIndex(0)  # the person picks "Price list"
    chosen.open_file(stock_file)
    checked(qtbot, chosen)
    assert chosen.kind is ListKind.PRICE
    assert chosen.chooser.kind_choice.currentData() == ListKind.PRICE.value
    journal.close()


def test_cancel_or_esc_after_the_first_page_asks_before_throwing_the_choices_away(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = write_prices(tmp_path / "half.csv", ["SKU", "Fiyat"], [["A-1", "10"]])
    wizard = window.open_import(path)
    qtbot.addWidget(wizard)
    checked(qtbot, wizard)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: wizard.question is not None and wizard.question.isVisible())
    assert wizard.question is not None
    assert "half.csv" in wizard.question.text()
    wizard.question.button(QMessageBox.StandardButton.Cancel).click()  # "Keep working"
    assert wizard.isVisible()
    assert wizard.current_step is Step.CHECK
    assert wizard.checked is not None  # nothing was thrown away

    wizard.cancel.click()
    qtbot.waitUntil(lambda: wizard.question is not None and wizard.question.isVisible())
    assert wizard.question is not None
    wizard.question.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not wizard.isVisible())

    empty = window.open_import()  # nothing chosen yet: nothing to lose, nothing asked
    qtbot.addWidget(empty)
    empty.cancel.click()
    assert not empty.isVisible()


def test_a_file_of_the_other_kind_is_named_and_switched_to_in_one_click(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    stock_file = write_prices(tmp_path / "depo.csv", ["SKU", "Stok"], [["A-1", 5], ["A-2", 7]])
    target = ImportTarget.of(run(new_list(client)))  # a price list: the file is not for it
    wizard = window.open_import(stock_file, ListKind.PRICE, target)
    qtbot.addWidget(wizard)
    checked(qtbot, wizard)
    page = wizard.check_page
    assert page.other_kind_row.isVisible()
    assert "looks like a stock list file" in page.other_kind.text()
    assert "Choose the missing column" not in page.check_summary.text()
    assert page.switch_kind.text() == "Import into a stock list instead"

    page.switch_kind.click()
    assert wizard.kind is ListKind.STOCK
    assert wizard.target is None  # a price list was chosen: the person picks a stock list
    checked(qtbot, wizard)
    assert wizard.checked is not None
    assert wizard.checked.kind is ListKind.STOCK
    assert wizard.checked.valid_rows == 2
    assert not page.other_kind_row.isVisible()
    wizard.discard()


def test_a_mapping_chosen_for_a_header_is_offered_for_the_next_file_and_can_be_forgotten(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    target = ImportTarget.of(run(new_list(client)))
    header = ["Barkod", "Satış Tutarı"]  # neither is a name OmniDesk knows
    first = write_prices(tmp_path / "ekim.csv", header, [["A-1", "10"]])
    wizard = window.open_import(first, ListKind.PRICE, target)
    qtbot.addWidget(wizard)
    checked(qtbot, wizard)
    assert wizard.checked is not None
    assert wizard.checked.mapping.missing  # the person has to say which column is which
    form = wizard.check_page.mapping_form

    def choose(row: int, field: str) -> None:
        box = form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
        assert isinstance(box, QComboBox)
        box.setCurrentIndex(box.findData(field))

    choose(0, "product__sku")
    choose(1, "price")
    checked(qtbot, wizard)
    assert not wizard.checked.mapping.missing
    wizard.discard()

    second = write_prices(tmp_path / "kasım.csv", header, [["A-2", "12"]])
    again = window.open_import(second, ListKind.PRICE, target)
    qtbot.addWidget(again)
    checked(qtbot, again)
    assert again.checked is not None
    assert again.checked.mapping.field_of == {0: "product__sku", 1: "price"}
    assert again.check_page.remembered_row.isVisible()
    assert "Satış Tutarı → price" in again.check_page.remembered.text()
    again.check_page.forget_mapping.click()
    checked(qtbot, again)
    assert again.checked is not None
    assert again.checked.mapping.missing
    assert not again.check_page.remembered_row.isVisible()
    again.discard()

    third = window.open_import(second, ListKind.PRICE, target)
    qtbot.addWidget(third)
    checked(qtbot, third)
    assert third.checked is not None
    assert third.checked.mapping.missing  # forgotten for good
    third.discard()


def test_the_row_in_hand_says_its_problems_in_words_under_the_table(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = write_prices(
        tmp_path / "fiyatlar.csv",
        ["SKU", "Fiyat"],
        [["A-1", "10"], ["A-2", "abc"], ["A-3", "12"], ["A-4", "0"]],
    )
    wizard = window.open_import(path, ListKind.PRICE)
    qtbot.addWidget(wizard)
    checked(qtbot, wizard)
    page = wizard.check_page
    # The first problem is said at once, without a mouse held over its cell.
    assert page.finding.isVisible()
    assert page.finding.text() == "Row 3 — Fiyat: Price “abc” is not a number."
    table = page.preview_table
    table.setCurrentIndex(page.preview.index(3, 2))  # row 5 of the sheet, the price of 0
    assert page.finding.text().startswith("Row 5 — Fiyat: ")
    table.setCurrentIndex(page.preview.index(0, 1))  # a good row: nothing to say
    assert not page.finding.isVisible()
    page.only_problems.setChecked(True)  # through the filter, the same rows
    qtbot.waitUntil(lambda: table.model().rowCount() == 2)
    table.setCurrentIndex(table.model().index(0, 2))
    assert page.finding.text().startswith("Row 3 — ")
    wizard.reject()
