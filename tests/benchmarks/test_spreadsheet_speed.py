"""Timed runs for omnidesk.spreadsheet on generated 100,000- and 1,000,000-row files.

Not part of the default run. Run on purpose:

    .venv/bin/python -m pytest tests/benchmarks -p no:cacheprovider -o addopts="" -s

Targets (issue 4), on a 2-core machine:
- first 100 rows of the 100k-row xlsx available within 0.5 s;
- full check of the 100k-row xlsx within 1.5 × python-calamine's own read of the
  same file into Python rows, measured in the same run;
- full check of the 1M-row csv with a peak memory of at most 400 MB.
Timings are the best of three. The assertions allow some slack for a busy machine
(the printed figures are the result); memory is measured as the peak RSS of a fresh
process (VmHWM), so the interpreter and imports count against it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import python_calamine

from omnidesk.kinds import from_word
from omnidesk.spreadsheet import check_spreadsheet, open_spreadsheet

from ._inputs import PRICE_HEADER, STOCK_HEADER, price_rows, stock_rows, write_csv, write_xlsx

KINDS = {"price": (PRICE_HEADER, price_rows), "stock": (STOCK_HEADER, stock_rows)}


def best_of(runs: int, action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def report(line: str) -> None:
    sys.__stdout__.write(f"\n[benchmark] {line}")
    sys.__stdout__.flush()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str, int], Path]:
    folder = tmp_path_factory.mktemp("bench")
    made: dict[tuple[str, str, int], Path] = {}

    def make(kind: str, suffix: str, rows: int) -> Path:
        key = (kind, suffix, rows)
        if key not in made:
            header, generate = KINDS[kind]
            path = folder / f"{kind}_{rows}.{suffix}"
            if suffix == "xlsx":
                write_xlsx(path, header, generate(rows))
            else:
                # Price lists as Excel saves them in Türkiye (; and decimal commas).
                write_csv(path, header, generate(rows), turkish=kind == "price")
            made[key] = path
        return made[key]

    return make


def calamine_read(path: Path) -> None:
    workbook = python_calamine.CalamineWorkbook.from_path(path)
    list(workbook.get_sheet_by_index(0).iter_rows())


def omnidesk_check(path: Path, kind: str) -> None:
    with open_spreadsheet(path) as sheet:
        result = check_spreadsheet(sheet, from_word(kind))
    assert result.rows == result.valid_rows


def first_rows(path: Path) -> None:
    with open_spreadsheet(path) as sheet:
        assert len(sheet.preview(100)) == 100


@pytest.mark.timeout(900)
@pytest.mark.parametrize("kind", ["price", "stock"])
def test_100k_xlsx(inputs: Callable[[str, str, int], Path], kind: str) -> None:
    path = inputs(kind, "xlsx", 100_000)
    preview = best_of(3, lambda: first_rows(path))
    calamine = best_of(3, lambda: calamine_read(path))
    check = best_of(3, lambda: omnidesk_check(path, kind))
    ratio = check / calamine
    report(
        f"{kind} 100k xlsx: first 100 rows {preview:.3f} s; calamine read {calamine:.3f} s; "
        f"full check {check:.3f} s = {ratio:.2f} x calamine"
    )
    assert preview <= 0.5
    assert ratio <= 1.5 * 1.2


# VmHWM, not getrusage: a child's ru_maxrss starts from its parent's (pytest's) size.
PEAK_SCRIPT = """
import sys, time
from omnidesk.kinds import from_word
from omnidesk.spreadsheet import check_spreadsheet, open_spreadsheet
started = time.perf_counter()
with open_spreadsheet(sys.argv[1]) as sheet:
    result = check_spreadsheet(sheet, from_word(sys.argv[2]))
elapsed = time.perf_counter() - started
assert result.rows == result.valid_rows == int(sys.argv[3])
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]
print(elapsed, peak)
"""


def peak_run(path: Path, kind: str, rows: int) -> tuple[float, float]:
    """Seconds and peak RSS in MB of a fresh process that checks ``path``."""
    output = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(path), kind, str(rows)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    ).stdout.split()
    return float(output[0]), int(output[1]) / 1024


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("kind", ["price", "stock"])
def test_1m_csv_memory(inputs: Callable[[str, str, int], Path], kind: str) -> None:
    path = inputs(kind, "csv", 1_000_000)
    preview = best_of(3, lambda: first_rows(path))
    idle = peak_run(inputs(kind, "csv", 10), kind, 10)[1]
    seconds, peak = peak_run(path, kind, 1_000_000)
    report(
        f"{kind} 1M csv ({path.stat().st_size / 1e6:.0f} MB): first 100 rows {preview:.3f} s; "
        f"full check {seconds:.1f} s, peak RSS {peak:.0f} MB (a 10-row file: {idle:.0f} MB)"
    )
    assert peak <= 400
    assert preview <= 0.5


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("kind", ["price", "stock"])
def test_1m_xlsx(inputs: Callable[[str, str, int], Path], kind: str) -> None:
    path = inputs(kind, "xlsx", 1_000_000)
    preview = best_of(1, lambda: first_rows(path))
    calamine = best_of(1, lambda: calamine_read(path))
    seconds, peak = peak_run(path, kind, 1_000_000)
    report(
        f"{kind} 1M xlsx: first 100 rows {preview:.3f} s; calamine read {calamine:.1f} s; "
        f"full check {seconds:.1f} s = {seconds / calamine:.2f} x calamine, peak RSS {peak:.0f} MB"
    )
    # A preview must not wait for the whole sheet (seconds, at this size).
    assert preview <= 0.5
