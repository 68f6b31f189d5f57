"""Preferences: the thresholds at which an import asks for a second look."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from omnidesk.settings.preferences import (
    MAX_PRICE_DROP_PERCENT_RANGE,
    STOCK_TO_ZERO_COUNT_RANGE,
    STOCK_TO_ZERO_PERCENT_RANGE,
    GuardrailPreferences,
    PreferencesStore,
)


class PreferencesDialog(QDialog):
    def __init__(self, store: PreferencesStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.store = store
        current = store.load()
        self.price_drop = QDoubleSpinBox()
        self.price_drop.setRange(*MAX_PRICE_DROP_PERCENT_RANGE)
        self.price_drop.setDecimals(0)
        self.price_drop.setSuffix(" %")
        self.price_drop.setValue(float(current.max_price_drop_percent))
        self.stock_count = QSpinBox()
        self.stock_count.setRange(*STOCK_TO_ZERO_COUNT_RANGE)
        self.stock_count.setValue(current.stock_to_zero_count)
        self.stock_share = QDoubleSpinBox()
        self.stock_share.setRange(*STOCK_TO_ZERO_PERCENT_RANGE)
        self.stock_share.setDecimals(0)
        self.stock_share.setSuffix(" %")
        self.stock_share.setValue(float(current.stock_to_zero_percent))
        intro = QLabel("An import asks you to confirm before uploading when it would:")
        form = QFormLayout()
        form.addRow("cut a price by more than", self.price_drop)
        form.addRow("take at least this many products out of stock", self.stock_count)
        form.addRow("…and at least this share of the file's rows", self.stock_share)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(
            QLabel("Prices of zero, retail below price and a foreign currency\nalways ask.")
        )
        layout.addWidget(buttons)

    def values(self) -> GuardrailPreferences:
        # The spin boxes show whole numbers; they become Decimals through their text.
        return GuardrailPreferences(
            max_price_drop_percent=Decimal(str(round(self.price_drop.value()))),
            stock_to_zero_count=self.stock_count.value(),
            stock_to_zero_percent=Decimal(str(round(self.stock_share.value()))),
        )

    def save(self) -> None:
        try:
            self.store.save(self.values())
        except OSError as problem:
            QLabel(f"The preferences could not be saved: {problem.strerror}", self).show()
            return
        self.accept()
