"""The import as plain async code: check → compare → upload → follow → outcome.

The wizard is a view over these steps and `omnidesk import` runs the same ones
headless. Every step that touches the journal does so before it acts, so an
import cut short anywhere can be found and followed again.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from omnidesk import spreadsheet
from omnidesk.api import (
    ImportState,
    ImportStatus,
    ImportStatusUnclear,
    NotFound,
    OmnitronError,
    ServerUnreachable,
)
from omnidesk.api.polling import FIRST_INTERVAL, LONGEST_INTERVAL, poll_import
from omnidesk.api.session import Session
from omnidesk.i18n import _, n_, number
from omnidesk.spreadsheet import CheckResult

from .journal import ImportReport, Journal, JournalState, ReportRow
from .pacing import dismantle, without_gc_pauses
from .staged import StagedEdits
from .targets import ImportTarget

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


class AnswerLost(ServerUnreachable):
    """The file went out but the server's answer never came: it may be on the server.

    Carries the journal's record, so that the list can be asked whether it arrived
    (reconcile.py) and the record then tells what was found.
    """

    def __init__(self, lost: ServerUnreachable, record_id: int) -> None:
        super().__init__(lost.message, maybe_applied=True)
        self.record_id = record_id


@dataclass(frozen=True)
class UploadPlan:
    path: Path
    rows: int
    row_map: list[int]  # the sheet row of each data line of the upload file


def prepare_upload(
    result: CheckResult,
    folder: Path,
    skip_rows: frozenset[int],
    *,
    pause: Callable[[], None] | None = None,
    named_after: Path | None = None,
) -> UploadPlan:
    """Write the clean upload file (CSV: quick to write and small); plain CPU and disk work.

    It is ``named_after`` the person's own file, as a .csv: the server keeps the name
    it was sent under, and that is what anyone looking at Omnitron's imports sees.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (f"{named_after.stem}.csv" if named_after is not None else "upload.csv")
    written: list[int] = []
    # Looked up now, not at import: the writers bring openpyxl (see spreadsheet/__init__).
    count = spreadsheet.write_clean_upload(
        result, path, skip_rows=skip_rows, written_rows=written, pause=pause
    )
    return UploadPlan(path, count, written)


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # the person's sheet row; None for the file as a whole
    column: str | None
    message: str


@dataclass(frozen=True)
class ImportOutcome:
    state: ImportState
    created: int
    updated: int
    problems: tuple[RowProblem, ...]
    reason: str | None  # why a FAILURE failed, or why the end is not known, in words
    error_count: int
    # The counters the server told (V10: some servers tell none): the others read 0.
    counted: frozenset[str] = frozenset({"created", "updated"})
    # How far the job got, as the last status that said so (0 when none did).
    processed: int = 0
    total: int = 0

    @property
    def partly_applied(self) -> bool:
        """A job that failed after the server had worked through some rows: the list
        holds part of the file (a server that died mid-import)."""
        return self.state is ImportState.FAILURE and (
            self.processed > 0 or self.created + self.updated > 0
        )

    @property
    def counts_known(self) -> bool:
        return {"created", "updated"} <= self.counted

    @property
    def ended_unknown(self) -> bool:
        """Followed until its statuses could not be read: how it ended is not known."""
        return self.state is ImportState.UNKNOWN

    @property
    def failed_rows(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})

    @property
    def succeeded(self) -> bool:
        return self.state is ImportState.SUCCESS


def partly_updated(noun: str, processed: int, total: int) -> str:
    """What a job that failed midway left behind, in words."""
    if total > processed:
        how_far = n_(
            "the server had worked through {processed} of {total} row when it stopped",
            "the server had worked through {processed} of {total} rows when it stopped",
            total,
        ).format(processed=number(processed), total=number(total))
    else:
        how_far = n_(
            "the server had worked through {processed} row when it stopped",
            "the server had worked through {processed} rows when it stopped",
            processed,
        ).format(processed=number(processed))
    return _(
        "The {noun} is partly updated: {how_far}. Check the {noun} in Omnitron; sending "
        "the same file again brings the other rows in and leaves the ones already done as "
        "they are."
    ).format(noun=noun, how_far=how_far)


