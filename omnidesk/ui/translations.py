"""Qt's own words in the person's language: the standard buttons, the file dialog, the menus
Qt builds itself (Save, Cancel, "Look in:"…).

PySide6 ships Qt's catalogues (``qtbase_tr.qm`` among them) in its translations
folder, the PyInstaller bundle too; OmniDesk's own sentences come from gettext
(omnidesk/i18n.py). The language is chosen once, at start: Qt's buttons and
OmniDesk's sentences then agree.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtWidgets import QApplication

from omnidesk.i18n import SOURCE_LANGUAGE

log = logging.getLogger(__name__)


def qt_translations_folder() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


# Keys as a Turkish PC keyboard prints them, and Turkish manuals write them ("Ctrl+C",
# "Alt+Sekme"): Qt's catalogue says "Kontrol", "Dönüş", "Vazgeç" and, for Alt, the Mac's
# "Seçenek", words found on no key. Arrows, Tab and Space keep Qt's Turkish.
KEY_NAMES = {
    "tr": {
        "Ctrl": "Ctrl",
        "Alt": "Alt",
        "Shift": "Shift",
        "Return": "Enter",
        "Enter": "Enter",
        "Esc": "Esc",
        "Escape": "Esc",
        "Del": "Delete",
        "Delete": "Delete",
        "Ins": "Insert",
        "Insert": "Insert",
        "Home": "Home",
        "End": "End",
        "PgUp": "Page Up",
        "PgDown": "Page Down",
        "Backspace": "Backspace",
    }
}


class QtCatalogue(QTranslator):
    """Qt's catalogue, with the keys' names (menus, Help ▸ Keyboard shortcuts) as on the keys."""

    def __init__(self, parent: QApplication, keys: dict[str, str]) -> None:
        super().__init__(parent)
        self.keys = keys

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if context == "QShortcut" and source in self.keys:
            return self.keys[source]
        return super().translate(context, source, disambiguation, n)


def install_qt_translations(app: QApplication, language: str) -> QTranslator | None:
    """Qt's catalogue for ``language`` (a code of i18n.LANGUAGES), kept by the app; None
    for English (Qt's source language) or when the catalogue is missing."""
    if language == SOURCE_LANGUAGE:
        return None
    # The app's child: it lives as long as the app.
    translator = QtCatalogue(app, KEY_NAMES.get(language, {}))
    if not translator.load(f"qtbase_{language}", qt_translations_folder()):
        log.warning("Qt's %s catalogue is not in %s", language, qt_translations_folder())
        return None
    app.installTranslator(translator)
    return translator
