"""A list's prices or stocks as a grid: each product's name beside its SKU, edits staged in
place, and the filter by a part of a SKU or by a pasted list of SKUs.

An edited cell shows its new value, marked, until the edits are reviewed and sent
(imports/editing.py) or discarded; the edits live in the journal (imports/staged.py),
so a new window on the same journal shows them again.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QLocale, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from omnidesk.api import AnyContents, OmnitronError
from omnidesk.i18n import _
from omnidesk.imports.editing import CellChecks, editable_fields
from omnidesk.imports.exporting import NAME_FIELD
from omnidesk.imports.staged import EditedList, StagedEdit, StagedEdits
from omnidesk.imports.undo import canonical, same_text
from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import ValueKind, schema_for

from .formatting import local_decimal, local_integer
from .paged_model import SORT_ROLE, AnyIndex, Column, PagedTableModel, ServerSortProxy
from .style import Tone
from .table_models import problem_colour
from .tasks import BackgroundTasks

LookUpNames = Callable[[list[str]], Awaitable[dict[str, str]]]
Cell = tuple[int, str, str]  # (row of the model, field, text to check)
_COLOUR_ROLES = (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole)
NAMES_PAUSE = 0.25  # seconds: pages arriving within this of the first are named with it


def shown(kind: ListKind, field: str, text: str) -> str:
    """An edited value as the column shows the list's own values."""
    value_type = schema_for(kind).field(field).type
    if value_type in (ValueKind.MONEY, ValueKind.PERCENT):
        return local_decimal(Decimal(text))
    if value_type is ValueKind.WHOLE:
        return local_integer(int(text))
    return text.upper() if field == "currency_type" else text


