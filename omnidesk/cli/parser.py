"""The command line's words: every command, its options and its help."""

from __future__ import annotations

import argparse
from pathlib import Path

from omnidesk import __version__, kinds
from omnidesk.i18n import _

from . import validate as validate_command


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="omnidesk",
        usage="%(prog)s [-h] [--version] [--demo [--demo-reset]] [FILE ...]\n"
        "       %(prog)s COMMAND ...",
        description="OmniDesk: Omnitron price lists and stock lists on the desktop.",
        epilog="omnidesk FILE opens the window and the import wizard on FILE.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window on a local demo server with sample data (no account needed)",
    )
    parser.add_argument(
        "--demo-reset",
        action="store_true",
        help="with --demo: throw the demo data away and start from fresh sample data",
    )
    # For start-up measurements and smoke tests: print "ready in N ms" once the lists
    # show, and with --quit-when-ready quit then.
    parser.add_argument("--report-ready", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)
    # prog: the usage above would otherwise prefix every subcommand's usage.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="omnidesk")

    validate = commands.add_parser(
        "validate",
        help="check a price-list or stock-list spreadsheet offline",
        description=(
            "Check a spreadsheet the way the import does, without sending anything. "
            "Exit status: 0 every row is usable, 1 some rows have errors, "
            "2 the file cannot be read."
        ),
    )
    validate.add_argument("file", type=Path, metavar="FILE")
    validate.add_argument("--kind", required=True, choices=kinds.WORDS)
    validate.add_argument(
        "--sheet", metavar="NAME", help="sheet to check (default: first with data)"
    )
    validate.add_argument(
        "--json",
        action="store_true",
        help=(
            "print the result as one JSON object (file, sheet, kind, row counts, columns, "
            'notes, findings); a file that cannot be read gives {"file": …, "error": …}'
        ),
    )
    validate.add_argument(
        "--annotate",
        type=Path,
        metavar="OUT.xlsx",
        help="also save a copy of the file with problem cells highlighted and a Problems sheet",
    )
    validate.set_defaults(handler=validate_command.validate)

    template = commands.add_parser(
        "template",
        help="save an empty import template",
        description="Save an .xlsx with the right headers, an example row and instructions.",
    )
    template.add_argument("--kind", required=True, choices=kinds.WORDS)
    template.add_argument("out", type=Path, metavar="OUT.xlsx")
    template.set_defaults(handler=validate_command.template)

    importing = commands.add_parser(
        "import",
        help="import a price-list or stock-list spreadsheet into a list on the server",
        description=(
            "Check the file, compare it with the list, upload it and follow the server's job "
            "to the end. Stops before uploading on row errors, guardrails or a file sent to "
            "this list before, unless --yes. Exit status: 0 every row imported, 1 row errors "
            "or stopped before uploading, 2 failure (file unreadable, not signed in, server "
            "unreachable, list not found, import failed), 3 still running when --timeout "
            "passed, 130 interrupted."
        ),
    )
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--kind", required=True, choices=kinds.WORDS)
    importing.add_argument(
        "--list",
        required=True,
        metavar="PK_OR_CODE",
        dest="list_ref",
        help=(
            "the list: its exact code or its number (pk); digits are tried as both and "
            "stop if they name two lists. Say which with pk:N or code:X"
        ),
    )
    _where(importing)
    importing.add_argument(
        "--sheet", metavar="NAME", help="sheet to import (default: first with data)"
    )
    importing.add_argument(
        "--dry-run", action="store_true", help="check and compare only; send nothing"
    )
    importing.add_argument(
        "--yes",
        action="store_true",
        help="go on despite row errors, guardrails or a file sent before",
    )
    importing.add_argument(
        "--all-rows", action="store_true", help="also send rows that change nothing"
    )
    importing.add_argument(
        "--use-suggested-skus",
        action="store_true",
        help=_(
            "for each SKU the catalogue does not have but has with leading zeros, in "
            "another case, without spaces or without a trailing “.0” (as Excel changes a "
            "code it takes for a number), send the catalogue's SKU; the file itself is not "
            "changed. Without it the rows are only named, with the SKU meant"
        ),
    )
    importing.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help=(
            "watch the server's job at most this long after the upload (default: to the "
            "end); the job goes on, and the app's import history can follow it. Not with "
            "--demo, whose server stops with the command"
        ),
    )
    importing.add_argument(
        "--json",
        action="store_true",
        help=(
            "print one JSON object on stdout (file, kind, list, check, diff, guardrails, "
            "result, journal_id, error); the progress lines go to stderr"
        ),
    )
    importing.add_argument(
        "--errors-out",
        type=Path,
        metavar="FILE.csv",
        help=(
            "write the rows that did not make it (refused by the server or held back by "
            "the check) with the file's own columns and a problem column"
        ),
    )
    importing.set_defaults(handler=_import)

    undo = commands.add_parser(
        "undo",
        help="put back what an earlier import changed, as an import of its own",
        description=(
            "Write the values an import changed as they were before it, compare them with "
            "the list as it is now and import them like any file (guardrails stop it "
            "unless --yes). Rows changed again since the import keep their newer values "
            "unless --put-back-all. Products the import added stay: an import cannot "
            "remove them. Exit status as for import."
        ),
    )
    which = undo.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "journal_id",
        nargs="?",
        type=int,
        metavar="JOURNAL_ID",
        help="the import's number (omnidesk import --json gives it as journal_id)",
    )
    which.add_argument("--last", action="store_true", help="the last import to this server")
    _where(undo)
    undo.add_argument("--dry-run", action="store_true", help="compare only; send nothing")
    undo.add_argument("--yes", action="store_true", help="go on despite guardrails")
    undo.add_argument(
        "--put-back-all",
        action="store_true",
        help="also put back rows someone changed after the import (default: keep theirs)",
    )
    undo.add_argument(
        "--json", action="store_true", help="print one JSON object, as import --json does"
    )
    undo.set_defaults(handler=_undo)

    export = commands.add_parser(
        "export",
        help="save a list's contents as a file that imports back unchanged",
        description=(
            "Write every row of a list in the import's own columns (product__sku, price, …), "
            "amounts as real numbers; imported back, the file changes nothing."
        ),
    )
    export.add_argument("--kind", required=True, choices=kinds.WORDS)
    export.add_argument(
        "--list",
        required=True,
        metavar="PK_OR_CODE",
        dest="list_ref",
        help="the list: its exact code or its number (pk), as for import",
    )
    _where(export)
    export.add_argument(
        "--csv",
        choices=("semicolon", "comma"),
        help=(
            "for a .csv: semicolon (; and a decimal comma, as Turkish Excel reads it) or "
            "comma (, and a decimal point); default: as the locale's Excel reads one"
        ),
    )
    export.add_argument("out", type=Path, metavar="OUT.xlsx|OUT.csv")
    export.set_defaults(handler=_export)
    return parser


