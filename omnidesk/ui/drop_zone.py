"""Accepting spreadsheets by drag and drop, and saying why a file is refused while dragging."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from omnidesk.i18n import _
from omnidesk.spreadsheet import SUPPORTED_SUFFIXES

from .memory import IMPORT, last_folder
from .style import give_sheet, named

ACCEPTED_TEXT = ", ".join(sorted(SUPPORTED_SUFFIXES))
PATTERNS = " ".join(f"*{s}" for s in sorted(SUPPORTED_SUFFIXES))


def dropped_spreadsheet(mime: QMimeData) -> tuple[Path | None, str]:
    """The one spreadsheet being dragged, or None and the reason it cannot be taken."""
    files = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    if not files:
        return None, _("Only files can be dropped here.")
    if len(files) > 1:
        return None, _("Drop one file at a time.")
    suffix = files[0].suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        if suffix:
            refusal = _("{file}: {suffix} files are not spreadsheets OmniDesk reads ({accepted}).")
        else:
            refusal = _(
                "{file}: files without an extension are not spreadsheets OmniDesk reads "
                "({accepted})."
            )
        return None, refusal.format(file=files[0].name, suffix=suffix, accepted=ACCEPTED_TEXT)
    return files[0], ""


class DropZone(QWidget):
    """A large target: drop a file, or Browse…"""

    fileChosen = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "dropZone")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAcceptDrops(True)
        self.setMinimumHeight(160)
        self.message = QLabel(
            _("Drop a spreadsheet here\n({accepted})").format(accepted=ACCEPTED_TEXT)
        )
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self.browse)
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(self.message)
        layout.addWidget(browse, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()
        self._resting_text = self.message.text()
        self.dialog: QFileDialog | None = None
        self._refusing = False

    def browse(self) -> None:
        folder = last_folder(IMPORT)
        self.dialog = QFileDialog(
            self,
            _("Choose a spreadsheet"),
            str(folder or ""),
            _("Spreadsheets ({patterns})").format(patterns=PATTERNS),
        )
        self.dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        self.dialog.fileSelected.connect(lambda path: self.fileChosen.emit(Path(path)))
        self.dialog.open()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        path, reason = dropped_spreadsheet(event.mimeData())
        if path is None:
            self.message.setText(reason)
            self._show_drop("bad")
            # Accepted for now so that leaving resets the zone; moves and the drop refuse it.
            self._refusing = True
            event.accept()
            return
        self._refusing = False
        self.message.setText(_("Drop to check {file}").format(file=path.name))
        self._show_drop("good")
        event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._refusing:
            event.ignore()
        else:
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._rest()

    def dropEvent(self, event: QDropEvent) -> None:
        path, _ = dropped_spreadsheet(event.mimeData())
        self._rest()
        if path is not None:
            event.acceptProposedAction()
            self.fileChosen.emit(path)

    def _rest(self) -> None:
        self.message.setText(self._resting_text)
        self._show_drop("")

    def _show_drop(self, verdict: str) -> None:
        """The app's style sheet (style.py) draws the zone by this property."""
        self.setProperty("drop", verdict)
        give_sheet(self)
