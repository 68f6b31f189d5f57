"""`omnidesk import` with the server, once signed in: the target list, the comparison,
what stops the import (unless --yes), the dry run, the upload, a lost answer reconciled,
following the job and the result. import_command.py checks the file and signs in first.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from omnidesk.api.session import Session
from omnidesk.i18n import _, n_, number, percent
from omnidesk.imports import (
    AnswerLost,
    ChangeKind,
    ImportDraft,
    ImportOutcome,
    Journal,
    UploadPlan,
    find_list,
)
from omnidesk.settings.paths import journal_file

from .connection import Failed
from .exit_codes import EXIT_FAILURE, EXIT_OK, EXIT_ROW_ERRORS, EXIT_STILL_RUNNING
from .import_output import (
    EndUnknown,
    ImportFailed,
    print_diff,
    reasons_to_stop,
    report,
    show_progress,
)
from .printer import Printer, size

if TYPE_CHECKING:
    from .import_command import DraftSource, ImportOptions, Progress


async def with_server(
    options: ImportOptions,
    session: Session,
    draft: ImportDraft,
    printer: Printer,
    progress: Progress,
    source: DraftSource,
) -> int:
    """From the target list to the result, signed in; the exit code (raises Failed)."""
    # A draft OmniDesk made (an undo) knows its list; a file from the command line does not.
    target = draft.target or await find_list(session, draft.kind, options.list_ref)
    draft.choose_target(target)
    progress.target = target
    printer.line(
        _("Target: {noun} “{name}” (pk {pk}) on {server}").format(
            noun=target.noun, name=target.name, pk=target.pk, server=session.client.base_url
        )
    )
    diff = await draft.compare(session)
    assert diff is not None  # nothing changes the target or the file meanwhile here
    if options.use_suggested_skus and diff.near_misses:
        draft.use_suggested_skus()
        diff = await draft.compare_again(session)
        assert diff is not None
    print_diff(diff, printer)
    progress.extra = source.compared(draft, printer)
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
            printer.line(
                n_(
                    "Dry run: {count} row would be sent; nothing was sent.",
                    "Dry run: {count} rows would be sent; nothing was sent.",
                    to_send,
                ).format(count=number(to_send))
            )
            if stops:
                printer.problem(
                    _("without --dry-run this would stop: {reasons}").format(
                        reasons=" ".join(stops)
                    )
                )
            unknown = diff.counts[ChangeKind.NOT_IN_CATALOGUE]
            would_fail = stops or unknown or result.error_rows
            return EXIT_ROW_ERRORS if would_fail else EXIT_OK
        if stops and not options.yes:
            raise Failed(
                _("stopped before uploading: {reasons} Add --yes to go on.").format(
                    reasons=" ".join(stops)
                ),
                EXIT_ROW_ERRORS,
            )
        if skip_unchanged and diff.unchanged_rows:
            unchanged = len(diff.unchanged_rows)
            printer.line(
                n_(
                    "Skipping {count} unchanged row (--all-rows sends it too).",
                    "Skipping {count} unchanged rows (--all-rows sends them too).",
                    unchanged,
                ).format(count=number(unchanged))
            )
        if to_send <= 0:
            printer.line(_("Nothing to send: every row already matches the list."))
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
        raise Failed(_("the import failed: {reason}").format(reason=failed.reason)) from None
    except EndUnknown as unknown:
        raise Failed(unknown.reason, EXIT_STILL_RUNNING) from None


async def _reconciled(
    session: Session,
    journal: Journal,
    draft: ImportDraft,
    plan: UploadPlan,
    lost: AnswerLost,
    printer: Printer,
    progress: Progress,
) -> int:
    """The upload's answer was lost: the list tells whether the file came; the exit code."""
    printer.line(
        _(
            "The connection broke before the server answered; looking at the list to see "
            "whether the file arrived…"
        )
    )
    found = await draft.reconcile(
        session,
        journal,
        plan,
        lost,
        lambda holding, sent: printer.progress(
            n_(
                "{holding} of {sent} row holds the file's values",
                "{holding} of {sent} rows hold the file's values",
                sent,
            ).format(holding=number(holding), sent=number(sent))
        ),
    )
    printer.finish_progress()
    progress.reconciled, progress.record_id = found, lost.record_id
    if not found.arrived:
        # The sentence as the journal has it: no str.lower() on a translated sentence
        # (Turkish "İ" would lose its dot).
        raise Failed(found.sentence(), EXIT_FAILURE)
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
            share = sent * 100 // total if total else 100
            printer.progress(
                n_(
                    "Uploading {count} row: {sent} of {total} ({percent})",
                    "Uploading {count} rows: {sent} of {total} ({percent})",
                    plan.rows,
                ).format(
                    count=number(plan.rows),
                    sent=size(sent),
                    total=size(total),
                    percent=percent(share),
                )
            )

        progress.upload_started = True
        try:
            sending = await draft.send(
                session, journal, plan, username=progress.username, on_bytes=on_bytes
            )
        except AnswerLost as lost:
            return await _reconciled(session, journal, draft, plan, lost, printer, progress)
    progress.cache_key, progress.record_id = sending.cache_key, sending.record_id
    printer.line(_("Uploaded. The server's job: {key}").format(key=sending.cache_key))
    watching = draft.follow(sending, lambda update: show_progress(update, printer))
    try:
        # A scheduled job must end even if the server never does; its import stays
        # in the journal as unfinished, for the app to follow later.
        outcome = await asyncio.wait_for(watching, options.timeout)
    except TimeoutError:
        progress.still_running = True
        raise Failed(
            _(
                "stopped watching after {seconds} s: the server's import goes on. Open "
                "OmniDesk to see how it ends (it is in the import history)."
            ).format(seconds=number(options.timeout or 0)),
            EXIT_STILL_RUNNING,
        ) from None
    printer.finish_progress()
    progress.outcome = outcome
    return outcome
