"""How a command finds its server and signs in, unattended: --server, OMNIDESK_TOKEN,
OMNIDESK_PASSWORD, a 6-digit code on standard input, and what each says when it fails."""

from __future__ import annotations

import getpass
import io
import json
from pathlib import Path

import httpx
import pytest

from omnidesk.sandbox import SandboxServer
from omnidesk.settings.paths import config_dir, facts_file, profiles_file
from tests import totp
from tests.accounts import MemoryKeyring, sign_in_profile

from .conftest import Run, at


def token_for(url: str, username: str = "demo") -> str:
    answer = httpx.post(
        f"{url}/api/v1/auth/login/", json={"username": username, "password": username}
    )
    key: str = answer.json()["key"]
    return key


def files_under(folder: Path) -> str:
    return "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in folder.rglob("*")
        if path.is_file()
    )


def test_a_server_without_a_profile_signs_in_with_the_password_and_keeps_no_token(
    sandbox: SandboxServer, omnidesk: Run, memory_keyring: MemoryKeyring
) -> None:
    ran = omnidesk("lists", "--kind", "price", "--sort", "name", *at(sandbox.url), password="demo")
    assert ran.code == 0
    assert "Türkiye Perakende" in ran.out
    assert f"Signed in to {sandbox.url} as demo. Nothing is kept" in ran.err
    assert memory_keyring.secrets == {}
    assert not profiles_file().exists()
    # What the client learned of the server is shared with the window and the next command.
    learned = json.loads(facts_file().read_text(encoding="utf-8"))["servers"][sandbox.url]
    assert learned["ordering_word"] == "sort"
    assert "demo" not in json.dumps(learned)


def test_a_token_in_the_environment_needs_no_password(
    sandbox: SandboxServer, omnidesk: Run, memory_keyring: MemoryKeyring
) -> None:
    token = token_for(sandbox.url)
    ran = omnidesk("lists", "--kind", "stock", "--server", sandbox.url, token=token)
    assert ran.code == 0
    assert "Merkez Depo İstanbul" in ran.out
    assert "Signed in" not in ran.err
    assert token not in ran.out + ran.err
    assert memory_keyring.secrets == {}
    assert token not in files_under(config_dir())


def test_the_environment_token_wins_over_the_keyring(
    sandbox: SandboxServer, omnidesk: Run, memory_keyring: MemoryKeyring
) -> None:
    sign_in_profile(sandbox.url)  # the keyring holds a good token for "Sandbox"
    ran = omnidesk("lists", "--kind", "price", "--profile", "Sandbox", token="made-up-token")
    assert ran.code == 2
    assert ran.out == ""
    assert ran.err == (
        "omnidesk: “Sandbox” refused the token in OMNIDESK_TOKEN (it may have expired). Set "
        "OMNIDESK_TOKEN to a new token, or leave it unset and sign in with a password "
        "(OMNIDESK_PASSWORD, or typed at a terminal).\n"
    )
    memory_keyring.secrets = {key: "expired" for key in memory_keyring.secrets}
    ran = omnidesk("lists", "--kind", "price", token=token_for(sandbox.url))
    assert ran.code == 0
    assert "Demo Price List" in ran.out


def test_a_refused_token_with_a_password_at_hand_signs_in_again(
    sandbox: SandboxServer, omnidesk: Run, memory_keyring: MemoryKeyring
) -> None:
    ran = omnidesk(
        "lists", "--kind", "price", "--server", sandbox.url, "--username", "demo",
        token="made-up-token", password="demo",
    )  # fmt: skip
    assert ran.code == 0
    assert "Demo Price List" in ran.out
    assert f"{sandbox.url} refused the token in OMNIDESK_TOKEN; signing in with the password." in (
        ran.err
    )
    assert memory_keyring.secrets == {}  # --server: nothing is kept


def test_a_profile_signed_in_by_password_keeps_its_token_in_the_keyring(
    sandbox: SandboxServer, omnidesk: Run, memory_keyring: MemoryKeyring
) -> None:
    sign_in_profile(sandbox.url)
    memory_keyring.secrets.clear()  # the app's token is gone: not signed in any more
    ran = omnidesk("lists", "--kind", "stock", "--profile", "Sandbox")
    assert ran.code == 2
    assert ran.err.startswith("omnidesk: not signed in to “Sandbox”: there is no token")
    assert "Set OMNIDESK_PASSWORD (or OMNIDESK_TOKEN)" in ran.err

    ran = omnidesk("lists", "--kind", "stock", "--profile", "Sandbox", password="demo")
    assert ran.code == 0
    assert "Signed in to “Sandbox” as demo; the sign-in is kept in the keyring" in ran.err
    (saved,) = memory_keyring.secrets.values()
    # The next run (the app too) uses it, without a password.
    ran = omnidesk("lists", "--kind", "stock", "--profile", "Sandbox")
    assert ran.code == 0
    assert "Signed in" not in ran.err
    assert memory_keyring.secrets == {("OmniDesk", "Sandbox:demo"): saved}


def test_a_two_factor_account_reads_its_code_from_standard_input(
    sandbox: SandboxServer, omnidesk: Run, memory_keyring: MemoryKeyring, home: Path
) -> None:
    code = totp.code()
    ran = omnidesk(
        "lists", "--kind", "price", *at(sandbox.url, "twofactor"), password="twofactor",
        stdin=code + "\n",
    )  # fmt: skip
    assert ran.code == 0
    assert "Demo Price List" in ran.out
    assert "as twofactor. Nothing is kept" in ran.err
    assert code not in ran.out + ran.err
    assert memory_keyring.secrets == {}
    assert code not in files_under(home)


