"""``pacing.dismantle``: a large report let go of a piece at a time, so that a window
waiting for the interpreter gets its turns meanwhile."""

from __future__ import annotations

import sys
import threading
import time
import weakref
from collections.abc import Iterator

import pytest

from omnidesk.imports.pacing import dismantle


class Row:
    __slots__ = ("__weakref__", "values")

    def __init__(self, number: int) -> None:
        self.values = {"sku": f"SKU{number}", "price": str(number)}


@pytest.fixture
def short_turns() -> Iterator[None]:
    # Turns of a millisecond, so that a short run is enough to see them taken.
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    yield
    sys.setswitchinterval(before)


def test_what_it_alone_holds_is_freed_and_its_lists_emptied() -> None:
    changes = [Row(n) for n in range(10_000)]
    refused = {n: Row(n) for n in range(5_000)}
    watched = [weakref.ref(changes[0]), weakref.ref(changes[-1]), weakref.ref(refused[4_999])]
    held: list[object] = [changes, refused, "a header"]
    del changes, refused
    dismantle(held)
    assert held == []
    assert [ref() for ref in watched] == [None, None, None]


def test_rows_still_held_elsewhere_live_on() -> None:
    rows = [Row(n) for n in range(5_000)]
    kept = rows[2_500]
    dismantle([list(rows)])
    assert kept.values["sku"] == "SKU2500"
    assert len(rows) == 5_000


def test_another_thread_gets_turns_while_a_large_report_is_let_go_of(short_turns: None) -> None:
    held = [[Row(n) for n in range(400_000)], [Row(n) for n in range(100_000)]]
    started, finished = threading.Event(), threading.Event()
    turns: list[float] = []

    def waiting_window() -> None:
        started.set()
        while not finished.is_set():
            turns.append(time.perf_counter())
            time.sleep(0.0005)

    window = threading.Thread(target=waiting_window)
    window.start()
    started.wait()
    began = time.perf_counter()
    dismantle(held)
    ended = time.perf_counter()
    finished.set()
    window.join()
    assert held == []
    # Freed in one go (held.clear()), the rows held the interpreter throughout: one turn
    # at most, at the edge, in 50-60 ms. Let go of in pieces: some thirty.
    inside = [at for at in turns if began < at < ended]
    assert len(inside) >= 5, (ended - began, len(inside))