def outcome_of(
    status: ImportStatus,
    row_map: list[int],
    *,
    furthest: ImportStatus | None = None,
    noun: str = "",
) -> ImportOutcome:
    """The server's answer, its row errors told against the person's own sheet rows.

    ``furthest``: the status that said the most rows were processed, for a job that
    failed midway (its last answer may no longer count them)."""
    problems = []
    for error in status.errors:
        row = None
        if error.line is not None:
            # Line 1 of the upload file is its header; line 2 is row_map[0].
            position = error.line - 2
            row = row_map[position] if 0 <= position < len(row_map) else None
        problems.append(RowProblem(row, error.column, error.message))
    far = furthest if furthest is not None and furthest.processed > status.processed else status
    outcome = ImportOutcome(
        state=status.state,
        created=status.created,
        updated=status.updated,
        problems=tuple(problems),
        reason=status.failure_reason,
        error_count=status.error_count,
        counted=frozenset(status.counted),
        processed=far.processed if "processed" in far.counted else 0,
        total=far.total if "total" in far.counted else 0,
    )
    if outcome.partly_applied:
        processed = outcome.processed or outcome.created + outcome.updated
        said = partly_updated(noun or _("list"), processed, outcome.total)
        outcome = dataclasses.replace(outcome, reason=f"{said} {outcome.reason or ''}".strip())
    return outcome


class EtaEstimator:
    """Time left from the rows processed so far: a rate over the recent past."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.samples: list[tuple[float, int]] = []

    def seconds_left(self, processed: int, total: int) -> float | None:
        now = self.clock()
        self.samples.append((now, processed))
        self.samples = [s for s in self.samples if now - s[0] <= 30] or [(now, processed)]
        first_time, first_done = self.samples[0]
        elapsed, done = now - first_time, processed - first_done
        if elapsed <= 0 or done <= 0 or total <= processed:
            return None
        return (total - processed) / (done / elapsed)


@dataclass(frozen=True)
class FollowUpdate:
    """One moment of following: the server's status, or why there is none just now."""

    status: ImportStatus | None
    trouble: str | None = None
    seconds_left: float | None = None


OnUpdate = Callable[[FollowUpdate], None]


