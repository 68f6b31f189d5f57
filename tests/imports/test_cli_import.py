"""`omnidesk import` against the sandbox: exit codes, what it prints, what reaches the server.

The command runs in-process through `main([...])` (asyncio.run, as from a terminal),
with the config and data folders in tmp_path and tokens in an in-memory keyring.
A few runs go through a subprocess: Ctrl+C, no Qt, no traceback.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from omnidesk.cli import main
from omnidesk.cli.printer import Printer
from omnidesk.imports import Journal, JournalState
from omnidesk.sandbox import Faults, SandboxServer
from omnidesk.settings import Profile, ProfileStore, TokenStore
from omnidesk.settings.mappings import MappingStore
from omnidesk.settings.paths import config_dir, data_dir, mappings_file
from tests.accounts import MemoryKeyring, sign_in_profile
from tests.names import unique

from .conftest import write_csv

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(private_home: Path, memory_keyring: MemoryKeyring) -> Path:
    """Config and data folders in tmp_path (see tests/conftest.py); tokens in memory."""
    return private_home


class Api:
    """The sandbox seen directly, to set the scene and to see what the command changed."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url)
        key = self.http.post(
            "/api/v1/auth/login/", json={"username": "demo", "password": "demo"}
        ).json()["key"]
        self.http.headers["Authorization"] = f"Token {key}"

    def new_price_list(self) -> dict[str, Any]:
        body = {"name": unique("CLI import"), "code": f"CLI-{uuid.uuid4().hex[:12]}"}
        created: dict[str, Any] = self.http.post("/api/v1/price_list/", json=body).json()
        return created

    def skus(self, count: int, page: int = 3) -> list[str]:
        found = self.http.get("/api/v1/products/", params={"limit": count, "page": page})
        return [p["sku"] for p in found.json()["results"]]

    def prices(self, list_pk: int) -> dict[str, str]:
        # i1 rows name their product by SKU; v1 rows by pk only [doc].
        found = self.http.get(
            "/api/i1/product_price/", params={"price_list": list_pk, "limit": 1000}
        )
        return {row["product_sku"]: row["price"] for row in found.json()["results"]}


@pytest.fixture
def api(sandbox: SandboxServer) -> Iterator[Api]:
    client = Api(sandbox.url)
    yield client
    client.http.close()


@pytest.fixture
def signed_in(home: Path, sandbox: SandboxServer) -> Profile:
    return sign_in_profile(sandbox.url)


def run(*args: str) -> int:
    return main(["import", *[str(a) for a in args]])


def catalogue_prices(api: Api, path: Path, count: int, page: int) -> Path:
    """A price file for `count` products of the catalogue, each at 4.00."""
    lines = ["product__sku,price"] + [f"{sku},4.00" for sku in api.skus(count, page=page)]
    return write_csv(path, lines)


def no_traceback(captured: pytest.CaptureResult[str]) -> None:
    assert "Traceback" not in captured.err
    assert "Traceback" not in captured.out


