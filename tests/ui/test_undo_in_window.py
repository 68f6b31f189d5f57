"""Undo an import from its report: a wizard of its own on the undo's file, the rows changed
again since shown with the choice, and the list on the server as it was afterwards."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient
from omnidesk.imports import ImportTarget
from omnidesk.kinds import ListKind
from omnidesk.ui.import_report import ImportReportDialog
from omnidesk.ui.import_wizard import Step
from omnidesk.ui.import_wizard.models import ChangesModel
from omnidesk.ui.main_window import MainWindow

from .conftest import Runner
from .test_grid_edits import prices_of, seeded_list
from .wizard_steps import upload, wait_for_result, write_prices


async def changed_by_someone_else(client: OmnitronClient, pk: int, path: Path) -> None:
    key = await client.price_lists.upload(pk, path)
    async for status in client.price_lists.follow_import(pk, key, first_interval=0.05):
        assert status.state.value != "FAILURE"


def test_an_import_undone_from_its_report_puts_every_price_back(
    qtbot: QtBot, window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path
) -> None:
    listed = run(seeded_list(client, tmp_path, 6, page=61))
    target = ImportTarget.of(listed)
    before = run(prices_of(client, listed.pk))
    skus = sorted(before)
    new = run(client.products.list(page=62, limit=1)).results[0].sku
    path = write_prices(
        tmp_path / "kasım.xlsx",
        ["SKU", "Fiyat"],
        [[sku, 10 + n] for n, sku in enumerate(skus)] + [[new, 5]],
    )
    wizard = window.open_import(path, ListKind.PRICE, target)
    qtbot.addWidget(wizard)
    upload(qtbot, wizard, confirming=True)  # prices cut by ninety per cent ask first
    wait_for_result(qtbot, wizard)
    wizard.close()
    # Someone changes two of those rows again afterwards.
    again = skus[1], skus[4]
    later = write_prices(
        tmp_path / "later.csv", ["product__sku", "price"], [[again[0], 70], [again[1], 71]]
    )
    run(changed_by_someone_else(client, listed.pk, later))

    (record,) = [r for r in window.journal.history() if r.list_pk == listed.pk]
    report = window.open_report(record)
    assert report.windowTitle() == f"Import {record.id}: kasım.xlsx"
    assert report.undo_button.isVisible()
    report.undo_button.click()
    qtbot.waitUntil(lambda: len(window.wizards) == 1)
    (undo,) = window.wizards
    qtbot.addWidget(undo)
    qtbot.waitUntil(lambda: undo.current_step is Step.CHANGES and undo.diff is not None)
    box = undo.changes_page.made_box
    assert box.isVisible()
    assert box.title() == f"Undo of import {record.id}: kasım.xlsx → {listed.name}"
    assert "The import added 1 product to the list" in box.cannot.text()
    assert new in box.cannot.text()
    assert [row.sku for row in box.rows.rows] == sorted(again)  # exactly those rows
    assert box.choice.currentData() == box.KEEP  # the newer values kept by default
    assert undo.changes_page.changes_table.isColumnHidden(ChangesModel.ROW)  # OmniDesk's file
    assert box.table.isColumnHidden(box.rows.ROW)  # its rows too
    assert undo.diff is not None
    assert undo.diff.counts["changed"] == 4

    box.choice.setCurrentIndex(box.choice.findData(box.PUT_BACK))
    qtbot.waitUntil(lambda: undo.diff is not None and undo.diff.counts["changed"] == 6)
    for check in undo.changes_page.guardrail_checks:
        check.setChecked(True)  # prices rising tenfold ask, as for any import
    qtbot.waitUntil(undo.next.isEnabled)
    undo.next.click()
    wait_for_result(qtbot, undo)
    now = run(prices_of(client, listed.pk))
    assert {sku: now[sku] for sku in skus} == before  # every price as it was
    assert now[new] == (Decimal("5.00"), None)  # the product it added stays
    undo.close()

    # The undo is an import of its own, journaled with its report: it can be undone too.
    latest = window.journal.history()[0]
    assert latest.file_name == f"kasım (undo of import {record.id}).csv"
    second = window.open_report(latest)
    assert isinstance(second, ImportReportDialog)
    assert second.undo_button.isVisible()
    second.close()
