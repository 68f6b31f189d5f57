"""The Help menu: the log folder, About, and the keyboard shortcuts."""

from __future__ import annotations

import platform
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

import omnidesk
from omnidesk.settings.paths import config_dir, data_dir, log_dir
from omnidesk.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def help_action(window: MainWindow, words: str) -> QAction:
    (menu,) = [m for m in window.menuBar().actions() if m.text() == "&Help"]
    (action,) = [a for a in menu.menu().actions() if a.text().replace("&", "") == words]
    return action


def test_open_log_folder_shows_the_folder_the_log_is_written_to(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(
        "omnidesk.ui.about.QDesktopServices.openUrl", lambda url: opened.append(url) or True
    )
    help_action(window, "Open log folder").trigger()
    assert [url.toLocalFile() for url in opened] == [str(log_dir())]
    assert log_dir().is_dir()  # made if it was not there yet: the file manager has a folder


def test_about_says_the_versions_the_folders_and_the_licence(
    qtbot: QtBot, window: MainWindow
) -> None:
    help_action(window, "About OmniDesk").trigger()
    box = window.about_box
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    said = box.text() + "\n" + box.informativeText()
    with (ROOT / "pyproject.toml").open("rb") as file:
        licence = tomllib.load(file)["project"]["license"]
    for fact in (
        f"OmniDesk {omnidesk.__version__}",
        f"Python: {platform.python_version()}",
        f"Qt: {qVersion()}",
        "PySide6",
        platform.system(),
        str(data_dir()),
        str(config_dir()),
        str(log_dir()),
        f"Licence: {licence}",
    ):
        assert fact in said
    box.close()
