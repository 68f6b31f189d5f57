"""The list filters: the server's own (name, code, auto-sync, created from–to), debounced.

A date that is not a date, or a "to" before its "from", is said in words under
the filters and left out of the query until it is put right.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from omnidesk.i18n import _

from .date_bound import DateBoundEdit
from .formatting import date_format
from .style import Tone, mark

# Long enough to let a word be typed, short enough to feel immediate.
TYPING_PAUSE_MS = 350


class ListFilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Name contains…"))
        self.name.setAccessibleName(_("Name contains"))
        self.name.setClearButtonEnabled(True)
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("Code contains…"))
        self.code.setAccessibleName(_("Code contains"))
        self.code.setClearButtonEnabled(True)
        self.exact_code = QCheckBox(_("exact"))
        self.exact_code.setToolTip(_("Match the whole code, as the ERP has it"))
        self.exact_code.setAccessibleName(_("Exact code"))
        self.auto_sync = QComboBox()
        self.auto_sync.addItem(_("Auto-sync: any"), None)
        self.auto_sync.addItem(_("Auto-sync: yes"), True)
        self.auto_sync.addItem(_("Auto-sync: no"), False)
        self.auto_sync.setAccessibleName(_("Auto-sync"))
        self.created_from = DateBoundEdit()
        self.created_from.setAccessibleName(_("Created from"))
        self.created_to = DateBoundEdit()
        self.created_to.setAccessibleName(_("Created until"))
        created = QLabel(_("Cr&eated"))
        created.setBuddy(self.created_from)  # Alt+E, and screen readers read the pair
        until = QLabel(_("t&o"))
        until.setBuddy(self.created_to)
        self.clear = QToolButton()
        self.clear.setText(_("Clear"))
        self.clear.setToolTip(_("Clear every filter"))
        self.clear.clicked.connect(self.reset)
        self.problem = QLabel()
        self.problem.setObjectName("filterProblem")
        self.problem.setWordWrap(True)
        mark(self.problem, Tone.ERROR)
        self.problem.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.name, 3)
        row.addWidget(self.code, 2)
        row.addWidget(self.exact_code)
        row.addWidget(self.auto_sync)
        row.addWidget(created)
        row.addWidget(self.created_from)
        row.addWidget(until)
        row.addWidget(self.created_to)
        row.addWidget(self.clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.problem)

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.changed)
        self.name.textChanged.connect(self._pause.start)
        self.code.textChanged.connect(self._pause.start)
        self.exact_code.toggled.connect(self._changed_now)
        self.auto_sync.currentIndexChanged.connect(self._changed_now)
        for edit in (self.created_from, self.created_to):
            edit.boundChanged.connect(self._dates_changed)
            edit.editingFinished.connect(self._show_date_problem)

    def _changed_now(self) -> None:
        self._pause.stop()
        self.changed.emit()

    def focus(self) -> None:
        self.name.setFocus()
        self.name.selectAll()

    def reset(self) -> None:
        widgets: tuple[QWidget, ...] = (self.name, self.code, self.exact_code, self.auto_sync)
        widgets += (self.created_from, self.created_to)
        for widget in widgets:
            widget.blockSignals(True)
        self.name.clear()
        self.code.clear()
        self.exact_code.setChecked(False)
        self.auto_sync.setCurrentIndex(0)
        self.created_from.clear_bound()
        self.created_to.clear_bound()
        for widget in widgets:
            widget.blockSignals(False)
        self._show_date_problem()
        self._changed_now()

    # -- the dates --------------------------------------------------------------------------------

    def date_problem(self) -> str | None:
        """What keeps the dates out of the query, in words; None when they can be used."""
        for edit in (self.created_from, self.created_to):
            if (problem := edit.problem()) is not None:
                return problem
        after, before = self.created_from.bound(), self.created_to.bound()
        if after is not None and before is not None and before < after:
            shown = date_format()
            return _(
                "“to” ({until}) is before “from” ({since}): the dates are left out of the "
                "search until “to” comes after “from”."
            ).format(
                until=QDate(before.year, before.month, before.day).toString(shown),
                since=QDate(after.year, after.month, after.day).toString(shown),
            )
        return None

    def _dates_changed(self) -> None:
        # A reversed pair is said at once; a date still being typed only once it is left.
        problem = self.date_problem()
        if problem is None or self.problem.isVisible() or self._reversed():
            self._show_date_problem()
        self._pause.start()

    def _reversed(self) -> bool:
        after, before = self.created_from.bound(), self.created_to.bound()
        return after is not None and before is not None and before < after

    def _show_date_problem(self) -> None:
        problem = self.date_problem()
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)

    def values(self) -> dict[str, Any]:
        """Keyword arguments for the client's list(): only the filters in use."""
        filters: dict[str, Any] = {}
        if name := self.name.text().strip():
            filters["name"] = name
        if code := self.code.text().strip():
            filters["code_exact" if self.exact_code.isChecked() else "code"] = code
        if (auto_sync := self.auto_sync.currentData()) is not None:
            filters["is_auto_sync"] = auto_sync
        if self.date_problem() is None:  # said under the filters instead
            if (after := self.created_from.bound()) is not None:
                filters["created_after"] = after
            if (before := self.created_to.bound()) is not None:
                filters["created_before"] = before
        return filters

    def describe(self) -> list[str]:
        """The filters in use, in words, for "No price list matches these filters: …":
        each a phrase of its own, listed (never a sentence built of them)."""
        parts = []
        values = self.values()
        shown = date_format()
        if "name" in values:
            parts.append(_("name contains “{text}”").format(text=values["name"]))
        if "code" in values:
            parts.append(_("code contains “{text}”").format(text=values["code"]))
        if "code_exact" in values:
            parts.append(_("code is “{text}”").format(text=values["code_exact"]))
        if "is_auto_sync" in values:
            parts.append(_("auto-sync on") if values["is_auto_sync"] else _("auto-sync off"))
        if "created_after" in values:
            day = values["created_after"]
            parts.append(
                _("created from {date}").format(
                    date=QDate(day.year, day.month, day.day).toString(shown)
                )
            )
        if "created_before" in values:
            day = values["created_before"]
            parts.append(
                _("created until {date}").format(
                    date=QDate(day.year, day.month, day.day).toString(shown)
                )
            )
        return parts
