"""`omnidesk import`: the import headless, for scheduled jobs and terminals.

It drives the same ``ImportDraft`` as the wizard (omnidesk/imports/preparation.py)
and tells each step in lines of text: check the file offline → compare with the
list → stop on errors, guardrails or a file sent before (unless told to go on)
→ upload → follow → the result. With ``--json`` the lines go to stderr and stdout
gets one JSON object (import_json.py); ``--errors-out`` writes the rows that did not
make it. ``omnidesk undo`` runs an undo's draft through here too. No Qt anywhere.

Exit codes: see exit_codes.py.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from omnidesk import kinds
from omnidesk.api import AuthenticationRequired, ListKind
from omnidesk.api.session import Session
from omnidesk.i18n import _, n_, number
from omnidesk.imports import (
    ImportDraft,
    ImportOutcome,
    ImportTarget,
    Reconciliation,
    RowProblem,
    remembered_words,
)
from omnidesk.imports.failed_rows import write_failed_rows
from omnidesk.settings import logs
from omnidesk.settings.mappings import MappingStore
from omnidesk.settings.paths import mappings_file, preferences_file
from omnidesk.settings.preferences import PreferencesStore
from omnidesk.spreadsheet import Severity, SpreadsheetError

from .connection import Connection, Failed, Where
from .connection import find_connection as connection_for
from .exit_codes import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_ROW_ERRORS, EXIT_STILL_RUNNING
from .import_json import import_json, print_json
from .import_output import (
    note_line,
)
from .import_with_server import with_server
from .printer import Printer, check_summary, csv_style, finding_line, too_large
from .signing_in import signed_in

log = logging.getLogger(__name__)

IMPORT_LOG = "import.log"  # in the log folder, beside the window's omnidesk.log
MAX_FINDINGS_SHOWN = 20


@dataclass(frozen=True)
class ImportOptions:
    file: Path
    kind: str  # the command line's word for the kind (kinds.WORDS)
    list_ref: str  # pk:N, code:X, or bare digits / a code (see imports.targets.find_list)
    where: Where = field(default_factory=Where)  # the server (connection.py)
    sheet: str | None = None
    dry_run: bool = False
    yes: bool = False
    all_rows: bool = False
    timeout: float | None = None  # seconds to follow the server's job; None: to its end
    json: bool = False  # one JSON object on stdout, the lines on stderr
    errors_out: Path | None = None  # a CSV of the rows that did not make it
    # Send the catalogue's SKU for each SKU Excel mangled (the near misses); never unasked.
    use_suggested_skus: bool = False

    @property
    def list_kind(self) -> ListKind:
        return kinds.from_word(self.kind)


@dataclass
class Progress:
    """What has happened so far: for the message after Ctrl+C, and for the JSON."""

    upload_started: bool = False
    cache_key: str | None = None
    target: ImportTarget | None = None
    username: str = ""  # who the import is sent as, for its report in the journal
    draft: ImportDraft | None = None
    record_id: int | None = None  # the journal's record of what was sent
    outcome: ImportOutcome | None = None
    still_running: bool = False  # --timeout passed while the server worked
    # The upload's answer was lost, and the list told whether the file came.
    reconciled: Reconciliation | None = None
    extra: dict[str, object] = field(default_factory=dict)  # an undo's facts, say


class DraftSource(Protocol):
    """Where ``run_import`` gets its draft, and what it adds: a file given on the command
    line (``FileSource``), or the undo of a journaled import (undo_command.py)."""

    def offline(self, options: ImportOptions) -> ImportDraft | None:
        """The draft, if it needs no server (then its file is checked before connecting)."""

    async def online(self, options: ImportOptions, session: Session) -> ImportDraft:
        """The draft made with the server's help (raises Failed)."""

    def compared(self, draft: ImportDraft, printer: Printer) -> dict[str, object]:
        """After the comparison: say what else the person must know; what the JSON adds."""


