"""Every sentence a widget shows, gathered so a test can ask whether each was translated.

Under the pseudo language (omnidesk.i18n.PSEUDO) every sentence that went through
gettext reads ⟦…⟧; what a window shows without brackets never did.

What is gathered: titles, tooltips and accessible names; the text of labels, buttons,
group boxes, tabs, placeholders, spin boxes' prefixes and suffixes, a progress bar's
text, the status bar's message; every choice of a combo box; the headings and the
cells (their text and tooltip) of a table or a tree, the first rows of each; every
action of a widget, its menus' included even while they are closed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStatusBar,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QWidget,
)

TAGS = re.compile(r"<[^>]+>")
BRACKETED = re.compile(r"⟦[^⟦⟧]*⟧")
LETTERS = re.compile(r"[^\W\d_]{2,}")  # a word: two letters or more ("x", "pk 4" are not)
ROWS_READ = 50  # of each table: its first rows say whether its cells are translated

Index = QModelIndex | QPersistentModelIndex


def _columns(model: QAbstractItemModel, parent: Index | None = None) -> int:
    try:
        return model.columnCount(parent if parent is not None else QModelIndex())
    except TypeError:  # a list widget's model keeps it private: one column
        return 1


def _cells(model: QAbstractItemModel, parent: Index, depth: int = 0) -> Iterator[tuple[str, str]]:
    for row in range(min(model.rowCount(parent), ROWS_READ)):
        for column in range(_columns(model, parent)):
            index = model.index(row, column, parent)
            for role, what in (
                (Qt.ItemDataRole.DisplayRole, "cell"),
                (Qt.ItemDataRole.ToolTipRole, "cell tooltip"),
            ):
                value = index.data(role)
                if isinstance(value, str):
                    yield what, value
        first = model.index(row, 0, parent)
        if depth < 2 and model.rowCount(first) > 0:
            yield from _cells(model, first, depth + 1)


def _actions(widget: QWidget, where: str) -> Iterator[tuple[str, str]]:
    for action in widget.actions():
        yield f"{where} action", action.text()
        if action.toolTip() != action.text().replace("&", ""):  # Qt's own default
            yield f"{where} action tooltip", action.toolTip()


def _qt_own(button: QAbstractButton) -> bool:
    """A standard button of a button box (or a message box) showing Qt's own text."""
    box = button.parent()
    while box is not None and not isinstance(box, QDialogButtonBox):
        box = box.parent()
    if not isinstance(box, QDialogButtonBox) or not isinstance(button, QPushButton):
        return False
    standard = box.standardButton(button)
    if standard == QDialogButtonBox.StandardButton.NoButton:
        return False
    plain = QDialogButtonBox(standard)
    own = plain.button(standard)
    same = own is not None and own.text() == button.text()
    plain.deleteLater()
    return same


def shown(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for each piece of text ``root`` and its visible children show."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        where = f"{type(widget).__name__} {widget.objectName() or ''}".strip()
        if isinstance(widget, QMenu):  # closed, it is hidden; its words are there all the same
            yield f"{where} menu", widget.title()
            yield from _actions(widget, where)
            continue
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if widget.isWindow() or isinstance(widget, QToolBar):
            yield f"{where} title", widget.windowTitle()
        yield f"{where} tooltip", widget.toolTip()
        yield f"{where} accessible name", widget.accessibleName()
        if isinstance(widget, QAbstractButton) and _qt_own(widget):
            pass  # Qt's own word (OK, Cancel): its catalogue translates it (ui/translations.py)
        elif isinstance(widget, QLabel | QAbstractButton):
            yield where, widget.text()
        elif isinstance(widget, QGroupBox):
            yield where, widget.title()
        elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            yield f"{where} placeholder", widget.placeholderText()
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                yield f"{where} tab", widget.tabText(index)
        elif isinstance(widget, QComboBox):
            for index in range(widget.count()):
                yield f"{where} choice", widget.itemText(index)
        elif isinstance(widget, QAbstractSpinBox):
            yield f"{where} special value", widget.specialValueText()
            if isinstance(widget, QSpinBox):
                yield f"{where} prefix", widget.prefix()
                yield f"{where} suffix", widget.suffix()
        elif isinstance(widget, QProgressBar) and widget.isTextVisible():
            yield f"{where} text", widget.text()
        elif isinstance(widget, QStatusBar):
            yield f"{where} message", widget.currentMessage()
        elif isinstance(widget, QHeaderView):
            pass  # its table says its headings
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for column in range(_columns(model)):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    heading = model.headerData(column, Qt.Orientation.Horizontal, role)
                    yield f"{where} heading", str(heading or "")
            for what, text in _cells(model, QModelIndex()):
                yield f"{where} {what}", text
        yield from _actions(widget, where)


def untranslated(root: QWidget, data: Iterable[str] = ()) -> list[str]:
    """The texts ``root`` shows that hold a word outside ⟦…⟧ and outside ``data``
    (the names, files and addresses the test itself put on screen)."""
    allowed = sorted({value for value in data if value}, key=len, reverse=True)
    found = []
    for where, text in shown(root):
        rest = TAGS.sub(" ", text)
        while (inner := BRACKETED.sub(" ", rest)) != rest:  # innermost first: ⟦a ⟦b⟧ c⟧
            rest = inner
        for value in allowed:
            rest = rest.replace(value, " ")
        if LETTERS.search(rest):
            found.append(f"{where}: {text!r}")
    return sorted(set(found))


def assert_translated(root: QWidget, data: Iterable[str] = ()) -> None:
    """Fails naming every text of ``root`` that went around gettext, one a line."""
    found = untranslated(root, data)
    if found:
        pytest.fail("shown untranslated:\n" + "\n".join(found), pytrace=False)
