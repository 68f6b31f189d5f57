"""Help ▸ Keyboard shortcuts: every key the window answers, read from the window itself.

The menus' actions are listed with the shortcuts they really have (a shortcut
added to an action shows up here by itself); the keys a table or a date field
handles are listed from the tables beside the code that handles them
(widgets.TABLE_KEYS, date_bound.DATE_KEYS).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from omnidesk.i18n import _

from .date_bound import DATE_KEYS
from .widgets import TABLE_KEYS

Row = tuple[str, str]  # (keys, what they do)
KeyName = QKeySequence.StandardKey | str


def words_of(action: QAction) -> str:
    """An action's text as a sentence: no mnemonic ampersand, no trailing ellipsis."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")


def keys_text(sequences: Iterable[QKeySequence]) -> str:
    native = QKeySequence.SequenceFormat.NativeText
    return _(" or ").join(s.toString(native) for s in sequences if not s.isEmpty())


def _key(name: KeyName) -> str:
    sequence = QKeySequence(name)
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def menu_rows(menu: QMenu) -> list[Row]:
    rows: list[Row] = []
    for action in menu.actions():
        if action.menu() is not None:
            rows += menu_rows(action.menu())  # type: ignore[arg-type]
        elif action.shortcuts():
            rows.append((keys_text(action.shortcuts()), words_of(action)))
    return rows


def sections(window: QMainWindow) -> list[tuple[str, list[Row]]]:
    """(heading, rows): one section per menu, then the window's own keys, tables, dates."""
    found: list[tuple[str, list[Row]]] = []
    for entry in window.menuBar().actions():
        menu = entry.menu()
        if isinstance(menu, QMenu) and (rows := menu_rows(menu)):
            found.append((words_of(entry), rows))
    own = [(keys_text(a.shortcuts()), words_of(a)) for a in window.actions() if a.shortcuts()]
    if own:
        found.append((_("Anywhere in the window"), own))
    found.append((_("In a table"), [(_key(key), _(words)) for key, words in TABLE_KEYS]))
    found.append((_("In a date field"), [(_key(key), _(words)) for key, words in DATE_KEYS]))
    return found


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle(_("Keyboard shortcuts"))
        self.resize(560, 520)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(_("Keyboard shortcuts"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([_("Keys"), _("What they do")])
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for heading, rows in sections(window):
            group = QTreeWidgetItem([heading])
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            for keys, words in rows:
                group.addChild(QTreeWidgetItem([keys, words]))
            group.setExpanded(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str, str]]:
        """(section, keys, what they do) as listed, for whoever checks the dialog."""
        listed = []
        for group_index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(group_index)
            assert group is not None
            for child_index in range(group.childCount()):
                child = group.child(child_index)
                assert child is not None
                listed.append((group.text(0), child.text(0), child.text(1)))
        return listed
