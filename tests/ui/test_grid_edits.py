"""Editing a list in its grid: typed, pasted, filled down or by a rule; staged in the journal;
reviewed and sent through the same "what will change" page as any import, exactly once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient, PriceList
from omnidesk.api.session import Session
from omnidesk.imports import Journal
from omnidesk.imports.editing import Rule, RuleKind
from omnidesk.kinds import ListKind
from omnidesk.sandbox import SandboxServer
from omnidesk.settings import Environment, Profile
from omnidesk.ui.contents_pane import ContentsPane
from omnidesk.ui.formatting import local_integer
from omnidesk.ui.grid_editing import RuleDialog
from omnidesk.ui.import_wizard import Step
from omnidesk.ui.import_wizard.models import ChangesModel
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.tasks import BackgroundTasks
from tests.names import unique

from .conftest import Runner, watch_model
from .wizard_steps import wait_for_result


async def seeded_list(client: OmnitronClient, tmp_path: Path, count: int, page: int) -> PriceList:
    """A new price list of ``count`` catalogue products, priced 100.00, 101.00, …"""
    products = (await client.products.list(page=page, limit=count)).results
    seed = tmp_path / "seed.csv"
    lines = ["product__sku,price,tax_rate"] + [
        f"{p.sku},{100 + n}.00,20" for n, p in enumerate(products)
    ]
    seed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    created = await client.price_lists.create(name=unique("Grid"), code=unique("GRID"))
    key = await client.price_lists.upload(created.pk, seed)
    async for status in client.price_lists.follow_import(created.pk, key, first_interval=0.05):
        assert status.state.value != "FAILURE"
    return created


async def prices_of(client: OmnitronClient, pk: int) -> dict[str, tuple[Decimal, Decimal | None]]:
    return {
        row.product_sku or "": (row.price, row.tax_rate)
        async for row in client.product_prices.iterate(pk)
    }


def opened(qtbot: QtBot, window: MainWindow, target: PriceList, run: Runner) -> ContentsPane:
    """The list's contents open in the window, every row loaded (as a scroll to the end)."""
    contents = window.panes[ListKind.PRICE].contents
    contents.show_list(target)
    qtbot.waitUntil(lambda: contents.model.rowCount() > 0)
    assert run(contents.model.load_all(), timeout=30_000)
    return contents


def column_of(contents: ContentsPane, field: str) -> int:
    return next(i for i, c in enumerate(contents.model.columns) if c.field == field)


def select(contents: ContentsPane, rows: range, column: int) -> None:
    """As a person drags over those cells of one column."""
    selection, proxy = contents.table.selectionModel(), contents.proxy
    selection.clearSelection()
    selection.setCurrentIndex(
        proxy.index(rows[0], column), QItemSelectionModel.SelectionFlag.NoUpdate
    )
    for row in rows:
        selection.select(proxy.index(row, column), QItemSelectionModel.SelectionFlag.Select)


def shown(contents: ContentsPane, row: int, column: int) -> str:
    return str(contents.proxy.index(row, column).data())


