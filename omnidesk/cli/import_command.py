"""`omnidesk import`: the import headless, for scheduled jobs and terminals.

It drives the same ``ImportDraft`` as the wizard (omnidesk/imports/preparation.py)
and tells each step in lines of text: check the file offline → compare with the
list → stop on errors, guardrails or a file sent before (unless told to go on)
→ upload → follow → the result. No Qt anywhere on this path.

Exit codes: see exit_codes.py.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omnidesk import kinds
from omnidesk.api import (
    AuthenticationRequired,
    ListKind,
    OmnitronClient,
    OmnitronError,
    Retrying,
)
from omnidesk.api.session import Session
from omnidesk.i18n import _
from omnidesk.imports import (
    AnswerLost,
    ChangeKind,
    ImportDraft,
    ImportOutcome,
    ImportTarget,
    Journal,
    ListNotFound,
    UploadPlan,
    find_list,
    remembered_words,
)
from omnidesk.settings import Profile, ProfileStore, TokenStore, logs
from omnidesk.settings.logs import keep_out_of_logs
from omnidesk.settings.mappings import MappingStore
from omnidesk.settings.paths import journal_file, mappings_file, preferences_file, profiles_file
from omnidesk.settings.preferences import PreferencesStore
from omnidesk.spreadsheet import SpreadsheetError

from .exit_codes import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_ROW_ERRORS, EXIT_STILL_RUNNING
from .import_output import (
    EndUnknown,
    ImportFailed,
    print_diff,
    reasons_to_stop,
    report,
    show_progress,
)
from .printer import Printer, check_summary, count, finding_line, size

log = logging.getLogger(__name__)

IMPORT_LOG = "import.log"  # in the log folder, beside the window's omnidesk.log
MAX_FINDINGS_SHOWN = 20


@dataclass(frozen=True)
class ImportOptions:
    file: Path
    kind: str  # the command line's word for the kind (kinds.WORDS)
    list_ref: str  # pk:N, code:X, or bare digits / a code (see imports.targets.find_list)
    profile: str | None = None
    demo: bool = False
    sheet: str | None = None
    dry_run: bool = False
    yes: bool = False
    all_rows: bool = False
    timeout: float | None = None  # seconds to follow the server's job; None: to its end

    @property
    def list_kind(self) -> ListKind:
        return kinds.from_word(self.kind)


class Failed(Exception):
    """The command ends here with this message on stderr and this exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Connection:
    """Where to send the file: a saved profile and its token, or the demo server."""

    profile: Profile | None  # None: the demo, started when needed
    token: str | None


@dataclass
class Progress:
    """What has happened so far, for the message after Ctrl+C."""

    upload_started: bool = False
    cache_key: str | None = None
    target: ImportTarget | None = None
    username: str = ""  # who the import is sent as, for its report in the journal


