"""The import workflow as plain async code, shared by the wizard and `omnidesk import`.

draft = ImportDraft(path, kind)        # preparation: the steps in their order, once
await draft.open(); await draft.check()
draft.target = ImportTarget.of(a_list)
await draft.compare(session)
sending = await draft.send(session, journal, await draft.plan(folder, skip_unchanged=True))
outcome = await draft.follow(sending)

Underneath: diff (the comparison), guardrails (what needs a second look),
workflow (upload and follow, with the journal), journal, targets, pacing.
"""

from .blockers import Blocker
from .diff import (
    Change,
    ChangeKind,
    Guardrail,
    ImportDiff,
    compare,
    fetch_current,
    mark_unknown_products,
)
from .file_draft import Opened
from .guardrails import GUARDRAILS, GuardrailSettings
from .history import FileChanged, reopen
from .journal import (
    ChangeRecord,
    ImportRecord,
    ImportReport,
    Journal,
    JournalState,
    ReportRow,
    file_sha256,
)
from .mappings import MappingMemory, remembered_words
from .opening import OnlyRows
from .preparation import CompareStage, ImportDraft, Sending
from .reconcile import Reconciliation, journal_reconciliation, reconcile
from .reporting import header_for
from .targets import ImportTarget, ListNotFound, find_list
from .workflow import (
    AnswerLost,
    EtaEstimator,
    FollowUpdate,
    ImportOutcome,
    ImportRun,
    RowProblem,
    UploadPlan,
    outcome_of,
    prepare_upload,
)

__all__ = [
    "GUARDRAILS",
    "AnswerLost",
    "Blocker",
    "Change",
    "ChangeKind",
    "ChangeRecord",
    "CompareStage",
    "EtaEstimator",
    "FileChanged",
    "FollowUpdate",
    "Guardrail",
    "GuardrailSettings",
    "ImportDiff",
    "ImportDraft",
    "ImportOutcome",
    "ImportRecord",
    "ImportReport",
    "ImportRun",
    "ImportTarget",
    "Journal",
    "JournalState",
    "ListNotFound",
    "MappingMemory",
    "OnlyRows",
    "Opened",
    "Reconciliation",
    "ReportRow",
    "RowProblem",
    "Sending",
    "UploadPlan",
    "compare",
    "fetch_current",
    "file_sha256",
    "find_list",
    "header_for",
    "journal_reconciliation",
    "mark_unknown_products",
    "outcome_of",
    "prepare_upload",
    "reconcile",
    "remembered_words",
    "reopen",
]
