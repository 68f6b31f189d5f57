"""A server that ignores the order asked for (V2): the rows are sorted here, never under a
sort arrow they do not follow, and the person is told why."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from omnidesk.kinds import ListKind
from omnidesk.sandbox import Dialect
from omnidesk.ui.list_pane import ListPane
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.paged_model import LoadState

from .conftest import watch_model


def shown(pane: ListPane, column: int) -> list[Any]:
    proxy = pane.proxy
    return [proxy.index(row, column).data(proxy.sortRole()) for row in range(proxy.rowCount())]


def follows_the_arrow(pane: ListPane) -> bool:
    header = pane.table.horizontalHeader()
    keys = shown(pane, header.sortIndicatorSection())
    descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    return keys == sorted(keys, reverse=descending)


def test_a_server_that_does_not_sort_gets_its_rows_sorted_here_and_no_false_arrow(
    qtbot: QtBot,
    window: MainWindow,
    dialect: Dialect,
) -> None:
    pane = window.panes[ListKind.PRICE]
    watch_model(pane.proxy)
    header = pane.table.horizontalHeader()
    qtbot.waitUntil(lambda: pane.model.state is LoadState.LOADED and pane.model.rowCount() > 0)
    assert header.isSortIndicatorShown()
    assert not pane.sort_note.isVisibleTo(pane)

    dialect.variant("V2-ignored")
    false_arrows: list[list[Any]] = []

    def look() -> None:
        if header.isSortIndicatorShown() and not follows_the_arrow(pane):
            false_arrows.append(shown(pane, header.sortIndicatorSection()))

    for signal in (pane.model.rowsInserted, pane.proxy.layoutChanged, pane.proxy.modelReset):
        signal.connect(look)
    pane.proxy.orderStateChanged.connect(look)

    pane.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # Code: a column the server has
    qtbot.waitUntil(lambda: pane.proxy.rows_in_order and pane.proxy.sortColumn() == 1)
    assert pane.model.fully_loaded
    assert header.isSortIndicatorShown()
    assert follows_the_arrow(pane)
    codes = [code for code in shown(pane, 1) if code]
    assert codes == sorted(codes, reverse=True)
    assert len(set(codes)) > 5
    assert pane.sort_note.isVisibleTo(pane)
    assert pane.sort_note.text() == (
        "The server does not sort by “Code”: the rows are sorted here once all are loaded."
    )
    assert false_arrows == []

    # The same order asked for again: the rows at hand are sorted here again.
    pane.proxy.sort(1, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: pane.proxy.rows_in_order and pane.proxy.sortColumn() == 1)
    assert follows_the_arrow(pane)

    # F5 on such a server sorts the fresh rows here again.
    window._refresh()
    qtbot.waitUntil(lambda: pane.model.state is LoadState.LOADED and pane.proxy.rows_in_order)
    qtbot.waitUntil(lambda: pane.model.fully_loaded and follows_the_arrow(pane))
    assert false_arrows == []

    # A server that sorts again is left to sort, and the note goes.
    dialect.reset()
    pane.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(
        lambda: (
            pane.model.state is LoadState.LOADED
            and pane.model.ordering == "name"
            and pane.model.rowCount() > 0
        )
    )
    assert pane.proxy.sortColumn() == -1  # the server's order, as it came
    assert not pane.sort_note.isVisibleTo(pane)
    assert header.isSortIndicatorShown()
    assert false_arrows == []
