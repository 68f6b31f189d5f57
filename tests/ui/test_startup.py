"""Starting the app: the demo from the command line, and the first sign-in of a new user."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from omnidesk import cli
from omnidesk.api import OmnitronClient, ServerUnreachable
from omnidesk.app import Application, Options
from omnidesk.demo import DemoServer
from omnidesk.kinds import ListKind
from omnidesk.sandbox import SandboxServer
from omnidesk.settings import Environment, Profile, ProfileStore
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.sign_in import SignInDialog

from .conftest import Runner


def test_demo_starts_populated_and_quits_cleanly(private_home: Path) -> None:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "omnidesk", "--demo", "--quit-when-ready"],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ready in ")
    assert "Traceback" not in result.stderr
    database = private_home / "xdg_data_home" / "omnidesk" / "demo" / "omnitron.sqlite3"
    assert database.exists()


@pytest.mark.parametrize("demo", [False, True], ids=["window", "demo"])
def test_a_data_folder_that_cannot_be_written_is_said_in_words(tmp_path: Path, demo: bool) -> None:
    blocked = tmp_path / "data"
    blocked.write_text("a file where the data folder should be")
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(blocked),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "omnidesk", *(["--demo"] if demo else []), "--report-ready"],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "OmniDesk cannot keep its data in" in result.stderr
    assert "can be written to" in result.stderr


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_closes_the_running_demo_cleanly(private_home: Path, stop: signal.Signals) -> None:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen(
        [sys.executable, "-m", "omnidesk", "--demo", "--report-ready"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        assert app.stdout is not None
        assert app.stdout.readline().startswith("ready in ")  # the window shows the lists
        app.send_signal(stop)
        _, err = app.communicate(timeout=15)
    finally:
        app.kill()
    # Closed as if the person had closed the window: the demo server stopped, no trace.
    assert app.returncode == 0, err
    assert "Traceback" not in err


def test_first_start_asks_for_a_server_and_remembers_it(
    qtbot: QtBot, private_home: Path, sandbox: SandboxServer, loop: object
) -> None:
    application = Application(Options())
    application.tokens.persistent = False  # no keyring in the test machine's session
    run = asyncio.ensure_future(application.run())

    def dialog() -> SignInDialog | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, SignInDialog)]
        return found[0] if found and found[0].isVisible() else None

    qtbot.waitUntil(lambda: dialog() is not None)
    sign_in = dialog()
    assert sign_in is not None
    assert sign_in.profile.currentText() == "New server…"
    sign_in.server_name.setText("Local sandbox")
    sign_in.address.setText(sandbox.url)
    sign_in.environment.setCurrentIndex(2)  # Test
    sign_in.username.setText("demo")
    sign_in.password.setText("wrong")
    qtbot.mouseClick(sign_in.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Unable to log in" in sign_in.error.text())
    sign_in.password.setText("demo")
    qtbot.mouseClick(sign_in.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(application.window, MainWindow))
    window = application.window
    assert window is not None
    qtbot.waitUntil(lambda: window.panes[ListKind.PRICE].model.rowCount() > 0)
    assert window.windowTitle() == "Test — Local sandbox — OmniDesk"

    saved = ProfileStore(private_home / "xdg_config_home" / "omnidesk" / "profiles.json").load()
    assert [(p.name, p.base_url, p.username, p.environment) for p in saved] == [
        ("Local sandbox", sandbox.url, "demo", Environment.TEST)
    ]
    text = (private_home / "xdg_config_home" / "omnidesk" / "profiles.json").read_text()
    assert application.client is not None
    assert application.client.token is not None
    assert application.client.token not in text  # tokens never go to the settings file
    window.close()
    qtbot.waitUntil(run.done)
    assert run.result() == 0


def test_a_first_start_offers_the_demo_and_it_opens_on_the_local_store(
    qtbot: QtBot, private_home: Path, loop: object
) -> None:
    application = Application(Options())
    application.tokens.persistent = False
    run = asyncio.ensure_future(application.run())

    def dialog() -> SignInDialog | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, SignInDialog)]
        return found[0] if found and found[0].isVisible() else None

    qtbot.waitUntil(lambda: dialog() is not None)
    sign_in = dialog()
    assert sign_in is not None
    assert sign_in.try_demo.isVisible()
    assert "demo" in sign_in.intro.text()
    qtbot.mouseClick(sign_in.try_demo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(application.window, MainWindow), timeout=60_000)
    window = application.window
    assert window is not None
    qtbot.waitUntil(lambda: window.panes[ListKind.PRICE].model.rowCount() > 0, timeout=30_000)
    assert "Demo" in window.windowTitle()
    assert application.profiles.load() == []  # the demo is not a server to pick next time
    window.close()
    qtbot.waitUntil(run.done, timeout=30_000)
    assert run.result() == 0


def test_once_a_server_is_known_the_demo_is_not_offered_again(qtbot: QtBot, loop: object) -> None:
    async def never(profile: object, password: str) -> None:
        raise AssertionError("not signing in here")

    known = Profile("Acme", "https://acme.omnitron.example", "ayse", Environment.PRODUCTION)
    dialog = SignInDialog([known], never, offer_demo=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.try_demo.isVisible()
    assert dialog.intro.text() == "Choose the Omnitron server and sign in."


def test_signing_out_forgets_the_token_and_asks_where_to_sign_in_next(
    qtbot: QtBot, private_home: Path, sandbox: SandboxServer, loop: object
) -> None:
    application = Application(Options())
    application.tokens.persistent = False  # no keyring in the test machine's session
    staging = Profile("Staging", sandbox.url, "demo", Environment.STAGING)
    application.profiles.remember(Profile("Test", sandbox.url, "demo", Environment.TEST))
    application.profiles.remember(staging)  # the last used, with a stored token
    token = httpx.post(
        f"{sandbox.url}/api/v1/auth/login/", json={"username": "demo", "password": "demo"}
    ).json()["key"]
    application.tokens.set("Staging", "demo", token)
    run = asyncio.ensure_future(application.run())
    qtbot.waitUntil(lambda: isinstance(application.window, MainWindow))
    first = application.window
    assert first is not None
    assert first.windowTitle() == "Staging — OmniDesk"  # straight in, no dialog

    first.switch_action.trigger()

    def dialog() -> SignInDialog | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, SignInDialog)]
        return found[0] if found and found[0].isVisible() else None

    qtbot.waitUntil(lambda: dialog() is not None)
    assert application.tokens.get("Staging", "demo") is None  # signed out for real
    assert application.window is None  # Ctrl+C now has no closed window to trip over
    sign_in = dialog()
    assert sign_in is not None
    sign_in.profile.setCurrentIndex(sign_in.profile.findText("Test (Test)"))
    sign_in.password.setText("demo")
    qtbot.mouseClick(sign_in.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: application.window is not first and isinstance(application.window, MainWindow)
    )
    second = application.window
    assert second is not None
    assert second.windowTitle() == "Test — OmniDesk"
    second.close()
    qtbot.waitUntil(run.done)
    assert run.result() == 0


def test_plain_http_to_another_machine_is_warned_about(qtbot: QtBot, loop: object) -> None:
    async def never(profile: object, password: str) -> None:
        raise AssertionError("not signing in here")

    dialog = SignInDialog([], never)
    qtbot.addWidget(dialog)
    dialog.address.setText("http://omnitron.example.com")
    assert "not encrypted" in dialog.warning.text()
    dialog.address.setText("http://127.0.0.1:8000")
    assert dialog.warning.text() == ""
    dialog.address.setText("https://omnitron.example.com")
    assert dialog.warning.text() == ""


@pytest.mark.parametrize(
    "typed", ["/api/v1", "/api/v1/", "/API/V1", "/api/i1/", "/"], ids=["v1", "v1/", "V1", "i1", "/"]
)
def test_an_api_path_typed_after_the_address_is_left_out(
    qtbot: QtBot, loop: object, typed: str
) -> None:
    used: list[Profile] = []

    async def connect(profile: Profile, password: str) -> None:
        used.append(profile)

    dialog = SignInDialog([], connect)
    qtbot.addWidget(dialog)
    dialog.server_name.setText("Local")
    dialog.address.setText(f" http://127.0.0.1:8000{typed} ")
    dialog.username.setText("demo")
    dialog.password.setText("demo")
    dialog.submit()
    qtbot.waitUntil(lambda: bool(used))
    assert used[0].base_url == "http://127.0.0.1:8000"


def test_a_sign_in_that_finds_nothing_at_the_address_says_so(
    qtbot: QtBot, loop: object, sandbox: SandboxServer
) -> None:
    clients: list[OmnitronClient] = []

    async def connect(profile: Profile, password: str) -> None:
        client = OmnitronClient(profile.base_url)
        clients.append(client)
        try:
            await client.login(profile.username, password)
        finally:
            await client.aclose()

    dialog = SignInDialog([], connect)
    qtbot.addWidget(dialog)
    dialog.server_name.setText("Local")
    dialog.address.setText(f"{sandbox.url}/omnitron/")
    dialog.username.setText("demo")
    dialog.password.setText("demo")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.text() not in ("", "Signing in…"))
    assert dialog.error.text().startswith(f"No Omnitron sign-in answers at {sandbox.url}/omnitron.")
    assert "deleted" not in dialog.error.text()


@pytest.mark.parametrize(
    ("address", "completed"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("localhost:8000", "http://localhost:8000"),
        ("omnitron.example.com", "https://omnitron.example.com"),
    ],
)
def test_an_address_without_a_scheme_is_completed_as_a_browser_would(
    qtbot: QtBot, loop: object, address: str, completed: str
) -> None:
    tried: list[str] = []

    async def sign_in(profile: Profile, password: str) -> None:
        tried.append(profile.base_url)
        raise ServerUnreachable("nothing answers here")

    dialog = SignInDialog([], sign_in)
    qtbot.addWidget(dialog)
    dialog.server_name.setText("Local")
    dialog.address.setText(address)
    assert dialog.warning.text() == ""  # nothing chosen yet, nothing to warn about
    assert not dialog.warning.isVisibleTo(dialog)
    dialog.username.setText("demo")
    dialog.password.setText("demo")
    dialog.submit()
    qtbot.waitUntil(lambda: tried == [completed])
    qtbot.waitUntil(lambda: "nothing answers here" in dialog.error.text())


@pytest.mark.parametrize(
    ("argv", "demo", "files"),
    [
        (["prices.xlsx"], False, ["prices.xlsx"]),
        (["--demo", "a.csv", "b.ods"], True, ["a.csv", "b.ods"]),
        (["a.csv", "--demo"], True, ["a.csv"]),
        ([], False, []),
    ],
)
def test_files_on_the_command_line_are_opened(
    argv: list[str],
    demo: bool,
    files: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """How the desktop's "Open with OmniDesk" starts it (the .desktop file's Exec=omnidesk %F)."""
    started: list[tuple[Options, bool]] = []

    def run_gui(options: Options, demo_server: DemoServer | None = None) -> int:
        started.append((options, demo_server is not None))
        return 0

    monkeypatch.setattr("omnidesk.app.run_gui", run_gui)
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == 0
    # With --demo, its server already starting when the window is made.
    opened = Options(demo=demo, open_files=tuple(tmp_path / f for f in files))
    assert started == [(opened, demo)]


def test_a_command_is_still_read_as_a_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("omnidesk.app.run_gui", lambda *_: pytest.fail("not the window"))
    with pytest.raises(SystemExit):
        cli.main(["--demo", "validate", "--kind", "price"])  # validate without its FILE
    assert "omnidesk validate: error: the following arguments are required: FILE" in (
        capsys.readouterr().err
    )


def test_a_file_given_at_start_opens_in_the_import_wizard(
    qtbot: QtBot,
    private_home: Path,
    sandbox: SandboxServer,
    client: OmnitronClient,
    run: Runner,
) -> None:
    prices = private_home / "prices.csv"
    prices.write_text("product__sku,price\nSKU-1,10\n", encoding="utf-8")
    application = Application(Options(open_files=(prices,)))
    application.client = client
    shown = asyncio.ensure_future(
        application._show_window(Profile("Sandbox", sandbox.url, "demo", Environment.TEST))
    )
    qtbot.waitUntil(lambda: application.window is not None and bool(application.window.wizards))
    window = application.window
    assert window is not None
    wizard = window.wizards[0]
    assert wizard.path == prices
    qtbot.waitUntil(lambda: wizard.checked is not None)
    assert wizard.checked.rows == 1
    wizard.discard()
    window.close()
    qtbot.waitUntil(shown.done)
    run(application.tasks.cancel_all())
    application.journal.close()


def test_once_the_window_is_up_what_started_is_left_out_of_full_collections(
    qtbot: QtBot, private_home: Path, sandbox: SandboxServer, client: OmnitronClient, run: Runner
) -> None:
    # Each full pass of the collector walked every object made to start the app, on the
    # window's thread: 50-65 ms of a frozen window while a long list loaded.
    gc.unfreeze()
    application = Application(Options())
    application.client = client
    shown = asyncio.ensure_future(
        application._show_window(Profile("Sandbox", sandbox.url, "demo", Environment.TEST))
    )
    qtbot.waitUntil(lambda: application.window is not None)
    window = application.window
    assert window is not None
    assert gc.get_freeze_count() > 10_000  # the modules, Qt's wrappers, the window
    window.close()
    qtbot.waitUntil(shown.done)
    run(application.tasks.cancel_all())
    application.journal.close()
