"""A server whose import statuses OmniDesk cannot read (V10): no made-up figures, a bounded
wait, and an ending that sends the person to Omnitron instead of calling it failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient
from omnidesk.imports import ImportTarget, JournalState
from omnidesk.kinds import ListKind
from omnidesk.sandbox import Dialect, Faults
from omnidesk.ui.main_window import MainWindow

from .conftest import Runner
from .wizard_steps import new_list, skus, upload, wait_for_result, write_prices


def test_statuses_it_cannot_read_show_a_bar_without_figures_and_end_in_words(
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    dialect: Dialect,
    faults: Faults,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("omnidesk.api.contract.UNCLEAR_STATUS_PATIENCE", 1.5)
    target = ImportTarget.of(run(new_list(client)))
    rows = [[sku, "3.00"] for sku in skus(run, client, 20, page=17)]
    path = write_prices(tmp_path / "belirsiz.csv", ["product__sku", "price"], rows)
    wizard = window.open_import(path, ListKind.PRICE, target)
    qtbot.addWidget(wizard)
    dialect.variant("V10")  # unknown words, no progress, no counters
    faults.import_rows_per_second = 20  # slow enough to be seen working
    upload(qtbot, wizard)
    page = wizard.upload_page
    qtbot.waitUntil(lambda: "The server is working on it" in page.server_label.text())
    assert page.server_progress.maximum() == 0  # indeterminate: no figure to show
    assert "so far" in page.server_label.text()
    wait_for_result(qtbot, wizard)
    assert wizard.result_page.result_headline.text() == "How the import ended is not known"
    reason = wizard.result_page.result_reason.text()
    assert "Check the price list in Omnitron" in reason
    assert "did not say how many rows it created or updated" in (
        wizard.result_page.result_counts.text()
    )
    (record,) = [r for r in window.journal.history() if r.list_pk == target.pk]
    assert record.state is JournalState.WAITING  # kept as unfinished, never "failed"
    assert record.message is not None
    assert "Omnitron" in record.message
    wizard.close()
