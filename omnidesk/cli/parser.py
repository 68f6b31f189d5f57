"""The command line's words: every command, its options and its help."""

from __future__ import annotations

import argparse
from pathlib import Path

from omnidesk import __version__, kinds
from omnidesk.i18n import _

from . import validate as validate_command
from .where import Where


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="omnidesk",
        usage="%(prog)s [-h] [--version] [--demo [--demo-reset]] [FILE ...]\n"
        "       %(prog)s COMMAND ...",
        description=_("OmniDesk: Omnitron price lists and stock lists on the desktop."),
        epilog=_("omnidesk FILE opens the window and the import wizard on FILE."),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_("open the window on a local demo server with sample data (no account needed)"),
    )
    parser.add_argument(
        "--demo-reset",
        action="store_true",
        help=_("with --demo: throw the demo data away and start from fresh sample data"),
    )
    # For start-up measurements and smoke tests: print "ready in N ms" once the lists
    # show, and with --quit-when-ready quit then.
    parser.add_argument("--report-ready", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)
    # prog: the usage above would otherwise prefix every subcommand's usage.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="omnidesk")

    validate = commands.add_parser(
        "validate",
        help=_("check a price-list or stock-list spreadsheet offline"),
        description=_(
            "Check a spreadsheet the way the import does, without sending anything. "
            "Exit status: 0 every row is usable, 1 some rows have errors, "
            "2 the file cannot be read."
        ),
    )
    validate.add_argument("file", type=Path, metavar="FILE")
    validate.add_argument("--kind", required=True, choices=kinds.WORDS)
    validate.add_argument(
        "--sheet", metavar="NAME", help=_("sheet to check (default: first with data)")
    )
    validate.add_argument(
        "--json",
        action="store_true",
        help=_(
            "print the result as one JSON object (file, sheet, kind, row counts, columns, "
            'notes, findings); a file that cannot be read gives {"file": …, "error": …}'
        ),
    )
    validate.add_argument(
        "--annotate",
        type=Path,
        metavar="OUT.xlsx",
        help=_("also save a copy of the file with problem cells highlighted and a Problems sheet"),
    )
    validate.set_defaults(handler=validate_command.validate)

    template = commands.add_parser(
        "template",
        help=_("save an empty import template"),
        description=_("Save an .xlsx with the right headers, an example row and instructions."),
    )
    template.add_argument("--kind", required=True, choices=kinds.WORDS)
    template.add_argument("out", type=Path, metavar="OUT.xlsx")
    template.set_defaults(handler=validate_command.template)

    importing = commands.add_parser(
        "import",
        help=_("import a price-list or stock-list spreadsheet into a list on the server"),
        description=_(
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
        help=_(
            "the list: its exact code or its number (pk); digits are tried as both and "
            "stop if they name two lists. Say which with pk:N or code:X"
        ),
    )
    _where(importing)
    importing.add_argument(
        "--sheet", metavar="NAME", help=_("sheet to import (default: first with data)")
    )
    importing.add_argument(
        "--dry-run", action="store_true", help=_("check and compare only; send nothing")
    )
    importing.add_argument(
        "--yes",
        action="store_true",
        help=_("go on despite row errors, guardrails or a file sent before"),
    )
    importing.add_argument(
        "--all-rows", action="store_true", help=_("also send rows that change nothing")
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
        help=_(
            "watch the server's job at most this long after the upload (default: to the "
            "end); the job goes on, and the app's import history can follow it. Not with "
            "--demo, whose server stops with the command"
        ),
    )
    importing.add_argument(
        "--json",
        action="store_true",
        help=_(
            "print one JSON object on stdout (file, kind, list, check, diff, guardrails, "
            "result, journal_id, error); the progress lines go to stderr"
        ),
    )
    importing.add_argument(
        "--errors-out",
        type=Path,
        metavar="FILE.csv",
        help=_(
            "write the rows that did not make it (refused by the server or held back by "
            "the check) with the file's own columns and a problem column"
        ),
    )
    importing.set_defaults(handler=_import)

    undo = commands.add_parser(
        "undo",
        help=_("put back what an earlier import changed, as an import of its own"),
        description=_(
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
        help=_("the import's number (omnidesk import --json gives it as journal_id)"),
    )
    which.add_argument("--last", action="store_true", help=_("the last import to this server"))
    _where(undo)
    undo.add_argument("--dry-run", action="store_true", help=_("compare only; send nothing"))
    undo.add_argument("--yes", action="store_true", help=_("go on despite guardrails"))
    undo.add_argument(
        "--put-back-all",
        action="store_true",
        help=_("also put back rows someone changed after the import (default: keep theirs)"),
    )
    undo.add_argument(
        "--json", action="store_true", help=_("print one JSON object, as import --json does")
    )
    undo.set_defaults(handler=_undo)

    export = commands.add_parser(
        "export",
        help=_("save a list's contents as a file that imports back unchanged"),
        description=_(
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
        help=_("the list: its exact code or its number (pk), as for import"),
    )
    _where(export)
    export.add_argument(
        "--csv",
        choices=("semicolon", "comma"),
        help=_(
            "for a .csv: semicolon (; and a decimal comma, as Turkish Excel reads it) or "
            "comma (, and a decimal point); default: as the locale's Excel reads one"
        ),
    )
    export.add_argument("out", type=Path, metavar="OUT.xlsx|OUT.csv")
    export.set_defaults(handler=_export)

    lists = commands.add_parser(
        "lists",
        help=_("print the price lists or stock lists on the server"),
        description=_(
            "Print every list of a kind (every page), filtered and in the order asked for: "
            "a table for people, or a JSON array with --json. A server that does not sort "
            "gets its lists sorted here. Exit status: 0 listed, 2 failure."
        ),
    )
    lists.add_argument("--kind", required=True, choices=kinds.WORDS)
    lists.add_argument(
        "--name", metavar="TEXT", help=_("only lists whose name contains this (any case)")
    )
    lists.add_argument("--code", metavar="TEXT", help=_("only lists whose code contains this"))
    lists.add_argument(
        "--sort",
        type=_ordering,
        metavar="[-]FIELD",
        help=_(
            "the order, by a field of the lists (name, code, created_date, …); a leading - "
            "for descending: --sort -created_date"
        ),
    )
    _where(lists)
    lists.add_argument(
        "--json",
        action="store_true",
        help=_(
            "print one JSON array of objects (pk, name, code, currency for price lists, "
            "is_auto_sync, created_date, modified_date)"
        ),
    )
    lists.set_defaults(handler=_lists)

    doctor = commands.add_parser(
        "doctor",
        help=_("check what a server speaks, and whether OmniDesk can work with it"),
        description=_(
            "Sign in and, with reads only (nothing is changed), tell which of the variants "
            "of Omnitron's API the server speaks (V1-V10) and anything OmniDesk cannot work "
            "with, each in a sentence. Exit status: 0 OmniDesk can work with it, 1 it cannot "
            "(or the server is not Omnitron, or does not answer), 2 the command could not "
            "start (no such profile, no password)."
        ),
    )
    _where(doctor)
    doctor.add_argument(
        "--json",
        action="store_true",
        help=_("print one JSON object (server, username, works, findings, error)"),
    )
    doctor.set_defaults(handler=_doctor)
    return parser


def _ordering(text: str) -> str:
    from omnidesk.api.contract import ORDERING_FIELDS, check_ordering  # only when sorting

    try:
        check_ordering(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("cannot sort by “{field}”; choose one of {fields}").format(
                field=text.removeprefix("-"), fields=", ".join(sorted(ORDERING_FIELDS))
            )
        ) from None
    return text


def _where(command: argparse.ArgumentParser) -> None:
    """The server a command talks to (cli/connection.py): a saved profile, an address
    without one, or the demo's own. Every command that talks to a server takes these."""
    where = command.add_mutually_exclusive_group()
    where.add_argument(
        "--profile", metavar="NAME", help=_("a profile signed in with the app (default: last used)")
    )
    where.add_argument(
        "--server",
        metavar="URL",
        help=_(
            "a server's address, without a profile: the token comes from OMNIDESK_TOKEN, "
            "or the command signs in with a password (OMNIDESK_PASSWORD, or typed at a "
            "terminal); nothing is kept"
        ),
    )
    where.add_argument("--demo", action="store_true", help=_("use the local demo server"))
    command.add_argument(
        "--username", metavar="NAME", help=_("with --server: the account to sign in as")
    )
    command.epilog = _(
        "Environment: OMNIDESK_TOKEN, a token to use (it wins over the keyring's); "
        "OMNIDESK_PASSWORD, the password to sign in with when there is no token or it is "
        "refused. A 6-digit code is typed at the terminal, or read as one line of standard "
        "input."
    )


def where_of(args: argparse.Namespace) -> Where:
    return Where(profile=args.profile, server=args.server, username=args.username, demo=args.demo)


# Options whose value may start with "-" (--sort -name): argparse would take the value
# for an option of its own, so the two words are joined first (--sort=-name).
DASHED_VALUES = ("--sort",)


def join_dashed_values(arguments: list[str]) -> list[str]:
    joined: list[str] = []
    words = iter(arguments)
    for word in words:
        if word in DASHED_VALUES:
            value = next(words, None)
            if value is None:
                joined.append(word)
            elif value.startswith("-") and not value.startswith("--"):
                joined.append(f"{word}={value}")
            else:
                joined += [word, value]
            continue
        joined.append(word)
    return joined


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
        raise argparse.ArgumentTypeError(
            _("not a number of seconds: {text}").format(text=repr(text))
        ) from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError(_("must be more than 0 seconds"))
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
            where=where_of(args),
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
            where=where_of(args),
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
            where=where_of(args),
            csv=args.csv,
        )
    )


def _lists(args: argparse.Namespace) -> int:
    from .lists_command import ListsOptions, run_lists

    return run_lists(
        ListsOptions(
            kind=args.kind,
            name=args.name,
            code=args.code,
            sort=args.sort,
            where=where_of(args),
            json=args.json,
        )
    )


def _doctor(args: argparse.Namespace) -> int:
    from .doctor_command import DoctorOptions, run_doctor

    return run_doctor(DoctorOptions(where=where_of(args), json=args.json))
