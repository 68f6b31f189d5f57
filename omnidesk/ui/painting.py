"""How Qt paints: the setting made before the QApplication exists (run_gui, and the
tests' conftest), and a wait for a window's paint before heavy work starts.

Importing this module imports no Qt, so the setting can be made before Qt is loaded.
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# How long to wait for a paint at most: a window Qt does not paint (minimized, covered on
# a compositor that throttles it) must not hold up the work that was waiting.
_PAINT_WAIT = 0.25


def paint_on_the_window_thread() -> None:
    """Qt's raster engine hands the spans of a larger fill to a pool of threads of its
    own and waits for them all. A busy progress bar, drawn afresh every few
    milliseconds while a file is checked or sent, then takes 3–16 ms of the window's
    thread instead of 0.2 ms (measured offscreen): the pool's threads must first win a
    core from the worker that checks the file and from the server. Painted on the
    window's own thread, a table is as quick, and quicker when the cores are busy.
    (Qt looks only at whether the variable is set, so it cannot be set to "no".)"""
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


async def painted(widget: QWidget) -> None:
    """Return once ``widget``'s window has laid out and painted what it shows now.

    For the moment before a worker starts on a large file: a table whose cells come
    from a Python model paints in about 10 ms alone, and in 30–50 ms while a worker
    holds the interpreter, since every cell waits for it. A view's own delayed layout
    is done first (``doItemsLayout``); a paint may bring about another (a scroll bar's
    new range), so this waits for a turn of the event loop that paints nothing. A
    window closed meanwhile ends the wait.
    """
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QAbstractItemView
    from shiboken6 import isValid

    window = widget.window()
    if not window.isVisible() or window.isMinimized():
        return
    for view in window.findChildren(QAbstractItemView):
        if view.isVisible():
            view.doItemsLayout()
    paints = 0

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            nonlocal paints
            if event.type() == QEvent.Type.UpdateRequest:
                paints += 1
            return False

    watch = Watch()
    window.installEventFilter(watch)
    window.update()  # something to paint, so a paint comes
    loop = asyncio.get_running_loop()
    give_up = loop.time() + _PAINT_WAIT
    seen = 0
    try:
        while loop.time() < give_up:
            # A turn of Qt's loop: the posted layouts and paints, then the timers (this).
            await asyncio.sleep(0)
            if not isValid(window) or (paints and paints == seen):
                return  # painted, or closed meanwhile: nothing left to wait for
            seen = paints
    finally:
        if isValid(window):
            window.removeEventFilter(watch)