class ImportRun:
    """Uploads one checked file to one list and follows the server's job to its end."""

    # Journal records whose file this process is sending right now: such a record has
    # no cache key yet, and must not be taken for one whose answer was lost.
    sending_now: set[int] = set()  # noqa: RUF012 - one process, one set, on purpose

    def __init__(
        self,
        session: Session,
        journal: Journal,
        target: ImportTarget,
        *,
        first_interval: float = FIRST_INTERVAL,
        max_interval: float = LONGEST_INTERVAL,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.session = session
        self.journal = journal
        self.target = target
        self.first_interval = first_interval
        self.max_interval = max_interval
        self.sleep = sleep

    async def _note(self, record_id: int, **fields: Any) -> None:
        """A journal update, off the caller's thread: a write can wait on the disk."""
        await asyncio.to_thread(functools.partial(self.journal.update, record_id, **fields))

    async def _settle(self, record_id: int, **outcome: Any) -> None:
        """The grid edits this import carried: gone, or back with the server's words."""
        staged = StagedEdits(self.journal)
        await asyncio.to_thread(functools.partial(staged.settle, record_id, **outcome))

    async def upload(
        self,
        plan: UploadPlan,
        *,
        source: Path,
        sha256: str,
        on_bytes: Callable[[int, int], None] | None = None,
        report: Callable[[], ImportReport] | None = None,
        on_journaled: Callable[[int], None] | None = None,
    ) -> tuple[int, str]:
        """Journal first, then send; returns (journal id, cache key). ``report`` makes
        what the journal keeps with the record; ``on_journaled`` hears the journal id
        before anything is sent."""

        def journal_it() -> int:
            made = report() if report is not None else None
            record_id = self.journal.start(
                file_path=source,
                sha256=sha256,
                kind=self.target.kind.value,
                list_pk=self.target.pk,
                list_name=self.target.name,
                server=self.session.client.base_url,
                rows=plan.rows,
                row_map=plan.row_map,
                report=made,
            )
            if made is not None:
                rows = made.rows_held()
                del made  # its tuples go; their rows, held by ``rows`` alone, are let go
                dismantle(rows)  # of in pieces, so the window gets its turns meanwhile
            return record_id

        # Not on the caller's thread: the row map and the report of a large file take a
        # moment to pack, and the report, every sent row's values before and after, as
        # long to let go of (45-55 ms at 100,000 rows), so it is made and dropped there.
        record_id = await asyncio.to_thread(without_gc_pauses, journal_it)
        ImportRun.sending_now.add(record_id)
        if on_journaled is not None:
            on_journaled(record_id)
        try:
            cache_key: str = await self.session.run(
                lambda c: c.lists(self.target.kind).upload(
                    self.target.pk, plan.path, on_progress=on_bytes
                )
            )
        except ServerUnreachable as lost:
            if not lost.maybe_applied:
                await self._note(record_id, state=JournalState.UPLOAD_FAILED, message=str(lost))
                await self._settle(record_id, failed=str(lost))
            else:  # it may be on the server; without a cache key the list must be asked
                await self._note(record_id, message=str(lost))
                raise AnswerLost(lost, record_id) from None
            raise
        except OmnitronError as problem:
            await self._note(record_id, state=JournalState.UPLOAD_FAILED, message=str(problem))
            await self._settle(record_id, failed=str(problem))
            raise
        finally:
            ImportRun.sending_now.discard(record_id)
        await self._note(record_id, state=JournalState.WAITING, cache_key=cache_key)
        return record_id, cache_key

    async def follow(
        self, record_id: int, cache_key: str, on_update: OnUpdate | None = None
    ) -> ImportOutcome:
        """Poll until the job ends. Lost connections are waited out; cancelling only stops
        the watching, never the server's job (the journal keeps it for later)."""
        row_map = await asyncio.to_thread(self.journal.row_map, record_id)
        eta = EtaEstimator()
        kind, pk = self.target.kind, self.target.pk

        def trouble(problem: OmnitronError) -> None:
            if on_update is not None:
                on_update(FollowUpdate(None, _("{problem} Still trying…").format(problem=problem)))

        statuses = poll_import(
            lambda: self.session.run(lambda c: c.lists(kind).import_status(pk, cache_key)),
            sleep=self.sleep,
            first_interval=self.first_interval,
            max_interval=self.max_interval,
            on_trouble=trouble,
            noun=self.target.noun,
        )
        status: ImportStatus | None = None
        furthest: ImportStatus | None = None
        try:
            async for status in statuses:
                if "processed" in status.counted and (
                    furthest is None or status.processed >= furthest.processed
                ):
                    furthest = status
                if on_update is not None:
                    left = eta.seconds_left(status.processed, status.total)
                    on_update(FollowUpdate(status, None, left))
        except NotFound:
            reason = _("The server no longer knows this import; it may have been cleaned up.")
            await self._note(record_id, state=JournalState.FAILURE, message=reason)
            await self._settle(record_id, failed=reason)
            return ImportOutcome(ImportState.FAILURE, 0, 0, (), reason, 0)
        except ImportStatusUnclear as unclear:
            # Not a failure: the job may well have worked. It stays unfinished in the
            # journal, with the sentence that sends the person to Omnitron.
            await self._note(record_id, message=str(unclear))
            return ImportOutcome(ImportState.UNKNOWN, 0, 0, (), str(unclear), 0, frozenset())
        assert status is not None  # the loop ends only on a finished job
        outcome = outcome_of(status, row_map, furthest=furthest, noun=self.target.noun)
        refused = [ReportRow(p.row, p.column, p.message) for p in outcome.problems]
        await asyncio.to_thread(
            without_gc_pauses, functools.partial(self.journal.record_refused, record_id, refused)
        )
        # Edits made in a grid and sent in this import go, but for the refused ones.
        if outcome.succeeded:
            await self._settle(record_id, refused={p.row: p.message for p in refused if p.row})
        else:
            await self._settle(record_id, failed=outcome.reason or _("The import failed."))
        await self._note(
            record_id,
            state=JournalState.SUCCESS if outcome.succeeded else JournalState.FAILURE,
            created=outcome.created,
            updated=outcome.updated,
            failed=outcome.failed_rows,
            message=outcome.reason,
        )
        return outcome