def test_success_prints_the_result_and_exits_0(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    a, b, c = api.skus(3)
    source = write_csv(
        tmp_path / "ok.csv", ["product__sku,price", f"{a},10.00", f"{b},11.50", f"{c},12.00"]
    )
    assert run(source, "--kind", "price", "--list", target["code"]) == 0
    captured = capsys.readouterr()
    no_traceback(captured)
    assert "Checked 3 rows: 3 usable" in captured.out
    assert "Compared with the list: 3 new, 0 changed, 0 unchanged" in captured.out
    assert "Done: 3 created, 0 updated, 0 rows failed." in captured.out
    assert api.prices(target["pk"]) == {a: "10.00", b: "11.50", c: "12.00"}
    # The window reads the same journal.
    journal = Journal(data_dir() / "journal.sqlite3")
    (record,) = journal.history()
    journal.close()
    assert (record.state, record.list_pk, record.created) == (JournalState.SUCCESS, target["pk"], 3)


def test_row_errors_stop_before_uploading_and_with_yes_are_named_by_sheet_row(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    a, b = api.skus(2, page=4)
    source = write_csv(
        tmp_path / "errors.csv",
        ["product__sku,price", f"{a},5.00", "GHOST-404,3.00", f"{b},abc"],
    )
    assert run(source, "--kind", "price", "--list", str(target["pk"])) == 1
    captured = capsys.readouterr()
    assert "row 4, price: error: Price “abc” is not a number." in captured.out
    assert "not in the catalogue (the server will refuse them): (row 3)" in captured.out
    assert captured.err.startswith("omnidesk: stopped before uploading: 1 row has errors")
    assert "--yes" in captured.err
    assert len(captured.err.strip().splitlines()) <= 2
    assert api.prices(target["pk"]) == {}

    assert run(source, "--kind", "price", "--list", str(target["pk"]), "--yes") == 1
    captured = capsys.readouterr()
    no_traceback(captured)
    assert "Done: 1 created, 0 updated, 1 row failed." in captured.out
    assert "  row 3, product__sku: " in captured.out  # the server's error, on the sheet's row
    assert "GHOST-404" in captured.out
    assert "Not sent: 1 row with errors in the file." in captured.out
    assert api.prices(target["pk"]) == {a: "5.00"}


def test_guardrails_stop_the_upload_unless_yes(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    a, b = api.skus(2, page=5)
    before = write_csv(tmp_path / "before.csv", ["product__sku,price", f"{a},100.00", f"{b},50.00"])
    assert run(before, "--kind", "price", "--list", target["code"]) == 0
    cut = write_csv(tmp_path / "cut.csv", ["product__sku,price", f"{a},10.00", f"{b},50.00"])
    capsys.readouterr()

    assert run(cut, "--kind", "price", "--list", target["code"]) == 1
    captured = capsys.readouterr()
    assert "0 new, 1 changed, 1 unchanged" in captured.out
    assert "! 1 price drops by more than 30% at once. (row 2)" in captured.out
    assert "1 guardrail needs a look" in captured.err
    assert api.prices(target["pk"])[a] == "100.00"

    assert run(cut, "--kind", "price", "--list", target["code"], "--yes") == 0
    captured = capsys.readouterr()
    no_traceback(captured)
    assert "Skipping 1 unchanged row (--all-rows sends it too)." in captured.out
    assert "Uploading 1 row" in captured.out
    assert "Done: 0 created, 1 updated, 0 rows failed." in captured.out
    assert api.prices(target["pk"]) == {a: "10.00", b: "50.00"}


def test_dry_run_sends_nothing(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    (a,) = api.skus(1, page=6)
    source = write_csv(tmp_path / "dry.csv", ["product__sku,price", f"{a},7.00"])
    assert run(source, "--kind", "price", "--list", target["code"], "--dry-run") == 0
    captured = capsys.readouterr()
    assert "1 new, 0 changed" in captured.out
    assert "Dry run: 1 row would be sent; nothing was sent." in captured.out
    assert api.prices(target["pk"]) == {}
    journal = Journal(data_dir() / "journal.sqlite3")
    assert journal.history() == []
    journal.close()


def test_the_same_file_again_warns_and_needs_yes(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    a, b = api.skus(2, page=7)
    source = write_csv(tmp_path / "twice.csv", ["product__sku,price", f"{a},8.00", f"{b},9.00"])
    assert run(source, "--kind", "price", "--list", target["code"]) == 0
    capsys.readouterr()

    assert run(source, "--kind", "price", "--list", target["code"]) == 1
    captured = capsys.readouterr()
    assert f"this very file already went to price list “{target['name']}” on " in captured.err
    assert "(done)" in captured.err
    assert "The same file was imported to this list before." in captured.err
    assert "Uploaded" not in captured.out

    assert run(source, "--kind", "price", "--list", target["code"], "--yes", "--all-rows") == 0
    captured = capsys.readouterr()
    no_traceback(captured)
    assert "already went to" in captured.err  # still said, then done anyway
    assert "Done: 0 created, 2 updated, 0 rows failed." in captured.out


def test_follow_prints_plain_progress_lines_without_a_terminal(
    signed_in: Profile,
    api: Api,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    faults: Faults,
) -> None:
    faults.import_rows_per_second = 150
    target = api.new_price_list()
    source = catalogue_prices(api, tmp_path / "paced.csv", 300, page=2)
    assert run(source, "--kind", "price", "--list", target["code"]) == 0
    out = capsys.readouterr().out
    progress = [line for line in out.splitlines() if "rows" in line and "[" in line]
    assert progress[-1].startswith("SUCCESS  [##############################] 300/300 rows")
    assert any(line.startswith(("PENDING", "PROGRESS")) for line in progress)
    assert "\r" not in out  # a log file gets lines, not redraws
    assert "Done: 300 created" in out


def test_timeout_stops_watching_exits_3_and_leaves_the_job_to_follow_later(
    signed_in: Profile,
    api: Api,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    faults: Faults,
) -> None:
    faults.import_rows_per_second = 20  # 200 rows: ten seconds of work
    target = api.new_price_list()
    source = catalogue_prices(api, tmp_path / "slow.csv", 200, page=3)
    started = time.monotonic()
    assert run(source, "--kind", "price", "--list", target["code"], "--timeout", "0.5") == 3
    assert time.monotonic() - started < 8
    captured = capsys.readouterr()
    no_traceback(captured)
    assert "stopped watching after 0.5 s: the server's import goes on" in captured.err
    assert "Done:" not in captured.out
    journal = Journal(data_dir() / "journal.sqlite3")
    (record,) = journal.unfinished()
    journal.close()
    assert record.list_pk == target["pk"]
    assert record.cache_key  # enough for the app to follow the job to its end


def test_timeout_with_the_demo_is_refused_before_anything_starts(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "demo.csv", ["product__sku,price", "A,2.00"])
    args = ("--kind", "price", "--list", "1", "--demo", "--yes", "--timeout", "0.5")
    assert run(source, *args) == 2
    captured = capsys.readouterr()
    no_traceback(captured)
    assert captured.out == ""  # no check, no demo server, nothing sent
    assert "--timeout does not go with --demo" in captured.err
    assert "goes on" not in captured.err
    assert not (data_dir() / "demo").exists()


def test_timeout_must_be_a_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        run("any.csv", "--kind", "price", "--list", "1", "--timeout", "soon")
    assert stopped.value.code == 2
    assert "not a number of seconds: 'soon'" in capsys.readouterr().err


def test_a_terminal_gets_one_line_redrawn() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    printer = Printer(out=screen, err=io.StringIO())
    printer.progress("PROGRESS [##--] 10/40 rows, about 3 s left")
    printer.progress("SUCCESS  [####] 40/40 rows")
    printer.line("Done.")
    assert screen.getvalue() == (
        "\rPROGRESS [##--] 10/40 rows, about 3 s left"
        "\rSUCCESS  [####] 40/40 rows" + " " * 16 + "\nDone.\n"
    )


@pytest.mark.parametrize(
    ("ref", "said"),
    [
        ("999999", "there is no price list with pk 999999"),
        ("NO-SUCH-CODE", "there is no price list with the code “NO-SUCH-CODE”"),
        ("pk:999999", "there is no price list with pk 999999"),
        ("code:NO-SUCH-CODE", "there is no price list with the code “NO-SUCH-CODE”"),
        ("²", "there is no price list with the code “²”"),  # a digit to str.isdigit, not a pk
        ("", "--list needs the list's number or code; it was empty."),
        ("code:", "--list needs the list's number or code; it was empty."),
    ],
)
def test_a_list_reference_that_names_nothing_exits_2_saying_so(
    signed_in: Profile,
    api: Api,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    ref: str,
    said: str,
) -> None:
    (a,) = api.skus(1)
    source = write_csv(tmp_path / "x.csv", ["product__sku,price", f"{a},1.00"])
    assert run(source, "--kind", "price", "--list", ref) == 2
    captured = capsys.readouterr()
    no_traceback(captured)
    assert captured.err.startswith("omnidesk: ")
    assert said in captured.err
    assert "unexpected problem" not in captured.err


def price_list_with_code(api: Api, code: str) -> dict[str, Any]:
    body = {"name": unique("CLI numeric code"), "code": code}
    created: dict[str, Any] = api.http.post("/api/v1/price_list/", json=body).json()
    return created


def dry_run_target(source: Path, ref: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The list a dry run of `--list ref` chose, as its "Target:" line names it."""
    run(source, "--kind", "price", "--list", ref, "--dry-run")
    captured = capsys.readouterr()
    no_traceback(captured)
    (line,) = [line for line in captured.out.splitlines() if line.startswith("Target:")]
    return line


def test_digits_that_are_no_pk_find_the_list_with_that_exact_code(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = str(900_000_000 + uuid.uuid4().int % 99_999_999)  # far above any pk
    target = price_list_with_code(api, code)
    (a,) = api.skus(1)
    source = write_csv(tmp_path / "x.csv", ["product__sku,price", f"{a},1.00"])
    assert f"(pk {target['pk']})" in dry_run_target(source, code, capsys)
    assert f"(pk {target['pk']})" in dry_run_target(source, f"code:{code}", capsys)


def test_digits_that_are_one_lists_pk_and_anothers_code_stop_and_ask_which(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    by_pk = api.new_price_list()
    digits = str(by_pk["pk"])
    by_code = price_list_with_code(api, digits)
    (a,) = api.skus(1)
    source = write_csv(tmp_path / "x.csv", ["product__sku,price", f"{a},1.00"])

    assert run(source, "--kind", "price", "--list", digits) == 2
    captured = capsys.readouterr()
    no_traceback(captured)
    assert by_pk["name"] in captured.err
    assert by_code["name"] in captured.err
    assert f"--list pk:{digits}" in captured.err
    assert f"--list code:{digits}" in captured.err
    assert "Target:" not in captured.out

    assert f"(pk {by_pk['pk']})" in dry_run_target(source, f"pk:{digits}", capsys)
    assert f"(pk {by_code['pk']})" in dry_run_target(source, f"code:{digits}", capsys)


def test_an_unreadable_file_exits_2_before_any_network(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in_profile_offline = Profile("Nowhere", "http://127.0.0.1:9", "demo")
    ProfileStore(config_dir() / "profiles.json").remember(sign_in_profile_offline)
    TokenStore().set("Nowhere", "demo", "token")
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a workbook")
    assert run(bad, "--kind", "price", "--list", "1") == 2
    captured = capsys.readouterr()
    no_traceback(captured)
    assert captured.out == ""
    assert captured.err.startswith("omnidesk: ")
    assert len(captured.err.strip().splitlines()) <= 2


def test_an_unreachable_server_exits_2(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Port 9 (discard) on loopback: nothing listens there.
    ProfileStore(config_dir() / "profiles.json").remember(
        Profile("Gone", "http://127.0.0.1:9", "demo")
    )
    TokenStore().set("Gone", "demo", "token")
    source = write_csv(tmp_path / "x.csv", ["product__sku,price", "2015227,1.00"])
    assert run(source, "--kind", "price", "--list", "1", "--profile", "Gone") == 2
    captured = capsys.readouterr()
    no_traceback(captured)
    assert "omnidesk: Nothing answers at 127.0.0.1" in captured.err


def test_profiles_without_a_token_or_unknown_say_how_to_sign_in(
    home: Path, sandbox: SandboxServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "x.csv", ["product__sku,price", "2015227,1.00"])
    assert run(source, "--kind", "price", "--list", "1") == 2
    assert "no saved profile. Sign in once with the app" in capsys.readouterr().err
    ProfileStore(config_dir() / "profiles.json").remember(Profile("Shop", sandbox.url, "demo"))
    assert run(source, "--kind", "price", "--list", "1") == 2
    assert "not signed in to “Shop”" in capsys.readouterr().err
    assert run(source, "--kind", "price", "--list", "1", "--profile", "Other") == 2
    assert "no saved profile “Other” (saved: “Shop”)" in capsys.readouterr().err
    TokenStore().set("Shop", "demo", "expired-or-made-up")
    assert run(source, "--kind", "price", "--list", "1", "--profile", "Shop") == 2
    err = capsys.readouterr().err
    assert "the saved sign-in for “Shop” was refused" in err
    assert "Traceback" not in err


def test_a_sandbox_restarted_mid_import_is_a_failure_in_words(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "restart.sqlite3"
    first = SandboxServer(database, faults=Faults(import_rows_per_second=100))
    first.start()
    port = int(first.url.rsplit(":", 1)[1])
    sign_in_profile(first.url, "Restart")
    api = Api(first.url)
    target = api.new_price_list()
    lines = ["product__sku,price"] + [f"{sku},1.00" for sku in api.skus(400, page=1)]
    api.http.close()
    source = write_csv(tmp_path / "r.csv", lines)
    codes: list[int] = []
    command = threading.Thread(
        target=lambda: codes.append(run(source, "--kind", "price", "--list", target["code"]))
    )
    command.start()
    journal = Journal(data_dir() / "journal.sqlite3")
    try:
        deadline = time.monotonic() + 20
        while not any(r.state is JournalState.WAITING for r in journal.history()):
            assert time.monotonic() < deadline, "the upload never reached the server"
            time.sleep(0.05)
        time.sleep(0.3)
        first.stop()
        time.sleep(0.5)
        second = SandboxServer(database, seed=False, port=port)
        second.start()
        try:
            command.join(30)
        finally:
            second.stop()
        assert not command.is_alive()
        (record,) = journal.history()
        assert record.state is JournalState.FAILURE
    finally:
        journal.close()
    assert codes == [2]
    captured = capsys.readouterr()
    no_traceback(captured)
    assert "FAILURE  [" in captured.out
    assert captured.err.startswith("omnidesk: the import failed: ")
    assert "stopped before this import finished" in captured.err


def subprocess_env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "XDG_CONFIG_HOME": str(home / "xdg_config_home"),
        "XDG_DATA_HOME": str(home / "xdg_data_home"),
        "PYTHONPATH": str(REPO),
        # No keyring in a scheduled job: the real lookup fails and the command says so.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }


def test_demo_runs_without_qt_and_ctrl_c_says_the_demo_import_stopped_too(
    tmp_path: Path, api: Api
) -> None:
    env = subprocess_env(tmp_path)
    skus = api.skus(1000, page=1)  # the demo is seeded the same way
    source = write_csv(tmp_path / "demo.csv", ["product__sku,price"] + [f"{s},2.00" for s in skus])
    dry = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from omnidesk.cli import main; code = main(sys.argv[1:]); "
            "assert 'PySide6' not in sys.modules, 'Qt was imported'; sys.exit(code)",
            *("import", str(source), "--kind", "price", "--list", "1", "--demo", "--dry-run"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert dry.returncode == 1, dry.stderr  # 2.00 is a steep cut for every demo price
    assert "Traceback" not in dry.stderr
    assert "guardrail" in dry.stderr
    assert "nothing was sent" in dry.stdout

    # Paced at the demo's 400 rows a second: Ctrl+C comes while the server works.
    command = subprocess.Popen(
        [
            *(sys.executable, "-m", "omnidesk", "import", str(source), "--kind", "price"),
            *("--list", "1", "--demo", "--yes", "--all-rows"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A suite started in the background (nohup, `&`) passes SIGINT on ignored, and
        # Python then never turns Ctrl+C into KeyboardInterrupt: the command's own way.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert command.stdout is not None
    try:
        for line in command.stdout:
            if line.startswith("Uploaded."):
                break
        command.send_signal(signal.SIGINT)
        _, err = command.communicate(timeout=20)
    finally:
        if command.poll() is None:
            command.kill()
    assert command.returncode == 130, err
    assert "Traceback" not in err
    # The demo server stopped with the command, so its job did not go on.
    assert err.startswith("omnidesk: stopped. The demo server stops with this command")
    assert "goes on" not in err
    assert len(err.strip().splitlines()) <= 2


def test_a_job_without_a_keyring_exits_2_without_a_traceback(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    env = subprocess_env(tmp_path)
    (tmp_path / "xdg_config_home" / "omnidesk").mkdir(parents=True)
    ProfileStore(tmp_path / "xdg_config_home" / "omnidesk" / "profiles.json").remember(
        Profile("Shop", sandbox.url, "demo")
    )
    source = write_csv(tmp_path / "x.csv", ["product__sku,price", "2015227,1.00"])
    done = subprocess.run(
        [sys.executable, "-m", "omnidesk", "import", str(source), "--kind", "price", "--list", "1"],
        env=env,
        stdin=subprocess.DEVNULL,  # a job's: no terminal to type a password at
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("omnidesk: not signed in to “Shop”")


def test_a_file_of_the_other_kind_is_named_with_the_kind_to_use(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    source = write_csv(tmp_path / "depo.csv", ["SKU,Stok", "A-1,5"])
    assert run(source, "--kind", "price", "--list", target["code"]) == 1
    err = capsys.readouterr().err
    assert "depo.csv looks like a stock list file" in err
    assert "--kind stock" in err


def test_a_header_mapped_in_the_window_is_read_the_same_way_here(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    (a,) = api.skus(1, page=6)
    header = ["Barkod", "Satış Tutarı"]
    MappingStore(mappings_file()).remember(
        "price_list", header, {"Barkod": "product__sku", "Satış Tutarı": "price"}
    )
    source = write_csv(tmp_path / "kasım.csv", [",".join(header), f"{a},12.00"])
    assert run(source, "--kind", "price", "--list", target["code"]) == 0
    out = capsys.readouterr().out
    assert "note: Columns mapped as you mapped this header before: Barkod → product__sku" in out
    assert api.prices(target["pk"]) == {a: "12.00"}
