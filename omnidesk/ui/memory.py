"""What the window remembers from one run to the next: its place, its splitters, its columns.

Layout, not data: the window's size and position, where each splitter sits, each
table's column widths and order, and the last folder each file dialog used. It
lives in ``ui.ini`` beside the profiles (QSettings' INI format, so it is a file
a person can delete to start afresh). Preferences with rules stay in their own
JSON (settings/preferences.py).

A table's columns are remembered together with their titles: a later version
with other columns starts from its own widths instead of someone else's.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

from omnidesk.settings.paths import ui_state_file

# The file dialogs that remember where they were last: one folder each.
IMPORT, EXPORT, ANNOTATED = "import", "export", "annotated"


def ui_settings() -> QSettings:
    return QSettings(str(ui_state_file()), QSettings.Format.IniFormat)


def _bytes(settings: QSettings, key: str) -> QByteArray | None:
    value = settings.value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _keep(key: str, state: QByteArray) -> None:
    settings = ui_settings()
    settings.setValue(key, state)
    settings.sync()


def remember_geometry(key: str, widget: QWidget) -> None:
    _keep(f"{key}/geometry", widget.saveGeometry())


def restore_geometry(key: str, widget: QWidget) -> bool:
    """Back where it was (moved onto a screen if that one is gone); False if never saved."""
    saved = _bytes(ui_settings(), f"{key}/geometry")
    return saved is not None and widget.restoreGeometry(saved)


def remember_splitter(key: str, splitter: QSplitter) -> None:
    _keep(f"splitters/{key}", splitter.saveState())


def restore_splitter(key: str, splitter: QSplitter) -> bool:
    saved = _bytes(ui_settings(), f"splitters/{key}")
    return saved is not None and splitter.restoreState(saved)


def _titles(header: QHeaderView) -> str:
    model = header.model()
    if model is None:
        return ""
    return "\t".join(str(model.headerData(i, header.orientation())) for i in range(header.count()))


def remember_columns(key: str, header: QHeaderView) -> None:
    settings = ui_settings()
    settings.setValue(f"tables/{key}/columns", _titles(header))
    settings.setValue(f"tables/{key}/state", header.saveState())
    settings.sync()


def restore_columns(key: str, header: QHeaderView) -> bool:
    """Widths and order as they were left, if the table still has the same columns.

    The sort stays the one the table was given: the state holds the old sort
    indicator too, and a list sorted differently from its arrow would mislead.
    """
    settings = ui_settings()
    saved = _bytes(settings, f"tables/{key}/state")
    if saved is None or settings.value(f"tables/{key}/columns") != _titles(header):
        return False
    section, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
    shown = header.isSortIndicatorShown()
    restored = header.restoreState(saved)
    header.setSortIndicatorShown(shown)
    header.setSortIndicator(section, order)
    return restored


def last_folder(dialog: str) -> Path | None:
    """The folder the dialog last used, if it is still there."""
    saved = ui_settings().value(f"folders/{dialog}")
    if isinstance(saved, str) and saved and Path(saved).is_dir():
        return Path(saved)
    return None


def remember_folder(dialog: str, chosen: Path) -> None:
    settings = ui_settings()
    settings.setValue(f"folders/{dialog}", str(chosen if chosen.is_dir() else chosen.parent))
    settings.sync()


def in_last_folder(dialog: str, name: str, otherwise: Path | None = None) -> str:
    """Where a file dialog opens: ``name`` in the folder it used last (else ``otherwise``)."""
    folder = last_folder(dialog) or otherwise
    return str(folder / name) if folder is not None else name