def run_import(options: ImportOptions, printer: Printer | None = None) -> int:
    """The whole command; returns its exit code. Never raises for a foreseen problem."""
    printer = printer or Printer()
    progress = Progress()
    try:
        connection = find_connection(options)
        return asyncio.run(_run(options, connection, printer, progress))
    except Failed as failed:
        printer.problem(failed.message)
        return failed.code
    except KeyboardInterrupt:
        printer.problem(_interrupted_message(progress, demo=options.demo))
        return EXIT_INTERRUPTED
    except OSError as error:  # the journal or the temporary folder
        printer.problem(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
        return EXIT_FAILURE
    except Exception as error:  # a bug: one line here, the traceback in the log file
        log.exception("omnidesk import stopped on an unexpected error")
        where = logs.log_file()
        printer.problem(
            f"unexpected problem ({type(error).__name__}): {error}"
            + (_(" (details in {file})").format(file=where) if where is not None else "")
        )
        return EXIT_FAILURE


def _interrupted_message(progress: Progress, *, demo: bool = False) -> str:
    if progress.cache_key is not None and demo:
        return (
            "stopped. The demo server stops with this command, so its import stopped "
            "too; the demo list may be partly updated."
        )
    if progress.cache_key is not None:
        return (
            "stopped watching. The server's import goes on; "
            "open OmniDesk to see how it ends (it is in the import journal)."
        )
    if progress.upload_started:
        return (
            "stopped during the upload. The server may or may not have the file; "
            "the window's import history can tell."
        )
    return "stopped. Nothing was sent."


# -- where to (no network yet) -------------------------------------------------------------------


def find_connection(options: ImportOptions) -> Connection:
    if options.demo:
        if options.timeout is not None:
            # Refused rather than explained afterwards: the demo server runs inside
            # this command and stops with it, so a timeout could never leave its job
            # going (as it does on a real server), only cut the import off halfway
            # and leave the demo list partly updated.
            raise Failed(
                "--timeout does not go with --demo: the demo server stops with this "
                "command, so its import would stop halfway too. Leave out --timeout "
                "(a demo import takes seconds) or use --profile for a real server."
            )
        from omnidesk.demo import DEMO_RUNNING, demo_is_running

        if demo_is_running():  # said now, not after the file's whole check
            raise Failed(DEMO_RUNNING)
        return Connection(None, None)

    profiles = ProfileStore(profiles_file()).load()
    if options.profile is not None:
        chosen = next((p for p in profiles if p.name == options.profile), None)
        if chosen is None:
            saved = ", ".join(f"“{p.name}”" for p in profiles) or "none"
            raise Failed(f"there is no saved profile “{options.profile}” (saved: {saved}).")
    elif profiles:
        chosen = profiles[0]  # the last one used
    else:
        raise Failed("no saved profile. Sign in once with the app (omnidesk), or try --demo.")
    with _quiet("omnidesk.settings"):  # its "no keyring" warning is for the window
        token = TokenStore().get(chosen.name, chosen.username)
    keep_out_of_logs(token)
    if not token:
        raise Failed(
            f"not signed in to “{chosen.name}” ({chosen.base_url}). "
            "Sign in once with the app (omnidesk); the command uses the saved sign-in."
        )
    return Connection(chosen, token)


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    handler = logging.NullHandler()
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


# -- the offline check ---------------------------------------------------------------------------


async def check_file(draft: ImportDraft, options: ImportOptions, printer: Printer) -> None:
    try:
        await draft.open()
        result = await draft.check()
    except SpreadsheetError as error:
        raise Failed(error.message) from None
    except MemoryError:
        raise Failed(
            f"{options.file.name} is too large to check in the memory available."
        ) from None
    assert result is not None  # nothing else runs a newer check here
    printer.line(
        f"{options.file.name} — sheet “{result.sheet}”, {kinds.info(draft.kind).noun} file"
    )
    if draft.remembered:
        printer.line(f"  note: {remembered_words(draft.remembered)}")
    for note in result.notes:
        printer.line(f"  note: {note}")
    for finding in result.findings[:MAX_FINDINGS_SHOWN]:
        printer.line(f"  {finding_line(finding)}")
    hidden = len(result.findings) - MAX_FINDINGS_SHOWN
    if hidden > 0:
        printer.line(
            f"  … and {hidden:,} more (all of them: omnidesk validate FILE --kind {options.kind})"
        )
    printer.line(f"Checked {check_summary(result)}")
    fits = draft.fits_other_kind()
    if fits is not None:
        theirs = kinds.info(fits)
        raise Failed(
            f"{options.file.name} looks like a {theirs.noun} file: it has every column a "
            f"{theirs.noun} needs. Run it again with --kind {theirs.word}; nothing was sent.",
            EXIT_ROW_ERRORS,
        )
    if result.valid_rows == 0:
        raise Failed("no row of the file can be imported; nothing was sent.", EXIT_ROW_ERRORS)


# -- with the server -----------------------------------------------------------------------------


async def _run(
    options: ImportOptions, connection: Connection, printer: Printer, progress: Progress
) -> int:
    draft = ImportDraft(
        options.file,
        options.list_kind,
        sheet_name=options.sheet,
        settings=PreferencesStore(preferences_file()).load(),
        paced=False,  # no window to keep responsive
        mappings=MappingStore(mappings_file()),  # as the person mapped this header in the window
    )
    try:
        await check_file(draft, options, printer)
        return await _online(options, connection, draft, printer, progress)
    finally:
        draft.close()


async def _online(
    options: ImportOptions,
    connection: Connection,
    draft: ImportDraft,
    printer: Printer,
    progress: Progress,
) -> int:
    demo: Any = None
    try:
        if connection.profile is not None:
            profile = connection.profile
            client = OmnitronClient(
                profile.base_url, connection.token, ca_file=profile.ca_file, on_retry=_say(printer)
            )
            where = f"“{profile.name}”"
            if profile.insecure_warning:
                printer.problem(profile.insecure_warning)

            async def no_terminal() -> bool:
                return False  # nobody to type a password: say so and stop

            session = Session(client, no_terminal)
            progress.username = connection.profile.username
        else:
            from omnidesk.demo import DemoServer

            try:
                demo = DemoServer()
            except OmnitronError as taken:  # another demo started since the early check
                raise Failed(str(taken)) from None
            demo_profile = await asyncio.to_thread(demo.start)
            printer.line(
                f"Demo server at {demo_profile.base_url}, signed in as {demo_profile.username}."
            )
            client = OmnitronClient(demo_profile.base_url, on_retry=_say(printer))
            where = "the demo"
            progress.username = demo_profile.username
            session = Session(client, _demo_sign_in(client))
        try:
            if demo is not None:
                await _demo_sign_in(client)()
            return await _with_session(options, session, draft, printer, progress)
        except AuthenticationRequired:
            if progress.cache_key is not None:  # refused while following: the job goes on
                raise Failed(
                    _(
                        "the saved sign-in for {where} expired while the import was being "
                        "followed. The server's import goes on (it may have finished already); "
                        "open OmniDesk and sign in to see how it ends: it is in the import "
                        "history."
                    ).format(where=where),
                    EXIT_STILL_RUNNING,
                ) from None
            raise Failed(
                f"the saved sign-in for {where} was refused (it may have expired). "
                "Sign in again with the app (omnidesk), then run this again."
            ) from None
        except ListNotFound as missing:
            raise Failed(missing.message) from None
        except OmnitronError as problem:
            raise Failed(str(problem)) from None
        finally:
            await client.aclose()
    finally:
        if demo is not None:
            await asyncio.to_thread(demo.stop)


def _say(printer: Printer) -> Callable[[Retrying], None]:
    """Tell the person when a request is sent again, so a pause is not taken for a hang."""
    return lambda retrying: printer.progress(retrying.message, force=True)


def _demo_sign_in(client: OmnitronClient) -> Callable[[], Awaitable[bool]]:
    async def sign_in() -> bool:
        from omnidesk.demo import DEMO_PASSWORD, DEMO_USER

        await client.login(DEMO_USER, DEMO_PASSWORD)
        return True

    return sign_in


async def _with_session(
    options: ImportOptions,
    session: Session,
    draft: ImportDraft,
    printer: Printer,
    progress: Progress,
) -> int:
    target = await find_list(session, draft.kind, options.list_ref)
    draft.choose_target(target)
    progress.target = target
    printer.line(
        f"Target: {target.noun} “{target.name}” (pk {target.pk}) on {session.client.base_url}"
    )
    diff = await draft.compare(session)
    assert diff is not None  # nothing changes the target or the file meanwhile here
    print_diff(diff, printer)
    result = draft.checked
    assert result is not None

    journal = Journal(journal_file())
    try:
        await draft.fingerprint()
        earlier = draft.earlier_import(journal, session.client.base_url)
        skip_unchanged = not options.all_rows
        to_send = draft.rows_to_send(skip_unchanged=skip_unchanged)
        stops = reasons_to_stop(draft.blockers(earlier), earlier, target, printer)

        if options.dry_run:
            printer.line(f"Dry run: {to_send:,} rows would be sent; nothing was sent.")
            if stops:
                printer.problem("without --dry-run this would stop: " + " ".join(stops))
            unknown = diff.counts[ChangeKind.NOT_IN_CATALOGUE]
            would_fail = stops or unknown or result.error_rows
            return EXIT_ROW_ERRORS if would_fail else EXIT_OK
        if stops and not options.yes:
            raise Failed(
                "stopped before uploading: " + " ".join(stops) + " Add --yes to go on.",
                EXIT_ROW_ERRORS,
            )
        if skip_unchanged and diff.unchanged_rows:
            printer.line(
                f"Skipping {len(diff.unchanged_rows):,} unchanged rows (--all-rows sends them too)."
            )
        if to_send <= 0:
            printer.line("Nothing to send: every row already matches the list.")
            return EXIT_ROW_ERRORS if result.error_rows else EXIT_OK

        outcome = await _upload_and_follow(
            options, session, journal, draft, skip_unchanged, printer, progress
        )
    finally:
        journal.close()
    if isinstance(outcome, int):
        return outcome  # the answer was lost, and the list told what became of the file
    try:
        return report(outcome, draft, printer)
    except ImportFailed as failed:
        raise Failed(f"the import failed: {failed.reason}") from None
    except EndUnknown as unknown:
        raise Failed(unknown.reason, EXIT_STILL_RUNNING) from None


async def _reconciled(
    session: Session,
    journal: Journal,
    draft: ImportDraft,
    plan: UploadPlan,
    lost: AnswerLost,
    printer: Printer,
) -> int:
    """The upload's answer was lost: the list tells whether the file came; the exit code."""
    printer.line(
        "The connection broke before the server answered; looking at the list to see "
        "whether the file arrived…"
    )
    found = await draft.reconcile(
        session,
        journal,
        plan,
        lost,
        lambda holding, sent: printer.progress(
            f"{holding:,} of {sent:,} rows hold the file's values"
        ),
    )
    printer.finish_progress()
    if not found.arrived:
        sentence = found.sentence()
        raise Failed(sentence[0].lower() + sentence[1:], EXIT_FAILURE)
    printer.line(found.sentence())
    return EXIT_OK if found.holding == found.sent else EXIT_ROW_ERRORS


async def _upload_and_follow(
    options: ImportOptions,
    session: Session,
    journal: Journal,
    draft: ImportDraft,
    skip_unchanged: bool,
    printer: Printer,
    progress: Progress,
) -> ImportOutcome | int:
    """The server's outcome, or the exit code when the list had to tell what happened."""
    with tempfile.TemporaryDirectory(prefix="omnidesk-import-") as folder:
        plan = await draft.plan(Path(folder), skip_unchanged=skip_unchanged)

        def on_bytes(sent: int, total: int) -> None:
            percent = sent * 100 // total if total else 100
            printer.progress(
                f"Uploading {count(plan.rows, 'row', 'rows')}: "
                f"{size(sent)} of {size(total)} ({percent}%)"
            )

        progress.upload_started = True
        try:
            sending = await draft.send(
                session, journal, plan, username=progress.username, on_bytes=on_bytes
            )
        except AnswerLost as lost:
            return await _reconciled(session, journal, draft, plan, lost, printer)
    progress.cache_key = sending.cache_key
    printer.line(f"Uploaded. The server's job: {sending.cache_key}")
    watching = draft.follow(sending, lambda update: show_progress(update, printer))
    try:
        # A scheduled job must end even if the server never does; its import stays
        # in the journal as unfinished, for the app to follow later.
        outcome = await asyncio.wait_for(watching, options.timeout)
    except TimeoutError:
        raise Failed(
            f"stopped watching after {options.timeout:g} s: the server's import "
            "goes on. Open OmniDesk to see how it ends (it is in the import history).",
            EXIT_STILL_RUNNING,
        ) from None
    printer.finish_progress()
    return outcome
