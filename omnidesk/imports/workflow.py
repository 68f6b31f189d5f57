"""The import as plain async code: check → compare → upload → follow → outcome.

The wizard is a view over these steps and `omnidesk import` runs the same ones
headless. Every step that touches the journal does so before it acts, so an
import cut short anywhere can be found and followed again.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from omnidesk.api import (
    ImportState,
    ImportStatus,
    NotFound,
    OmnitronError,
    ServerUnreachable,
)
from omnidesk.api.polling import FIRST_INTERVAL, LONGEST_INTERVAL, poll_import
from omnidesk.api.session import Session
from omnidesk.spreadsheet import CheckResult, write_clean_upload

from .journal import ImportReport, Journal, JournalState, ReportRow
from .staged import StagedEdits
from .targets import ImportTarget

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


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
    count = write_clean_upload(result, path, skip_rows=skip_rows, written_rows=written, pause=pause)
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
    reason: str | None  # why a FAILURE failed, in words
    error_count: int

    @property
    def failed_rows(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})

    @property
    def succeeded(self) -> bool:
        return self.state is ImportState.SUCCESS


def outcome_of(status: ImportStatus, row_map: list[int]) -> ImportOutcome:
    """The server's answer, its row errors told against the person's own sheet rows."""
    problems = []
    for error in status.errors:
        row = None
        if error.line is not None:
            # Line 1 of the upload file is its header; line 2 is row_map[0].
            position = error.line - 2
            row = row_map[position] if 0 <= position < len(row_map) else None
        problems.append(RowProblem(row, error.column, error.message))
    return ImportOutcome(
        state=status.state,
        created=status.created,
        updated=status.updated,
        problems=tuple(problems),
        reason=status.failure_reason,
        error_count=status.error_count,
    )


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

    async def upload(
        self,
        plan: UploadPlan,
        *,
        source: Path,
        sha256: str,
        on_bytes: Callable[[int, int], None] | None = None,
        report: ImportReport | None = None,
        on_journaled: Callable[[int], None] | None = None,
    ) -> tuple[int, str]:
        """Journal first, then send; returns (journal id, cache key). ``on_journaled``
        hears the journal id before anything is sent."""
        # The row map of a large file takes a moment to pack: not on the caller's thread.
        record_id = await asyncio.to_thread(
            functools.partial(
                self.journal.start,
                file_path=source,
                sha256=sha256,
                kind=self.target.kind.value,
                list_pk=self.target.pk,
                list_name=self.target.name,
                server=self.session.client.base_url,
                rows=plan.rows,
                row_map=plan.row_map,
                report=report,
            )
        )
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
                self.journal.update(record_id, state=JournalState.UPLOAD_FAILED, message=str(lost))
                StagedEdits(self.journal).settle(record_id, failed=str(lost))
            else:  # it may be on the server; without a cache key we cannot ask
                self.journal.update(record_id, message=str(lost))
            raise
        except OmnitronError as problem:
            self.journal.update(record_id, state=JournalState.UPLOAD_FAILED, message=str(problem))
            StagedEdits(self.journal).settle(record_id, failed=str(problem))
            raise
        finally:
            ImportRun.sending_now.discard(record_id)
        self.journal.update(record_id, state=JournalState.WAITING, cache_key=cache_key)
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
                on_update(FollowUpdate(None, f"{problem} Still trying…"))

        statuses = poll_import(
            lambda: self.session.run(lambda c: c.lists(kind).import_status(pk, cache_key)),
            sleep=self.sleep,
            first_interval=self.first_interval,
            max_interval=self.max_interval,
            on_trouble=trouble,
        )
        status: ImportStatus | None = None
        try:
            async for status in statuses:
                if on_update is not None:
                    left = eta.seconds_left(status.processed, status.total)
                    on_update(FollowUpdate(status, None, left))
        except NotFound:
            reason = "The server no longer knows this import; it may have been cleaned up."
            self.journal.update(record_id, state=JournalState.FAILURE, message=reason)
            StagedEdits(self.journal).settle(record_id, failed=reason)
            return ImportOutcome(ImportState.FAILURE, 0, 0, (), reason, 0)
        assert status is not None  # the loop ends only on a finished job
        outcome = outcome_of(status, row_map)
        refused = [ReportRow(p.row, p.column, p.message) for p in outcome.problems]
        await asyncio.to_thread(self.journal.record_refused, record_id, refused)
        # Edits made in a grid and sent in this import go, but for the refused ones.
        staged = StagedEdits(self.journal)
        if outcome.succeeded:
            staged.settle(record_id, refused={p.row: p.message for p in refused if p.row})
        else:
            staged.settle(record_id, failed=outcome.reason or "The import failed.")
        self.journal.update(
            record_id,
            state=JournalState.SUCCESS if outcome.succeeded else JournalState.FAILURE,
            created=outcome.created,
            updated=outcome.updated,
            failed=outcome.failed_rows,
            message=outcome.reason,
        )
        return outcome
