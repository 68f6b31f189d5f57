"""The demo's data folder belongs to one running demo at a time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from omnidesk.demo import DEMO_RUNNING, DemoAlreadyRunning, DemoServer, demo_database


@pytest.fixture
def home(private_home: Path) -> Path:
    return private_home  # the config, data and cache folders (tests/conftest.py)


def test_a_second_demo_is_refused_while_one_runs_and_leaves_its_data_alone(home: Path) -> None:
    first = DemoServer()
    try:
        first.start()
        database = demo_database()
        assert database.exists()
        for reset in (True, False):
            with pytest.raises(DemoAlreadyRunning) as refused:
                DemoServer(reset=reset)
            assert str(refused.value) == DEMO_RUNNING
            assert database.exists()  # --demo-reset did not delete the running demo's data
    finally:
        first.stop()
    # Once the first has stopped, the folder is free again, reset included.
    second = DemoServer(reset=True)
    try:
        assert not database.exists()
    finally:
        second.stop()
    DemoServer().stop()


def _omnidesk(home: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        **{v: str(home / v.lower()) for v in ("XDG_CONFIG_HOME", "XDG_DATA_HOME")},
        "XDG_CACHE_HOME": str(home / "xdg_cache_home"),
    }
    return subprocess.run(
        [sys.executable, "-m", "omnidesk", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        check=False,
    )


def test_the_commands_stop_with_a_message_while_a_demo_runs(home: Path) -> None:
    source = home / "prices.csv"
    source.write_text("product__sku,price\nA,2.00\n", encoding="utf-8")
    running = DemoServer()  # holding the folder is what counts; no need to serve
    database = demo_database()
    database.parent.mkdir(parents=True)
    database.write_bytes(b"the running demo's data")
    try:
        headless = _omnidesk(
            home, "import", str(source), "--kind", "price", "--list", "1", "--demo", "--yes"
        )
        window = _omnidesk(home, "--demo", "--demo-reset", "--quit-when-ready")
    finally:
        running.stop()
    for result in (headless, window):
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip() == f"omnidesk: {DEMO_RUNNING}"
        assert result.stdout == ""  # not even the file's check
    assert database.read_bytes() == b"the running demo's data"
