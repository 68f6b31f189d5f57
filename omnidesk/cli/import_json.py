"""What `omnidesk import --json` (and `omnidesk undo --json`) prints: one object on stdout.

    {"file", "kind", "list": {"pk", "name", "code"},
     "check": {"rows", "valid_rows", "error_rows"},
     "diff": {"new", "changed", "unchanged", "not_in_catalogue", "not_in_catalogue_rows",
              "suggested_skus": [{"row", "sku", "catalogue_sku", "message"}],
              "replaced_skus": [{"row", "sku", "sent_as", "message"}]},
     "guardrails": [{"key", "message", "rows"}],
     "result": {"status", "created", "updated", "refused": [{"row", "column", "message"}]},
     "journal_id", "error"}

``result`` is null when nothing was sent (--dry-run, or stopped before the upload);
``status`` is "success", "failure", "running" (--timeout passed, the job goes on),
"unknown" (the server's statuses could not be read: check the list in Omnitron), or,
when the upload's answer was lost and the list was read to see whether the file came,
"arrived" or "not arrived" (then ``holding`` of ``sent`` rows hold the file's values);
``created`` and ``updated`` are null when the server did not say them.
``refused`` are the server's refusals, by the file's own rows and headers; the rows the
check held back are counted in ``check.error_rows`` (``--errors-out`` writes both).
``error`` says in a sentence why the command stopped, or is null.
``suggested_skus`` are the rows whose SKU the catalogue does not have but has in another
spelling (leading zeros, case, spaces, a trailing ".0"), with the SKU meant; with
--use-suggested-skus they are sent with it instead, and listed in ``replaced_skus``
(``sku`` as the file writes it, ``sent_as`` the catalogue's). ``message`` is the sentence
the window shows for the row.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omnidesk import kinds
from omnidesk.api import ImportState, ListKind
from omnidesk.imports import ChangeKind, header_for

if TYPE_CHECKING:
    from .import_command import Progress


def import_json(
    file: Path, kind: ListKind, progress: Progress, error: str | None
) -> dict[str, Any]:
    draft = progress.draft
    result = draft.checked if draft is not None else None
    diff = draft.diff if draft is not None else None
    target = progress.target
    data: dict[str, Any] = {
        "file": str(file),
        "kind": kinds.info(kind).word,
        "list": None,
        "check": None,
        "diff": None,
        "guardrails": [],
        "result": None,
        "journal_id": progress.record_id,
        "error": error,
    }
    if target is not None:
        data["list"] = {"pk": target.pk, "name": target.name, "code": target.code}
    if result is not None:
        data["check"] = {
            "rows": result.rows,
            "valid_rows": result.valid_rows,
            "error_rows": result.error_rows,
        }
    if diff is not None:
        counts = diff.counts
        data["diff"] = {
            "new": counts[ChangeKind.NEW],
            "changed": counts[ChangeKind.CHANGED],
            "unchanged": counts[ChangeKind.UNCHANGED],
            "not_in_catalogue": counts[ChangeKind.NOT_IN_CATALOGUE],
            "not_in_catalogue_rows": list(diff.not_in_catalogue),
            "suggested_skus": [
                {"row": c.row, "sku": c.sku, "catalogue_sku": c.meant, "message": c.finding}
                for c in diff.near_misses
            ],
            "replaced_skus": [
                {"row": c.row, "sku": c.file_sku, "sent_as": c.sku, "message": c.finding}
                for c in diff.replaced
            ],
        }
        data["guardrails"] = [
            {"key": g.key, "message": g.message, "rows": list(g.rows)} for g in diff.guardrails
        ]
    outcome = progress.outcome
    if outcome is not None:
        counted = outcome.counts_known
        data["result"] = {
            "status": _status(outcome.state),
            "created": outcome.created if counted else None,
            "updated": outcome.updated if counted else None,
            "refused": [
                {"row": p.row, "column": header_for(result, p.column), "message": p.message}
                for p in outcome.problems
            ],
        }
    elif progress.reconciled is not None:
        found = progress.reconciled
        data["result"] = {
            "status": "arrived" if found.arrived else "not arrived",
            "created": None,
            "updated": None,
            "refused": [],
            "holding": found.holding,
            "sent": found.sent,
        }
    elif progress.still_running:
        data["result"] = {"status": "running", "created": 0, "updated": 0, "refused": []}
    data.update(progress.extra)
    return data


def _status(state: ImportState) -> str:
    if state is ImportState.SUCCESS:
        return "success"
    # The server's statuses could not be read (V10): it may well have worked, so never
    # "failure"; the list in Omnitron tells, and the journal keeps the job.
    return "unknown" if state is ImportState.UNKNOWN else "failure"


def print_json(data: dict[str, Any]) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    sys.stdout.flush()
