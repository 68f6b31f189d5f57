"""The import wizard on a 100,000-row workbook: first rows on screen, and UI stalls.

Targets (issue 7): first rows visible ≤ 1 s after the drop; the UI thread never
stalls more than 50 ms during the check, the comparison, the upload or the
follow (10 ms tick timer). Baseline: the same timer over an idle window in the
same run.

Run: .venv/bin/python -m pytest tests/benchmarks/test_import_wizard_speed.py -o addopts= -s
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient, RetryPolicy
from omnidesk.api.session import Session
from omnidesk.imports import ImportTarget, Journal
from omnidesk.imports.pacing import freeze_what_started
from omnidesk.ui.import_wizard import ImportWizard, Step
from omnidesk.ui.tasks import BackgroundTasks
from tests.ui.conftest import Runner

from ._inputs import PRICE_HEADER, price_rows, write_xlsx
from .test_ui_responsiveness import TARGET_MS, StallMeter

ROWS = 100_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sandbox in its own process, as a real server would be: its work (a 100k-row
    import) must not share this process's interpreter with the window being measured."""
    database = tmp_path_factory.mktemp("wizard") / "db.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-m", "omnidesk.sandbox", "--port", "0", "--db", str(database), "--seed"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip().removeprefix("listening on ")
    yield url
    process.terminate()
    process.wait(10)
    process.stdout.close()


def test_wizard_on_a_100k_row_workbook(
    qtbot: QtBot, server: str, run: Runner, tasks: BackgroundTasks, tmp_path: Path
) -> None:
    workbook = tmp_path / "big.xlsx"
    write_xlsx(workbook, PRICE_HEADER, price_rows(ROWS))
    client = OmnitronClient(server, retry=RetryPolicy(attempts=3), timeout=60)
    run(client.login("demo", "demo"))
    target = ImportTarget.of(run(client.price_lists.create(name="Benchmark")))
    session = Session(client, lambda: client.login("demo", "demo"))  # type: ignore[arg-type, return-value]
    wizard = ImportWizard(session, tasks, Journal(tmp_path / "j.sqlite3"), target=target)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.chooser.list_choice.count() > 1)
    freeze_what_started()  # as the app does once its window is up (Application._show_window)
    meter = StallMeter()
    idle = meter.measure(qtbot, lambda: None, lambda: meter.clock.elapsed() > 2000)
    figures: dict[str, int] = {}

    dropped = time.perf_counter()
    first_rows: list[float] = []

    def open_and_watch() -> None:
        wizard.open_file(workbook)

    def first_rows_or_done() -> bool:
        if not first_rows and wizard.check_page.preview.rowCount() > 0:
            first_rows.append(time.perf_counter() - dropped)
        return wizard.checked is not None

    figures["check"] = meter.measure(qtbot, open_and_watch, first_rows_or_done)
    checked_after = time.perf_counter() - dropped
    assert wizard.checked is not None
    assert wizard.checked.rows == ROWS
    figures["compare"] = meter.measure(qtbot, wizard.next.click, lambda: wizard.diff is not None)
    for box in wizard.changes_page.guardrail_checks:
        box.setChecked(True)
    figures["upload and follow"] = meter.measure(
        qtbot, wizard.next.click, lambda: wizard.pages.currentIndex() == Step.RESULT
    )
    assert wizard.outcome is not None
    wizard.close()
    run(client.aclose())

    print(f"\nImport wizard, {ROWS:,}-row .xlsx, 10 ms tick (idle baseline {idle} ms):")
    print(f"  drop → first rows visible: {first_rows[0] * 1000:.0f} ms (target 1000 ms)")
    print(f"  drop → check complete: {checked_after:.2f} s")
    for step, worst in figures.items():
        ratios = f"{worst / max(idle, 1):.1f}x idle, {worst / TARGET_MS:.2f}x target"
        print(f"  worst UI stall during {step}: {worst} ms ({ratios})")
    print(
        f"  server outcome: {wizard.outcome.state.value}, {wizard.outcome.error_count:,} row errors"
    )
    assert first_rows[0] <= 1.0
    assert max(figures.values()) <= TARGET_MS
