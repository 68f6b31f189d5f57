"""Hostile files: small on disk, built to exhaust the reader. Each is refused in words,
quickly and within a bounded memory, by the command line and on the window's path.

Figures (exit, seconds, peak memory of the command and of any process it started)
are printed with ``-s``; the limits asserted are generous for a busy machine: the
goal is a few seconds and well under 1 GB for any input under 10 MB.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from omnidesk.imports.opening import open_with_preview
from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import SpreadsheetError, TooLarge, check_spreadsheet

from .hostile_files import far_cell_xls, far_cell_xlsx, repeated_cells_ods, zip_bomb_xlsx
from .measure import validate_cost

HOSTILE: dict[str, Callable[[Path], Path]] = {
    "far_cell.xlsx": far_cell_xlsx,  # one cell at XFD1048576, <dimension> A1
    "zip_bomb.xlsx": zip_bomb_xlsx,  # 800 MB of cells in 2.5 MB, <dimension> A1:B2
    "far_cell.xls": far_cell_xls,  # one cell at IV65536
    "repeated_cells.ods": lambda path: repeated_cells_ods(path, rows=90_000, columns=1024),
    "billion_cells.ods": repeated_cells_ods,  # one cell repeated 1,048,576 × 1024 times
}
TEN_MB = 10 * 1024 * 1024


@pytest.fixture(params=sorted(HOSTILE))
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = HOSTILE[request.param](tmp_path / request.param)
    assert path.stat().st_size < TEN_MB
    return path


@pytest.mark.timeout(120)
def test_the_command_line_refuses_it_quickly_within_bounded_memory(hostile: Path) -> None:
    cost = validate_cost(hostile, "--json", timeout=90)
    sys.__stdout__.write(f"\n[drill] {cost.row(hostile.name)}")
    assert cost.exit == 2, cost.errors[-2000:]
    message = json.loads(cost.output)["error"]
    assert hostile.name in message or "Sheet" in message
    assert "panicked" not in cost.errors
    assert "Traceback" not in cost.errors
    assert cost.seconds < 20
    assert 0 < cost.peak_mb < 1024


@pytest.mark.timeout(120)
def test_the_windows_path_gets_a_sentence_and_survives(hostile: Path) -> None:
    # What the import wizard does in its worker: open with a preview, then check.
    def open_and_check() -> None:
        sheet, _ = open_with_preview(hostile, None, None)
        with sheet:
            check_spreadsheet(sheet, ListKind.PRICE)

    with pytest.raises(SpreadsheetError) as refused:
        open_and_check()
    assert refused.value.message.endswith(".")
    if hostile.suffix != ".ods" or "repeated" in hostile.name:
        assert isinstance(refused.value, TooLarge)
