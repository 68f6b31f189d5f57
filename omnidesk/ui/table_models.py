"""What the flat tables of the window share: a fixed-header model, and problem cells."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from omnidesk.i18n import _

from .style import Tone, brush, fill_text_brush

AnyIndex = QModelIndex | QPersistentModelIndex

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class FixedColumnsModel(QAbstractTableModel):
    """A flat table with a fixed header: subclasses give COLUMNS (marked with N_, shown in
    the language of the moment) and their rows' data."""

    COLUMNS: tuple[str, ...] = ()

    def _row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            # Titles are marked N_ where they are written, and translated when shown.
            return _(self.COLUMNS[section]) if 0 <= section < len(self.COLUMNS) else None
        return None


def problem_colour(tone: Tone | None, role: int) -> object:
    """A cell's fill and text for its tone (None: a plain cell), or None for other roles.

    Both or neither: a fill chosen for one scheme under the view's own text colour is
    unreadable in the other.
    """
    if tone is None:
        return None
    if role == Qt.ItemDataRole.BackgroundRole:
        return brush(tone)
    if role == Qt.ItemDataRole.ForegroundRole:
        return fill_text_brush()
    return None