def test_a_missing_or_wrong_code_is_said_and_ends_the_command(
    sandbox: SandboxServer, omnidesk: Run
) -> None:
    where = ("lists", "--kind", "price", *at(sandbox.url, "twofactor"))
    ran = omnidesk(*where, password="twofactor", stdin="")
    assert ran.code == 2
    assert ran.out == ""
    assert ran.err == (
        f"omnidesk: {sandbox.url} also wants the 6-digit code from the authenticator app. "
        "Type it at a terminal, or give it as one line on standard input (for example: "
        "oathtool --totp -b SECRET | omnidesk …).\n"
    )
    ran = omnidesk(*where, password="twofactor", stdin=totp.wrong_code() + "\n")
    assert ran.code == 2
    assert ran.err == (
        f"omnidesk: {sandbox.url} did not accept the 6-digit code: it may be mistyped or "
        "already expired. Run the command again with the code the authenticator app shows "
        "now.\n"
    )


class Terminal(io.StringIO):
    """Standard input that is a terminal: what a person types, line by line."""

    def isatty(self) -> bool:
        return True


def test_at_a_terminal_the_password_is_asked_without_echo_and_a_code_may_be_typed_again(
    sandbox: SandboxServer, omnidesk: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def typed_password(prompt: str, stream: object = None) -> str:
        asked.append(prompt)
        return "twofactor"

    monkeypatch.setattr(getpass, "getpass", typed_password)
    typed = Terminal(f"{totp.wrong_code()}\n{totp.code()}\n")
    ran = omnidesk("lists", "--kind", "stock", *at(sandbox.url, "twofactor"), stdin=typed)
    assert ran.code == 0
    assert asked == [f"Password for twofactor at {sandbox.url}: "]
    assert "Kadıköy Mağaza" in ran.out
    assert ran.err.count("6-digit code from your authenticator app: ") == 2
    assert "That code was not accepted: it may be mistyped or already expired." in ran.err
    assert "twofactor" not in ran.out


def test_a_wrong_password_is_one_sentence_and_exit_2(sandbox: SandboxServer, omnidesk: Run) -> None:
    ran = omnidesk("lists", "--kind", "price", *at(sandbox.url), password="not-the-password")
    assert ran.code == 2
    assert ran.out == ""
    assert ran.err == (
        f"omnidesk: {sandbox.url} did not accept the username demo with that password. It "
        "said: Unable to log in with provided credentials. Check both; OMNIDESK_PASSWORD "
        "holds the password.\n"
    )


def test_without_a_token_a_password_or_a_terminal_it_says_what_to_set(
    sandbox: SandboxServer, omnidesk: Run
) -> None:
    ran = omnidesk("lists", "--kind", "price", *at(sandbox.url))
    assert ran.code == 2
    assert ran.err.startswith(f"omnidesk: not signed in to {sandbox.url}: there is no token")
    ran = omnidesk("lists", "--kind", "price", "--server", sandbox.url, password="demo")
    assert ran.code == 2
    assert ran.err == (
        f"omnidesk: signing in to {sandbox.url} with a password needs a username: add "
        "--username NAME (or set OMNIDESK_TOKEN to a token).\n"
    )
    sign_in_profile(sandbox.url)
    ran = omnidesk("lists", "--kind", "price", "--profile", "Sandbox", "--username", "ayse")
    assert ran.code == 2
    assert "--username goes with --server" in ran.err
    ran = omnidesk("lists", "--kind", "price", "--server", "ftp://example.com")
    assert ran.code == 2
    assert ran.err.startswith("omnidesk: --server ftp://example.com: Enter the server's address")


def test_the_limited_account_sees_every_list_and_a_refused_import_is_said(
    sandbox: SandboxServer, omnidesk: Run, tmp_path: Path
) -> None:
    everything = ("lists", "--kind", "price", "--sort", "pk", "--json")
    limited = omnidesk(*everything, *at(sandbox.url, "limited"), password="limited")
    demo = omnidesk(*everything, *at(sandbox.url), password="demo")
    assert limited.code == demo.code == 0
    assert limited.json == demo.json
    assert {row["name"] for row in limited.json} >= {"Demo Price List", "Kampanya Kasım"}

    assert sandbox.store is not None
    before = sandbox.store.query("SELECT product, price FROM product_prices WHERE price_list = 1")
    sku = sandbox.store.query("SELECT sku FROM products WHERE pk = ?", (before[0]["product"],))[0][
        "sku"
    ]
    source = tmp_path / "kapali.csv"
    source.write_text(f"product__sku,price\n{sku},1.23\n", encoding="utf-8")
    ran = omnidesk(
        "import", source, "--kind", "price", "--list", "pk:1", "--yes",
        *at(sandbox.url, "limited"), password="limited",
    )  # fmt: skip
    assert ran.code == 2
    assert "omnidesk: Your account may not import into this price list. Ask an Omnitron " in (
        ran.err
    )
    after = sandbox.store.query("SELECT product, price FROM product_prices WHERE price_list = 1")
    assert after == before
