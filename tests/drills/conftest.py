"""Helpers for the drills: a sandbox in a process of its own (to kill), files, a patient client.

Each drill is judged twice: on the server's side, from the sandbox's own database
(nothing created twice, no row applied twice or lost), and on what the person is
told (the sentence the client or the workflow hands over).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from omnidesk.api import RetryPolicy
from omnidesk.imports import ImportRun, ImportTarget, Journal, file_sha256, prepare_upload
from omnidesk.imports.workflow import ImportOutcome, UploadPlan
from omnidesk.kinds import from_word
from omnidesk.sandbox.store import Store
from omnidesk.spreadsheet import check_spreadsheet, open_spreadsheet
from tests.imports.conftest import Relogin

__all__ = ["Relogin"]  # the person at the sign-in dialog, for the drills too

REPO = Path(__file__).resolve().parents[2]
# At a 30 % failure rate, ten tries leave one request in 170,000 failing.
PATIENT = RetryPolicy(attempts=10, base_delay=0.005, max_delay=0.05)


def price_file(path: Path, skus: list[str], price: str = "4.00") -> Path:
    path.write_text(
        "product__sku,price\n" + "".join(f"{sku},{price}\n" for sku in skus), encoding="utf-8"
    )
    return path


def plan_for(source: Path, folder: Path) -> UploadPlan:
    with open_spreadsheet(source) as sheet:
        result = check_spreadsheet(sheet, from_word("price"))
    return prepare_upload(result, folder, frozenset())


async def upload_and_follow(
    run: ImportRun, source: Path, folder: Path
) -> tuple[int, str, ImportOutcome]:
    plan = plan_for(source, folder)
    record_id, key = await run.upload(plan, source=source, sha256=file_sha256(source))
    return record_id, key, await run.follow(record_id, key)


async def eventually(check: Callable[[], Awaitable[bool]], every: float = 0.05) -> None:
    """Until ``check`` holds: for states only seen by asking (a server's job, a journal)."""
    for _ in itertools.count():
        if await check():
            return
        await asyncio.sleep(every)


def quick_run(session: Any, journal: Journal, target: ImportTarget) -> ImportRun:
    return ImportRun(session, journal, target, first_interval=0.02, max_interval=0.1)


def jobs_of(store: Store, list_pk: int) -> list[dict[str, Any]]:
    return store.query(
        "SELECT * FROM import_jobs WHERE kind = 'price_list' AND list_pk = ?", (list_pk,)
    )


def prices_of(store: Store, list_pk: int) -> dict[str, str]:
    rows = store.query(
        "SELECT p.sku, t.price FROM product_prices AS t JOIN products AS p ON p.pk = t.product "
        "WHERE t.price_list = ?",
        (list_pk,),
    )
    return {row["sku"]: row["price"] for row in rows}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class SandboxProcess:
    """`omnidesk-sandbox` in a process of its own, so that it can be killed outright."""

    def __init__(self, db: Path, port: int, *options: str) -> None:
        self.db = db
        self.port = port
        self.options = options
        self.process: subprocess.Popen[str] | None = None
        self.url = f"http://127.0.0.1:{port}"

    def start(self, *, seed: bool) -> None:
        command = [
            sys.executable,
            "-m",
            "omnidesk.sandbox",
            "--db",
            str(self.db),
            "--port",
            str(self.port),
            *(["--seed"] if seed else []),
            *self.options,
        ]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # waits for it: "listening on http://…"
        assert line.startswith("listening on "), line

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self._reap()

    def _reap(self) -> None:
        assert self.process is not None
        self.process.wait(10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None


@pytest.fixture
def killable(tmp_path: Path) -> Iterator[SandboxProcess]:
    server = SandboxProcess(
        tmp_path / "killed.sqlite3", free_port(), "--import-rows-per-second", "400"
    )
    server.start(seed=True)
    try:
        yield server
    finally:
        server.stop()
