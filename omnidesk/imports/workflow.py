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
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from omnidesk import kinds
from omnidesk.api import (
    AnyList,
    ImportState,
    ImportStatus,
    ListKind,
    NotFound,
    OmnitronError,
    ServerError,
    ServerUnreachable,
)
from omnidesk.api.session import Session
from omnidesk.spreadsheet import CheckResult, Finding, Severity, write_clean_upload

from .journal import Journal, JournalState

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


@dataclass(frozen=True)
class ImportTarget:
    kind: ListKind
    pk: int
    name: str
    currency: str | None = None  # lists of a kind with a currency only

    @classmethod
    def of(cls, row: AnyList) -> ImportTarget:
        return cls(row.kind, row.pk, row.name, row.currency)

    @property
    def noun(self) -> str:
        return kinds.info(self.kind).noun


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
) -> UploadPlan:
    """Write the clean upload file (CSV: quick to write and small); plain CPU and disk work."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "upload.csv"
    written: list[int] = []
    count = write_clean_upload(result, path, skip_rows=skip_rows, written_rows=written, pause=pause)
    return UploadPlan(path, count, written)


def let_others_run(seconds: float = 0.001) -> None:
    """Give up the interpreter for a moment. A worker thread crunching rows otherwise
    keeps winning the GIL back, and a Qt window waiting to run its callbacks stalls."""
    time.sleep(seconds)


def politely(rows: Iterable[T], every: int = 500) -> Iterator[T]:
    """The same rows, with ``let_others_run`` between every ``every`` of them."""
    for count, row in enumerate(rows, 1):
        yield row
        if count % every == 0:
            let_others_run()


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


def with_server_problems(result: CheckResult, outcome: ImportOutcome) -> CheckResult:
    """The check's findings plus the server's row errors, for the annotated workbook."""
    extra = []
    for problem in outcome.problems:
        if problem.row is None:
            continue
        column_index = result.mapping.column_of(problem.column) if problem.column else None
        header = result.mapping.headers[column_index] if column_index is not None else None
        extra.append(
            Finding(
                problem.row,
                header,
                Severity.ERROR,
                f"The server refused this row: {problem.message}",
                field=problem.column,
                column_index=column_index,
            )
        )
    findings = sorted(
        [*result.findings, *extra],
        key=lambda f: (f.row, -1 if f.column_index is None else f.column_index),
    )
    return dataclasses.replace(result, findings=findings)


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

    def __init__(
        self,
        session: Session,
        journal: Journal,
        target: ImportTarget,
        *,
        first_interval: float = 0.25,
        max_interval: float = 3.0,
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
    ) -> tuple[int, str]:
        """Journal first, then send; returns (journal id, cache key)."""
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
            )
        )
        try:
            cache_key: str = await self.session.run(
                lambda c: c.lists(self.target.kind).upload(
                    self.target.pk, plan.path, on_progress=on_bytes
                )
            )
        except ServerUnreachable as lost:
            if not lost.maybe_applied:
                self.journal.update(record_id, state=JournalState.UPLOAD_FAILED, message=str(lost))
            else:  # it may be on the server; without a cache key we cannot ask
                self.journal.update(record_id, message=str(lost))
            raise
        except OmnitronError as problem:
            self.journal.update(record_id, state=JournalState.UPLOAD_FAILED, message=str(problem))
            raise
        self.journal.update(record_id, state=JournalState.WAITING, cache_key=cache_key)
        return record_id, cache_key

    async def follow(
        self, record_id: int, cache_key: str, on_update: OnUpdate | None = None
    ) -> ImportOutcome:
        """Poll until the job ends. Lost connections are waited out; cancelling only stops
        the watching, never the server's job (the journal keeps it for later)."""
        row_map = await asyncio.to_thread(self.journal.row_map, record_id)
        eta = EtaEstimator()
        interval = self.first_interval
        while True:
            try:
                status: ImportStatus = await self.session.run(
                    lambda c: c.lists(self.target.kind).import_status(self.target.pk, cache_key)
                )
            except NotFound:
                reason = "The server no longer knows this import; it may have been cleaned up."
                self.journal.update(record_id, state=JournalState.FAILURE, message=reason)
                return ImportOutcome(ImportState.FAILURE, 0, 0, (), reason, 0)
            except (ServerUnreachable, ServerError) as trouble:
                if on_update is not None:
                    on_update(FollowUpdate(None, f"{trouble} Still trying…"))
                await self.sleep(self.max_interval)
                continue
            if on_update is not None:
                left = eta.seconds_left(status.processed, status.total)
                on_update(FollowUpdate(status, None, left))
            if status.finished:
                outcome = outcome_of(status, row_map)
                self.journal.update(
                    record_id,
                    state=JournalState.SUCCESS if outcome.succeeded else JournalState.FAILURE,
                    created=outcome.created,
                    updated=outcome.updated,
                    failed=outcome.failed_rows,
                    message=outcome.reason,
                )
                return outcome
            await self.sleep(interval)
            interval = min(self.max_interval, interval * 1.5)
