"""The folders OmniDesk writes to, per the platform's conventions."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "omnidesk"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Where the log files go (Linux: ~/.local/state/omnidesk/log; Windows: …\\Logs)."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


# The files in those folders, named here once: the window and the command line share them.
def profiles_file() -> Path:
    return config_dir() / "profiles.json"


def preferences_file() -> Path:
    return config_dir() / "preferences.json"


def ui_state_file() -> Path:
    """The window's layout between runs (size, splitters, columns, last folders)."""
    return config_dir() / "ui.ini"


def journal_file() -> Path:
    return data_dir() / "journal.sqlite3"


def mappings_file() -> Path:
    return config_dir() / "column-mappings.json"


def facts_file() -> Path:
    """What each server showed of its variants (settings/facts.py)."""
    return config_dir() / "servers.json"


def made_files_dir() -> Path:
    """Import files OmniDesk writes itself (an undo, a grid's edits): kept, so that their
    import can be reopened from the journal and undone in its turn."""
    return data_dir() / "made"
