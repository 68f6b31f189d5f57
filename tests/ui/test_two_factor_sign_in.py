"""Two-factor sign-in in the window, against the sandbox's TOTP user: the code is asked for,
refused in words when wrong or expired, never kept, and asked again when the token expires."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from omnidesk.app import Application, Options
from omnidesk.kinds import ListKind
from omnidesk.sandbox import TWO_FACTOR_USER, Faults, SandboxServer
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.paged_model import LoadState
from omnidesk.ui.sign_in import SignInDialog
from tests import totp

from .conftest import Runner


def visible_dialog() -> SignInDialog | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, SignInDialog)]
    return next((dialog for dialog in found if dialog.isVisible()), None)


def showing(dialog: SignInDialog, row: object) -> bool:
    return bool(dialog.form.isRowVisible(row))  # type: ignore[call-overload]


def give_password(qtbot: QtBot, dialog: SignInDialog, password: str) -> None:
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.code_step)


def give_code(qtbot: QtBot, dialog: SignInDialog, code: str) -> None:
    """Type the code and press Verify; back once the dialog has said what came of it."""
    dialog.error.setText("")  # what it says next is about this code
    qtbot.keyClicks(dialog.code, code)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)

    def answered() -> bool:
        try:
            said = dialog.error.text() not in ("", "Verifying the code…")
            return not dialog.isVisible() or (dialog.sign_in_button.isEnabled() and said)
        except RuntimeError:  # signed in: the dialog is gone already
            return True

    qtbot.waitUntil(answered)


def test_the_code_is_asked_for_refused_in_words_and_asked_again_when_the_token_expires(
    qtbot: QtBot,
    private_home: Path,
    sandbox: SandboxServer,
    faults: Faults,
    loop: object,
) -> None:
    application = Application(Options())
    application.tokens.persistent = False  # no keyring in the test machine's session
    run = asyncio.ensure_future(application.run())
    qtbot.waitUntil(lambda: visible_dialog() is not None)
    dialog = visible_dialog()
    assert dialog is not None
    dialog.server_name.setText("Two-factor sandbox")
    dialog.address.setText(sandbox.url)
    dialog.environment.setCurrentIndex(2)  # Test
    dialog.username.setText(TWO_FACTOR_USER)

    give_password(qtbot, dialog, TWO_FACTOR_USER)
    assert showing(dialog, dialog.code)
    assert not showing(dialog, dialog.password)
    assert dialog.sign_in_button.text() == "Verify"
    assert dialog.intro.text() == (
        "twofactor on Two-factor sandbox signs in with a second step: enter the 6-digit "
        "code your authenticator app shows for this account."
    )
    assert dialog.focusWidget() is dialog.code

    give_code(qtbot, dialog, "123")  # too short: said, and not sent
    assert dialog.error.text() == "Enter the 6 digits your authenticator app shows."
    give_code(qtbot, dialog, totp.wrong_code())
    assert dialog.error.text() == (
        "That code was not accepted: it may be mistyped or already expired. Enter the code "
        "your authenticator app shows now. If it keeps failing, check that your device's "
        "clock is right, or go Back and sign in with your password again."
    )
    assert dialog.code.text() == ""  # never kept, not even in the field
    assert dialog.isVisible()
    give_code(qtbot, dialog, totp.code(at=time.time() - 120))  # an expired one: the same words
    assert dialog.error.text().startswith("That code was not accepted")

    code = totp.code()
    give_code(qtbot, dialog, code)
    qtbot.waitUntil(lambda: isinstance(application.window, MainWindow))
    window = application.window
    assert window is not None
    pane = window.panes[ListKind.PRICE]
    qtbot.waitUntil(lambda: pane.model.state is LoadState.LOADED and pane.model.rowCount() > 0)
    settings = private_home / "xdg_config_home" / "omnidesk"
    facts = json.loads((settings / "servers.json").read_text(encoding="utf-8"))
    assert facts["servers"][sandbox.url]["ordering_word"] == "sort"  # learned and kept
    assert application.client is not None
    token = application.client.token
    assert token is not None
    for kept in settings.iterdir():
        assert code not in kept.read_text(encoding="utf-8")
        assert token not in kept.read_text(encoding="utf-8")

    # The token expires: the same two steps bring the person back to where they were.
    faults.token_ttl = 0.0
    window._refresh()
    qtbot.waitUntil(lambda: window.sign_in_dialog is not None and window.sign_in_dialog.isVisible())
    again = window.sign_in_dialog
    assert again is not None
    assert again.intro.text().startswith("Your session on Two-factor sandbox has ended.")
    faults.token_ttl = None
    give_password(qtbot, again, TWO_FACTOR_USER)
    give_code(qtbot, again, totp.code())
    qtbot.waitUntil(lambda: pane.model.state is LoadState.LOADED and pane.model.rowCount() > 0)
    assert application.client.token != token
    window.close()
    qtbot.waitUntil(run.done)
    assert run.result() == 0


def test_back_returns_to_the_password_and_a_wrong_password_is_still_said(
    qtbot: QtBot,
    private_home: Path,
    sandbox: SandboxServer,
    run: Runner,
) -> None:
    application = Application(Options())  # only its connect(), on a client of its own

    dialog = SignInDialog([], application.connect)
    qtbot.addWidget(dialog)
    dialog.server_name.setText("Local")
    dialog.address.setText(sandbox.url)
    dialog.username.setText(TWO_FACTOR_USER)
    give_password(qtbot, dialog, TWO_FACTOR_USER)
    qtbot.mouseClick(dialog.back, Qt.MouseButton.LeftButton)
    assert not dialog.code_step
    assert showing(dialog, dialog.password)
    assert not showing(dialog, dialog.code)
    assert dialog.sign_in_button.text() == "Sign in"
    dialog.password.setText("wrong")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Unable to log in" in dialog.error.text())
    assert not dialog.code_step
    assert application.client is not None
    run(application.client.aclose())
    application.journal.close()
