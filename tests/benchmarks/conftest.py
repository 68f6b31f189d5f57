"""Benchmarks reuse the Qt test fixtures: the qasync loop, a coroutine runner, tasks."""

from tests.ui.conftest import loop, qt_loop, run, tasks

__all__ = ["loop", "qt_loop", "run", "tasks"]
