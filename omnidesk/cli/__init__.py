"""The ``omnidesk`` command: the window, or subcommands for work without it.

``omnidesk`` opens the window, ``omnidesk --demo`` opens it on a local demo
server, ``omnidesk FILE…`` opens it and the import wizard on each file (how the
desktop's "Open with" starts it); ``omnidesk validate|template|import …`` work
headless and never import Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from omnidesk.i18n import _

from .exit_codes import EXIT_INTERRUPTED, EXIT_OK
from .parser import build_parser, files_to_open, join_dashed_values

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    files, arguments = files_to_open(parser, list(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(join_dashed_values(arguments))
    handler = getattr(args, "handler", None)
    if handler is None:
        if args.demo_reset and not args.demo:
            parser.error(_("--demo-reset goes with --demo"))
        return _open_window(args, files)
    try:
        return int(handler(args))
    except BrokenPipeError:
        # `omnidesk validate … | head` closes the pipe early; that is not a failure.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _open_window(args: argparse.Namespace, files: list[Path]) -> int:
    demo = None
    try:
        if args.demo:
            from omnidesk.demo import DemoServer

            # Started first: its server starts in a process of its own while Qt imports.
            demo = DemoServer(reset=args.demo_reset)
        # Qt is imported only now: the subcommands run without it.
        from omnidesk.app import Options, run_gui

        return run_gui(
            Options(
                demo=args.demo,
                demo_reset=args.demo_reset,
                open_files=tuple(path.resolve() for path in files),
                report_ready=args.report_ready,
                quit_when_ready=args.quit_when_ready,
            ),
            demo,
        )
    except KeyboardInterrupt:  # Ctrl+C before the window's loop took over the signal
        stopped = _("stopped.")
        print(f"omnidesk: {stopped}", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if demo is not None:  # stopped by the window already, unless it never opened
            demo.stop()