def test_typed_pasted_and_filled_down_values_are_checked_as_cells_and_staged(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    target = run(seeded_list(client, tmp_path, 5, page=51))
    contents = opened(qtbot, window, target, run)
    watch_model(contents.model, contents.proxy)
    price, tax = column_of(contents, "price"), column_of(contents, "tax_rate")
    retail = column_of(contents, "retail_price")
    name = column_of(contents, "product__name")
    qtbot.waitUntil(lambda: shown(contents, 0, name) != "")  # the product's name beside its SKU

    # Typed: the checker's own sentence for a wrong value, and nothing staged.
    assert not contents.proxy.setData(contents.proxy.index(0, price), "abc")
    assert contents.note.text().endswith("Price “abc” is not a number. Nothing was changed.")
    assert contents.model.staged == {}
    assert contents.proxy.setData(contents.proxy.index(0, price), "149,90")
    assert shown(contents, 0, price) in ("149.90", "149,90")

    # Pasted from Excel: a block of two columns and two rows, from the current cell.
    select(contents, range(1, 2), price)
    assert run(contents.editor.paste("55.5\t60\r\n66\t70\r\n"))
    assert shown(contents, 1, retail) in ("60.00", "60,00")
    # A block with a wrong cell changes nothing at all.
    select(contents, range(3, 4), price)
    assert not run(contents.editor.paste("77\nFiyat\n"))
    assert "Price “Fiyat” is not a number." in contents.note.text()

    # Filled down: the first selected cell's value into the others below it.
    assert contents.proxy.setData(contents.proxy.index(2, tax), "18")
    select(contents, range(2, 5), tax)
    assert contents.editor.fill_down()
    sku = contents.model.rows[0].product_sku or ""
    skus = [contents.proxy.index(r, 0).data() for r in range(5)]
    staged = {key: edit.value for key, edit in contents.model.staged.items()}
    assert staged == {
        (sku, "price"): "149.90",
        (skus[1], "price"): "55.50",
        (skus[1], "retail_price"): "60.00",
        (skus[2], "price"): "66.00",
        (skus[2], "retail_price"): "70.00",
        (skus[2], "tax_rate"): "18",
        (skus[3], "tax_rate"): "18",
        (skus[4], "tax_rate"): "18",
    }
    assert contents.staged_bar.isVisible()
    assert contents.staged_bar.words.text() == "8 changes not sent —"
    # A cell put back to the list's own value is no change.
    select(contents, range(4, 5), tax)
    contents.editor.revert_selected()
    assert contents.staged_bar.words.text() == "7 changes not sent —"
    assert run(prices_of(client, target.pk))[sku][0] == Decimal("100.00")  # nothing sent


def test_a_thousand_cells_by_rule_reach_the_server_through_the_review_exactly_once(
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    tasks: BackgroundTasks,
    sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    target = run(seeded_list(client, tmp_path, 1000, page=3), timeout=60_000)
    before = run(prices_of(client, target.pk))
    contents = opened(qtbot, window, target, run)
    price = column_of(contents, "price")
    contents.table.selectColumn(price)
    dialog = contents.open_rule()
    assert isinstance(dialog, RuleDialog)
    dialog.value.setText("−40 %")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert len(contents.model.staged) == 1000
    assert contents.staged_bar.words.text() == f"{local_integer(1000)} changes not sent —"
    assert run(prices_of(client, target.pk)) == before  # staged, not sent

    # The app killed before Review: a new window on the same journal shows the same edits.
    profile = Profile("Sandbox", sandbox.url, "demo", Environment.TEST)
    again = MainWindow(
        profile,
        Session(client, lambda: again.ask_to_sign_in()),
        tasks,
        window.reconnect,
        Journal(window.journal.path),
    )
    qtbot.addWidget(again)
    again.show()
    again.start()
    assert again.edits_notice.isVisible()
    thousand = local_integer(1000)
    assert f"{thousand} changes made in lists' grids are not sent yet: “{target.name}”" in (
        again.edits_words.text()
    )
    again.edits_show.click()
    reopened = again.panes[ListKind.PRICE].contents
    qtbot.waitUntil(lambda: reopened.current is not None and reopened.model.rowCount() > 0)
    assert {k: e.value for k, e in reopened.model.staged.items()} == {
        k: e.value for k, e in contents.model.staged.items()
    }
    assert reopened.staged_bar.words.text() == f"{local_integer(1000)} changes not sent —"
    again.close()
    again.journal.close()

    # Review: the same "what will change" page, the guardrail asked before anything goes.
    contents.staged_bar.review.click()
    qtbot.waitUntil(lambda: len(window.wizards) == 1)
    (wizard,) = window.wizards
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.current_step is Step.CHANGES and wizard.diff is not None)
    assert wizard.diff is not None
    assert wizard.diff.counts["changed"] == 1000
    assert [g.key for g in wizard.diff.guardrails] == ["price_drop"]
    assert not wizard.next.isEnabled()  # until the person says yes
    assert not wizard.chooser.list_choice.isEnabled()  # the edits' list, and no other
    (box,) = wizard.changes_page.guardrail_checks
    box.setChecked(True)
    qtbot.waitUntil(wizard.next.isEnabled)
    assert wizard.next.text() == "Upload 1,000 rows"  # the wizard's own figures
    wizard.next.click()
    wait_for_result(qtbot, wizard, timeout=60_000)
    assert wizard.outcome is not None
    assert (wizard.outcome.updated, wizard.outcome.failed_rows) == (1000, 0)

    after = run(prices_of(client, target.pk))
    assert after == {
        sku: ((old * Decimal("0.6")).quantize(Decimal("0.01")), tax)
        for sku, (old, tax) in before.items()
    }
    assert sandbox.store is not None
    jobs = sandbox.store.query("SELECT file_name FROM import_jobs WHERE list_pk = ?", (target.pk,))
    assert len(jobs) == 2  # the seed, and the edits: once
    assert jobs[-1]["file_name"].startswith(f"{target.name} (edits of ")
    qtbot.waitUntil(lambda: contents.model.staged == {})  # sent: nothing waits any more
    assert not contents.staged_bar.isVisible()
    wizard.close()


def test_discarding_asks_and_then_forgets_the_edits(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    target = run(seeded_list(client, tmp_path, 3, page=52))
    contents = opened(qtbot, window, target, run)
    price = column_of(contents, "price")
    select(contents, range(0, 3), price)
    dialog = contents.open_rule()
    assert dialog is not None
    dialog.kind.setCurrentIndex(dialog.kind.findData("round99"))
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert {e.value for e in contents.model.staged.values()} == {"99.99", "100.99", "101.99"}
    contents.staged_bar.discard.click()
    question = contents.question
    assert question is not None
    question.button(question.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: contents.model.staged == {})
    assert Journal(window.journal.path).path.exists()
    assert not contents.staged_bar.isVisible()
    assert contents.proxy.index(0, price).data(Qt.ItemDataRole.BackgroundRole) is None


def test_a_value_changed_on_the_server_after_it_was_edited_is_named_in_the_review(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    target = run(seeded_list(client, tmp_path, 3, page=53))
    contents = opened(qtbot, window, target, run)
    price = column_of(contents, "price")
    sku = contents.model.rows[0].product_sku or ""
    assert contents.proxy.setData(contents.proxy.index(0, price), "90")
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text(f"product__sku,price\n{sku},95.00\n", encoding="utf-8")
    key = run(client.price_lists.upload(target.pk, elsewhere))
    run(_followed(client, target.pk, key))
    contents.reload()  # the grid now shows the server's 95.00 under the edit
    qtbot.waitUntil(lambda: contents.model.rowCount() == 3)
    select(contents, range(0, 1), price)
    assert contents.editor.apply(Rule(RuleKind.CHANGE, Decimal(10)))  # 90 → 99, an edit of an edit

    contents.staged_bar.review.click()
    qtbot.waitUntil(lambda: len(window.wizards) == 1)
    (wizard,) = window.wizards
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.current_step is Step.CHANGES and wizard.diff is not None)
    box = wizard.changes_page.made_box
    assert box.isVisible()
    assert box.title() == "Changed on the server since you edited them"
    assert sku in box.cannot.text()
    assert "price 100" in box.cannot.text().replace(",", ".")  # what the edit was made against
    # The file the edits go in is OmniDesk's: its row numbers would mean nothing.
    assert wizard.changes_page.changes_table.isColumnHidden(ChangesModel.ROW)
    wizard.discard()


async def _followed(client: OmnitronClient, pk: int, key: str) -> None:
    async for status in client.price_lists.follow_import(pk, key, first_interval=0.05):
        assert status.state.value != "FAILURE"
