"""The paged table model against the sandbox, checked by Qt's own model tester."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from omnidesk.api import Page, ProductPrice
from omnidesk.api.session import Session
from omnidesk.sandbox import Faults
from omnidesk.ui.columns import PRICE_LIST_COLUMNS, PRODUCT_PRICE_COLUMNS
from omnidesk.ui.paged_model import LoadState, PagedTableModel, ServerSortProxy
from omnidesk.ui.tasks import BackgroundTasks
from omnidesk.ui.widgets import DataTable

from .conftest import Runner, watch_model

PRICE = next(i for i, c in enumerate(PRODUCT_PRICE_COLUMNS) if c.field == "price")


def price_model(session: Session, tasks: BackgroundTasks, page_size: int = 500) -> Any:
    model: PagedTableModel[ProductPrice] = PagedTableModel(
        PRODUCT_PRICE_COLUMNS, tasks, page_size=page_size
    )

    def fetch(page: int, limit: int, ordering: str | None) -> Any:
        return session.run(lambda c: c.product_prices.list(4, page=page, limit=limit))

    return model, fetch


def loaded(model: PagedTableModel[Any]) -> bool:
    return model.state is LoadState.LOADED


@pytest.mark.timeout(180)
def test_model_passes_qt_model_tester_through_loads_sorts_and_reloads(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks
) -> None:
    model, fetch = price_model(session, tasks, page_size=300)
    proxy = ServerSortProxy(model)
    watch_model(model, proxy)
    model.set_query(fetch)
    qtbot.waitUntil(lambda: loaded(model) and model.rowCount() == 300)
    model.fetchMore()
    qtbot.waitUntil(lambda: loaded(model) and model.rowCount() == 600)
    proxy.sort(PRICE, Qt.SortOrder.DescendingOrder)  # sorted here, after loading all
    # Every page of 5,000 rows, each insertion checked whole by the model tester: about
    # 13 s on a quiet 2-core machine: a busy one gets ten times that (and the test too).
    qtbot.waitUntil(lambda: proxy.sortColumn() == PRICE, timeout=130_000)
    assert model.fully_loaded
    assert proxy.rowCount() == model.total
    shown = [model.row(proxy.mapToSource(proxy.index(r, 0)).row()).price for r in range(50)]
    assert shown == sorted(shown, reverse=True)
    model.reload()
    qtbot.waitUntil(lambda: loaded(model) and model.rowCount() == 300)


def test_scrolling_pages_through_to_the_last_row(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks
) -> None:
    model, fetch = price_model(session, tasks, page_size=400)
    table = DataTable()
    qtbot.addWidget(table)
    table.setModel(model)
    table.resize(600, 400)
    table.show()
    model.set_query(fetch)
    qtbot.waitUntil(lambda: model.rowCount() == 400)
    while not model.fully_loaded:
        rows_before = model.rowCount()
        table.scrollToBottom()  # the view asks for more, as when a person scrolls down
        qtbot.waitUntil(lambda n=rows_before: model.rowCount() > n or model.fully_loaded)
    ids = [row.id for row in model.rows]
    assert len(ids) == model.total
    assert len(set(ids)) == model.total
    assert model.total > 5000


def test_server_ordering_is_used_for_server_fields(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks
) -> None:
    model = PagedTableModel(PRICE_LIST_COLUMNS, tasks, ordering="name")
    proxy = ServerSortProxy(model)
    seen: list[str | None] = []

    def fetch(page: int, limit: int, ordering: str | None) -> Any:
        seen.append(ordering)
        return session.run(lambda c: c.price_lists.list(ordering=ordering, page=page, limit=limit))

    model.set_query(fetch)
    qtbot.waitUntil(lambda: loaded(model) and model.rowCount() > 0)
    proxy.sort(4, Qt.SortOrder.DescendingOrder)  # Created
    qtbot.waitUntil(lambda: loaded(model) and seen[-1] == "-created_date" and model.rowCount() > 0)
    created = [row.created_date for row in model.rows]
    assert created == sorted(created, reverse=True)
    shown = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert shown == [row.name for row in model.rows]  # the proxy keeps the server's order


def test_a_failed_page_keeps_the_rows_and_retry_continues(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks, faults: Faults
) -> None:
    model, fetch = price_model(session, tasks, page_size=100)
    model.set_query(fetch)
    qtbot.waitUntil(lambda: loaded(model) and model.rowCount() == 100)
    faults.fail_rate = 1.0
    model.fetchMore()
    qtbot.waitUntil(lambda: model.state is LoadState.FAILED)
    assert model.rowCount() == 100
    assert model.error
    assert not model.canFetchMore()  # no silent retry loop while the server is down
    faults.fail_rate = 0.0
    model.retry()
    qtbot.waitUntil(lambda: loaded(model) and model.rowCount() == 200)


def test_answers_for_an_old_query_are_dropped(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks, run: Runner, faults: Faults
) -> None:
    model: PagedTableModel[Any] = PagedTableModel(PRICE_LIST_COLUMNS, tasks)

    def fetch_named(name: str) -> Any:
        def fetch(page: int, limit: int, ordering: str | None) -> Any:
            return session.run(lambda c: c.price_lists.list(name=name, page=page, limit=limit))

        return fetch

    faults.latency_ms = 150
    model.set_query(fetch_named("a"))
    model.set_query(fetch_named("Demo Price"))  # typed on before the first answer came
    qtbot.waitUntil(lambda: loaded(model) and model.rowCount() > 0)
    qtbot.wait(300)
    assert [row.name for row in model.rows] == ["Demo Price List"]


@pytest.mark.parametrize("page_size", [1, 7])
def test_tiny_pages_still_add_up(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks, page_size: int
) -> None:
    model: PagedTableModel[Any] = PagedTableModel(PRICE_LIST_COLUMNS, tasks, page_size=page_size)

    def fetch(page: int, limit: int, ordering: str | None) -> Page[Any]:
        return session.run(  # type: ignore[return-value]
            lambda c: c.price_lists.list(name="fran", page=page, limit=limit)
        )

    model.set_query(fetch)
    qtbot.waitUntil(lambda: loaded(model) and model.rowCount() > 0)
    while model.canFetchMore():
        model.fetchMore()
        qtbot.waitUntil(lambda: loaded(model))
    assert sorted(row.name for row in model.rows) == ["Egypt Franchise", "Morocco Franchise"]


def test_a_local_sort_holds_after_a_reload(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks
) -> None:
    model, fetch = price_model(session, tasks, page_size=500)
    proxy = ServerSortProxy(model)
    model.set_query(fetch)
    qtbot.waitUntil(lambda: loaded(model) and model.rowCount() == 500)
    proxy.sort(PRICE, Qt.SortOrder.DescendingOrder)  # sorted here, over every row
    qtbot.waitUntil(lambda: proxy.sortColumn() == PRICE and model.fully_loaded, timeout=20_000)
    highest = max(row.price for row in model.rows)
    model.reload()  # F5
    qtbot.waitUntil(lambda: loaded(model) and model.fully_loaded, timeout=20_000)
    shown = [model.row(proxy.mapToSource(proxy.index(r, 0)).row()).price for r in range(200)]
    assert shown[0] == highest
    assert shown == sorted(shown, reverse=True)
    assert proxy.rowCount() == model.total


def test_loading_everything_goes_on_through_a_reload(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks, run: Runner
) -> None:
    model, fetch = price_model(session, tasks, page_size=400)
    model.set_query(fetch)
    qtbot.waitUntil(lambda: loaded(model) and model.rowCount() == 400)
    everything = asyncio.ensure_future(model.load_all())  # an export, say
    qtbot.waitUntil(lambda: model.rowCount() >= 1200)
    model.reload()  # F5 while it runs
    assert run(everything, timeout=20_000) is True
    ids = [row.id for row in model.rows]
    assert len(ids) == model.total
    assert len(set(ids)) == model.total


def test_a_newer_server_sort_wins_over_a_local_sort_still_loading(
    qtbot: QtBot, session: Session, tasks: BackgroundTasks, faults: Faults
) -> None:
    model = PagedTableModel(PRICE_LIST_COLUMNS, tasks, page_size=2)

    def fetch(page: int, limit: int, ordering: str | None) -> Any:
        return session.run(lambda c: c.price_lists.list(ordering=ordering, page=page, limit=limit))

    proxy = ServerSortProxy(model)
    model.set_query(fetch)
    qtbot.waitUntil(lambda: loaded(model) and model.rowCount() == 2)
    faults.latency_ms = 50  # loading every page takes a while
    proxy.sort(2, Qt.SortOrder.DescendingOrder)  # currency: loads every row first…
    proxy.sort(0, Qt.SortOrder.AscendingOrder)  # …but name, asked for at once, is the server's
    qtbot.waitUntil(lambda: loaded(model) and model.ordering == "name" and model.rowCount() > 0)
    qtbot.wait(1500)  # time enough for the first sort to have gone on loading
    faults.latency_ms = 0
    assert proxy.sortColumn() == -1  # the server's order stands
    assert not model.fully_loaded  # and nobody loaded every page for a sort given up
