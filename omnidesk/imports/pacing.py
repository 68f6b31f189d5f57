"""Keeping a window responsive while a worker thread crunches rows.

Python runs one thread at a time. A worker checking, comparing or writing a
hundred thousand rows keeps winning the interpreter back, and allocates millions
of objects that the cyclic garbage collector then walks in passes of 100–300 ms;
a Qt window waiting on the main thread stalls meanwhile. These helpers let it
breathe (measured in tests/benchmarks). They are plain Python: the command line
uses them too, where they cost nothing noticeable.

The collector's full passes walk every object that lives on, and the window's thread
makes them too: ``freeze_what_started`` takes what the app made to start out of them.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")


def let_others_run(seconds: float = 0.001) -> None:
    """Give up the interpreter for a moment, so the main thread can run its callbacks."""
    time.sleep(seconds)


def politely(
    rows: Iterable[T], every: int = 500, pause: Callable[[], None] = let_others_run
) -> Iterator[T]:
    """The same rows, with ``pause`` (``let_others_run``) between every ``every`` of them."""
    for count, row in enumerate(rows, 1):
        yield row
        if count % every == 0:
            pause()


# Rows freed at a time by ``dismantle``: about a millisecond's work.
LET_GO_PIECE = 2_000


def dismantle(held: list[Any] | dict[Any, Any]) -> None:
    """Empty ``held`` a piece at a time, and first each long list it holds, so that the
    rows it alone holds are freed in pieces rather than in one go.

    Freeing is one long step of C that never gives up the interpreter, whichever
    thread makes it: a report's 100,000 rows took 45-55 ms to let go of, and the
    window waited as long for its turn. Between pieces it can take it.
    """
    inner = held.values() if isinstance(held, dict) else held
    if len(inner) <= 64:  # a few parts (a report's): each long one dismantled
        for part in list(inner):
            if isinstance(part, list | dict) and len(part) > LET_GO_PIECE:
                dismantle(part)
    if isinstance(held, dict):
        while held:
            for key in list(islice(held, LET_GO_PIECE)):
                del held[key]
    else:
        while held:
            del held[-LET_GO_PIECE:]


_quiet_lock = threading.Lock()
_quiet_workers = 0


def without_gc_pauses(work: Callable[[], T]) -> T:
    """Run CPU-heavy work (in a worker thread) with Python's cyclic GC paused.

    Afterwards the surviving objects, the large and long-lived results, are frozen
    so that later passes skip them; they are still freed normally when let go.
    """
    global _quiet_workers
    with _quiet_lock:
        _quiet_workers += 1
        gc.disable()
    try:
        return work()
    finally:
        with _quiet_lock:
            _quiet_workers -= 1
            if _quiet_workers == 0:
                gc.freeze()
                gc.enable()


def freeze_what_started() -> None:
    """Take what the app made to start, its modules, Qt's wrappers and the window, out of
    the collector's full passes (``gc.freeze``): it lives as long as the app, and each
    full pass walked it all again on the window's thread, 50-65 ms at a time while a
    5,000-row list loaded. Frozen objects are still freed as usual when let go; only a
    reference cycle among them would wait for the app's end, and starting makes none
    that is dropped later. Instant, whatever the app holds (the generations are joined)."""
    gc.freeze()
