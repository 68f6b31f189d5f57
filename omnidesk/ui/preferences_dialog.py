"""Preferences: the thresholds at which an import asks for a second look.

The rows come from the guardrail registry (``imports/guardrails.py``): a new
threshold there is a new row here, with its range, without touching this file.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from omnidesk.i18n import _
from omnidesk.imports.guardrails import THRESHOLDS, GuardrailSettings, always_asked
from omnidesk.settings.preferences import PreferencesStore

from .style import Tone, mark


class PreferencesDialog(QDialog):
    def __init__(self, store: PreferencesStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.store = store
        current = store.load()
        # Whole numbers, percentages included: the thresholds are read as whole percents.
        self.fields: dict[str, QSpinBox] = {}
        form = QFormLayout()
        for threshold in THRESHOLDS:
            box = QSpinBox()
            box.setRange(threshold.minimum, threshold.maximum)
            box.setSuffix(threshold.suffix)
            box.setValue(round(getattr(current, threshold.name)))
            self.fields[threshold.name] = box
            form.addRow(_(threshold.label), box)
        intro = QLabel("An import asks you to confirm before uploading when it would:")
        self.error = QLabel()
        self.error.setObjectName("preferencesError")
        self.error.setWordWrap(True)
        mark(self.error, Tone.ERROR)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        always = QLabel(always_asked())
        always.setWordWrap(True)
        layout.addWidget(always)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def values(self) -> GuardrailSettings:
        chosen: dict[str, Any] = {}
        for threshold in THRESHOLDS:
            value = self.fields[threshold.name].value()
            chosen[threshold.name] = value if threshold.whole else Decimal(value)
        return dataclasses.replace(GuardrailSettings(), **chosen)

    def save(self) -> None:
        try:
            self.store.save(self.values())
        except OSError as problem:
            self.error.setText(f"The preferences could not be saved: {problem.strerror}")
            self.error.show()
            return
        self.accept()
