"""`omnidesk import`: the import workflow headless, for scheduled jobs and terminals.

Check the file offline → compare with the list → stop on errors, guardrails or a
file sent before (unless told to go on) → upload → follow → the result. The
same steps as the wizard, told in lines of text. No Qt anywhere on this path.

Exit codes (scripts depend on them): 0 every row imported, 1 row errors (found
offline or by the server) or stopped before uploading, 2 failure (file
unreadable, not signed in, server unreachable, list not found, import FAILURE),
3 still running when --timeout passed, 130 interrupted.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from omnidesk import kinds
from omnidesk.api import (
    AuthenticationRequired,
    ImportState,
    ListKind,
    NotFound,
    OmnitronClient,
    OmnitronError,
    PriceList,
    StockList,
)
from omnidesk.api.session import Session
from omnidesk.settings import Profile, ProfileStore, TokenStore
from omnidesk.settings.paths import config_dir, data_dir
from omnidesk.settings.preferences import PreferencesStore
from omnidesk.spreadsheet import CheckResult, SpreadsheetError, check_spreadsheet, open_spreadsheet

from .diff import ChangeKind, ImportDiff, compare, fetch_current, mark_unknown_products
from .journal import ImportRecord, Journal, file_sha256
from .workflow import FollowUpdate, ImportOutcome, ImportRun, ImportTarget, prepare_upload

EXIT_OK = 0
EXIT_ROW_ERRORS = 1  # also: stopped before uploading (errors, guardrails, file sent before)
EXIT_FAILURE = 2
EXIT_STILL_RUNNING = 3  # --timeout passed; the server's job goes on
EXIT_INTERRUPTED = 130

MAX_FINDINGS_SHOWN = 20
MAX_ROWS_NAMED = 10  # rows named per guardrail
# Without a terminal (a log file, a scheduled job) progress is a plain line this often.
PLAIN_PROGRESS_EVERY = 3.0
BAR_WIDTH = 30


@dataclass(frozen=True)
class ImportOptions:
    file: Path
    kind: str  # "price" or "stock"
    list_ref: str  # pk:N, code:X, or bare digits / a code (see find_list)
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


@dataclass
class Printer:
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    clock: Callable[[], float] = time.monotonic
    _drawn: int = 0  # length of the progress line on screen (terminal only)
    _last_plain: float | None = None

    @property
    def tty(self) -> bool:
        isatty = getattr(self.out, "isatty", None)
        return bool(isatty and isatty())

    def line(self, text: str = "") -> None:
        self.finish_progress()
        print(text, file=self.out, flush=True)

    def problem(self, text: str) -> None:
        self.finish_progress()
        self.out.flush()
        print(f"omnidesk: {text}", file=self.err, flush=True)

    def progress(self, text: str, *, force: bool = False) -> None:
        """Redrawn in place on a terminal; otherwise a plain line every few seconds."""
        if self.tty:
            padding = " " * max(0, self._drawn - len(text))
            self.out.write(f"\r{text}{padding}")
            self.out.flush()
            self._drawn = len(text)
            return
        now = self.clock()
        if force or self._last_plain is None or now - self._last_plain >= PLAIN_PROGRESS_EVERY:
            self._last_plain = now
            print(text, file=self.out, flush=True)

    def finish_progress(self) -> None:
        if self._drawn:
            self.out.write("\n")
            self.out.flush()
            self._drawn = 0
        self._last_plain = None


def run_import(options: ImportOptions, printer: Printer | None = None) -> int:
    """The whole command; returns its exit code. Never raises for a foreseen problem."""
    printer = printer or Printer()
    progress = Progress()
    try:
        connection = find_connection(options)
        result = check_file(options, printer)
        return asyncio.run(_online(options, connection, result, printer, progress))
    except Failed as failed:
        printer.problem(failed.message)
        return failed.code
    except KeyboardInterrupt:
        printer.problem(_interrupted_message(progress, demo=options.demo))
        return EXIT_INTERRUPTED
    except OSError as error:  # the journal or the temporary folder
        printer.problem(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
        return EXIT_FAILURE
    except Exception as error:  # a bug: still one line, never a traceback in a job's log
        printer.problem(f"unexpected problem ({type(error).__name__}): {error}")
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


# -- where to (no network yet) ----------------------------------------------------------------


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

    profiles = ProfileStore(config_dir() / "profiles.json").load()
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


# -- the offline check -----------------------------------------------------------------------


def check_file(options: ImportOptions, printer: Printer) -> CheckResult:
    try:
        with open_spreadsheet(options.file, sheet=options.sheet) as sheet:
            result = check_spreadsheet(sheet, options.list_kind)
    except SpreadsheetError as error:
        raise Failed(error.message) from None
    except MemoryError:
        raise Failed(
            f"{options.file.name} is too large to check in the memory available."
        ) from None
    printer.line(
        f"{options.file.name} — sheet “{result.sheet}”, {kinds.info(options.list_kind).noun} file"
    )
    for note in result.notes:
        printer.line(f"  note: {note}")
    for finding in result.findings[:MAX_FINDINGS_SHOWN]:
        where = f"row {finding.row}" + (f", {finding.column}" if finding.column else "")
        printer.line(f"  {where}: {finding.severity}: {finding.message}")
    hidden = len(result.findings) - MAX_FINDINGS_SHOWN
    if hidden > 0:
        printer.line(
            f"  … and {hidden:,} more (all of them: omnidesk validate FILE --kind {options.kind})"
        )
    printer.line(
        f"Checked {result.rows:,} rows: {result.valid_rows:,} usable "
        f"({result.warning_rows:,} with warnings), {result.error_rows:,} with errors."
    )
    if result.valid_rows == 0:
        raise Failed("no row of the file can be imported; nothing was sent.", EXIT_ROW_ERRORS)
    return result


# -- with the server ---------------------------------------------------------------------------


async def _online(
    options: ImportOptions,
    connection: Connection,
    result: CheckResult,
    printer: Printer,
    progress: Progress,
) -> int:
    demo: Any = None
    try:
        if connection.profile is not None:
            client = OmnitronClient(connection.profile.base_url, connection.token)
            where = f"“{connection.profile.name}”"

            async def no_terminal() -> bool:
                return False  # nobody to type a password: say so and stop

            session = Session(client, no_terminal)
        else:
            from omnidesk.demo import DemoServer

            try:
                demo = DemoServer()
            except OmnitronError as taken:  # another demo started since the early check
                raise Failed(str(taken)) from None
            profile = await asyncio.to_thread(demo.start)
            printer.line(f"Demo server at {profile.base_url}, signed in as {profile.username}.")
            client = OmnitronClient(profile.base_url)
            where = "the demo"
            session = Session(client, _demo_sign_in(client))
        try:
            if demo is not None:
                await _demo_sign_in(client)()
            return await _with_session(options, session, result, printer, progress)
        except AuthenticationRequired:
            raise Failed(
                f"the saved sign-in for {where} was refused (it may have expired). "
                "Sign in again with the app (omnidesk), then run this again."
            ) from None
        except OmnitronError as problem:
            raise Failed(str(problem)) from None
        finally:
            await client.aclose()
    finally:
        if demo is not None:
            await asyncio.to_thread(demo.stop)


def _demo_sign_in(client: OmnitronClient) -> Callable[[], Awaitable[bool]]:
    async def sign_in() -> bool:
        from omnidesk.demo import DEMO_PASSWORD, DEMO_USER

        await client.login(DEMO_USER, DEMO_PASSWORD)
        return True

    return sign_in


PK_PREFIX = "pk:"
CODE_PREFIX = "code:"


async def find_list(session: Session, kind: ListKind, ref: str) -> ImportTarget:
    """The list named by ``--list``: ``pk:N``, ``code:X``, or bare digits or a code.

    ERP codes are often digits ("2024", "1"), so bare digits are looked up both
    as a pk and as an exact code. When they name two different lists the command
    stops rather than guess: importing into the wrong list overwrites its prices.
    """
    noun = kinds.info(kind).noun
    where = session.client.base_url

    async def by_pk(pk: str) -> PriceList | StockList | None:
        try:
            found: PriceList | StockList = await session.run(lambda c: c.lists(kind).get(int(pk)))
        except NotFound:
            return None
        return found

    async def by_code(code: str) -> PriceList | StockList | None:
        if not code.strip():
            raise Failed("--list needs the list's number or code; it was empty.")
        page = await session.run(lambda c: c.lists(kind).list(code_exact=code, limit=2))
        # A server that ignores an unusable filter answers with every list: check the code.
        matching = [row for row in page.results if row.code == code]
        return matching[0] if matching else None

    if ref.startswith(PK_PREFIX):
        pk = ref.removeprefix(PK_PREFIX).strip()
        if not (pk.isascii() and pk.isdigit()):
            raise Failed(f"--list {ref}: after “pk:” write the list's number, e.g. pk:12.")
        found = await by_pk(pk)
        if found is None:
            raise Failed(f"there is no {noun} with pk {pk} on {where}.")
        return ImportTarget.of(found)
    if ref.startswith(CODE_PREFIX):
        code = ref.removeprefix(CODE_PREFIX)
        found = await by_code(code)
        if found is None:
            raise Failed(f"there is no {noun} with the code “{code}” on {where}.")
        return ImportTarget.of(found)
    if not (ref.isascii() and ref.isdigit()):  # "²" and "١" are digits to str.isdigit
        found = await by_code(ref)
        if found is None:
            raise Failed(f"there is no {noun} with the code “{ref}” on {where}.")
        return ImportTarget.of(found)

    with_pk, with_code = await by_pk(ref), await by_code(ref)
    if with_pk is not None and with_code is not None and with_pk.pk != with_code.pk:
        raise Failed(
            f"--list {ref} could mean two {noun}s: “{with_pk.name}” (pk {with_pk.pk}) and "
            f"“{with_code.name}” (code “{with_code.code}”, pk {with_code.pk}). "
            f"Write --list pk:{ref} for the first or --list code:{ref} for the second."
        )
    found = with_pk or with_code
    if found is None:
        raise Failed(f"there is no {noun} with pk {ref} or the code “{ref}” on {where}.")
    return ImportTarget.of(found)


async def _with_session(
    options: ImportOptions,
    session: Session,
    result: CheckResult,
    printer: Printer,
    progress: Progress,
) -> int:
    kind = options.list_kind
    target = await find_list(session, kind, options.list_ref)
    progress.target = target
    printer.line(
        f"Target: {target.noun} “{target.name}” (pk {target.pk}) on {session.client.base_url}"
    )

    current = await session.run(lambda c: fetch_current(c, kind, target.pk))
    diff = compare(
        kind,
        result.good_rows(),
        current,
        list_currency=target.currency,
        settings=PreferencesStore(config_dir() / "preferences.json").load(),
    )
    await mark_unknown_products(session.client, diff)
    _print_diff(diff, printer)

    journal = Journal(data_dir() / "journal.sqlite3")
    try:
        sha256 = await asyncio.to_thread(file_sha256, options.file)
        earlier = journal.last_import_of(sha256, kind.value, target.pk, session.client.base_url)
        skip = frozenset() if options.all_rows else diff.unchanged_rows
        to_send = result.valid_rows - len(skip)
        stops = _reasons_to_stop(result, diff, earlier, target, printer)

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
        if skip:
            printer.line(f"Skipping {len(skip):,} unchanged rows (--all-rows sends them too).")
        if to_send <= 0:
            printer.line("Nothing to send: every row already matches the list.")
            return EXIT_ROW_ERRORS if result.error_rows else EXIT_OK

        outcome = await _upload_and_follow(
            options, session, journal, target, result, skip, sha256, printer, progress
        )
    finally:
        journal.close()
    return _report(outcome, result, printer)


def _print_diff(diff: ImportDiff, printer: Printer) -> None:
    counts = diff.counts
    printer.line(
        f"Compared with the list: {counts[ChangeKind.NEW]:,} new, "
        f"{counts[ChangeKind.CHANGED]:,} changed, {counts[ChangeKind.UNCHANGED]:,} unchanged, "
        f"{counts[ChangeKind.NOT_IN_CATALOGUE]:,} not in the catalogue."
    )
    unknown = [c.row for c in diff.changes if c.kind is ChangeKind.NOT_IN_CATALOGUE]
    if unknown:
        printer.line(f"  not in the catalogue (the server will refuse them): {_rows(unknown)}")
    for note in diff.notes:
        printer.line(f"  note: {note}")
    for guardrail in diff.guardrails:
        printer.line(f"  ! {guardrail.message} {_rows(list(guardrail.rows))}")


def _rows(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_NAMED])
    more = f" and {len(rows) - MAX_ROWS_NAMED:,} more" if len(rows) > MAX_ROWS_NAMED else ""
    return f"(row{'s' if len(rows) > 1 else ''} {shown}{more})"


def _reasons_to_stop(
    result: CheckResult,
    diff: ImportDiff,
    earlier: ImportRecord | None,
    target: ImportTarget,
    printer: Printer,
) -> list[str]:
    reasons = []
    if earlier is not None:
        when = earlier.started_at.strftime("%Y-%m-%d %H:%M UTC")
        printer.problem(
            f"this very file already went to {target.noun} “{target.name}” on {when} "
            f"({earlier.state.value})."
        )
        reasons.append("The same file was imported to this list before.")
    if result.error_rows:
        reasons.append(
            f"{_count(result.error_rows, 'row has', 'rows have')} errors (above); only the "
            f"{_count(result.valid_rows, 'good row', 'good rows')} would be sent."
        )
    if diff.guardrails:
        reasons.append(
            f"{_count(len(diff.guardrails), 'guardrail needs', 'guardrails need')} a look (above)."
        )
    return reasons


async def _upload_and_follow(
    options: ImportOptions,
    session: Session,
    journal: Journal,
    target: ImportTarget,
    result: CheckResult,
    skip: frozenset[int],
    sha256: str,
    printer: Printer,
    progress: Progress,
) -> ImportOutcome:
    with tempfile.TemporaryDirectory(prefix="omnidesk-import-") as folder:
        plan = await asyncio.to_thread(prepare_upload, result, Path(folder), skip)
        run = ImportRun(session, journal, target)

        def on_bytes(sent: int, total: int) -> None:
            percent = sent * 100 // total if total else 100
            printer.progress(
                f"Uploading {_count(plan.rows, 'row', 'rows')}: "
                f"{_size(sent)} of {_size(total)} ({percent}%)"
            )

        progress.upload_started = True
        record_id, cache_key = await run.upload(
            plan, source=options.file, sha256=sha256, on_bytes=on_bytes
        )
    progress.cache_key = cache_key
    printer.line(f"Uploaded. The server's job: {cache_key}")
    watching = run.follow(record_id, cache_key, lambda update: _show(update, printer))
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


def _show(update: FollowUpdate, printer: Printer) -> None:
    if update.trouble is not None:
        printer.progress(update.trouble, force=True)
        return
    status = update.status
    if status is None:
        return
    total = max(status.total, 0)
    done = min(status.processed, total) if total else 0
    filled = BAR_WIDTH * done // total if total else 0
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    finished = status.finished
    known = update.seconds_left is not None and not finished
    left = f", {_duration(update.seconds_left or 0)} left" if known else ""
    printer.progress(
        f"{status.state.value:8} [{bar}] {done:,}/{total:,} rows{left}", force=finished
    )


def _report(outcome: ImportOutcome, result: CheckResult, printer: Printer) -> int:
    if outcome.state is ImportState.FAILURE:
        raise Failed(f"the import failed: {outcome.reason or 'the server gave no reason.'}")
    failed = outcome.failed_rows
    printer.line(
        f"Done: {outcome.created:,} created, {outcome.updated:,} updated, "
        f"{_count(failed, 'row', 'rows')} failed."
    )
    for problem in outcome.problems:
        where = f"row {problem.row}" if problem.row is not None else "file"
        if problem.column:
            where += f", {problem.column}"
        printer.line(f"  {where}: {problem.message}")
    if outcome.error_count > len(outcome.problems):
        printer.line(
            f"  … and {outcome.error_count - len(outcome.problems):,} more the server did not list"
        )
    if result.error_rows:
        printer.line(
            f"Not sent: {_count(result.error_rows, 'row', 'rows')} with errors in the file."
        )
    return (
        EXIT_ROW_ERRORS
        if (outcome.problems or outcome.error_count or result.error_rows)
        else EXIT_OK
    )


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count / (1024 * 1024):.1f} MB"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"about {max(1, round(seconds))} s"
    if seconds < 3600:
        return f"about {round(seconds / 60)} min"
    return f"about {seconds / 3600:.1f} h"


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"
