"""The list filters: the server's own (name, code, auto-sync, created from–to), debounced."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from .widgets import DateBoundEdit

# Long enough to let a word be typed, short enough to feel immediate.
TYPING_PAUSE_MS = 350


class ListFilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Name contains…")
        self.name.setClearButtonEnabled(True)
        self.code = QLineEdit()
        self.code.setPlaceholderText("Code contains…")
        self.code.setClearButtonEnabled(True)
        self.exact_code = QCheckBox("exact")
        self.exact_code.setToolTip("Match the whole code, as the ERP has it")
        self.auto_sync = QComboBox()
        self.auto_sync.addItem("Auto-sync: any", None)
        self.auto_sync.addItem("Auto-sync: yes", True)
        self.auto_sync.addItem("Auto-sync: no", False)
        self.created_from = DateBoundEdit()
        self.created_to = DateBoundEdit()
        self.clear = QToolButton()
        self.clear.setText("Clear")
        self.clear.clicked.connect(self.reset)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name, 3)
        layout.addWidget(self.code, 2)
        layout.addWidget(self.exact_code)
        layout.addWidget(self.auto_sync)
        layout.addWidget(QLabel("Created"))
        layout.addWidget(self.created_from)
        layout.addWidget(QLabel("to"))
        layout.addWidget(self.created_to)
        layout.addWidget(self.clear)

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.changed)
        self.name.textChanged.connect(self._pause.start)
        self.code.textChanged.connect(self._pause.start)
        self.exact_code.toggled.connect(self._changed_now)
        self.auto_sync.currentIndexChanged.connect(self._changed_now)
        self.created_from.dateChanged.connect(self._pause.start)
        self.created_to.dateChanged.connect(self._pause.start)

    def _changed_now(self) -> None:
        self._pause.stop()
        self.changed.emit()

    def focus(self) -> None:
        self.name.setFocus()
        self.name.selectAll()

    def reset(self) -> None:
        for widget in (self.name, self.code, self.exact_code, self.auto_sync):
            widget.blockSignals(True)
        self.name.clear()
        self.code.clear()
        self.exact_code.setChecked(False)
        self.auto_sync.setCurrentIndex(0)
        for widget in (self.name, self.code, self.exact_code, self.auto_sync):
            widget.blockSignals(False)
        self.created_from.clear_bound()
        self.created_to.clear_bound()
        self._changed_now()

    def values(self) -> dict[str, Any]:
        """Keyword arguments for the client's list(): only the filters in use."""
        filters: dict[str, Any] = {}
        if name := self.name.text().strip():
            filters["name"] = name
        if code := self.code.text().strip():
            filters["code_exact" if self.exact_code.isChecked() else "code"] = code
        if (auto_sync := self.auto_sync.currentData()) is not None:
            filters["is_auto_sync"] = auto_sync
        if (after := self.created_from.bound()) is not None:
            filters["created_after"] = after
        if (before := self.created_to.bound()) is not None:
            filters["created_before"] = before
        return filters

    def describe(self) -> str:
        """The filters in use, in words, for "No price list matches …"."""
        parts = []
        values = self.values()
        if "name" in values:
            parts.append(f"name “{values['name']}”")
        if "code" in values:
            parts.append(f"code containing “{values['code']}”")
        if "code_exact" in values:
            parts.append(f"code “{values['code_exact']}”")
        if "is_auto_sync" in values:
            parts.append("auto-sync on" if values["is_auto_sync"] else "auto-sync off")
        if "created_after" in values:
            parts.append(f"created from {values['created_after']:%Y-%m-%d}")
        if "created_before" in values:
            parts.append(f"created until {values['created_before']:%Y-%m-%d}")
        return ", ".join(parts)
