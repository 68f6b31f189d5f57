"""The log a person would send with a problem report: it tells what happened, never a secret.

A real sign-in (as the sign-in dialog does it, through the app's connect) and a
real import (as a scheduled job runs it) against a sandbox whose user has a
password of its own, everything logged at DEBUG, and then the files read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from omnidesk.app import WINDOW_LOG, Application, Options
from omnidesk.cli import main
from omnidesk.cli.import_command import IMPORT_LOG
from omnidesk.sandbox import SandboxServer
from omnidesk.settings import Environment, Profile, logs
from omnidesk.settings.paths import log_dir
from tests.accounts import MemoryKeyring

USER = "merve.yilmaz"
PASSWORD = "Fiyat-Kasım-2024!q"


@pytest.fixture(scope="module")
def own_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    folder = tmp_path_factory.mktemp("secret-sandbox")
    with SandboxServer(
        folder / "omnitron.sqlite3", seed=True, username=USER, password=PASSWORD
    ) as server:
        yield server


@pytest.mark.slow
def test_a_debug_log_of_a_sign_in_and_an_import_holds_no_token_or_password(
    own_sandbox: SandboxServer,
    private_home: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(logs.LEVEL_VARIABLE, "DEBUG")
    # The window: sign in, then ask for lists, as the first screen does.
    assert logs.configure(WINDOW_LOG) == log_dir() / WINDOW_LOG
    profile = Profile("Acme test", own_sandbox.url, USER, Environment.TEST)
    application = Application(Options())

    async def sign_in_and_browse() -> str:
        await application.connect(profile, PASSWORD)
        assert application.client is not None
        await application.client.price_lists.list(limit=5)
        token = application.client.token
        await application.client.aclose()
        assert token is not None
        return token

    token = asyncio.run(sign_in_and_browse())
    application.journal.close()
    assert memory_keyring.secrets  # the token went to the keyring, as the window keeps it

    # The command line: an import with the token the window saved.
    with httpx.Client(base_url=own_sandbox.url, headers={"Authorization": f"Token {token}"}) as api:
        products = api.get("/api/v1/products/", params={"limit": 3}).json()["results"]
        skus = [product["sku"] for product in products]
        target = api.get("/api/v1/price_list/", params={"limit": 1}).json()["results"][0]
    source = private_home / "fiyatlar.csv"
    source.write_text("product__sku,price\n" + "".join(f"{s},9.90\n" for s in skus), "utf-8")
    code = main(["import", str(source), "--kind", "price", "--list", f"pk:{target['pk']}", "--yes"])
    assert code == 0

    logs.stop()
    window_log = (log_dir() / WINDOW_LOG).read_text(encoding="utf-8")
    import_log = (log_dir() / IMPORT_LOG).read_text(encoding="utf-8")
    for text in (window_log, import_log):
        assert token not in text
        assert PASSWORD not in text
    # …and the logs are worth reading: the requests are there, at DEBUG.
    assert "POST /api/v1/auth/login/ -> 200" in window_log
    assert "GET /api/v1/price_list/ -> 200" in window_log
    assert f"POST /api/v1/price_list/{target['pk']}/excel_import/ -> 200" in import_log
