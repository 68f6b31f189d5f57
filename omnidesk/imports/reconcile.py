"""When the answer to an upload is lost: find out from the list itself whether the file came.

The server took the file or it did not; without its answer there is no cache key
to ask about the job. The list can be asked instead: the upload carried only rows
that would change something, so each row of it whose values the list now holds
shows the file arrived (the same comparison as before the upload); rows that
held those values already before it tell nothing and are not counted. The list is
read again until that count stops growing — the job has finished — or a bounded
time has passed; a list where not one row has changed after a while says the
file did not arrive (sending it again then is safe: an import sets values, so a
file applied twice leaves what it leaves once). Never "failed" for a file that
landed, never a guess.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from omnidesk.api.session import Session
from omnidesk.i18n import _, n_, number
from omnidesk.spreadsheet import CheckResult

from .diff import compare, fetch_current
from .journal import Journal, JournalState
from .pacing import without_gc_pauses
from .staged import StagedEdits
from .targets import ImportTarget
from .workflow import UploadPlan

# Rows holding still, twice in a row, means the server's job is done with them.
SETTLED_AFTER = 2
LOOK_EVERY = 2.0  # seconds between readings of the list
LOOK_FOR = 300.0  # seconds at most; a large file's job can take minutes
# Seconds with not one row of the file in the list: the server never took it. A job
# queued behind others may start later than this; the file sent again is harmless.
NOTHING_AFTER = 30.0


@dataclass(frozen=True)
class Reconciliation:
    sent: int  # rows the upload file carried
    holding: int  # of them, rows whose values the list now holds
    settled: bool  # the count stopped growing; False: still growing when the time was up
    # The sheet rows of the upload that did not hold the file's values at the last look.
    missing: tuple[int, ...] = field(default=(), compare=False)

    @property
    def arrived(self) -> bool:
        return self.holding > 0

    def sentence(self) -> str:
        if not self.arrived:
            return n_(
                "The file did not arrive: its {sent} row does not hold the file's values in "
                "the list. Nothing was changed; send it again.",
                "The file did not arrive: none of its {sent} rows hold the file's values in "
                "the list. Nothing was changed; send it again.",
                self.sent,
            ).format(sent=number(self.sent))
        if self.holding == self.sent:
            return n_(
                "The file arrived, though its answer was lost: its {sent} row now holds the "
                "file's values.",
                "The file arrived, though its answer was lost: all {sent} rows now hold the "
                "file's values.",
                self.sent,
            ).format(sent=number(self.sent))
        if self.settled:
            return _(
                "The file arrived, though its answer was lost: {holding} of its {sent} rows "
                "hold the file's values; the server did not take the other {other} (without "
                "its answer OmniDesk cannot say why — the comparison of the file with the "
                "list shows which)."
            ).format(
                holding=number(self.holding),
                sent=number(self.sent),
                other=number(self.sent - self.holding),
            )
        return _(
            "The file arrived, though its answer was lost: {holding} of its {sent} rows hold "
            "the file's values so far, and the server was still working when OmniDesk "
            "stopped looking. Look at the list again in a while."
        ).format(holding=number(self.holding), sent=number(self.sent))


Progress = Callable[[int, int], None]  # (rows holding the file's values, rows sent)


async def reconcile(
    session: Session,
    target: ImportTarget,
    result: CheckResult,
    plan: UploadPlan,
    *,
    already: frozenset[int] = frozenset(),
    progress: Progress | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
    look_every: float | None = None,
    look_for: float | None = None,
    nothing_after: float | None = None,
) -> Reconciliation:
    """How many of the upload's rows the list holds now, read until that settles.

    ``already``: the rows that held the file's values before the upload (sent all the
    same, unchanged rows not skipped); they say nothing of whether the file came. The
    waits default to the module's figures, read when called.
    """
    look_every = LOOK_EVERY if look_every is None else look_every
    look_for = LOOK_FOR if look_for is None else look_for
    nothing_after = NOTHING_AFTER if nothing_after is None else nothing_after
    sent_rows = set(plan.row_map) - already
    # In a worker: a hundred thousand rows made again would freeze a window for a second.
    rows = await asyncio.to_thread(
        without_gc_pauses,
        lambda: [clean for clean in result.good_rows() if clean.row in sent_rows],
    )
    started, previous, still = clock(), -1, 0
    while True:
        current = await session.run(lambda c: fetch_current(c, target.kind, target.pk))
        diff = await asyncio.to_thread(
            functools.partial(compare, target.kind, rows, current, list_currency=target.currency)
        )
        holding = len(diff.unchanged_rows)
        missing = tuple(change.row for change in diff.changes)
        if progress is not None:
            progress(holding, len(rows))
        still = still + 1 if holding == previous else 0
        if holding == len(rows) or (holding > 0 and still >= SETTLED_AFTER):
            return Reconciliation(len(rows), holding, settled=True, missing=missing)
        waited = clock() - started
        if holding == 0 and waited >= nothing_after:
            return Reconciliation(len(rows), 0, settled=True, missing=missing)
        if waited >= look_for:
            return Reconciliation(len(rows), holding, settled=False, missing=missing)
        previous = holding
        await sleep(look_every)


def journal_reconciliation(journal: Journal, record_id: int, found: Reconciliation) -> None:
    """The journal says what was found, in the same words, instead of "cut off": done
    when every row arrived, "arrived" when some did, "not sent" when none did. Grid
    edits the file carried go, or come back pending, as after any import."""
    staged = StagedEdits(journal)
    if not found.arrived:
        journal.update(record_id, state=JournalState.UPLOAD_FAILED, message=found.sentence())
        staged.settle(record_id, failed=found.sentence())
        return
    if found.settled and found.holding == found.sent:
        # Every row holds the file's values: the import is done, though how many rows
        # the server created and how many it updated went with its answer.
        journal.update(record_id, state=JournalState.SUCCESS, failed=0, message=found.sentence())
        staged.settle(record_id)
        return
    journal.update(
        record_id,
        state=JournalState.ARRIVED,
        updated=None,
        failed=found.sent - found.holding if found.settled else None,
        message=found.sentence(),
    )
    if found.settled:
        staged.settle(record_id, refused={row: found.sentence() for row in found.missing})


def journal_arrival(journal: Journal, record_id: int, holding: int, sent: int) -> None:
    """The first rows of a file whose answer was lost are seen in the list: it came. The
    journal says so at once, should the window close before the list has settled."""
    journal.update(
        record_id,
        state=JournalState.ARRIVED,
        message=Reconciliation(sent, holding, settled=False).sentence(),
    )
