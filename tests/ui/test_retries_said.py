"""A request sent again is said (issue 12): in the status bar, and on the wizard's upload page
when it is the upload, so that the pause before it is not taken for a hang.

The sandbox turns one request away with 503 and a Retry-After (``busy_once``); the client
waits that long and sends it again.
"""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient
from omnidesk.imports import ImportTarget
from omnidesk.kinds import ListKind
from omnidesk.sandbox import Faults
from omnidesk.ui.import_wizard import Step
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.paged_model import LoadState

from .conftest import Runner
from .wizard_steps import new_list, skus, upload, wait_for_result, write_prices

BUSY = "The server is busy (HTTP 503). Retrying in 2 s (attempt 2 of 2)…"


def test_a_list_read_again_after_a_busy_answer_is_said_in_the_status_bar(
    qtbot: QtBot, window: MainWindow, faults: Faults
) -> None:
    pane = window.current_pane()
    assert pane is not None
    qtbot.waitUntil(lambda: pane.model.state is LoadState.LOADED, timeout=10_000)
    faults.busy_once(r"/price_list/$", retry_after=2)
    pane.refresh()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == BUSY, timeout=5_000)
    assert pane.model.state is not LoadState.FAILED
    qtbot.waitUntil(lambda: pane.model.state is LoadState.LOADED, timeout=10_000)


def test_an_upload_sent_again_after_a_busy_answer_is_said_on_the_upload_page(
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    tmp_path: Path,
    faults: Faults,
) -> None:
    target = ImportTarget.of(run(new_list(client)))
    rows = [[sku, "3.50"] for sku in skus(run, client, 12, page=17)]
    path = write_prices(tmp_path / "meşgul.csv", ["product__sku", "price"], rows)
    wizard = window.open_import(path, ListKind.PRICE, target)
    qtbot.addWidget(wizard)
    faults.busy_once(r"/excel_import/$", retry_after=2)
    upload(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.upload_page.follow_trouble.text() == BUSY, timeout=5_000)
    assert wizard.current_step is Step.UPLOAD
    assert window.statusBar().currentMessage() == BUSY
    wait_for_result(qtbot, wizard)
    assert wizard.result_page.result_headline.text() == "Import finished"
    assert wizard.outcome is not None
    assert wizard.outcome.created == 12
    wizard.close()
