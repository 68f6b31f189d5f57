"""The app's running coroutines, kept so that quitting can cancel them all."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class BackgroundTasks:
    def __init__(self) -> None:
        self._running: set[asyncio.Task[Any]] = set()

    def start(self, coroutine: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        task = asyncio.ensure_future(coroutine)
        self._running.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._running.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            # Every slot handles the errors a person can act on; this is a bug. The loop's
            # exception handler logs it, and in the app shows it (ui/crash.py).
            task.get_loop().call_exception_handler(
                {"message": "in a background task", "exception": error, "task": task}
            )

    @property
    def running(self) -> int:
        return len(self._running)

    async def cancel_all(self) -> None:
        tasks = list(self._running)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def settle(future: asyncio.Future[T], value: T) -> None:
    """Give a future its result unless it has one (a dialog can finish only once)."""
    if not future.done():
        future.set_result(value)