class ContentsModel(PagedTableModel[AnyContents]):
    refused = Signal(str)  # values that could not be staged, in the checker's words
    stagedChanged = Signal()  # edits were staged, sent back, reverted or discarded

    def __init__(
        self,
        kind: ListKind,
        columns: Sequence[Column[Any]],
        tasks: BackgroundTasks,
        *,
        page_size: int = 200,
        look_up_names: LookUpNames | None = None,
    ) -> None:
        super().__init__(columns, tasks, page_size=page_size)
        self.kind = kind
        self.names: dict[str, str] = {}
        self.staged: dict[tuple[str, str], StagedEdit] = {}
        self.store: StagedEdits | None = None
        self.where: EditedList | None = None
        self.editable = frozenset(editable_fields(kind))
        decimal_comma = QLocale().decimalPoint() == ","
        self.typed = CellChecks(kind, decimal_comma=decimal_comma)  # what a person types
        self.plain = CellChecks(kind, decimal_comma=False)  # what OmniDesk computed
        self._look_up = look_up_names
        self._name_column = next(
            (i for i, c in enumerate(self.columns) if c.field == NAME_FIELD), None
        )
        self._nameless: set[str] = set()
        self._naming: asyncio.Task[None] | None = None
        self.rowsInserted.connect(self._names_for_new_rows)

    # -- names ------------------------------------------------------------------------------------

    def _names_for_new_rows(self, parent: QModelIndex, first: int, last: int) -> None:
        if self._look_up is None or self._name_column is None:
            return
        self._nameless |= {
            sku for row in self.rows[first : last + 1] if (sku := row.product_sku)
        } - self.names.keys()
        if self._nameless and (self._naming is None or self._naming.done()):
            self._naming = self.tasks.start(self._names())

    async def _names(self) -> None:
        assert self._look_up is not None
        assert self._name_column is not None
        while self._nameless:
            # Pages loading one after another (a filter, an export) are named in one go.
            await asyncio.sleep(NAMES_PAUSE)
            skus, self._nameless = sorted(self._nameless), set()
            try:
                found = await self._look_up(skus)
            except OmnitronError:
                return  # the names are a help; the grid works without them
            self.names.update(found)  # by SKU: still right after a reload
            if self.rows:
                column = self._name_column
                self.dataChanged.emit(self.index(0, column), self.index(len(self.rows) - 1, column))

    # -- which list's edits -----------------------------------------------------------------------

    def edit_list(self, store: StagedEdits | None, where: EditedList | None) -> None:
        """Show (and stage) the edits of this list; None: a grid that cannot be edited."""
        self.store, self.where = store, where
        self.reload_staged()

    def reload_staged(self) -> None:
        before = self.staged
        self.staged = self.store.edits(self.where) if self.store and self.where is not None else {}
        if (before or self.staged) and self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1)
            )
        self.stagedChanged.emit()

    # -- values -----------------------------------------------------------------------------------

    def field_of(self, column: int) -> str | None:
        return self.columns[column].field if 0 <= column < len(self.columns) else None

    def can_edit(self, row: int, column: int) -> bool:
        field = self.field_of(column)
        return (
            self.store is not None
            and field in self.editable
            and 0 <= row < len(self.rows)
            and bool(self.rows[row].product_sku)
        )

    def server_text(self, row: AnyContents, field: str) -> str:
        """The list's own value, as an upload file writes it ("" for none)."""
        value = getattr(row, field)
        return "" if value is None else canonical(self.kind, field, str(value))

    def current_text(self, row: int, field: str) -> str:
        """The value the cell shows: the staged edit's, else the list's own."""
        contents = self.rows[row]
        edit = self.staged.get((contents.product_sku or "", field))
        return edit.value if edit is not None else self.server_text(contents, field)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, field = self.rows[index.row()], self.field_of(index.column())
        sku = row.product_sku or ""
        if field == NAME_FIELD and role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            name = self.names.get(sku, "")
            return name if role == Qt.ItemDataRole.DisplayRole else name.casefold()
        edit = self.staged.get((sku, field)) if field is not None else None
        if edit is not None:
            assert field is not None
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return shown(self.kind, field, edit.value)
            if role in _COLOUR_ROLES:
                return problem_colour(Tone.ERROR if edit.problem else Tone.STAGED, role)
            if role == Qt.ItemDataRole.FontRole:  # marked by more than a colour
                bold = QFont()
                bold.setBold(True)
                return bold
            if role == Qt.ItemDataRole.ToolTipRole:
                was = self.columns[index.column()].text(row) or "—"
                if edit.sent_in is not None:
                    words = _("Sent; the server is importing it. Was: {value}")
                else:
                    words = _("Not sent yet. In the list now: {value}")
                words = words.format(value=was)
                return f"{edit.problem}\n{words}" if edit.problem else words
        if role == Qt.ItemDataRole.EditRole:
            return super().data(index, Qt.ItemDataRole.DisplayRole)
        return super().data(index, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.can_edit(index.row(), index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        field = self.field_of(index.column())
        if field is None:
            return False
        return self.stage([(index.row(), field, str(value))], typed=True)

    # -- staging ----------------------------------------------------------------------------------

    def stage(self, cells: Iterable[Cell], *, typed: bool) -> bool:
        """Check every cell, then stage them all, or none when one cannot be (``refused``
        says which and why). ``typed``: the person's text, read in their locale."""
        checks = self.typed if typed else self.plain
        edits: list[StagedEdit] = []
        changed: list[tuple[int, int]] = []
        columns = {c.field: i for i, c in enumerate(self.columns) if c.field}
        for row, field, text in cells:
            if not self.can_edit(row, columns[field]):
                continue
            value, problem = checks.check(field, text)
            contents = self.rows[row]
            if problem is not None:
                self.refused.emit(
                    _("{sku}: {problem} Nothing was changed.").format(
                        sku=contents.product_sku, problem=problem
                    )
                )
                return False
            assert value is not None
            sku = contents.product_sku or ""
            now = self.server_text(contents, field)
            original: str | None = now
            if same_text(field, value, now or None):
                value = now  # back to the list's own: the store forgets the edit
            else:
                # An edit of an edit keeps what the first was made against: the review can
                # then tell a value someone changed on the server meanwhile.
                earlier = self.staged.get((sku, field))
                if earlier is not None and earlier.original != value:
                    original = earlier.original
            edits.append(StagedEdit(sku, field, value, original))
            changed.append((row, columns[field]))
        if not edits or self.store is None or self.where is None:
            return bool(edits)
        self.store.stage(self.where, edits)
        for edit in edits:
            key = (edit.sku, edit.field)
            if edit.value == edit.original:
                self.staged.pop(key, None)
            else:
                self.staged[key] = edit
        self._changed(changed)
        return True

    def revert_cells(self, cells: Iterable[tuple[int, int]]) -> None:
        """The list's own values back in these (row, column) cells."""
        keys, changed = [], []
        for row, column in cells:
            field = self.field_of(column)
            key = (self.rows[row].product_sku or "", field or "")
            edit = self.staged.get(key)
            if edit is not None and edit.sent_in is None:  # one on its way stays as sent
                keys.append(key)
                changed.append((row, column))
        if not keys or self.store is None or self.where is None:
            return
        self.store.revert(self.where, keys)
        for key in keys:
            self.staged.pop(key, None)
        self._changed(changed)

    def discard_all(self) -> None:
        if self.store is not None and self.where is not None:
            self.store.discard(self.where)
        self.reload_staged()

    def _changed(self, cells: list[tuple[int, int]]) -> None:
        if cells:
            rows = [row for row, _ in cells]
            columns = [column for _, column in cells]
            self.dataChanged.emit(
                self.index(min(rows), min(columns)), self.index(max(rows), max(columns))
            )
        self.stagedChanged.emit()


_SEPARATORS = re.compile(r"[\s,;]+")


class ContentsProxy(ServerSortProxy):
    """Sorted as the server-sort proxy sorts, and filtered by SKU: a part of one (any
    case), or a pasted list of them (exact)."""

    def __init__(self, source: ContentsModel, parent: Any = None) -> None:
        super().__init__(source, parent)
        self.contents = source
        self.part: str | None = None
        self.listed: frozenset[str] | None = None

    def filter_text(self, text: str) -> None:
        """One word: SKUs containing it; several (a pasted column, commas): exactly those."""
        words = [w for w in _SEPARATORS.split(text.strip()) if w]
        self.beginFilterChange()
        self.part = words[0].casefold() if len(words) == 1 else None
        self.listed = frozenset(words) if len(words) > 1 else None
        self.endFilterChange(ServerSortProxy.Direction.Rows)

    @property
    def filtering(self) -> bool:
        return self.part is not None or self.listed is not None

    def missing(self) -> list[str]:
        """The pasted SKUs the list does not have (once every row is loaded)."""
        if self.listed is None:
            return []
        present = {row.product_sku for row in self.contents.rows}
        return sorted(self.listed - present)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self.part is None and self.listed is None:
            return True
        sku = self.contents.rows[source_row].product_sku or ""
        if self.listed is not None:
            return sku in self.listed
        assert self.part is not None
        return self.part in sku.casefold()
