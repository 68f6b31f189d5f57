"""Under the pseudo language every translated sentence reads ⟦…⟧: a word on screen
without brackets is a sentence that bypassed gettext, and a Turkish reader would
meet it in English.

Every screen is visited in that language: sign-in (a new server, the two-factor
step, a session that ended), the main window on each page with a list's contents
open and edits staged, its menus, the Imports page with imports in every state and
a report, the list dialogs with their errors, Preferences, About, the keyboard
shortcuts, the crash dialog, the grid's rule and compare dialogs, the questions,
and each page of the import wizard. What the test itself puts on screen (names,
SKUs, files, addresses, numbers) goes in ``data``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from omnidesk import APP_DISPLAY_NAME, HOMEPAGE, LICENCE, __version__, i18n
from omnidesk.api import OmnitronClient, PriceList, TwoFactorRequired
from omnidesk.api.session import Session
from omnidesk.currencies import CURRENCIES, CURRENCY_NAMES
from omnidesk.imports import ImportReport, ImportTarget, Journal, JournalState
from omnidesk.imports.editing import RuleKind
from omnidesk.imports.journal import ChangeRecord, ReportRow
from omnidesk.kinds import ListKind
from omnidesk.sandbox import SandboxServer
from omnidesk.settings import Environment, Profile
from omnidesk.settings.preferences import PreferencesStore
from omnidesk.spreadsheet import schema_for
from omnidesk.ui.about import environment
from omnidesk.ui.contents_pane import ContentsPane
from omnidesk.ui.crash import CrashDialog
from omnidesk.ui.grid_editing import RuleDialog
from omnidesk.ui.import_wizard import ImportWizard, Step
from omnidesk.ui.list_compare import CompareDialog
from omnidesk.ui.list_pane import ListPane
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.paged_model import LoadState
from omnidesk.ui.sign_in import SignInDialog
from omnidesk.ui.tasks import BackgroundTasks

from .conftest import Runner
from .test_grid_edits import seeded_list
from .visible_text import assert_translated
from .wizard_steps import checked, new_list, skus, write_prices


@pytest.fixture
def pseudo() -> Iterator[None]:
    i18n.set_language(i18n.PSEUDO)
    yield
    i18n.set_language(None)


def test_every_page_of_the_import_wizard_is_translated(
    pseudo: None,
    qtbot: QtBot,
    session: Session,
    client: OmnitronClient,
    tasks: BackgroundTasks,
    run: Runner,
    tmp_path: Path,
) -> None:
    target = run(new_list(client))
    known = skus(run, client, 3)
    rows = [[known[0], "10", "18"], [known[1], "-5", "18"], [known[2], "12", "18"]]
    rows.append(["NOPE", "1", "x"])  # a row with errors, so the check page has findings
    path = write_prices(tmp_path / "kasim.csv", ["product__sku", "price", "tax"], rows)
    # https: a plain-http address adds the profile's own warning, which is not this page's.
    acme = Profile("Acme", "https://acme.omnitron.example", "ayse", Environment.PRODUCTION)
    wizard = ImportWizard(
        session, tasks, Journal(tmp_path / "j.sqlite3"), target=ImportTarget.of(target),
        profile=acme,
    )  # fmt: skip
    qtbot.addWidget(wizard)
    wizard.show()
    data = {target.name, path.name, str(path), *known, "NOPE", "product__sku", "price", "tax"}
    data |= {"Acme", "ayse", acme.base_url, APP_DISPLAY_NAME}
    data |= {spec.name for spec in schema_for(ListKind.PRICE).fields}  # the server's columns
    assert_translated(wizard, data)  # the first page: drop a file

    wizard.open_file(path)
    checked(qtbot, wizard)
    assert wizard.current_step is Step.CHECK
    assert_translated(wizard, data | lists_offered(wizard))

    wizard.check_page.good_rows_only.setChecked(True)
    qtbot.waitUntil(wizard.next.isEnabled)
    wizard.next.click()
    qtbot.waitUntil(lambda: wizard.diff is not None)
    assert_translated(wizard, data | lists_offered(wizard))

    for box in wizard.changes_page.guardrail_checks:
        box.setChecked(True)
    qtbot.waitUntil(wizard.next.isEnabled)
    wizard.next.click()
    qtbot.waitUntil(lambda: wizard.question is not None and wizard.question.isVisible())
    assert wizard.question is not None
    assert_translated(wizard.question, data)
    wizard.question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: wizard.current_step is Step.RESULT, timeout=20_000)
    assert_translated(wizard, data | lists_offered(wizard))
    wizard.discard()


# -- what the sandbox and the platform put on screen ----------------------------------------------

# The currencies' names are CLDR's (Babel's) in every language but English.
CURRENCY_WORDS = set(CURRENCY_NAMES.values()) | {code.upper() for code in CURRENCIES}


def list_data(pane: ListPane) -> set[str]:
    """The lists a page shows: their names, codes and currencies."""
    found = set(CURRENCY_WORDS)
    for row in pane.model.rows:
        found |= {row.name, row.code or ""}
        if isinstance(row, PriceList):
            found.add(row.currency.upper())
    return found


def contents_data(contents: ContentsPane) -> set[str]:
    """A list's contents: SKUs, products' names, currencies and units, and the list."""
    found = set(CURRENCY_WORDS) | set(contents.model.names.values())
    for row in contents.model.rows:
        found |= {row.product_sku or "", str(row.product)}
        found |= {str(getattr(row, "currency_type", "")).upper(), getattr(row, "unit_type", "")}
    if contents.current is not None:
        found.add(contents.current.name)
        found.add(getattr(contents.current, "currency", "").upper())
    return found


def choices_data(choice: QComboBox) -> set[str]:
    """The lists a combo box offers (each its name and code)."""
    found = set()
    for position in range(choice.count()):
        row = choice.itemData(position)
        if hasattr(row, "name"):
            found |= {row.name, getattr(row, "code", None) or ""}
    return found


def loaded(qtbot: QtBot, pane: ListPane) -> None:
    qtbot.waitUntil(lambda: pane.model.state is LoadState.LOADED and bool(pane.model.rows))


def visible_question(window: QWidget) -> QMessageBox:
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert len(boxes) == 1, boxes
    return boxes[0]


@pytest.fixture
def pseudo_window(
    pseudo: None,
    qtbot: QtBot,
    sandbox: SandboxServer,
    client: OmnitronClient,
    tasks: BackgroundTasks,
    tmp_path: Path,
) -> Iterator[MainWindow]:
    """The main window on a production profile, built in the pseudo language, with imports
    in the journal already: done, failed, never answered, on the server, arrived."""
    journal = Journal(tmp_path / "journal.sqlite3")
    journaled(journal, client.base_url)
    profile = Profile("Acme", sandbox.url, "demo", Environment.PRODUCTION)

    async def reconnect(chosen: Profile, password: str, code: str | None = None) -> None:
        await client.login(chosen.username, password)

    session = Session(client, lambda: main.ask_to_sign_in())
    main = MainWindow(
        profile, session, tasks, reconnect, journal,
        preferences=PreferencesStore(tmp_path / "preferences.json"),
    )  # fmt: skip
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close_without_asking()
    journal.close()


FILES = ("ekim.csv", "kasim.xlsx", "bozuk.csv", "yarim.csv", "yolda.csv", "geldi.csv")
SERVER_SAID = "price: must be positive"  # the server's own words, in a report
HELD_BACK = "the check's own words"  # held back by the checker (its layer's sentence)


def journaled(journal: Journal, server: str) -> None:
    report = ImportReport(
        username="ayse",
        confirmed=(("price_drop", "3 prices fall by more than 30 %", (2, 3, 4)),),
        refused=(ReportRow(3, "price", SERVER_SAID),),
        held_back=(ReportRow(5, "tax_rate", HELD_BACK),),
        headers={"price": "Fiyat", "tax_rate": "KDV"},
        changes=(ChangeRecord(2, "SKU-1", {"price": "10.00"}, {"price": "9.00"}),),
    )
    ends: list[dict[str, Any]] = [
        {"state": JournalState.SUCCESS, "created": 1, "updated": 2, "failed": 2},
        {"state": JournalState.SUCCESS, "created": 5, "updated": 0, "failed": 0},
        {"state": JournalState.FAILURE, "message": "Import job failed on the server."},
        {"state": JournalState.UPLOADING},
        {"state": JournalState.WAITING, "cache_key": "cd" * 8},
        {"state": JournalState.ARRIVED},
    ]
    for name, ended in zip(FILES, ends, strict=True):
        record_id = journal.start(
            file_path=Path(f"/data/{name}"), sha256=name * 4, kind="price_list", list_pk=1,
            list_name="Outlet", server=server, rows=5, row_map=[2, 3, 4, 5, 6], report=report,
        )  # fmt: skip
        journal.update(record_id, **ended)


def journal_data(window: MainWindow) -> set[str]:
    found = {*FILES, "Outlet", "Fiyat", "KDV", SERVER_SAID, HELD_BACK, "ayse"}
    found |= {"3 prices fall by more than 30 %", "Import job failed on the server."}
    found |= {str(Path("/data") / name) for name in FILES}
    return found | {window.session.client.base_url}


def test_sign_in_is_translated_at_each_step(pseudo: None, qtbot: QtBot, run: Runner) -> None:
    async def connect(profile: Profile, password: str, code: str | None = None) -> None:
        if code is None:
            raise TwoFactorRequired()

    dialog = SignInDialog([], connect, offer_demo=True)
    qtbot.addWidget(dialog)
    dialog.show()
    address = "https://acme.omnitron.example"
    assert_translated(dialog, {address})  # a new server: name, address, environment

    dialog.sign_in_button.click()  # nothing filled in: said in words
    qtbot.waitUntil(lambda: dialog.error.text() != "")
    assert_translated(dialog, {address})

    dialog.server_name.setText("Acme")
    dialog.address.setText(address)
    dialog.username.setText("ayse")
    dialog.password.setText("secret")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.code_step)  # the two-factor step
    data = {"Acme", "ayse", address}
    assert_translated(dialog, data)
    dialog.code.setText("12")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.error.text() != "")
    assert_translated(dialog, data)
    dialog.reject()

    saved = Profile("Acme", address, "ayse", Environment.STAGING)
    chosen = SignInDialog([saved], connect)  # a server signed in to before
    qtbot.addWidget(chosen)
    chosen.show()
    assert_translated(chosen, data)
    chosen.reject()
    expired = SignInDialog([], connect, expired=saved)  # the session ended
    qtbot.addWidget(expired)
    expired.show()
    assert_translated(expired, data)
    expired.reject()


def test_every_page_of_the_main_window_is_translated(
    pseudo_window: MainWindow,
    qtbot: QtBot,
    client: OmnitronClient,
    run: Runner,
    tmp_path: Path,
) -> None:
    window = pseudo_window
    target = run(seeded_list(client, tmp_path, 5, page=61))
    data = journal_data(window) | {"Acme", "demo", target.name, target.code or ""}
    data.add(APP_DISPLAY_NAME)
    window.start()
    # An import left on the server last time: asked about at the start.
    qtbot.waitUntil(lambda: window.question is not None and window.question.isVisible())
    assert window.question is not None
    assert_translated(window.question, data)
    window.question.button(QMessageBox.StandardButton.No).click()  # "Later": the Imports page
    assert window.pages.currentWidget() is window.imports
    assert_translated(window, data)  # with the menus, the toolbar, the status bar

    record = next(r for r in window.journal.history() if r.file_name == "ekim.csv")
    report = window.open_report(record)
    qtbot.waitExposed(report)
    assert report.undo_button.isVisible()
    assert report.again_button.isVisible()
    assert_translated(report, data)
    report.reject()

    window.navigation.setCurrentRow(0)
    prices = window.panes[ListKind.PRICE]
    loaded(qtbot, prices)
    data |= list_data(prices)
    assert_translated(window, data)

    contents = prices.contents
    contents.show_list(target)
    qtbot.waitUntil(lambda: contents.model.rowCount() == 5 and len(contents.model.names) == 5)
    data |= contents_data(contents)
    price = next(i for i, c in enumerate(contents.model.columns) if c.field == "price")
    assert contents.proxy.setData(contents.proxy.index(0, price), "149")  # staged, not sent
    qtbot.waitUntil(contents.staged_bar.isVisible)
    assert_translated(window, data | {"149", "149.00"})

    contents.staged_bar.discard.click()  # asked first
    assert contents.question is not None
    assert_translated(contents.question, data)
    contents.question.button(QMessageBox.StandardButton.Cancel).click()  # "Keep them"
    window.offer_staged_edits()  # as at the next start: the edits named above the pages
    assert window.edits_notice.isVisible()
    contents.sku.setText(f"{contents.model.rows[0].product_sku} NOT-IN-THE-LIST")
    qtbot.waitUntil(lambda: "NOT-IN-THE-LIST" in contents.count.text())
    assert_translated(window, data | {"NOT-IN-THE-LIST", "149.00"})

    prices.filters.name.setText("zzz nothing like it")  # no list matches
    qtbot.waitUntil(lambda: prices.states.currentWidget() is prices.states.message_page)
    prices.filters.created_from.setText("31.31.2024")  # not a date: said under the filters
    prices.filters.created_from.editingFinished.emit()
    assert prices.filters.problem.isVisible()
    shown = data | {"zzz nothing like it", "31.31.2024", "149.00", "NOT-IN-THE-LIST"}
    assert_translated(window, shown)
    prices.filters.reset()

    window.navigation.setCurrentRow(1)
    stocks = window.panes[ListKind.STOCK]
    loaded(qtbot, stocks)
    assert_translated(window, data | list_data(stocks))


def test_every_dialog_of_the_main_window_is_translated(
    pseudo_window: MainWindow,
    qtbot: QtBot,
    client: OmnitronClient,
    run: Runner,
    tmp_path: Path,
) -> None:
    window = pseudo_window
    target = run(seeded_list(client, tmp_path, 4, page=62))
    other = run(seeded_list(client, tmp_path, 3, page=63))
    data = {"Acme", "demo", target.name, other.name, target.code or "", other.code or ""}
    data.add(APP_DISPLAY_NAME)
    prices = window.panes[ListKind.PRICE]
    window.start()
    qtbot.waitUntil(lambda: window.question is not None and window.question.isVisible())
    assert window.question is not None
    window.question.button(QMessageBox.StandardButton.No).click()
    window.navigation.setCurrentRow(0)
    loaded(qtbot, prices)
    data |= list_data(prices)

    # New…: a name and a code other lists have, each said under its field.
    dialog = prices.new_list()
    qtbot.waitExposed(dialog)
    assert_translated(dialog, data)
    qtbot.keyClicks(dialog.name, target.name)
    qtbot.keyClicks(dialog.code, other.code or "")
    qtbot.waitUntil(lambda: set(dialog.taken) == {"name", "code"})
    assert_translated(dialog, data)
    dialog.reject()  # typed in: asked first
    question = visible_question(dialog)
    assert_translated(question, data)
    question.button(QMessageBox.StandardButton.Discard).click()

    # Edit…: the list's own fields, and a code another list has. Found by its name: the
    # sandbox the session shares may hold more lists than the first page.
    prices.filters.name.setText(target.name)
    qtbot.waitUntil(lambda: shown_rows(prices) == [target.name])
    prices.table.select_row(next(
        row for row in range(prices.proxy.rowCount())
        if prices.proxy.index(row, 0).data() == target.name
    ))  # fmt: skip
    edit = prices.edit_current()
    assert edit is not None
    qtbot.waitExposed(edit)
    edit.code.clear()
    qtbot.keyClicks(edit.code, other.code or "")
    qtbot.waitUntil(lambda: "code" in edit.taken)
    assert_translated(edit, data)
    edit._confirmed_discard = True
    edit.reject()

    # The grid's rule, and the comparison with another list.
    contents = prices.contents
    contents.show_list(target)
    qtbot.waitUntil(lambda: contents.model.rowCount() == 4 and len(contents.model.names) == 4)
    data |= contents_data(contents)
    price = next(i for i, c in enumerate(contents.model.columns) if c.field == "price")
    selection = contents.table.selectionModel()
    for row in range(2):
        selection.select(contents.proxy.index(row, price), QItemSelectionModel.SelectionFlag.Select)
    rule = contents.open_rule()
    assert isinstance(rule, RuleDialog)
    qtbot.waitExposed(rule)
    assert_translated(rule, data)
    rule.kind.setCurrentIndex(rule.kind.findData(RuleKind.ROUND_99.value))  # with its example
    assert_translated(rule, data)
    rule.kind.setCurrentIndex(rule.kind.findData(RuleKind.CHANGE.value))
    rule.value.setText("lots")
    rule.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert rule.problem.text() != ""
    assert_translated(rule, data | {"lots"})
    rule.reject()

    compare = contents.open_compare()
    assert isinstance(compare, CompareDialog)
    qtbot.waitExposed(compare)
    qtbot.waitUntil(lambda: compare.other.count() > 1)
    data |= choices_data(compare.other)
    compare.choose(other.pk)
    qtbot.waitUntil(lambda: compare.ready and compare.summary.text() != "")
    other_skus = {r.sku for r in compare.model.rows}
    compare.only.setCurrentIndex(0)
    assert_translated(compare, data | other_skus)
    compare.reject()

    # Preferences, with a language chosen for the next start; closing would lose it.
    preferences = window.open_preferences()
    assert preferences is not None
    qtbot.waitExposed(preferences)
    preferences.language.setCurrentIndex(preferences.language.findData("tr"))
    words = set(i18n.LANGUAGES.values())
    assert_translated(preferences, data | words)
    window.close()
    assert window.closing_question is not None
    assert_translated(window.closing_question, data)
    window.closing_question.button(QMessageBox.StandardButton.Cancel).click()
    preferences.reject()

    window._about()
    about = window.about_box
    assert about is not None
    facts = {value for _what, value in environment()} | {__version__, LICENCE, HOMEPAGE}
    assert_translated(about, data | facts)
    about.close()

    shortcuts = window.show_shortcuts()
    qtbot.waitExposed(shortcuts)
    keys = {keys for _section, keys, _words in shortcuts.rows()}
    keys |= {part for text in keys for part in text.replace("+", " ").split()}
    assert_translated(shortcuts, data | keys)
    shortcuts.reject()

    for fatal in (False, True):
        try:
            raise RuntimeError("the bug itself")
        except RuntimeError as bug:
            crash = CrashDialog(bug, fatal=fatal, parent=window)
        qtbot.addWidget(crash)
        crash.show()
        crash.one_more(ValueError("another"))
        crash.show_details.setChecked(True)
        crash.copy_details()
        facts |= {"RuntimeError", "the bug itself"}
        assert_translated(crash, data | facts | {str(tmp_path)})
        crash.reject()


def shown_rows(pane: ListPane) -> list[str]:
    return [pane.proxy.index(row, 0).data() for row in range(pane.proxy.rowCount())]


def lists_offered(wizard: ImportWizard) -> set[str]:
    """The lists to import into, as offered now: the chooser reads them page after page,
    and the sandbox the session shares may hold more than one page of them."""
    return choices_data(wizard.chooser.list_choice)
