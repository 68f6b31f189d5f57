"""What `omnidesk import` prints of the comparison, the upload's progress and the result."""

from __future__ import annotations

from omnidesk.api import ImportState
from omnidesk.i18n import _, n_, number
from omnidesk.imports import (
    Blocker,
    ChangeKind,
    FollowUpdate,
    ImportDiff,
    ImportDraft,
    ImportOutcome,
    ImportRecord,
    ImportTarget,
    header_for,
)

from .exit_codes import EXIT_OK, EXIT_ROW_ERRORS
from .printer import Printer, count, duration

MAX_ROWS_NAMED = 10  # rows named per guardrail
BAR_WIDTH = 30


class EndUnknown(Exception):
    """Followed until its statuses could not be read: the job may go on on the server."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ImportFailed(Exception):
    """The import's job ended in FAILURE: the command fails with the server's reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def print_diff(diff: ImportDiff, printer: Printer) -> None:
    counts = diff.counts
    printer.line(
        f"Compared with the list: {counts[ChangeKind.NEW]:,} new, "
        f"{counts[ChangeKind.CHANGED]:,} changed, {counts[ChangeKind.UNCHANGED]:,} unchanged, "
        f"{counts[ChangeKind.NOT_IN_CATALOGUE]:,} not in the catalogue."
    )
    unknown = diff.not_in_catalogue
    if unknown:
        printer.line(f"  not in the catalogue (the server will refuse them): {_rows(unknown)}")
    print_skus(diff, printer)
    for note in diff.notes:
        printer.line(f"  note: {note}")
    for guardrail in diff.guardrails:
        printer.line(f"  ! {guardrail.message} {_rows(list(guardrail.rows))}")


def print_skus(diff: ImportDiff, printer: Printer) -> None:
    """The SKUs Excel mangled, each with the SKU meant, or sent as the catalogue's."""
    for change in [*diff.near_misses, *diff.replaced][:MAX_ROWS_NAMED]:
        printer.line(
            "  "
            + _("row {row}, {sku}: {finding}").format(
                row=change.row, sku=change.file_sku or change.sku, finding=change.finding
            )
        )
    shown = len(diff.near_misses) + len(diff.replaced)
    if shown > MAX_ROWS_NAMED:
        printer.line(
            "  "
            + n_("… and {count} more", "… and {count} more", shown - MAX_ROWS_NAMED).format(
                count=number(shown - MAX_ROWS_NAMED)
            )
        )
    if diff.near_misses:
        printer.line(
            "  "
            + n_(
                "Add --use-suggested-skus to send the catalogue's SKU for this row; the "
                "file itself is not changed.",
                "Add --use-suggested-skus to send the catalogue's SKUs for these {count} "
                "rows; the file itself is not changed.",
                len(diff.near_misses),
            ).format(count=number(len(diff.near_misses)))
        )
    elif diff.replaced:
        printer.line(
            "  "
            + n_(
                "{count} row goes with the catalogue's SKU (--use-suggested-skus); the "
                "file itself is not changed.",
                "{count} rows go with the catalogue's SKUs (--use-suggested-skus); the "
                "file itself is not changed.",
                len(diff.replaced),
            ).format(count=number(len(diff.replaced)))
        )


def _rows(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_NAMED])
    more = f" and {len(rows) - MAX_ROWS_NAMED:,} more" if len(rows) > MAX_ROWS_NAMED else ""
    return f"(row{'s' if len(rows) > 1 else ''} {shown}{more})"


def reasons_to_stop(
    blockers: list[Blocker],
    earlier: ImportRecord | None,
    target: ImportTarget,
    printer: Printer,
) -> list[str]:
    """The draft's blockers, told in a line each (the guardrails in one)."""
    reasons = []
    guardrails = [b for b in blockers if b.key.startswith("guardrail:")]
    for blocker in blockers:
        if blocker.key == "sent_before" and earlier is not None:
            when = earlier.started_at.strftime("%Y-%m-%d %H:%M UTC")
            printer.problem(
                f"this very file already went to {target.noun} “{target.name}” on {when} "
                f"({earlier.state.words})."
            )
            reasons.append("The same file was imported to this list before.")
        elif blocker.key == "row_errors":
            reasons.append(blocker.message)
    if guardrails:
        reasons.append(
            f"{count(len(guardrails), 'guardrail needs', 'guardrails need')} a look (above)."
        )
    return reasons


def show_progress(update: FollowUpdate, printer: Printer) -> None:
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
    left = f", {duration(update.seconds_left or 0)} left" if known else ""
    word = status.state.value if status.known else (status.word or "?")
    printer.progress(f"{word:8} [{bar}] {done:,}/{total:,} rows{left}", force=finished)


def report(outcome: ImportOutcome, draft: ImportDraft, printer: Printer) -> int:
    if outcome.state is ImportState.FAILURE:
        raise ImportFailed(outcome.reason or "the server gave no reason.")
    if outcome.ended_unknown:
        raise EndUnknown(outcome.reason or "")
    result = draft.checked
    assert result is not None
    if outcome.counts_known:
        printer.line(
            f"Done: {outcome.created:,} created, {outcome.updated:,} updated, "
            f"{count(outcome.failed_rows, 'row', 'rows')} failed."
        )
    else:
        printer.line(
            "Done: the server did not say how many rows it created or updated; "
            f"{count(outcome.failed_rows, 'row', 'rows')} failed."
        )
    for problem in outcome.problems:
        where = f"row {problem.row}" if problem.row is not None else "file"
        if problem.column:
            where += f", {header_for(result, problem.column)}"  # as the file names it
        printer.line(f"  {where}: {problem.message}")
    if outcome.error_count > len(outcome.problems):
        printer.line(
            f"  … and {outcome.error_count - len(outcome.problems):,} more the server did not list"
        )
    if result.error_rows:
        printer.line(
            f"Not sent: {count(result.error_rows, 'row', 'rows')} with errors in the file."
        )
    return (
        EXIT_ROW_ERRORS
        if (outcome.problems or outcome.error_count or result.error_rows)
        else EXIT_OK
    )
