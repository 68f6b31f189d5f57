"""What OmniDesk is and where it keeps things: Help ▸ About, Help ▸ Open log folder.

The same facts (versions, platform, folders) head the details of the
"Something went wrong" dialog (crash.py), so a report says what it ran on.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from omnidesk import HOMEPAGE, LICENCE, __version__
from omnidesk.i18n import _
from omnidesk.settings import logs
from omnidesk.settings.paths import config_dir, data_dir, log_dir


def environment() -> list[tuple[str, str]]:
    """(what, value) pairs: the versions OmniDesk runs on and the folders it uses."""
    qt_platform = QGuiApplication.platformName() if QGuiApplication.instance() else ""
    return [
        (_("OmniDesk"), __version__),
        (_("Python"), f"{platform.python_version()} ({sys.executable})"),
        (_("Qt"), f"{qVersion()} (PySide6 {PySide6.__version__})"),
        (_("Platform"), f"{platform.platform()}" + (f", {qt_platform}" if qt_platform else "")),
        (_("Data folder"), str(data_dir())),
        (_("Settings folder"), str(config_dir())),
        (_("Log folder"), str(log_dir())),
        (_("Log file"), str(logs.log_file() or _("none (the log folder cannot be written)"))),
    ]


def environment_text() -> str:
    return "\n".join(f"{what}: {value}" for what, value in environment())


def open_folder(folder: Path) -> bool:
    """Shows the folder in the desktop's file manager (made first, so there is one to show)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def show_about(parent: QWidget) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Information,
        _("About OmniDesk"),
        _("OmniDesk {version}\nPrice lists and stock lists for Omnitron.").format(
            version=__version__
        ),
        parent=parent,
    )
    details = "\n".join(f"{what}: {value}" for what, value in environment()[1:])
    box.setInformativeText(
        details
        + "\n\n"
        + _("Licence: {licence}. {homepage}").format(licence=LICENCE, homepage=HOMEPAGE)
    )
    # The paths and versions are there to be copied into a report.
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box
