"""What `omnidesk import` prints of the comparison, the upload's progress and the result."""

from __future__ import annotations

from omnidesk.api import ImportState
from omnidesk.i18n import N_, _, n_, number
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
from .printer import Printer, duration

MAX_ROWS_NAMED = 10  # rows named per guardrail
BAR_WIDTH = 30
# The job's state on the progress line; Celery's own word when it is none of these.
_STATE_WORDS = {
    ImportState.PENDING: N_("PENDING"),
    ImportState.PROGRESS: N_("PROGRESS"),
    ImportState.SUCCESS: N_("SUCCESS"),
    ImportState.FAILURE: N_("FAILURE"),
}


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
        _(
            "Compared with the list: {new} new, {changed} changed, {unchanged} unchanged, "
            "{unknown} not in the catalogue."
        ).format(
            new=number(counts[ChangeKind.NEW]),
            changed=number(counts[ChangeKind.CHANGED]),
            unchanged=number(counts[ChangeKind.UNCHANGED]),
            unknown=number(counts[ChangeKind.NOT_IN_CATALOGUE]),
        )
    )
    unknown = diff.not_in_catalogue
    if unknown:
        printer.line(
            "  "
            + _("not in the catalogue (the server will refuse them): {rows}").format(
                rows=_rows(unknown)
            )
        )
    print_skus(diff, printer)
    for note in diff.notes:
        printer.line("  " + note_line(note))
    for guardrail in diff.guardrails:
        printer.line(f"  ! {guardrail.message} {_rows(list(guardrail.rows))}")


def note_line(note: str) -> str:
    """``note: Two columns could be the price…``: a note of the check or the comparison."""
    return _("note: {note}").format(note=note)


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
    """``(rows 3, 4, 9)``: the sheet rows a line is about, the first few of them."""
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_NAMED])
    if len(rows) > MAX_ROWS_NAMED:
        return _("(rows {rows} and {count} more)").format(
            rows=shown, count=number(len(rows) - MAX_ROWS_NAMED)
        )
    return n_("(row {rows})", "(rows {rows})", len(rows)).format(rows=shown)


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
            printer.problem(
                _("this very file already went to {noun} “{name}” on {when} UTC ({state}).").format(
                    noun=target.noun,
                    name=target.name,
                    when=f"{earlier.started_at:%Y-%m-%d %H:%M}",
                    state=earlier.state.words,
                )
            )
            reasons.append(_("The same file was imported to this list before."))
        elif blocker.key == "row_errors":
            reasons.append(blocker.message)
    if guardrails:
        reasons.append(
            n_(
                "{count} guardrail needs a look (above).",
                "{count} guardrails need a look (above).",
                len(guardrails),
            ).format(count=number(len(guardrails)))
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
    state = _STATE_WORDS.get(status.state) if status.known else None
    word = _(state) if state is not None else (status.word or "?")
    if known:
        line = n_(
            "{state} [{bar}] {done}/{total} row, {left} left",
            "{state} [{bar}] {done}/{total} rows, {left} left",
            total,
        )
    else:
        line = n_(
            "{state} [{bar}] {done}/{total} row", "{state} [{bar}] {done}/{total} rows", total
        )
    text = line.format(
        state=word.ljust(max(len(_(known)) for known in _STATE_WORDS.values())),
        bar=bar,
        done=number(done),
        total=number(total),
        left=duration(update.seconds_left or 0),
    )
    printer.progress(text, force=finished)


def report(outcome: ImportOutcome, draft: ImportDraft, printer: Printer) -> int:
    if outcome.state is ImportState.FAILURE:
        raise ImportFailed(outcome.reason or _("the server gave no reason."))
    if outcome.ended_unknown:
        raise EndUnknown(outcome.reason or "")
    result = draft.checked
    assert result is not None
    failed = outcome.failed_rows
    if outcome.counts_known:
        done = n_(
            "Done: {created} created, {updated} updated, {failed} row failed.",
            "Done: {created} created, {updated} updated, {failed} rows failed.",
            failed,
        )
    else:
        done = n_(
            "Done: the server did not say how many rows it created or updated; {failed} row "
            "failed.",
            "Done: the server did not say how many rows it created or updated; {failed} rows "
            "failed.",
            failed,
        )
    printer.line(
        done.format(
            created=number(outcome.created), updated=number(outcome.updated), failed=number(failed)
        )
    )
    for problem in outcome.problems:
        column = header_for(result, problem.column)  # as the file names it
        if problem.row is not None and column:
            line = _("row {row}, {column}: {message}")
        elif problem.row is not None:
            line = _("row {row}: {message}")
        elif column:
            line = _("file, {column}: {message}")
        else:
            line = _("file: {message}")
        printer.line("  " + line.format(row=problem.row, column=column, message=problem.message))
    if outcome.error_count > len(outcome.problems):
        printer.line(
            "  "
            + _("… and {count} more the server did not list").format(
                count=number(outcome.error_count - len(outcome.problems))
            )
        )
    if result.error_rows:
        printer.line(
            n_(
                "Not sent: {count} row with errors in the file.",
                "Not sent: {count} rows with errors in the file.",
                result.error_rows,
            ).format(count=number(result.error_rows))
        )
    return (
        EXIT_ROW_ERRORS
        if (outcome.problems or outcome.error_count or result.error_rows)
        else EXIT_OK
    )
