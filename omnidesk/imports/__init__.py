"""The import workflow as plain async code, shared by the wizard and `omnidesk import`.

result = check_spreadsheet(...)                        # omnidesk.spreadsheet
current = await fetch_current(client, kind, pk)
diff = compare(kind, result.good_rows(), current, list_currency=...)
plan = prepare_upload(result, folder, skip_rows)
run = ImportRun(session, journal, target)
record_id, key = await run.upload(plan, source=path, sha256=...)
outcome = await run.follow(record_id, key, on_update)
"""

from .diff import (
    Change,
    ChangeKind,
    Guardrail,
    ImportDiff,
    compare,
    fetch_current,
    mark_unknown_products,
)
from .guardrails import GUARDRAILS, GuardrailSettings
from .journal import ImportRecord, Journal, JournalState, file_sha256
from .workflow import (
    EtaEstimator,
    FollowUpdate,
    ImportOutcome,
    ImportRun,
    ImportTarget,
    RowProblem,
    UploadPlan,
    outcome_of,
    prepare_upload,
    with_server_problems,
)

__all__ = [
    "GUARDRAILS",
    "Change",
    "ChangeKind",
    "EtaEstimator",
    "FollowUpdate",
    "Guardrail",
    "GuardrailSettings",
    "ImportDiff",
    "ImportOutcome",
    "ImportRecord",
    "ImportRun",
    "ImportTarget",
    "Journal",
    "JournalState",
    "RowProblem",
    "UploadPlan",
    "compare",
    "fetch_current",
    "file_sha256",
    "mark_unknown_products",
    "outcome_of",
    "prepare_upload",
    "with_server_problems",
]
