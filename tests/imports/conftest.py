"""Helpers for the import workflow's tests: files, checks, a signed-in session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from omnidesk.api import OmnitronClient, RetryPolicy
from omnidesk.api.session import Session
from omnidesk.imports import Journal
from omnidesk.kinds import from_word
from omnidesk.sandbox import SandboxServer
from omnidesk.spreadsheet import CheckResult, check_spreadsheet, open_spreadsheet

QUICK = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)


class Relogin:
    """The person at the sign-in dialog, for tests: signs in again and counts the times."""

    def __init__(self) -> None:
        self.client: OmnitronClient | None = None
        self.times = 0

    async def __call__(self) -> bool:
        assert self.client is not None
        self.times += 1
        await self.client.login("demo", "demo")
        return True


@pytest_asyncio.fixture
async def session(sandbox: SandboxServer) -> AsyncIterator[Session]:
    relogin = Relogin()
    async with OmnitronClient(sandbox.url, retry=QUICK) as client:
        relogin.client = client
        await client.login("demo", "demo")
        yield Session(client, relogin)


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal.sqlite3")


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def checked(path: Path, kind: str) -> CheckResult:
    with open_spreadsheet(path) as sheet:
        return check_spreadsheet(sheet, from_word(kind))
