"""Preferences: the thresholds at which an import asks for a second look, and the language.

The rows come from the guardrail registry (``imports/guardrails.py``): a new
threshold there is a new row here, with its range, without touching this file.
The language takes effect at the next start: every sentence of the window is
looked up as its widget is built.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from omnidesk.i18n import LANGUAGES, _, language, system_language
from omnidesk.imports.guardrails import THRESHOLDS, GuardrailSettings, always_asked
from omnidesk.settings.preferences import PreferencesStore

from .style import Tone, mark


class PreferencesDialog(QDialog):
    def __init__(self, store: PreferencesStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Preferences"))
        self.store = store
        current = store.load()
        # Whole numbers, percentages included: the thresholds are read as whole percents.
        self.fields: dict[str, QSpinBox] = {}
        form = QFormLayout()
        for threshold in THRESHOLDS:
            box = QSpinBox()
            box.setRange(threshold.minimum, threshold.maximum)
            if threshold.whole:
                box.setSuffix(threshold.suffix)
            else:  # the percent sign where the language puts it: "30 %", "%30"
                before, _number, after = _("{number} %").partition("{number}")
                box.setPrefix(before)
                box.setSuffix(after)
            box.setValue(round(getattr(current, threshold.name)))
            self.fields[threshold.name] = box
            form.addRow(_(threshold.label), box)
        self.language = QComboBox()
        system = LANGUAGES[system_language()]
        self.language.addItem(_("As the system ({language})").format(language=system), None)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)  # each in its own words: findable by its readers
        self.language.setCurrentIndex(max(0, self.language.findData(store.language())))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.language_note = QLabel()
        self.language_note.setObjectName("languageNote")
        self.language_note.setWordWrap(True)
        languages = QFormLayout()
        languages.addRow(_("&Language"), self.language)
        languages.addRow("", self.language_note)
        intro = QLabel(_("An import asks you to confirm before uploading when it would:"))
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
        layout.addLayout(languages)
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

    def chosen_language(self) -> str | None:
        chosen = self.language.currentData()
        return chosen if isinstance(chosen, str) else None

    def has_changes(self) -> bool:
        """Something chosen here that is not saved yet (closing the window would lose it)."""
        return (self.values(), self.chosen_language()) != (
            self.store.load(),
            self.store.language(),
        )

    def _language_chosen(self) -> None:
        # What the window speaks now is set at start; say when the choice shows.
        will_speak = self.chosen_language() or system_language()
        if will_speak == language():
            self.language_note.setText("")
        else:
            self.language_note.setText(
                _("OmniDesk speaks {language} from its next start.").format(
                    language=LANGUAGES[will_speak]
                )
            )

    def save(self) -> None:
        try:
            self.store.save_language(self.chosen_language())
            self.store.save(self.values())
        except OSError as problem:
            self.error.setText(
                _("The preferences could not be saved: {why}").format(
                    why=problem.strerror or problem
                )
            )
            self.error.show()
            return
        self.accept()
