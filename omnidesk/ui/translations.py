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


def install_qt_translations(app: QApplication, language: str) -> QTranslator | None:
    """Qt's catalogue for ``language`` (a code of i18n.LANGUAGES), kept by the app; None
    for English (Qt's source language) or when the catalogue is missing."""
    if language == SOURCE_LANGUAGE:
        return None
    translator = QTranslator(app)  # the app's child: it lives as long as the app
    if not translator.load(f"qtbase_{language}", qt_translations_folder()):
        log.warning("Qt's %s catalogue is not in %s", language, qt_translations_folder())
        return None
    app.installTranslator(translator)
    return translator