def _where(command: argparse.ArgumentParser) -> None:
    """The server a command talks to: a saved profile, or the demo's own (cli/connection.py)."""
    where = command.add_mutually_exclusive_group()
    where.add_argument(
        "--profile", metavar="NAME", help="a profile signed in with the app (default: last used)"
    )
    where.add_argument("--demo", action="store_true", help="use the local demo server")


def files_to_open(
    parser: argparse.ArgumentParser, arguments: list[str]
) -> tuple[list[Path], list[str]]:
    """Split ``omnidesk [options] FILE…`` into the files and the rest.

    argparse cannot take optional positionals beside subcommands (it reads the
    first file as a command name), so the files are taken out first: when the
    first word that is not an option is a file (it has an extension, or exists),
    every such word is a file.
    The window's options take no values, so no option's value is mistaken here.
    """
    commands: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands.update(action.choices)
    words = [word for word in arguments if not word.startswith("-")]
    if not words or words[0] in commands or not _looks_like_a_file(words[0]):
        # A mistyped command ("validat") must get argparse's "invalid choice", not a
        # window: a scheduled job has no screen to open one on.
        return [], arguments
    return [Path(word) for word in words], [word for word in arguments if word.startswith("-")]


def _looks_like_a_file(word: str) -> bool:
    path = Path(word)
    return bool(path.suffix) or path.exists()


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return seconds


def _import(args: argparse.Namespace) -> int:
    from omnidesk.settings import logs

    from .import_command import IMPORT_LOG, ImportOptions, run_import

    # A scheduled import has nobody watching: what it did is in the log folder, beside
    # the window's own log (Help ▸ Open log folder).
    logs.configure(IMPORT_LOG)

    return run_import(
        ImportOptions(
            file=args.file,
            kind=args.kind,
            list_ref=args.list_ref,
            profile=args.profile,
            demo=args.demo,
            sheet=args.sheet,
            dry_run=args.dry_run,
            yes=args.yes,
            all_rows=args.all_rows,
            timeout=args.timeout,
            json=args.json,
            errors_out=args.errors_out,
            use_suggested_skus=args.use_suggested_skus,
        )
    )


def _undo(args: argparse.Namespace) -> int:
    from .undo_command import UndoOptions, run_undo

    return run_undo(
        UndoOptions(
            journal_id=args.journal_id,
            profile=args.profile,
            demo=args.demo,
            dry_run=args.dry_run,
            yes=args.yes,
            json=args.json,
            put_back_all=args.put_back_all,
        )
    )


def _export(args: argparse.Namespace) -> int:
    from .export_command import ExportOptions, run_export

    return run_export(
        ExportOptions(
            kind=args.kind,
            list_ref=args.list_ref,
            out=args.out,
            profile=args.profile,
            demo=args.demo,
            csv=args.csv,
        )
    )
