"""How Qt paints: set before the QApplication exists (run_gui, and the tests' conftest).

Nothing here imports Qt, so it can run before Qt is loaded.
"""

from __future__ import annotations

import os


def paint_on_the_window_thread() -> None:
    """Qt's raster engine hands the spans of a larger fill to a pool of threads of its
    own and waits for them all. A busy progress bar, drawn afresh every few
    milliseconds while a file is checked or sent, then takes 3–16 ms of the window's
    thread instead of 0.2 ms (measured offscreen): the pool's threads must first win a
    core from the worker that checks the file and from the server. Painted on the
    window's own thread, a table is as quick, and quicker when the cores are busy.
    (Qt looks only at whether the variable is set, so it cannot be set to "no".)"""
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
