"""The top of the wizard: the kind of list and the list itself the file goes to."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from omnidesk import kinds
from omnidesk.api import AnyList, ListKind, OmnitronClient, OmnitronError
from omnidesk.api.session import Session
from omnidesk.i18n import _, capitalized
from omnidesk.imports import ImportTarget

from ..style import Tone, mark

Start = Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]]


class TargetChooser(QWidget):
    kindChosen = Signal()  # the person chose another kind of list
    targetChanged = Signal()  # another list (or none) is chosen

    def __init__(
        self, session: Session, start: Start, kind: ListKind, target: ImportTarget | None
    ) -> None:
        super().__init__()
        self.session = session
        # Weakly, like the pages (pages.py): the wizard that owns the jobs owns this too.
        self._start = weakref.WeakMethod(start)
        self.kind = kind
        self.target = target
        self.kind_choice = QComboBox()
        for entry in kinds.KINDS.values():
            self.kind_choice.addItem(capitalized(entry.noun), entry.kind.value)
        self.kind_choice.setCurrentIndex(self.kind_choice.findData(kind.value))
        self.list_choice = QComboBox()
        self.list_choice.setMinimumWidth(280)
        self.list_choice.setEditable(True)
        self.list_choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.kind_choice.setAccessibleName(_("Kind of list to import into"))
        self.list_choice.setAccessibleName(_("List to import into"))
        line = self.list_choice.lineEdit()
        if line is not None:  # typed in to find a list: the same name for a screen reader
            line.setAccessibleName(_("List to import into"))
        self.list_problem = QLabel()
        mark(self.list_problem, Tone.ERROR)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Import into")))
        layout.addWidget(self.kind_choice)
        layout.addWidget(self.list_choice)
        layout.addWidget(self.list_problem)
        self.kind_choice.currentIndexChanged.connect(self._kind_changed)
        self.list_choice.currentIndexChanged.connect(self._list_changed)
        self.start(self.load_lists())

    def start(self, job: Coroutine[Any, Any, None]) -> None:
        start = self._start()
        if start is not None:
            start(job)
        else:
            job.close()  # the wizard is gone: nothing to load lists for

    def set_enabled(self, enabled: bool) -> None:
        self.kind_choice.setEnabled(enabled)
        self.list_choice.setEnabled(enabled)

    def show_kind(self, kind: ListKind) -> None:
        """The file's own header chose the kind: shown as chosen, and the lists reloaded."""
        self.kind, self.target = kind, None
        self.kind_choice.blockSignals(True)  # not the person's choice: it may change again
        self.kind_choice.setCurrentIndex(self.kind_choice.findData(kind.value))
        self.kind_choice.blockSignals(False)
        self.start(self.load_lists())

    def choose_kind(self, kind: ListKind) -> None:
        """As if the person had chosen it in the box (the check page's one-click switch)."""
        self.kind_choice.setCurrentIndex(self.kind_choice.findData(kind.value))

    def _kind_changed(self) -> None:
        self.kind = ListKind(self.kind_choice.currentData())
        self.target = None
        self.start(self.load_lists())
        self.kindChosen.emit()

    def _list_changed(self) -> None:
        chosen = self.list_choice.currentData()
        self.target = chosen if isinstance(chosen, ImportTarget) else None
        self.targetChanged.emit()

    def _show_only(self, text: str) -> None:
        self.list_choice.blockSignals(True)
        self.list_choice.clear()
        self.list_choice.addItem(text, None)
        self.list_choice.blockSignals(False)

    async def load_lists(self) -> None:
        kind = self.kind
        self._show_only(_("Loading lists…"))
        rows: list[AnyList] = []

        async def every(client: OmnitronClient) -> None:
            rows.clear()
            async for row in client.lists(kind).iterate(ordering="name"):
                rows.append(row)

        try:
            await self.session.run(every)
        except OmnitronError as problem:
            self._show_only(_("(lists could not be loaded)"))
            self.list_problem.setText(str(problem))
            self.list_problem.setToolTip(str(problem))
            return
        if kind is not self.kind:
            return  # the person switched kinds meanwhile
        self.list_problem.setText("")
        self.list_choice.blockSignals(True)
        self.list_choice.clear()
        self.list_choice.addItem(_("Choose a list…"), None)
        chosen = 0
        for row in rows:
            suffix = f"  ({row.code})" if row.code else ""
            self.list_choice.addItem(f"{row.name}{suffix}", ImportTarget.of(row))
            if self.target is not None and self.target.pk == row.pk:
                chosen = self.list_choice.count() - 1
        self.list_choice.setCurrentIndex(chosen)
        self.list_choice.blockSignals(False)
        self._list_changed()
