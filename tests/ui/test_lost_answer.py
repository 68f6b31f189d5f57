"""An upload whose answer is lost (issue 12): the wizard asks the list whether the file came.

The sandbox either processes the upload and drops its answer (``drop_answer_once``) or
reads it and drops it unprocessed (``lose_request_once``): the client sees the same
broken connection both times, and only the list can tell the two apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient
from omnidesk.imports import ImportTarget, JournalState
from omnidesk.kinds import ListKind
from omnidesk.sandbox import Faults
from omnidesk.ui.import_wizard import ImportWizard, Step
from omnidesk.ui.main_window import MainWindow

from .conftest import Runner
from .visible_text import shown
from .wizard_steps import new_list, skus, upload, wait_for_result, write_prices

LOST = r"/excel_import/$"


@pytest.fixture
def quick_looks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The list read every 0.1 s, and "nothing came" after 1.5 s instead of half a minute."""
    reconciling = sys.modules["omnidesk.imports.reconcile"]
    monkeypatch.setattr(reconciling, "LOOK_EVERY", 0.1)
    monkeypatch.setattr(reconciling, "NOTHING_AFTER", 1.5)


def a_file(
    window: MainWindow, client: OmnitronClient, run: Runner, tmp_path: Path, qtbot: QtBot
) -> tuple[ImportWizard, ImportTarget, dict[str, str]]:
    target = ImportTarget.of(run(new_list(client)))
    prices = {sku: f"{n + 1}.25" for n, sku in enumerate(skus(run, client, 30, page=13))}
    path = write_prices(
        tmp_path / "kayıp.csv", ["product__sku", "price"], [list(p) for p in prices.items()]
    )
    wizard = window.open_import(path, ListKind.PRICE, target)
    qtbot.addWidget(wizard)
    return wizard, target, prices


def prices_in(run: Runner, client: OmnitronClient, target: ImportTarget) -> dict[str, str]:
    async def read() -> dict[str, str]:
        return {
            row.product_sku or "": f"{row.price}"
            async for row in client.product_prices.iterate(target.pk)
        }

    return run(read())


def never_failed(wizard: ImportWizard) -> None:
    words = " ".join(text for _where, text in shown(wizard)).lower()
    assert "failed" not in words


def test_an_answer_lost_after_the_file_arrived_says_it_arrived_and_ends_done(
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    tmp_path: Path,
    faults: Faults,
    quick_looks: None,
) -> None:
    wizard, target, prices = a_file(window, client, run, tmp_path, qtbot)
    faults.import_rows_per_second = 15  # two seconds of work: the list is seen filling
    faults.drop_answer_once(LOST)
    upload(qtbot, wizard)
    # The broken connection is said as what it is, and the list is looked at.
    qtbot.waitUntil(
        lambda: "Looking at the list" in wizard.upload_page.follow_trouble.text(), timeout=10_000
    )
    # The first rows in the list: the journal says "arrived" at once…
    qtbot.waitUntil(
        lambda: window.journal.history()[0].state is JournalState.ARRIVED, timeout=10_000
    )
    assert wizard.current_step is Step.UPLOAD
    assert "rows sent hold the file's values" in wizard.upload_page.server_label.text()
    never_failed(wizard)
    # …and it is followed until every row is there: done.
    wait_for_result(qtbot, wizard, timeout=30_000)
    assert faults.answers_dropped == 1
    page = wizard.result_page
    assert page.result_headline.text() == "The file arrived"
    assert page.result_reason.text() == (
        "The file arrived, though its answer was lost: all 30 rows now hold the file's values."
    )
    assert page.result_counts.text() == "30 of 30 rows hold the file's values"
    assert not page.retry.isVisible()
    never_failed(wizard)
    (record,) = window.journal.history()
    assert record.state is JournalState.SUCCESS
    assert record.state.words == "done"
    assert record.message == page.result_reason.text()  # never "the app was closed"
    qtbot.waitUntil(lambda: window.imports.model.records[:1] == [window.journal.get(record.id)])
    row = window.imports.model.index(0, window.imports.model.STATE)
    assert row.data() == "done"
    assert prices_in(run, client, target) == prices
    wizard.close()


def test_an_upload_lost_before_the_server_took_it_says_so_and_sends_it_again(
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    tmp_path: Path,
    faults: Faults,
    quick_looks: None,
) -> None:
    wizard, target, prices = a_file(window, client, run, tmp_path, qtbot)
    faults.lose_request_once(LOST)
    upload(qtbot, wizard)
    wait_for_result(qtbot, wizard, timeout=30_000)
    assert faults.requests_lost == 1
    page = wizard.result_page
    assert page.result_headline.text() == "The file did not arrive"
    assert page.result_reason.text() == (
        "The file did not arrive: none of its 30 rows hold the file's values in the list. "
        "Nothing was changed; send it again."
    )
    assert page.retry.isVisible()
    assert page.retry.text() == "Send it again"
    assert prices_in(run, client, target) == {}
    (lost,) = window.journal.history()
    assert lost.state is JournalState.UPLOAD_FAILED
    assert lost.state.words == "not sent"

    page.retry.click()
    page.retry.click()  # a second click sends nothing more
    qtbot.waitUntil(lambda: wizard.current_step is Step.UPLOAD)
    wait_for_result(qtbot, wizard)
    assert page.result_headline.text() == "Import finished"
    assert page.result_counts.text().startswith("30 created · 0 updated · 0 refused")
    assert not page.retry.isVisible()
    assert prices_in(run, client, target) == prices
    again, first = window.journal.history()
    assert (first.id, first.state) == (lost.id, JournalState.UPLOAD_FAILED)
    assert (again.state, again.created) == (JournalState.SUCCESS, 30)
    wizard.close()
