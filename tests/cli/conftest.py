"""Running `omnidesk …` in-process against the sandbox, as a scheduled job would run it.

Each run gets its own standard input (not a terminal, as in a job; a TOTP code is one
line of it) and its own environment variables; what it prints is kept for the test. The
config and data folders are the test's own (tests/conftest.py), tokens in memory.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from omnidesk.cli import main
from omnidesk.cli.where import PASSWORD_VARIABLE, TOKEN_VARIABLE
from tests import totp
from tests.accounts import MemoryKeyring


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


def at(url: str, username: str = "demo") -> tuple[str, ...]:
    """The options for a server without a profile."""
    return ("--server", url, "--username", username)


@pytest.fixture
def home(private_home: Path, memory_keyring: MemoryKeyring) -> Path:
    return private_home


class Runner:
    """``omnidesk(*args, password=…, token=…, stdin=…)``: one run of the command line,
    with OMNIDESK_PASSWORD and OMNIDESK_TOKEN set to these (unset when None).

    ``stdin``: its text, or a stream; None gives it a line with the 6-digit code of
    now, which only a server that asks for one reads (V5). What it prints is kept
    apart from pytest's own capture, so that a module's fixture may run it too."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def __call__(
        self,
        *args: object,
        password: str | None = None,
        token: str | None = None,
        stdin: str | io.TextIOBase | None = None,
    ) -> Ran:
        for variable, value in ((PASSWORD_VARIABLE, password), (TOKEN_VARIABLE, token)):
            if value is None:
                self.monkeypatch.delenv(variable, raising=False)
            else:
                self.monkeypatch.setenv(variable, value)
        if not isinstance(stdin, io.TextIOBase):
            stdin = io.StringIO(totp.code() + "\n" if stdin is None else stdin)
        self.monkeypatch.setattr(sys, "stdin", stdin)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(arg) for arg in args])
            except SystemExit as ended:  # argparse refusing the command line
                code = int(ended.code or 0)
        assert "Traceback" not in err.getvalue()
        return Ran(code, out.getvalue(), err.getvalue())


Run = Runner


@pytest.fixture
def omnidesk(home: Path, monkeypatch: pytest.MonkeyPatch) -> Runner:
    return Runner(monkeypatch)
