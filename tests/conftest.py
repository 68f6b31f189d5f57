"""Suite-wide settings, a private home for every test, and the shared sandbox.

Qt renders offscreen, so tests run without a display. One seeded sandbox serves
the whole run: tests that create lists give them unique names, so they do not
depend on order, and tests that turn a fault knob on get it turned off again by
the `faults` fixture. It speaks the contract's primary dialect; a test that
switches variants on gets the primary one back from the `dialect` fixture.
"""

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from omnidesk.sandbox import Dialect, Faults, SandboxServer
from omnidesk.settings import logs
from omnidesk.ui.painting import paint_on_the_window_thread
from tests.accounts import MemoryKeyring
from tools.messages import compile_catalogues


def pytest_sessionstart(session: pytest.Session) -> None:
    """A catalogue edited since the install is what the tests must speak, not its old .mo."""
    compile_catalogues(stale_only=True)


os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
paint_on_the_window_thread()  # as run_gui does, before pytest-qt makes the QApplication


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    with SandboxServer(
        tmp_path_factory.mktemp("sandbox") / "omnitron.sqlite3", seed=True
    ) as server:
        yield server


@pytest.fixture
def faults(sandbox: SandboxServer) -> Iterator[Faults]:
    """The running sandbox's fault knobs; all off again after the test, its counts at 0."""
    sandbox.faults.answers_dropped = sandbox.faults.requests_lost = 0
    yield sandbox.faults
    sandbox.faults.latency_ms = 0
    sandbox.faults.fail_rate = 0.0
    sandbox.faults.token_ttl = None
    sandbox.faults.import_rows_per_second = None
    sandbox.faults.drop_answer_once(None)
    sandbox.faults.lose_request_once(None)
    sandbox.faults.busy_once(None)


@pytest.fixture
def dialect(sandbox: SandboxServer) -> Iterator[Dialect]:
    """The running sandbox's dialect; the primary one again after the test."""
    yield sandbox.dialect
    sandbox.dialect.reset()


XDG_FOLDERS = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real config, data, cache or log folders (as napari's
    _fresh_settings). Each folder is tmp_path / the variable's name in lower case."""
    for variable in XDG_FOLDERS:
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    return tmp_path


@pytest.fixture(autouse=True)
def no_credentials_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own OMNIDESK_TOKEN or OMNIDESK_PASSWORD never reaches a test's command."""
    for variable in ("OMNIDESK_TOKEN", "OMNIDESK_PASSWORD"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture(autouse=True)
def log_configuration() -> Iterator[None]:
    """A test that starts the app or the command line configures the log (in its private
    home): the next test starts without that file open and at the level it had."""
    root = logging.getLogger()
    level = root.level
    yield
    logs.stop()
    root.setLevel(level)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Tokens in memory for the test, as a desktop keyring would keep them."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
