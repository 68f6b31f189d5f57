"""A second start (“Open with” OmniDesk, `omnidesk FILE`) hands its file to the window
that already runs, instead of opening a second copy of the app."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

from PySide6.QtNetwork import QLocalServer
from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient
from omnidesk.app import Application, Options
from omnidesk.settings import Environment, Profile
from omnidesk.ui.single_instance import InstanceListener, hand_over, instance_name

from .conftest import Runner


def leave_a_socket_behind(name: str) -> None:
    probe = QLocalServer()
    assert probe.listen(name)
    path = probe.fullServerName()
    probe.close()  # its socket file goes with it; a killed process leaves it there
    left = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    left.bind(path)
    left.close()
    assert Path(path).exists()


def test_a_second_start_with_a_file_opens_it_in_the_running_window(
    qtbot: QtBot,
    private_home: Path,
    sandbox: object,
    client: OmnitronClient,
    run: Runner,
) -> None:
    application = Application(Options())
    application.client = client
    leave_a_socket_behind(instance_name())  # as a window that crashed last time would
    listener = InstanceListener()
    assert listener.listen()
    listener.filesArrived.connect(application.receive_files)
    shown = asyncio.ensure_future(
        application._show_window(Profile("Sandbox", client.base_url, "demo", Environment.TEST))
    )
    qtbot.waitUntil(lambda: application.window is not None)
    window = application.window
    assert window is not None
    prices = private_home / "kasim fiyatları.csv"
    prices.write_text("product__sku,price\nSKU-1,10\n", encoding="utf-8")

    second = subprocess.Popen(
        [sys.executable, "-m", "omnidesk", str(prices)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=60_000)
    finally:
        second.kill()  # had it opened a window of its own, it would never end by itself
    out, err = second.communicate()
    assert second.returncode == 0, err
    assert "already open" in out
    qtbot.waitUntil(lambda: bool(window.wizards))
    (wizard,) = window.wizards
    assert wizard.path == prices
    qtbot.waitUntil(lambda: wizard.checked is not None)

    wizard.discard()
    window.close()
    qtbot.waitUntil(shown.done)
    listener.close()
    run(application.tasks.cancel_all())
    application.journal.close()


def test_files_handed_over_while_signing_in_open_with_the_window(
    qtbot: QtBot, private_home: Path, client: OmnitronClient, run: Runner
) -> None:
    application = Application(Options())
    application.client = client
    prices = private_home / "prices.csv"
    prices.write_text("product__sku,price\nSKU-1,10\n", encoding="utf-8")
    application.receive_files([prices])  # no window yet: the sign-in dialog is up
    shown = asyncio.ensure_future(
        application._show_window(Profile("Sandbox", client.base_url, "demo", Environment.TEST))
    )
    qtbot.waitUntil(lambda: application.window is not None and bool(application.window.wizards))
    window = application.window
    assert window is not None
    assert [w.path for w in window.wizards] == [prices]
    window.wizards[0].discard()
    window.close()
    qtbot.waitUntil(shown.done)
    run(application.tasks.cancel_all())
    application.journal.close()


def test_nobody_answering_means_this_start_opens_its_own_window(private_home: Path) -> None:
    assert not hand_over((), name=instance_name())


def test_a_window_already_listening_keeps_its_name(qtbot: QtBot, private_home: Path) -> None:
    first = InstanceListener()
    assert first.listen()
    arrived: list[list[Path]] = []
    first.filesArrived.connect(arrived.append)
    second = InstanceListener()  # the demo's window, started beside it
    assert not second.listen()
    assert first.server.isListening()
    first.close()
    second.close()
