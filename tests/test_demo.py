"""The demo's data folder belongs to one running demo at a time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from omnidesk import demo
from omnidesk.demo import (
    DEMO_RUNNING,
    DemoAlreadyRunning,
    DemoCouldNotStart,
    DemoServer,
    FolderLock,
    demo_database,
    demo_is_running,
    demo_lock_file,
)


@pytest.fixture
def home(private_home: Path) -> Path:
    return private_home  # the config, data and cache folders (tests/conftest.py)


def test_a_second_demo_is_refused_while_one_runs_and_leaves_its_data_alone(home: Path) -> None:
    first = DemoServer()
    try:
        profile = first.start()
        database = demo_database()
        assert database.exists()
        for reset in (True, False):
            second = DemoServer(reset=reset)
            with pytest.raises(DemoAlreadyRunning) as refused:
                second.start()
            assert str(refused.value) == DEMO_RUNNING
            assert database.exists()  # --demo-reset did not delete the running demo's data
        # And the first goes on serving.
        assert httpx.get(f"{profile.base_url}/api/v1/price_list/").status_code == 401
    finally:
        first.stop()
    # Once the first has stopped, the folder is free again, reset included.
    left_behind = database.parent / "left behind"
    left_behind.write_text("deleted by --demo-reset")
    again = DemoServer(reset=True)
    try:
        again.start()
        assert not left_behind.exists()
        assert database.exists()  # seeded afresh
    finally:
        again.stop()


def test_the_demo_serves_from_a_process_of_its_own_that_ends_with_the_window(
    home: Path,
) -> None:
    # The window's process dies without a word (killed); its demo server must not
    # stay behind holding the folder, or the next demo would be refused.
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from omnidesk.demo import DemoServer; import sys; "
            "print(DemoServer().start().base_url, flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ,
    ) as window:
        try:
            assert window.stdout is not None
            url = window.stdout.readline().strip()
            assert httpx.get(f"{url}/api/v1/price_list/").status_code == 401  # it serves
            assert demo_is_running()
        finally:
            window.kill()
    # Its server notices that its input closed, stops, and lets go of the folder.
    for _ in range(600):  # at most 30 s; a quarter of a second here
        if not demo_is_running():
            break
        time.sleep(0.05)
    assert not demo_is_running()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/api/v1/price_list/")


def test_a_demo_server_that_cannot_start_is_said_in_words(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not the server at all: a program that ends without a word, having logged why.
    monkeypatch.setattr(
        demo,
        "_command",
        lambda reset: [sys.executable, "-c", "import sys; sys.exit('no sandbox here')"],
    )
    server = DemoServer()
    with pytest.raises(DemoCouldNotStart) as failed:
        server.start()
    assert str(failed.value) == "The demo server did not start (no sandbox here)."
    server.stop()  # stopping one that failed is harmless
    # One that ends without a word of its own is said so, not in the last one's words.
    monkeypatch.setattr(demo, "_command", lambda reset: [sys.executable, "-c", "pass"])
    with pytest.raises(DemoCouldNotStart) as failed:
        DemoServer().start()
    assert str(failed.value) == "The demo server did not start (it ended without a word)."


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
    running = FolderLock(demo_lock_file())  # holding the folder is what counts
    database = demo_database()
    database.parent.mkdir(parents=True)
    database.write_bytes(b"the running demo's data")
    try:
        headless = _omnidesk(
            home, "import", str(source), "--kind", "price", "--list", "1", "--demo", "--yes"
        )
        window = _omnidesk(home, "--demo", "--demo-reset", "--quit-when-ready")
    finally:
        running.release()
    for result in (headless, window):
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip() == f"omnidesk: {DEMO_RUNNING}"
        assert result.stdout == ""  # not even the file's check
    assert database.read_bytes() == b"the running demo's data"
