"""On the changes page of a file OmniDesk made: what else the person must know about it.

An undo says what no import can undo (the products the import added, values it filled
in) and shows the rows someone changed after the import, with the choice to keep their
newer values (the default) or put the old ones back. A grid's edits say which edited
values someone changed on the server meanwhile.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout

from omnidesk.i18n import N_, _, n_
from omnidesk.imports import ImportDraft
from omnidesk.imports.editing import EditsDraft
from omnidesk.imports.undo import ChangedAgain, UndoDraft, named
from omnidesk.kinds import ListKind

from ..contents_model import shown
from ..style import Tone, mark
from ..table_models import RIGHT, AnyIndex, FixedColumnsModel
from ..widgets import DataTable
from .models import EMPTY, FIELD_WORDS

if TYPE_CHECKING:
    from .wizard import ImportWizard

NAMED = 12  # SKUs named in a sentence before "and N more"


def _values(kind: ListKind, values: dict[str, str]) -> str:
    """'price 1,709.99 · tax 20': as the changes table below says them."""
    return (
        " · ".join(
            f"{_(FIELD_WORDS[name]) if name in FIELD_WORDS else name} "
            f"{shown(kind, name, value) if value else EMPTY}"
            for name, value in values.items()
        )
        or EMPTY
    )


class ChangedAgainModel(FixedColumnsModel):
    COLUMNS = (N_("Row"), N_("SKU"), N_("The import set"), N_("Now"), N_("The undo would put back"))
    ROW = 0

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[ChangedAgain] = []
        self.kind = ListKind.PRICE

    def show_rows(self, kind: ListKind, rows: list[ChangedAgain]) -> None:
        self.beginResetModel()
        self.kind, self.rows = kind, list(rows)
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self.rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            kind = self.kind
            now = _values(kind, row.now) if row.now else _("no longer in the list")
            after, before = _values(kind, row.after), _values(kind, row.before)
            return (str(row.row), row.sku, after, now, before)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return RIGHT
        return None


class MadeFileBox(QGroupBox):
    KEEP, PUT_BACK = "keep", "put back"

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setObjectName("madeFileBox")
        # Weakly, as the pages hold it (pages.py): a cycle would outlive the wizard.
        self._wizard = weakref.ref(wizard)
        self.cannot = QLabel()
        self.cannot.setObjectName("undoCannot")
        self.cannot.setWordWrap(True)
        self.again = QLabel()
        self.again.setObjectName("changedAgain")
        self.again.setWordWrap(True)
        mark(self.again, Tone.WARNING)
        self.choice = QComboBox()
        self.choice.addItem(_("keep the newer value"), self.KEEP)
        self.choice.addItem(_("put back the old one"), self.PUT_BACK)
        self.choice.currentIndexChanged.connect(self._chosen)
        self.rows = ChangedAgainModel(self)
        self.table = DataTable()
        self.table.setSortingEnabled(False)
        self.table.setModel(self.rows)
        for column, width in enumerate((50, 140, 160, 160)):
            self.table.setColumnWidth(column, width)
        # The row numbers are of the undo's file, which OmniDesk wrote and nobody saw.
        self.table.setColumnHidden(ChangedAgainModel.ROW, True)
        choice_row = QHBoxLayout()
        choice_row.addWidget(self.again, 1)
        choice_row.addWidget(self.choice)
        layout = QVBoxLayout(self)
        layout.addWidget(self.cannot)
        layout.addLayout(choice_row)
        layout.addWidget(self.table)
        self.hide()

    def show_for(self, draft: ImportDraft | None) -> None:
        if isinstance(draft, UndoDraft):
            self._undo(draft)
        elif isinstance(draft, EditsDraft) and draft.changed_since:
            self._edits(draft)
        else:
            self.hide()

    def _undo(self, draft: UndoDraft) -> None:
        facts, record = draft.facts, draft.undo.record
        self.setTitle(
            _("Undo of import {number}: {file} → {list}").format(
                number=record.id, file=record.file_name, list=record.list_name
            )
        )
        said = []
        if facts.created:
            said.append(
                n_(
                    "The import added {count} product to the list, and an import cannot remove "
                    "it; it stays (remove it in Omnitron if it should go): {skus}.",
                    "The import added {count} products to the list, and an import cannot "
                    "remove them; they stay (remove them in Omnitron if they should go): {skus}.",
                    len(facts.created),
                ).format(count=len(facts.created), skus=named(facts.created, NAMED))
            )
        if facts.emptied:
            cells = [f"{sku} ({name})" for sku, name in facts.emptied]
            said.append(
                n_(
                    "{count} value the import filled in stays: an import cannot empty it: {cells}.",
                    "{count} values the import filled in stay: an import cannot empty them: "
                    "{cells}.",
                    len(cells),
                ).format(count=len(cells), cells=named(cells, NAMED))
            )
        self.cannot.setText(" ".join(said))
        self.cannot.setVisible(bool(said))
        again = facts.changed_again
        self.again.setText(
            n_(
                "{count} row was changed again after this import:",
                "{count} rows were changed again after this import:",
                len(again),
            ).format(count=len(again))
        )
        self.choice.blockSignals(True)
        self.choice.setCurrentIndex(1 if facts.put_back_all else 0)
        self.choice.blockSignals(False)
        self.rows.show_rows(draft.kind, again)
        self._fit_table(len(again))
        for widget in (self.again, self.choice, self.table):
            widget.setVisible(bool(again))
        self.setVisible(bool(said) or bool(again))

    def _fit_table(self, rows: int) -> None:
        """As tall as its rows, up to five (then it scrolls): one row changed again leaves
        the changes table below its room."""
        height = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
        height += min(max(rows, 1), 5) * self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(height)

    def _edits(self, draft: EditsDraft) -> None:
        self.setTitle(_("Changed on the server since you edited them"))
        since = draft.changed_since
        self.cannot.setText(
            n_(
                "{count} value you edited was changed on the server meanwhile; yours "
                "replaces it: {cells}.",
                "{count} values you edited were changed on the server meanwhile; yours "
                "replace them: {cells}.",
                len(since),
            ).format(
                count=len(since),
                cells=named(
                    [
                        f"{c.sku} {_values(draft.kind, {c.field: c.original})} → "
                        f"{_values(draft.kind, {c.field: c.now})}"
                        for c in since
                    ],
                    NAMED,
                ),
            )
        )
        self.cannot.show()
        for widget in (self.again, self.choice, self.table):
            widget.hide()
        self.show()

    def _chosen(self) -> None:
        wizard = self._wizard()
        draft = wizard.draft if wizard is not None else None
        if wizard is not None and isinstance(draft, UndoDraft):
            draft.choose_put_back(self.choice.currentData() == self.PUT_BACK)
            wizard.start_compare()
