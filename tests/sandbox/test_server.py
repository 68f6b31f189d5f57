"""Starting and stopping the sandbox: command line, signals, loopback, persistence."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from omnidesk.sandbox import Faults, SandboxServer

LOGIN = {"username": "demo", "password": "demo"}


def token_for(url: str, username: str = "demo", password: str = "demo") -> str:
    answer = httpx.post(
        f"{url}/api/v1/auth/login/", json={"username": username, "password": password}
    )
    assert answer.status_code == 200, answer.text
    key: str = answer.json()["key"]
    return key


def start_cli(*args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "omnidesk.sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    assert line.startswith("listening on http://127.0.0.1:"), (line, process.stderr)
    return process, line.removeprefix("listening on ")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_command_line_announces_its_url_and_stops_cleanly(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    process, url = start_cli(
        "--port",
        "0",
        "--db",
        str(tmp_path / "cli.sqlite3"),
        "--seed",
        "--user",
        "ayse",
        "--password",
        "s3cret",
    )
    try:
        token = token_for(url, "ayse", "s3cret")
        answer = httpx.get(f"{url}/api/v1/price_list/", headers={"Authorization": f"Token {token}"})
        assert answer.json()["count"] >= 12
    finally:
        process.send_signal(stop_signal)
        _, errors = process.communicate(timeout=15)
    assert process.returncode == 0
    assert "Traceback" not in errors


def test_command_line_refuses_a_public_address_without_allow_remote(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "omnidesk.sandbox",
            "--host",
            "0.0.0.0",
            "--db",
            str(tmp_path / "x"),
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr
    assert "Traceback" not in result.stderr


def test_command_line_says_when_the_port_is_taken(tmp_path: Path) -> None:
    with SandboxServer(tmp_path / "a.sqlite3", seed=False) as running:
        port = running.url.rsplit(":", 1)[1]
        result = subprocess.run(
            [sys.executable, "-m", "omnidesk.sandbox", "--port", port, "--db", str(tmp_path / "b")],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert "cannot listen" in result.stderr


def test_in_process_server_binds_loopback_only(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="loopback"):
        SandboxServer(tmp_path / "x.sqlite3", host="0.0.0.0")


def test_data_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "keep.sqlite3"
    with SandboxServer(db, seed=False) as first:
        headers = {"Authorization": f"Token {token_for(first.url)}"}
        created = httpx.post(
            f"{first.url}/api/v1/price_list/", json={"name": "Kept"}, headers=headers
        ).json()
    with SandboxServer(db, seed=False) as second:
        headers = {"Authorization": f"Token {token_for(second.url)}"}
        again = httpx.get(f"{second.url}/api/v1/price_list/{created['pk']}/", headers=headers)
        assert again.json() == created


def test_an_import_cut_short_by_a_restart_ends_in_failure(tmp_path: Path) -> None:
    db = tmp_path / "cut.sqlite3"
    with SandboxServer(db, seed=True, faults=Faults(import_rows_per_second=50)) as first:
        headers = {"Authorization": f"Token {token_for(first.url)}"}
        lines = "product__sku,price\n" + "".join(f"2015227,{n}\n" for n in range(500))
        key = httpx.post(
            f"{first.url}/api/v1/price_list/1/excel_import/",
            files={"file": ("slow.csv", lines.encode())},
            headers=headers,
        ).json()["cache_key"]
        status_url = f"{first.url}/api/v1/price_list/1/excel_import/?cache_key={key}"
        deadline = time.monotonic() + 10
        while httpx.get(status_url, headers=headers).json()["status"] != "PROGRESS":
            assert time.monotonic() < deadline
            time.sleep(0.02)
    with SandboxServer(db, seed=False) as second:
        headers = {"Authorization": f"Token {token_for(second.url)}"}
        status = httpx.get(status_url.replace(first.url, second.url), headers=headers).json()
    assert status["status"] == "FAILURE"
    assert "stopped before this import finished" in status["errors"][-1]["message"]
    assert 0 < status["processed"] < 500


def test_concurrent_creates_are_all_kept(tmp_path: Path) -> None:
    with SandboxServer(tmp_path / "busy.sqlite3", seed=False) as server:
        headers = {"Authorization": f"Token {token_for(server.url)}"}
        statuses: list[int] = []

        def create_five(worker: int) -> None:
            with httpx.Client(base_url=f"{server.url}/api/v1", headers=headers) as client:
                for n in range(5):
                    answer = client.post("/stock_list/", json={"name": f"W{worker}-{n}"})
                    statuses.append(answer.status_code)

        workers = [threading.Thread(target=create_five, args=(w,)) for w in range(10)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert statuses == [201] * 50
        listed = httpx.get(f"{server.url}/api/v1/stock_list/", headers=headers).json()
        assert listed["count"] == 50
