"""``painted``: the window shows what it holds before a worker starts on a large file."""

from __future__ import annotations

import asyncio

import shiboken6
from PySide6.QtGui import QPaintEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from omnidesk.ui.painting import painted
from tests.ui.conftest import Runner


class CountingView(QTableView):
    """A table that keeps what its rows were when it last painted."""

    def __init__(self) -> None:
        super().__init__()
        self.painted_rows: list[int] = []

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        self.painted_rows.append(model.rowCount() if model is not None else 0)


def test_the_rows_shown_are_painted_before_painted_returns(qtbot: QtBot, run: Runner) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    view = CountingView()
    QVBoxLayout(window).addWidget(view)
    model = QStandardItemModel(0, 2)
    view.setModel(model)
    window.show()
    qtbot.waitExposed(window)
    # The first rows of a file arrive: the view lays them out later, as it does.
    for number in range(30):
        model.appendRow([QStandardItem(f"SKU-{number}"), QStandardItem("10,50")])
    view.painted_rows.clear()

    async def paint_then_start_the_work() -> list[int]:
        await painted(view)
        return list(view.painted_rows)  # what was on screen when the work would start

    assert run(paint_then_start_the_work())[-1:] == [30]


def test_a_window_not_on_screen_is_not_waited_for(qtbot: QtBot, run: Runner) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    view = CountingView()
    QVBoxLayout(window).addWidget(view)

    async def paint_then_start_the_work() -> list[int]:
        await painted(view)  # never shown: nothing to wait for
        return list(view.painted_rows)

    assert run(paint_then_start_the_work()) == []


def test_a_window_closed_while_it_is_waited_for_ends_the_wait(qtbot: QtBot, run: Runner) -> None:
    window = QWidget()
    view = CountingView()
    QVBoxLayout(window).addWidget(view)
    window.show()
    qtbot.waitExposed(window)

    async def close_it_meanwhile() -> None:
        waiting = asyncio.ensure_future(painted(view))
        await asyncio.sleep(0)
        shiboken6.delete(window)  # the person closed the wizard: Qt deleted it
        await waiting  # no error about a deleted window

    run(close_it_meanwhile())
