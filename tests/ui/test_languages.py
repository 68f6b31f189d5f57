"""The window's language: Qt's own buttons in Turkish, and the choice in Preferences."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from omnidesk import i18n
from omnidesk.settings.paths import log_dir, preferences_file
from omnidesk.settings.preferences import PreferencesStore
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.translations import install_qt_translations


@pytest.fixture
def turkish_qt(qapp: QApplication) -> Iterator[None]:
    translator = install_qt_translations(qapp, "tr")
    assert translator is not None, "PySide6 ships qtbase_tr.qm"
    yield
    qapp.removeTranslator(translator)


def test_qts_own_buttons_speak_turkish(qtbot: QtBot, turkish_qt: None) -> None:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(buttons)
    texts = [b.text().replace("&", "") for b in buttons.buttons()]
    assert sorted(texts) == sorted(["Kaydet", "İptal"])


def test_keys_are_named_as_a_turkish_keyboard_prints_them(turkish_qt: None) -> None:
    def shown(keys: str) -> str:
        return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)

    # Qt's catalogue alone says "Kontrol+Son", "Seçenek+Aşağı" (the Mac's word), "Dönüş".
    assert shown("Ctrl+End") == "Ctrl+End"
    assert shown("Alt+Down") == "Alt+Aşağı"  # the arrow in Turkish, the key as printed
    assert shown("Return") == "Enter"
    assert shown("Shift+Del") == "Shift+Delete"
    assert shown("Esc") == "Esc"


def test_english_needs_no_catalogue(qapp: QApplication) -> None:
    assert install_qt_translations(qapp, "en") is None


def test_the_language_is_chosen_in_preferences_for_the_next_start(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.preferences = PreferencesStore(tmp_path / "preferences.json")
    dialog = window.open_preferences()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.language.currentData() is None  # the system's, until chosen
    assert dialog.language.currentText() == f"As the system ({i18n.LANGUAGES[i18n.language()]})"
    dialog.language.setCurrentIndex(dialog.language.findData("tr"))
    assert dialog.language_note.text() == "OmniDesk speaks Türkçe from its next start."
    assert window.unsaved_work() == ["The preferences you changed are thrown away."]
    dialog.save()
    assert window.preferences.language() == "tr"
    saved = json.loads((tmp_path / "preferences.json").read_text(encoding="utf-8"))
    assert saved["language"] == "tr"
    assert "guardrails" in saved


def test_the_app_starts_in_the_language_saved(private_home: Path) -> None:
    PreferencesStore(preferences_file()).save_language("tr")
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANGUAGE": "en"}
    result = subprocess.run(
        [sys.executable, "-m", "omnidesk", "--demo", "--quit-when-ready"],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    logged = (log_dir() / "omnidesk.log").read_text(encoding="utf-8")
    assert "speaking tr; Qt's own words too" in logged
