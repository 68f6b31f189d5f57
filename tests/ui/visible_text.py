"""Every sentence a widget shows, gathered so a test can ask whether each was translated.

Under the pseudo language (omnidesk.i18n.PSEUDO) every sentence that went through
gettext reads ⟦…⟧; what a window shows without brackets never did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

TAGS = re.compile(r"<[^>]+>")
BRACKETED = re.compile(r"⟦[^⟦⟧]*⟧")
LETTERS = re.compile(r"[^\W\d_]{2,}")  # a word: two letters or more ("x", "pk 4" are not)


def shown(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for each piece of text ``root`` and its visible children show."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        where = f"{type(widget).__name__} {widget.objectName() or ''}".strip()
        if widget.isWindow():
            yield f"{where} title", widget.windowTitle()
        yield f"{where} tooltip", widget.toolTip()
        yield f"{where} accessible name", widget.accessibleName()
        if isinstance(widget, QLabel | QAbstractButton):
            yield where, widget.text()
        elif isinstance(widget, QGroupBox):
            yield where, widget.title()
        elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            yield f"{where} placeholder", widget.placeholderText()
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                yield f"{where} tab", widget.tabText(index)
        elif isinstance(widget, QComboBox):
            yield f"{where} choice", widget.currentText()
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for column in range(model.columnCount()):
                heading = model.headerData(column, Qt.Orientation.Horizontal)
                yield f"{where} heading", str(heading or "")
        for action in widget.actions():
            yield f"{where} action", action.text()
            if action.toolTip() != action.text().replace("&", ""):  # Qt's own default
                yield f"{where} action tooltip", action.toolTip()
        if isinstance(widget, QMenu):
            yield f"{where} menu", widget.title()


def untranslated(root: QWidget, data: Iterable[str] = ()) -> list[str]:
    """The texts ``root`` shows that hold a word outside ⟦…⟧ and outside ``data``
    (the names, files and addresses the test itself put on screen)."""
    allowed = sorted(data, key=len, reverse=True)
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
