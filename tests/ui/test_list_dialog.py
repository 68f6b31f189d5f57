"""New… and Edit… dialogs: rules while typing, uniqueness, PATCH bodies, failures, sign-in."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from omnidesk.api import ListKind, OmnitronClient, PriceList
from omnidesk.api.session import Session
from omnidesk.imports import Journal
from omnidesk.sandbox import LIMITED_USER, Faults, SandboxServer
from omnidesk.settings import Environment, Profile
from omnidesk.ui.list_dialog import ListDialog
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.paged_model import LoadState
from omnidesk.ui.tasks import BackgroundTasks
from omnidesk.ui.widgets import EnvironmentBanner
from tests.names import unique

from .conftest import Runner, SignInAnswers


@pytest.fixture
def new_price_list(qtbot: QtBot, session: Session, tasks: BackgroundTasks) -> ListDialog:
    dialog = ListDialog(ListKind.PRICE, session, tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def shown_new(qtbot: QtBot, dialog: ListDialog) -> ListDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def error(dialog: ListDialog, field: str) -> str:
    label = dialog.error_labels[field]
    return label.text() if label.isVisibleTo(dialog) else ""


def exists(run: Runner, client: OmnitronClient, name: str) -> list[PriceList]:
    return [row for row in run(client.price_lists.list(name=name)).results if row.name == name]


def test_each_rule_blocks_save_with_its_message(qtbot: QtBot, new_price_list: ListDialog) -> None:
    dialog = new_price_list
    assert not dialog.save_button.isEnabled()
    assert error(dialog, "name") == ""  # nothing typed yet is not a mistake
    qtbot.keyClicks(dialog.name, "x")
    dialog.name.clear()
    dialog.name.textEdited.emit("")
    assert error(dialog, "name") == "A name is required."
    qtbot.keyClicks(dialog.name, "x" * 65)
    assert error(dialog, "name") == "At most 64 characters; this name has 65."
    assert not dialog.save_button.isEnabled()
    dialog.name.setText(unique("Rules"))
    dialog.name.textEdited.emit(dialog.name.text())
    assert error(dialog, "name") == ""
    assert dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.code, "c" * 65)
    assert error(dialog, "code") == "At most 64 characters; this code has 65."
    assert not dialog.save_button.isEnabled()
    dialog.code.clear()
    dialog.code.textEdited.emit("")
    dialog.currency.setEditText("doubloons")
    assert error(dialog, "currency") == "Choose a currency from the list."
    assert not dialog.save_button.isEnabled()
    dialog.currency.setCurrentIndex(dialog.currency.findData("eur"))
    assert error(dialog, "currency") == ""
    assert dialog.save_button.isEnabled()


def test_auto_sync_makes_the_code_required_and_says_why(
    qtbot: QtBot, new_price_list: ListDialog
) -> None:
    dialog = new_price_list
    dialog.name.setText(unique("Sync"))
    dialog.name.textEdited.emit(dialog.name.text())
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.auto_sync, Qt.MouseButton.LeftButton)
    assert "Auto-sync needs a code" in error(dialog, "code")
    assert "ID in the ERP" in error(dialog, "code")
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.code, "ERP-42")
    assert error(dialog, "code") == ""
    assert dialog.save_button.isEnabled()
    dialog.code.clear()
    dialog.code.textEdited.emit("")
    qtbot.mouseClick(dialog.auto_sync, Qt.MouseButton.LeftButton)
    assert error(dialog, "code") == ""


@pytest.mark.parametrize("kind", [ListKind.PRICE, ListKind.STOCK])
def test_a_new_list_opens_without_red_and_enter_says_what_is_missing(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks, kind: ListKind
) -> None:
    dialog = shown_new(qtbot, ListDialog(kind, session, tasks))
    # A stock list starts with auto-sync on and no code, as the server makes it; still
    # nothing is wrong before the person has done anything.
    assert [f for f in dialog.error_labels if error(dialog, f)] == []
    assert not dialog.save_button.isEnabled()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # Enter = Save, which cannot be yet
    assert dialog.isVisible()
    assert error(dialog, "name") == "A name is required."
    assert dialog.focusWidget() is dialog.name
    if kind is ListKind.STOCK:
        assert "Auto-sync needs a code" in error(dialog, "code")


def test_enter_saves_from_any_field(
    qtbot: QtBot, new_price_list: ListDialog, client: OmnitronClient, run: Runner
) -> None:
    dialog = new_price_list
    name = unique("Enter")
    qtbot.keyClicks(dialog.name, name)
    dialog.currency.setFocus()
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.keyClick(dialog.currency, Qt.Key.Key_Return)
    assert [row.name for row in exists(run, client, name)] == [name]


def test_each_alt_key_goes_where_its_underlined_letter_says(
    qtbot: QtBot, new_price_list: ListDialog
) -> None:
    dialog = new_price_list
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    form = dialog.findChild(QFormLayout)
    assert form is not None
    label = form.labelForField(dialog.name)
    assert isinstance(label, QLabel)
    assert label.text() == "&Name"
    for letter, where in (("C", dialog.code), ("U", dialog.currency), ("N", dialog.name)):
        qtbot.keyClick(dialog, getattr(Qt.Key, f"Key_{letter}"), Qt.KeyboardModifier.AltModifier)
        assert dialog.focusWidget() is where or where.isAncestorOf(dialog.focusWidget())
    before = dialog.auto_sync.isChecked()
    qtbot.keyClick(dialog, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.auto_sync.isChecked() is not before)  # an animated click
    assert dialog.save_button.text() == "&Save"


def test_the_dialog_keeps_its_width_as_messages_come_and_go(
    qtbot: QtBot, new_price_list: ListDialog
) -> None:
    dialog = new_price_list
    qtbot.waitExposed(dialog)
    width, height = dialog.width(), dialog.height()
    qtbot.keyClicks(dialog.name, "x" * 65)  # a message under the name
    assert dialog.width() == width
    assert dialog.height() > height  # room made for it
    dialog._show_banner("The server did not accept this: " + "a long explanation " * 12)
    assert dialog.width() == width
    dialog.name.clear()
    dialog.name.setText("A fine name")
    dialog.name.textEdited.emit("A fine name")  # the message goes, and the banner with it
    assert dialog.width() == width
    assert dialog.height() == height


def test_the_currency_shows_its_code_as_the_tables_do(new_price_list: ListDialog) -> None:
    assert new_price_list.currency.currentText() == "TRY — Turkish lira"
    assert new_price_list.values.currency == "try"


@pytest.mark.parametrize("kind", [ListKind.PRICE, ListKind.STOCK])
def test_typing_starts_in_the_name_and_tab_goes_down_the_form(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks, kind: ListKind
) -> None:
    dialog = shown_new(qtbot, ListDialog(kind, session, tasks))
    chain, widget = [], dialog.name
    while widget not in chain:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    stops = [w for w in chain if w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    fields = [dialog.name, dialog.code, dialog.auto_sync]
    if kind is ListKind.PRICE:
        fields.append(dialog.currency)
    assert stops[: len(fields)] == fields
    assert dialog.focusWidget() is dialog.name  # Ctrl+N, then type the name


def test_currency_list_starts_with_try_and_is_searchable(new_price_list: ListDialog) -> None:
    dialog = new_price_list
    assert dialog.currency.itemData(0) == "try"
    assert dialog.values.currency == "try"
    completer = dialog.currency.completer()
    completer.setCompletionPrefix("sterling")
    assert completer.currentCompletion().startswith("GBP")


def test_taken_name_and_code_are_caught_before_sending(
    qtbot: QtBot, new_price_list: ListDialog
) -> None:
    dialog = new_price_list
    qtbot.keyClicks(dialog.name, "Demo Price List")
    qtbot.waitUntil(
        lambda: error(dialog, "name").startswith("Already used by another price list, created ")
    )
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.code, "ERP-PL-TR-001")
    qtbot.waitUntil(lambda: error(dialog, "code") == "Already used by “Türkiye Perakende”.")
    dialog.name.setText("Türkiye Perakende")  # a list with a code is named by its code
    dialog.name.textEdited.emit(dialog.name.text())
    qtbot.waitUntil(
        lambda: error(dialog, "name") == "Already used by the price list with code “ERP-PL-TR-001”."
    )
    dialog.name.setText(unique("Free name"))
    dialog.name.textEdited.emit(dialog.name.text())
    dialog.code.setText(unique("FREE").replace(" ", ""))
    dialog.code.textEdited.emit(dialog.code.text())
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
    assert dialog.requests_sent == 0


def test_a_name_taken_meanwhile_is_shown_on_its_field_and_the_input_kept(
    qtbot: QtBot, new_price_list: ListDialog, client: OmnitronClient, run: Runner
) -> None:
    dialog = new_price_list
    name = unique("Raced")
    qtbot.keyClicks(dialog.name, name)
    qtbot.wait(600)  # the uniqueness check finds nothing yet
    run(client.price_lists.create(name=name))  # someone else is quicker
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "already exists" in error(dialog, "name"))
    assert dialog.isVisible()
    assert dialog.name.text() == name
    assert dialog.banner.isVisibleTo(dialog)


def test_create_posts_and_edit_patches_only_the_changed_fields(
    qtbot: QtBot,
    session: Session,
    tasks: BackgroundTasks,
    sandbox: SandboxServer,
    client: OmnitronClient,
    run: Runner,
) -> None:
    creating = ListDialog(ListKind.PRICE, session, tasks)
    qtbot.addWidget(creating)
    name = unique("Patched")
    qtbot.keyClicks(creating.name, name)
    creating.currency.setCurrentIndex(creating.currency.findData("usd"))
    with qtbot.waitSignal(creating.saved) as saved:
        qtbot.mouseClick(creating.save_button, Qt.MouseButton.LeftButton)
    created = saved.args[0]
    assert (created.name, created.currency, created.code) == (name, "usd", None)

    editing = ListDialog(ListKind.PRICE, session, tasks, existing=created)
    qtbot.addWidget(editing)
    # Meanwhile the list is renamed elsewhere; a PATCH that resent the name would undo it.
    assert sandbox.store is not None
    sandbox.store.update_list("price_list", created.pk, {"name": name + " (renamed)"})
    editing.currency.setCurrentIndex(editing.currency.findData("gbp"))
    with qtbot.waitSignal(editing.saved) as saved_again:
        qtbot.mouseClick(editing.save_button, Qt.MouseButton.LeftButton)
    on_server = run(client.price_lists.get(created.pk))
    assert on_server.currency == "gbp"
    assert on_server.name == name + " (renamed)"
    assert saved_again.args[0] == on_server


def test_nothing_changed_sends_nothing(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks, client: OmnitronClient, run: Runner
) -> None:
    existing = run(client.stock_lists.get(1))
    dialog = ListDialog(ListKind.STOCK, session, tasks, existing=existing)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.requests_sent == 0
    assert run(client.stock_lists.get(1)).modified_date == existing.modified_date


def test_a_failed_save_keeps_everything_typed(
    qtbot: QtBot, new_price_list: ListDialog, faults: Faults
) -> None:
    dialog = new_price_list
    name = unique("Kept")
    qtbot.keyClicks(dialog.name, name)
    qtbot.keyClicks(dialog.code, "KEEP-1")
    dialog.currency.setCurrentIndex(dialog.currency.findData("eur"))
    qtbot.wait(500)
    faults.fail_rate = 1.0
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.banner.isVisibleTo(dialog) and not dialog.saving)
    assert dialog.isVisible()
    assert (dialog.name.text(), dialog.code.text(), dialog.values.currency) == (
        name,
        "KEEP-1",
        "eur",
    )
    assert dialog.save_button.isEnabled()  # ready to try again


def save_until_an_answer_is_lost(qtbot: QtBot, dialog: ListDialog) -> None:
    """With every request failing, half refused (503) and half cut off after the work:
    press Save until one is cut off, so the dialog cannot know whether it saved."""
    for attempt in range(1, 31):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=attempt: dialog.requests_sent == n and not dialog.saving)
        if "may or may not" in dialog.banner.text():
            break
    assert "may or may not" in dialog.banner.text()


def test_a_create_whose_answer_was_lost_is_found_not_sent_twice(
    qtbot: QtBot, new_price_list: ListDialog, faults: Faults, run: Runner, client: OmnitronClient
) -> None:
    dialog = new_price_list
    name = unique("Lost answer")
    qtbot.keyClicks(dialog.name, name)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
    qtbot.wait(500)  # the uniqueness check has answered: the name is free
    faults.fail_rate = 1.0  # half refused (503), half saved and then cut off
    save_until_an_answer_is_lost(qtbot, dialog)
    assert dialog.isVisible()  # the server cannot be asked yet
    faults.fail_rate = 0.0
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    (on_server,) = exists(run, client, name)  # one list, not two, and no "already used"
    assert saved.args[0] == on_server


def test_a_lost_answer_never_passes_off_someone_elses_list_as_saved(
    qtbot: QtBot, new_price_list: ListDialog, faults: Faults
) -> None:
    dialog = new_price_list
    faults.fail_rate = 1.0  # the uniqueness check cannot answer either
    qtbot.keyClicks(dialog.name, "Demo Price List")  # taken, same fields as a new list's
    saved: list[object] = []
    dialog.saved.connect(saved.append)
    save_until_an_answer_is_lost(qtbot, dialog)
    faults.fail_rate = 0.0
    dialog.name.textEdited.emit(dialog.name.text())  # the check runs again
    qtbot.waitUntil(lambda: error(dialog, "name").startswith("Already used"))
    assert dialog.isVisible()
    assert saved == []


def test_a_double_click_saves_once(
    qtbot: QtBot, new_price_list: ListDialog, client: OmnitronClient, run: Runner, faults: Faults
) -> None:
    dialog = new_price_list
    name = unique("Once")
    qtbot.keyClicks(dialog.name, name)
    faults.latency_ms = 200
    qtbot.mouseDClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.requests_sent == 1
    assert len(exists(run, client, name)) == 1


def test_escape_with_changes_asks_before_discarding(
    qtbot: QtBot, new_price_list: ListDialog
) -> None:
    dialog = new_price_list
    qtbot.keyClicks(dialog.name, "half typed")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    question = dialog.discard_question
    qtbot.waitUntil(question.isVisible)
    question.button(QMessageBox.StandardButton.Cancel).click()
    assert dialog.isVisible()
    assert dialog.name.text() == "half typed"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(dialog.discard_question.isVisible)
    dialog.discard_question.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_escape_without_changes_just_closes(qtbot: QtBot, new_price_list: ListDialog) -> None:
    qtbot.keyClick(new_price_list, Qt.Key.Key_Escape)
    assert not new_price_list.isVisible()


def test_new_list_from_the_window_appears_selected_without_a_reload(
    qtbot: QtBot,
    window: MainWindow,
) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: pane.model.state is LoadState.LOADED and pane.model.rowCount() > 0)
    queries_before = pane.model._generation
    count_before = pane.model.total
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = pane.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    name = unique("From window")
    qtbot.keyClicks(dialog.name, name)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    current = pane.table.currentIndex()
    assert current.data() == name
    assert pane.table.selectionModel().isRowSelected(current.row())
    assert pane.model.total == count_before + 1
    assert pane.model._generation == queries_before  # no reload of the other rows


def test_an_expired_token_mid_save_signs_in_then_saves_exactly_once(
    qtbot: QtBot,
    window: MainWindow,
    faults: Faults,
    client: OmnitronClient,
    run: Runner,
) -> None:
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: pane.model.state is LoadState.LOADED and pane.model.rowCount() > 0)
    pane.table.select_row(0)
    dialog = pane.new_list()
    name = unique("After sign-in")
    qtbot.keyClicks(dialog.name, name)
    qtbot.keyClicks(dialog.code, "AFTER-1")
    qtbot.wait(500)
    faults.token_ttl = 0.0
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.sign_in_dialog is not None and window.sign_in_dialog.isVisible())
    sign_in = window.sign_in_dialog
    assert sign_in is not None
    assert dialog.isVisible()  # still there, with its values, behind the sign-in
    faults.token_ttl = None
    sign_in.password.setText("demo")
    qtbot.mouseClick(sign_in.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    created = exists(run, client, name)
    assert len(created) == 1
    assert created[0].code == "AFTER-1"
    assert dialog.requests_sent == 2  # refused once (401), then sent once more


def test_a_save_the_account_may_not_make_says_so_and_keeps_everything_typed(
    qtbot: QtBot, sandbox: SandboxServer, tasks: BackgroundTasks, run: Runner
) -> None:
    limited = OmnitronClient(sandbox.url)
    run(limited.login(LIMITED_USER, LIMITED_USER))
    existing = run(limited.price_lists.get(1))  # it may read every list
    dialog = ListDialog(ListKind.PRICE, Session(limited, SignInAnswers(limited)), tasks, existing)
    qtbot.addWidget(dialog)
    dialog.show()
    name = unique("Not mine")
    dialog.name.setText(name)
    dialog.name.textEdited.emit(name)
    dialog.currency.setCurrentIndex(dialog.currency.findData("usd"))
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.banner.isVisibleTo(dialog) and not dialog.saving)
    assert dialog.banner.text() == (
        "Your account may not change this price list. Ask an Omnitron administrator for access."
    )
    assert dialog.isVisible()
    assert (dialog.name.text(), dialog.values.currency) == (name, "usd")
    assert dialog.save_button.isEnabled()  # once access is given, Save again
    assert dialog.requests_sent == 1
    assert run(limited.price_lists.get(1)) == existing  # nothing changed on the server
    run(limited.aclose())


def test_a_list_made_or_edited_on_production_says_so_in_its_own_window(
    qtbot: QtBot,
    sandbox: SandboxServer,
    client: OmnitronClient,
    tasks: BackgroundTasks,
    tmp_path: Path,
) -> None:
    """The dialog is a window of its own over the main window's banner: like the import
    wizard, it carries the environment in its title and a banner of its own."""
    profile = Profile("Acme", sandbox.url, "demo", Environment.PRODUCTION)
    session = Session(client, SignInAnswers(client))
    journal = Journal(tmp_path / "journal.sqlite3")
    main = MainWindow(profile, session, tasks, lambda *_: asyncio.sleep(0), journal)
    qtbot.addWidget(main)
    main.show()
    pane = main.panes[ListKind.PRICE]
    dialog = pane.new_list()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "New price list — PRODUCTION — Acme"
    (banner,) = dialog.findChildren(EnvironmentBanner)
    assert banner.isVisible()
    assert banner.text().startswith("PRODUCTION")
    assert banner.text().endswith("Acme")  # its name: the address would not fit on one line
    dialog._confirmed_discard = True
    dialog.reject()
    main.close_without_asking()
    journal.close()


def test_a_dialog_without_a_profile_names_no_environment(new_price_list: ListDialog) -> None:
    assert new_price_list.windowTitle() == "New price list"
    assert not new_price_list.findChildren(EnvironmentBanner)
