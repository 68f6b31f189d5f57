"""One file on its way to one list: the import's steps, in their order, once.

    draft = ImportDraft(path, kind)
    opened = await draft.open()               # the file, its first rows, maybe its kind
    result = await draft.check()              # every row, offline
    draft.target = target
    diff = await draft.compare(session)       # against the list's current values
    draft.use_suggested_skus()                # the person's choice: the catalogue's SKUs
    diff = await draft.compare_again(session) # …for the SKUs Excel mangled
    blockers = draft.blockers(earlier)        # what needs the person's yes
    sending = await draft.upload(session, journal, folder, on_bytes=…)
    outcome = await draft.follow(sending, on_update=…)

The wizard's pages show a draft's state and pass the person's choices in; the
command line (``omnidesk import``) drives the very same draft. Neither orders
the steps itself. No Qt here: heavy steps run in a worker thread, paced so that
a window on the main thread stays responsive (``pacing``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from omnidesk.api.session import Session
from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import CheckResult, Finding

from .blockers import Blocker, blockers_of
from .diff import ImportDiff, compare, fetch_current, mark_unknown_products
from .file_draft import FileDraft
from .guardrails import GuardrailSettings
from .journal import ImportRecord, ImportReport, Journal
from .mappings import MappingMemory
from .opening import OnlyRows
from .pacing import politely, without_gc_pauses
from .reconcile import Reconciliation, journal_arrival, journal_reconciliation, reconcile
from .reporting import annotated, catalogue_findings, refused_rows, report_of
from .targets import ImportTarget
from .workflow import (
    AnswerLost,
    ImportOutcome,
    ImportRun,
    OnUpdate,
    RowProblem,
    UploadPlan,
    prepare_upload,
)


class CompareStage(StrEnum):
    READING_LIST = "reading the list"
    LOOKING_UP = "looking up new SKUs"


CompareProgress = Callable[[CompareStage, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class Sending:
    """A file the server has taken: what following it needs."""

    run: ImportRun
    record_id: int
    cache_key: str
    plan: UploadPlan


class ImportDraft(FileDraft):
    """The file, the list, and the person's choices so far; each step's result once done.

    The file's own steps (open, the columns, check) are ``FileDraft``'s (file_draft.py)."""

    def __init__(
        self,
        path: Path,
        kind: ListKind,
        *,
        target: ImportTarget | None = None,
        guess_kind: bool = False,
        sheet_name: str | None = None,
        settings: GuardrailSettings | None = None,
        paced: bool = True,
        mappings: MappingMemory | None = None,
        only_rows: OnlyRows | None = None,
    ) -> None:
        """``guess_kind``: nobody chose ``kind`` (a file given on the command line, say),
        so a file whose header fits only the other kind switches to it. ``paced``: the
        heavy steps pause now and then for a window's sake (pacing.py); the command
        line, with no window, does not. ``only_rows``: the rows of an earlier import
        that did not make it, to be sent again; the rest of the file is passed over."""
        super().__init__(
            path,
            target.kind if target is not None else kind,
            guess_kind=guess_kind and target is None,
            sheet_name=sheet_name,
            paced=paced,
            mappings=mappings,
            only_rows=only_rows,
        )
        self.target = target
        self.settings = settings or GuardrailSettings()
        self.diff: ImportDiff | None = None
        # Each row a guardrail of ``diff`` names, with the first one's message.
        self.row_flags: dict[int, str] = {}
        # The list's values as the last comparison read them, by SKU.
        self.current: dict[str, dict[str, Any]] | None = None
        # Rows of the file the person chose not to send: neither compared nor sent.
        self.left_out: frozenset[int] = frozenset()
        # Rows sent with the catalogue's SKU: sheet row → the SKU the file writes.
        self.file_skus: dict[int, str] = {}
        self.outcome: ImportOutcome | None = None

    def _rechecked(self) -> None:
        self.diff = None
        self.file_skus = {}  # a check of the file as it is: its own SKUs

    def _kind_changed(self) -> None:
        self.target = None

    # -- the person's choices ---------------------------------------------------------------------

    def choose_target(self, target: ImportTarget | None) -> None:
        self.target = target
        self.diff = None
        self.current = None

    def leave_out(self, rows: frozenset[int]) -> None:
        """Rows of the file not to send (an undo's rows changed again since, say)."""
        if rows != self.left_out:
            self.left_out = rows
            self.diff = None

    def use_suggested_skus(self, use: bool = True) -> int:
        """Send the catalogue's SKU for every row the last comparison found it for
        (``diff.near_misses``: "did you mean 018299?"), or with ``use`` False the file's
        own again. The person's file is not touched: only what is compared and sent.
        Returns how many rows go with the catalogue's SKU; compare again after it."""
        assert self.checked is not None, "check() first"
        sent = dict(self.checked.replaced_skus) if use else {}
        if use:
            assert self.diff is not None, "compare() first"
            for change in self.diff.near_misses:
                assert change.meant is not None
                sent[change.row] = change.meant
                self.file_skus[change.row] = change.sku
        else:
            self.file_skus = {}
        self.checked = self.checked.with_skus(sent)
        self.diff = None
        return len(sent)

    # -- comparing with the list ------------------------------------------------------------------

    async def compare(
        self, session: Session, progress: CompareProgress | None = None
    ) -> ImportDiff | None:
        """What the file would change in the target list; None when the list or the file
        changed meanwhile (a newer comparison then runs). Raises OmnitronError."""
        return await self._compare(session, progress, read_again=True)

    async def compare_again(
        self, session: Session, progress: CompareProgress | None = None
    ) -> ImportDiff | None:
        """As ``compare``, against the list's values as the last comparison read them
        (a moment ago): after a choice of the person's that changes only the rows."""
        return await self._compare(session, progress, read_again=False)

    async def _compare(
        self, session: Session, progress: CompareProgress | None, *, read_again: bool
    ) -> ImportDiff | None:
        """``read_again=False``: against the values the last comparison read, when only
        the rows left out changed since (a moment ago, on the person's click)."""
        assert self.target is not None, "choose the target first"
        assert self.checked is not None, "check() first"
        target, result, left_out = self.target, self.checked, self.left_out

        def still_wanted() -> bool:
            return self.target == target and self.checked is result and self.left_out == left_out

        def reading(done: int, total: int) -> None:
            if progress is not None and still_wanted():
                progress(CompareStage.READING_LIST, done, total)

        def looking_up(done: int, total: int) -> None:
            if progress is not None and still_wanted():
                progress(CompareStage.LOOKING_UP, done, total)

        if read_again or self.current is None:
            current = await session.run(lambda c: fetch_current(c, target.kind, target.pk, reading))
        else:
            current = self.current
        rows = (row for row in result.good_rows() if row.row not in left_out)
        file_skus = dict(self.file_skus)
        diff = await asyncio.get_running_loop().run_in_executor(
            None,
            without_gc_pauses,
            lambda: compare(
                target.kind,
                politely(rows) if self._pause else rows,
                current,
                list_currency=target.currency,
                settings=self.settings,
                list_name=target.name,
                named_lists=self.named_lists,
                file_skus=file_skus,
            ),
        )
        if progress is not None and still_wanted():
            progress(CompareStage.LOOKING_UP, 0, len(diff.new_at))
        await session.run(lambda c: mark_unknown_products(c, diff, looking_up, pause=self._pause))
        # Made in a worker, before the diff is anyone's: a guardrail may name every row
        # (20 ms of a window's thread at 100,000 rows).
        row_flags = await asyncio.to_thread(diff.row_flags)
        if not still_wanted():
            return None
        self.diff, self.current, self.row_flags = diff, current, row_flags
        return diff

    def rows_to_send(self, *, skip_unchanged: bool) -> int:
        if self.diff is None:
            return 0
        # Of rows sharing a SKU only the last is sent; the comparison saw exactly those.
        candidates = sum(self.diff.counts.values())
        return candidates - (len(self.diff.unchanged_rows) if skip_unchanged else 0)

    # -- what needs a yes -------------------------------------------------------------------------

    def earlier_import(self, journal: Journal, server: str) -> ImportRecord | None:
        """The last time this very file went to the target list (after ``fingerprint``)."""
        assert self.sha256 is not None, "fingerprint() first"
        assert self.target is not None
        return journal.last_import_of(self.sha256, self.target.kind.value, self.target.pk, server)

    def blockers(self, earlier: ImportRecord | None = None) -> list[Blocker]:
        """Everything the person must confirm, in the order they meet it."""
        return blockers_of(self.checked, self.diff, self.target, earlier)

    # -- sending and following --------------------------------------------------------------------

    async def plan(self, folder: Path, *, skip_unchanged: bool) -> UploadPlan:
        """Write the clean upload file (in a worker): what is sent, never the person's file."""
        assert self.checked is not None
        result = self.checked
        skip = self.diff.unchanged_rows if (skip_unchanged and self.diff) else frozenset()
        skip |= self.left_out
        return await asyncio.get_running_loop().run_in_executor(
            None,
            without_gc_pauses,
            lambda: prepare_upload(result, folder, skip, pause=self._pause, named_after=self.path),
        )

    async def send(
        self,
        session: Session,
        journal: Journal,
        plan: UploadPlan,
        *,
        username: str = "",
        on_bytes: Callable[[int, int], None] | None = None,
    ) -> Sending:
        """Journal it with its report, then send it (raises OmnitronError)."""
        assert self.target is not None
        run = ImportRun(session, journal, self.target)
        record_id, cache_key = await run.upload(
            plan,
            source=self.path,
            sha256=await self.fingerprint(),
            on_bytes=on_bytes,
            report=lambda: self.report(username, plan),
            on_journaled=lambda record_id: self.journaled(record_id, plan),
        )
        return Sending(run, record_id, cache_key, plan)

    def journaled(self, record_id: int, plan: UploadPlan) -> None:
        """Called once the import is in the journal, before a byte is sent: a draft of a
        file OmniDesk made (the staged edits of a grid, say) ties its source to it here."""

    def report(self, username: str, plan: UploadPlan) -> ImportReport:
        """What the journal keeps of this import before it goes (reporting.report_of)."""
        assert self.checked is not None
        return report_of(self.checked, self.diff, plan, username)

    async def reconcile(
        self,
        session: Session,
        journal: Journal,
        plan: UploadPlan,
        lost: AnswerLost,
        progress: Callable[[int, int], None] | None = None,
    ) -> Reconciliation:
        """The upload's answer was lost: whether the file arrived, from the list itself.

        The journal says "arrived" as soon as the first rows show in the list, and how it
        ended once the list has settled (reconcile.py)."""
        assert self.target is not None
        assert self.checked is not None
        loop = asyncio.get_running_loop()
        noted: list[asyncio.Future[None]] = []  # the journal's "arrived", once

        def heard(holding: int, sent: int) -> None:
            if holding > 0 and not noted:
                noted.append(
                    loop.run_in_executor(
                        None, journal_arrival, journal, lost.record_id, holding, sent
                    )
                )
            if progress is not None:
                progress(holding, sent)

        # Rows the list held already before the upload tell nothing of the file's arrival.
        already = self.diff.unchanged_rows if self.diff is not None else frozenset()
        try:
            found = await reconcile(
                session, self.target, self.checked, plan, already=already, progress=heard
            )
        finally:
            for note in noted:  # written before the end is, never over it
                await note
        await asyncio.to_thread(journal_reconciliation, journal, lost.record_id, found)
        return found

    async def follow(self, sending: Sending, on_update: OnUpdate | None = None) -> ImportOutcome:
        outcome = await sending.run.follow(sending.record_id, sending.cache_key, on_update)
        self.outcome = outcome
        return outcome

    # -- what happened, by the person's own rows and columns --------------------------------------

    def refused_rows(self, outcome: ImportOutcome) -> list[RowProblem]:
        """Every row that did not make it, by the file's own rows and headers."""
        return refused_rows(self.checked, outcome)

    def annotated(self, *, with_outcome: bool) -> CheckResult:
        """The check's findings and what the catalogue said of the SKUs (the near misses,
        the SKUs sent as the catalogue's), plus the server's refusals when asked: for
        the workbook."""
        assert self.checked is not None
        return annotated(self.checked, self.outcome if with_outcome else None, self.diff)

    def catalogue_findings(self) -> list[Finding]:
        """What the catalogue said of the file's SKUs, as findings on the SKU cells."""
        assert self.checked is not None
        return catalogue_findings(self.checked, self.diff)