class FileSource:
    """The file given on the command line."""

    def offline(self, options: ImportOptions) -> ImportDraft | None:
        return ImportDraft(
            options.file,
            options.list_kind,
            sheet_name=options.sheet,
            settings=PreferencesStore(preferences_file()).load(),
            paced=False,  # no window to keep responsive
            mappings=MappingStore(mappings_file()),  # as the person mapped this header before
        )

    async def online(self, options: ImportOptions, session: Session) -> ImportDraft:
        raise AssertionError("the file's draft is made offline")

    def compared(self, draft: ImportDraft, printer: Printer) -> dict[str, object]:
        return {}


def run_import(
    options: ImportOptions, printer: Printer | None = None, source: DraftSource | None = None
) -> int:
    """The whole command; returns its exit code. Never raises for a foreseen problem."""
    # With --json, stdout is the JSON's alone: every line for people goes to stderr.
    printer = printer or (Printer(out=sys.stderr) if options.json else Printer())
    progress = Progress()
    error: str | None = None
    try:
        if options.errors_out is not None:
            _check_errors_out(options)
        connection = find_connection(options)
        code = asyncio.run(_run(options, connection, printer, progress, source or FileSource()))
    except Failed as failed:
        printer.problem(failed.message)
        code, error = failed.code, failed.message
    except KeyboardInterrupt:
        error = _interrupted_message(progress, demo=options.where.demo)
        printer.problem(error)
        code = EXIT_INTERRUPTED
    except OSError as problem:  # the journal or the temporary folder
        error = f"{problem.strerror or problem}: {problem.filename or ''}".rstrip(": ")
        printer.problem(error)
        code = EXIT_FAILURE
    except Exception as problem:  # a bug: one line here, the traceback in the log file
        log.exception("omnidesk import stopped on an unexpected error")
        where = logs.log_file()
        error = _("unexpected problem ({kind}): {problem}").format(
            kind=type(problem).__name__, problem=problem
        )
        if where is not None:
            error = _("unexpected problem ({kind}): {problem} (details in {file})").format(
                kind=type(problem).__name__, problem=problem, file=where
            )
        printer.problem(error)
        code = EXIT_FAILURE
    if options.json:
        made = progress.draft
        file, kind = (
            (made.path, made.kind) if made is not None else (options.file, options.list_kind)
        )
        print_json(import_json(file, kind, progress, error))
    return code


def _check_errors_out(options: ImportOptions) -> None:
    """Before any work: an errors file that could not be written is said at once."""
    out = options.errors_out
    assert out is not None
    if out.suffix.lower() != ".csv":
        raise Failed(
            _("--errors-out {name}: the rows that did not make it are written as CSV, so the "
              "name must end in .csv.").format(name=out.name)
        )  # fmt: skip
    if out.exists() and options.file.exists() and out.samefile(options.file):
        raise Failed(
            _("--errors-out {name} is the file being imported; give the errors file "
              "another name.").format(name=out.name)
        )  # fmt: skip


def _interrupted_message(progress: Progress, *, demo: bool = False) -> str:
    if progress.cache_key is not None and demo:
        return _(
            "stopped. The demo server stops with this command, so its import stopped "
            "too; the demo list may be partly updated."
        )
    if progress.cache_key is not None:
        return _(
            "stopped watching. The server's import goes on; "
            "open OmniDesk to see how it ends (it is in the import history)."
        )
    if progress.upload_started:
        return _(
            "stopped during the upload. The server may or may not have the file; "
            "the window's import history can tell."
        )
    return _("stopped. Nothing was sent.")


# -- where to (no network yet) -------------------------------------------------------------------


def find_connection(options: ImportOptions) -> Connection:
    if options.where.demo and options.timeout is not None:
        # Refused rather than explained afterwards: the demo server runs inside
        # this command and stops with it, so a timeout could never leave its job
        # going (as it does on a real server), only cut the import off halfway
        # and leave the demo list partly updated.
        raise Failed(
            _(
                "--timeout does not go with --demo: the demo server stops with this "
                "command, so its import would stop halfway too. Leave out --timeout "
                "(a demo import takes seconds) or use --profile for a real server."
            )
        )
    return connection_for(options.where)


