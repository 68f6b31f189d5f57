"""Editing a list's contents in its grid: typing, pasting a block from Excel, filling down,
and a rule over the selected cells. Every value goes through the contents model, which
checks it as the import checks a cell and stages it (contents_model.py); nothing is
sent from here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from omnidesk import i18n
from omnidesk.i18n import _, n_
from omnidesk.imports.editing import Rule, RuleKind, apply_rule, parse_percent, rule_applies

from .contents_model import Cell, ContentsModel, ContentsProxy
from .formatting import local_decimal, local_integer
from .style import Tone, mark
from .tasks import BackgroundTasks
from .widgets import DataTable


class EditableTable(DataTable):
    """The contents' table: cells selected one by one, typed into, pasted on, filled down."""

    pasteRequested = Signal(str)  # the clipboard's text
    fillDownRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.pasteRequested.emit(QGuiApplication.clipboard().text())
            return
        if event.key() == Qt.Key.Key_D and event.modifiers() == Qt.KeyboardModifier.ControlModifier:
            self.fillDownRequested.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.edit(self.currentIndex())  # Enter edits here; it opens nothing
            return
        super().keyPressEvent(event)


def tab_separated(text: str) -> list[list[str]]:
    """A block copied from a spreadsheet: lines of tab-separated cells (the last line
    break a spreadsheet adds left out)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.split("\t") for line in lines]


class GridEditor:
    """What the person does to the selected cells of one contents table."""

    def __init__(
        self,
        table: EditableTable,
        model: ContentsModel,
        proxy: ContentsProxy,
        tasks: BackgroundTasks,
        say: Callable[[str, Tone | None], None],
    ) -> None:
        self.table, self.model, self.proxy, self.tasks = table, model, proxy, tasks
        self.say = say  # a line under the table, in a tone (None: a plain note)
        table.pasteRequested.connect(lambda text: tasks.start(self.paste(text)))
        table.fillDownRequested.connect(self.fill_down)
        self.revert_action = QAction(_("Put back the list's values in the selected cells"), table)
        self.revert_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.revert_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.revert_action.triggered.connect(self.revert_selected)
        self.fill_action = QAction(_("Fill down"), table)
        self.fill_action.setShortcut(QKeySequence("Ctrl+D"))
        self.fill_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.fill_action.triggered.connect(self.fill_down)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        table.addActions([self.fill_action, self.revert_action])

    def _source(self, index: QModelIndex) -> tuple[int, int]:
        source = self.proxy.mapToSource(index)
        return source.row(), source.column()

    def selected(self) -> list[QModelIndex]:
        selection = self.table.selectionModel()
        indexes = selection.selectedIndexes() if selection is not None else []
        return sorted(indexes, key=lambda i: (i.row(), i.column()))

    def _stage(self, cells: list[Cell], *, typed: bool, words: str) -> bool:
        if not cells:
            self.say(_("None of the selected cells can be changed that way."), Tone.WARNING)
            return False
        if self.model.stage(cells, typed=typed):
            self.say(words, None)
            return True
        return False  # the model said why (refused)

    # -- paste ------------------------------------------------------------------------------------

    async def paste(self, text: str) -> bool:
        """A block from a spreadsheet, from the current cell right and down; one value on a
        selection of several cells goes into each of them."""
        block = tab_separated(text)
        if not block:
            return False
        selected = self.selected()
        if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:
            every = [self._cell(index, block[0][0]) for index in selected]
            found = [cell for cell in every if cell is not None]
            return self._stage(found, typed=True, words=_pasted(len(found)))
        start = selected[0] if selected else self.table.currentIndex()
        if not start.isValid():
            return False
        if self.proxy.rowCount() < start.row() + len(block) and not self.model.fully_loaded:
            await self.model.load_all()  # rows further down are still on the server
        cells: list[Cell] = []
        outside = fixed = 0
        for i, line in enumerate(block):
            for j, text_ in enumerate(line):
                index = self.proxy.index(start.row() + i, start.column() + j)
                if not index.isValid():
                    outside += 1
                    continue
                cell = self._cell(index, text_)
                if cell is None:
                    fixed += 1
                else:
                    cells.append(cell)
        words = _pasted(len(cells))
        if outside:
            words += " " + n_(
                "{count} pasted value fell outside the table and was left out.",
                "{count} pasted values fell outside the table and were left out.",
                outside,
            ).format(count=local_integer(outside))
        if fixed:
            words += " " + n_(
                "{count} fell on a column that cannot be edited (SKU, product) and was left out.",
                "{count} fell on columns that cannot be edited (SKU, product) and were left out.",
                fixed,
            ).format(count=local_integer(fixed))
        return self._stage(cells, typed=True, words=words)

    def _cell(self, index: QModelIndex, text: str) -> Cell | None:
        row, column = self._source(index)
        field = self.model.field_of(column)
        if field is None or not self.model.can_edit(row, column):
            return None
        return (row, field, text)

    # -- fill down, revert, rules -----------------------------------------------------------------

    def fill_down(self) -> bool:
        """Each selected column takes the value of its first selected cell (Excel's Ctrl+D)."""
        by_column: dict[int, list[QModelIndex]] = {}
        for index in self.selected():
            by_column.setdefault(index.column(), []).append(index)
        cells: list[Cell] = []
        for indexes in by_column.values():
            row, column = self._source(indexes[0])
            field = self.model.field_of(column)
            if field is None or not self.model.can_edit(row, column) or len(indexes) < 2:
                continue
            value = self.model.current_text(row, field)
            cells += [(self._source(i)[0], field, value) for i in indexes[1:]]
        return self._stage(cells, typed=False, words=_filled(len(cells)))

    def revert_selected(self) -> None:
        self.model.revert_cells(self._source(index) for index in self.selected())

    def apply(self, rule: Rule) -> bool:
        """The rule on every selected cell it fits; all of them, or none if one would be wrong."""
        cells: list[Cell] = []
        for index in self.selected():
            row, column = self._source(index)
            field = self.model.field_of(column)
            if (
                field is None
                or not self.model.can_edit(row, column)
                or not rule_applies(rule, self.model.kind, field)
            ):
                continue
            text = apply_rule(rule, self.model.kind, field, self.model.current_text(row, field))
            if text is not None:
                cells.append((row, field, text))
        return self._stage(cells, typed=rule.kind is RuleKind.SET, words=_changed(len(cells)))


def _pasted(count: int) -> str:
    return n_(
        "{count} value pasted; not sent until you review it.",
        "{count} values pasted; not sent until you review them.",
        count,
    ).format(count=local_integer(count))


def _filled(count: int) -> str:
    return n_("{count} cell filled down.", "{count} cells filled down.", count).format(
        count=local_integer(count)
    )


def _changed(count: int) -> str:
    return n_(
        "{count} cell changed by the rule; not sent until you review it.",
        "{count} cells changed by the rule; not sent until you review them.",
        count,
    ).format(count=local_integer(count))


class RuleDialog(QDialog):
    """A rule for the selected cells: by a percentage, set to a value, or round to ,99."""

    chosen = Signal(object)  # a Rule

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Change the selected cells"))
        self.kind = QComboBox()
        self.kind.addItem(_("Raise or cut by a percentage"), RuleKind.CHANGE.value)
        self.kind.addItem(_("Set to"), RuleKind.SET.value)
        self.kind.addItem(_("Round to ,99 (the nearest)"), RuleKind.ROUND_99.value)
        self.value = QLineEdit()
        self.value.setPlaceholderText(_("+5 %  or  −10 %"))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        mark(self.problem, Tone.ERROR)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Rule"), self.kind)
        form.addRow(_("Value"), self.value)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                n_(
                    "For the {count} selected cell. Each new value is checked as an import "
                    "would check it, and nothing is sent until you review the changes.",
                    "For the {count} selected cells. Each new value is checked as an import "
                    "would check it, and nothing is sent until you review the changes.",
                    count,
                ).format(count=local_integer(count))
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = RuleKind(self.kind.currentData())
        self.value.setEnabled(kind is not RuleKind.ROUND_99)
        self.value.setPlaceholderText(
            {
                RuleKind.CHANGE: _("+5 %  or  −10 %"),
                RuleKind.SET: _("e.g. {amount}").format(amount=local_decimal(Decimal("1299.90"))),
            }.get(kind, "")
        )
        examples = [local_decimal(Decimal(value)) for value in ("12.34", "11.99", "12.60", "12.99")]
        self.hint.setText(
            _("{first} becomes {rounded} and {second} becomes {second_rounded}.").format(
                first=examples[0],
                rounded=examples[1],
                second=examples[2],
                second_rounded=examples[3],
            )
            if kind is RuleKind.ROUND_99
            else ""
        )
        self.problem.setText("")

    def rule(self) -> Rule | None:
        kind = RuleKind(self.kind.currentData())
        if kind is RuleKind.CHANGE:
            percent = parse_percent(self.value.text())
            if percent is None:
                self.problem.setText(
                    _("Write the change with its sign: {rise} or {cut}.").format(
                        rise="+" + i18n.percent(5), cut="−" + i18n.percent(10)
                    )
                )
                return None
            if percent <= -100:
                self.problem.setText(
                    _("A cut of {share} or more leaves nothing to sell for.").format(
                        share=i18n.percent(100)
                    )
                )
                return None
            return Rule(kind, percent=percent)
        if kind is RuleKind.SET:
            if not self.value.text().strip():
                self.problem.setText(_("Write the value to set."))
                return None
            return Rule(kind, text=self.value.text())
        return Rule(kind, percent=Decimal(0))

    def _accept(self) -> None:
        rule = self.rule()
        if rule is not None:
            self.chosen.emit(rule)
            self.accept()
