"""On the changes page: SKUs Excel mangled, and the one click that sends the catalogue's.

A SKU the catalogue does not have but has in another spelling (018299 written 18299,
a trailing ".0", another case, spaces) is named with what was meant; one button sends
the catalogue's SKU for every such row (the person's file is not touched), and one
puts the file's own back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from omnidesk.i18n import n_
from omnidesk.imports import ImportDiff

from ..formatting import local_integer
from ..style import Tone, mark


class SkuSuggestionBox(QFrame):
    def __init__(self, choose: Callable[[bool], None]) -> None:
        """``choose(True)``: the catalogue's SKUs for those rows; ``choose(False)``: the file's."""
        super().__init__()
        self.setObjectName("skuSuggestions")
        self.words = QLabel()
        self.words.setObjectName("skuSuggestionWords")
        self.words.setWordWrap(True)
        self.use = QPushButton()
        self.use.setObjectName("useSuggestedSkus")
        self.use.clicked.connect(lambda: self._choose(True))
        self.undo = QPushButton()
        self.undo.setObjectName("useFileSkus")
        self.undo.clicked.connect(lambda: self._choose(False))
        self._chosen = choose
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.words, 1)
        row.addWidget(self.use)
        row.addWidget(self.undo)
        self.hide()

    def _choose(self, use: bool) -> None:
        # One click, one comparison: the buttons come back with its result.
        self.use.setEnabled(False)
        self.undo.setEnabled(False)
        self._chosen(use)

    def show_for(self, diff: ImportDiff | None) -> None:
        misses = len(diff.near_misses) if diff is not None else 0
        replaced = len(diff.replaced) if diff is not None else 0
        self.use.setEnabled(True)
        self.undo.setEnabled(True)
        self.use.setVisible(misses > 0)
        self.undo.setVisible(replaced > 0 and misses == 0)
        self.setVisible(misses > 0 or replaced > 0)
        if misses:
            mark(self.words, Tone.WARNING)
            self.words.setText(
                n_(
                    "{count} row's SKU is not in the catalogue as written, but is there with "
                    "leading zeros, in another case, without spaces or without a trailing "
                    "“.0”, as Excel changes a code it takes for a number. Point at the row "
                    "to see the SKU meant.",
                    "{count} rows' SKUs are not in the catalogue as written, but are there "
                    "with leading zeros, in another case, without spaces or without a "
                    "trailing “.0”, as Excel changes codes it takes for numbers. Point at a "
                    "row to see the SKU meant.",
                    misses,
                ).format(count=local_integer(misses))
            )
            self.use.setText(
                n_(
                    "Use the catalogue's SKU for this row",
                    "Use the catalogue's SKUs for these {count} rows",
                    misses,
                ).format(count=local_integer(misses))
            )
        elif replaced:
            mark(self.words, Tone.STRONG)
            self.words.setText(
                n_(
                    "{count} row goes with the catalogue's SKU instead of the one in your "
                    "file; your file itself is not changed.",
                    "{count} rows go with the catalogue's SKUs instead of the ones in your "
                    "file; your file itself is not changed.",
                    replaced,
                ).format(count=local_integer(replaced))
            )
            self.undo.setText(
                n_(
                    "Use the file's SKU again",
                    "Use the file's SKUs again",
                    replaced,
                )
            )
