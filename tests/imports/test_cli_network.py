"""What `omnidesk import` says when the network or the sign-in lets it down (issue 14, item 9)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from omnidesk.imports import Journal, JournalState
from omnidesk.sandbox import Faults, SandboxServer
from omnidesk.settings import Environment, Profile, ProfileStore, TokenStore
from omnidesk.settings.paths import data_dir, profiles_file

from .test_cli_import import Api, api, catalogue_prices, home, no_traceback, run, signed_in

__all__ = ["api", "home", "signed_in"]  # fixtures, used by name


def wait_until(condition: object, within: float = 30.0) -> None:
    assert callable(condition)
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "the state never came"
        time.sleep(0.02)


def test_a_sign_in_that_expires_while_following_says_the_import_goes_on(
    signed_in: Profile,
    api: Api,
    sandbox: SandboxServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    faults: Faults,
) -> None:
    faults.import_rows_per_second = 100  # 300 rows: three seconds of work
    target = api.new_price_list()
    source = catalogue_prices(api, tmp_path / "p.csv", 300, page=4)
    codes: list[int] = []
    command = threading.Thread(
        target=lambda: codes.append(run(source, "--kind", "price", "--list", target["code"]))
    )
    command.start()
    journal = Journal(data_dir() / "journal.sqlite3")
    try:
        # Once the file is on the server, every token older than a moment is refused.
        wait_until(lambda: any(r.state is JournalState.WAITING for r in journal.history()))
        faults.token_ttl = 0.01
        command.join(30)
        assert not command.is_alive()
        (record,) = journal.history()
    finally:
        journal.close()
    assert codes == [3]  # the job goes on: the same code as a --timeout
    err = capsys.readouterr().err
    assert "expired while the import was being followed" in err
    assert "The server's import goes on" in err
    assert "import history" in err
    assert "run this again" not in err
    assert record.state is JournalState.WAITING  # the app follows it to its end
    # And on the server's side it does go on, to the end, every row once.
    assert sandbox.store is not None
    store = sandbox.store
    wait_until(
        lambda: (
            (job := store.get_import_job(record.cache_key or "")) is not None
            and job["status"] == "SUCCESS"
        )
    )
    faults.token_ttl = None
    assert len(api.prices(target["pk"])) == 300


def test_the_headless_import_warns_of_an_address_in_the_clear(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = Profile("Clear", "http://omnitron.invalid", "demo", Environment.PRODUCTION)
    ProfileStore(profiles_file()).remember(profile)
    TokenStore().set(profile.name, profile.username, "a-token")
    source = tmp_path / "p.csv"
    source.write_text("product__sku,price\nA-1,1.00\n", encoding="utf-8")
    assert run(source, "--kind", "price", "--list", "X", "--profile", "Clear") == 2
    captured = capsys.readouterr()
    no_traceback(captured)
    assert "http://omnitron.invalid is not encrypted (http://)" in captured.err