# -- the offline check ---------------------------------------------------------------------------


async def check_file(draft: ImportDraft, printer: Printer) -> None:
    try:
        await draft.open()
        result = await draft.check()
    except SpreadsheetError as error:
        raise Failed(error.message) from None
    except MemoryError:
        raise Failed(too_large(draft.path)) from None
    assert result is not None  # nothing else runs a newer check here
    printer.line(
        _("{file} — sheet “{sheet}”, {noun} file").format(
            file=draft.path.name, sheet=result.sheet, noun=kinds.info(draft.kind).noun
        )
    )
    if draft.remembered:
        printer.line("  " + note_line(remembered_words(draft.remembered)))
    for note in result.notes:
        printer.line("  " + note_line(note))
    for finding in result.findings[:MAX_FINDINGS_SHOWN]:
        printer.line(f"  {finding_line(finding)}")
    hidden = len(result.findings) - MAX_FINDINGS_SHOWN
    if hidden > 0:
        printer.line(
            "  "
            + _("… and {count} more (all of them: omnidesk validate FILE --kind {word})").format(
                count=number(hidden), word=kinds.info(draft.kind).word
            )
        )
    printer.line(check_summary(result, checked=True))
    fits = draft.fits_other_kind()
    if fits is not None:
        theirs = kinds.info(fits)
        raise Failed(
            _(
                "{file} looks like a {noun} file: it has every column a {noun} needs. Run it "
                "again with --kind {word}; nothing was sent."
            ).format(file=draft.path.name, noun=theirs.noun, word=theirs.word),
            EXIT_ROW_ERRORS,
        )
    if result.valid_rows == 0:
        raise Failed(_("no row of the file can be imported; nothing was sent."), EXIT_ROW_ERRORS)


# -- with the server -----------------------------------------------------------------------------


async def _run(
    options: ImportOptions,
    connection: Connection,
    printer: Printer,
    progress: Progress,
    source: DraftSource,
) -> int:
    try:
        draft = progress.draft = source.offline(options)
        if draft is not None:
            await check_file(draft, printer)
        async with signed_in(connection, printer) as signed:
            progress.username = signed.username
            if draft is None:
                draft = progress.draft = await source.online(options, signed.session)
                await check_file(draft, printer)
            try:
                return await with_server(options, signed.session, draft, printer, progress, source)
            except AuthenticationRequired:
                if progress.cache_key is None:
                    raise  # refused before anything was sent: signed_in says so
                raise Failed(
                    _(
                        "the saved sign-in for {where} expired while the import was being "
                        "followed. The server's import goes on (it may have finished already); "
                        "open OmniDesk and sign in to see how it ends: it is in the import "
                        "history."
                    ).format(where=signed.where),
                    EXIT_STILL_RUNNING,
                ) from None
    finally:
        draft = progress.draft
        try:
            if draft is not None and options.errors_out is not None and draft.checked is not None:
                await _write_errors_out(options.errors_out, draft, progress, printer)
        finally:
            if draft is not None:
                draft.close()


async def _write_errors_out(
    out: Path, draft: ImportDraft, progress: Progress, printer: Printer
) -> None:
    """The rows the server refused and those the check held back, by the file's own rows."""
    result = draft.checked
    assert result is not None
    if progress.outcome is not None:
        problems = draft.refused_rows(progress.outcome)
    else:
        problems = [
            RowProblem(f.row, f.column, f.message)
            for f in result.findings
            if f.severity is Severity.ERROR
        ]
    written = await asyncio.to_thread(
        write_failed_rows,
        draft.path,
        result.sheet,
        result.header_row,
        problems,
        out,
        style=csv_style(),
    )
    printer.line(
        n_("Wrote {count} row that did not make it to {name}.",
           "Wrote {count} rows that did not make it to {name}.", written
        ).format(count=number(written), name=out)
    )  # fmt: skip
