"""A journaled import reopened as a draft: its file, read as it was read then."""

from __future__ import annotations

import asyncio
from pathlib import Path

from omnidesk.api import ImportState
from omnidesk.i18n import _
from omnidesk.kinds import ListKind

from .guardrails import GuardrailSettings
from .journal import ImportRecord, ImportReport, file_sha256
from .opening import OnlyRows
from .preparation import ImportDraft
from .targets import ImportTarget
from .workflow import ImportOutcome, RowProblem


class FileChanged(Exception):
    """A journaled import's file is gone or is no longer the file that was sent."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def reopen(
    record: ImportRecord,
    report: ImportReport,
    *,
    only_failed: bool = False,
    settings: GuardrailSettings | None = None,
    paced: bool = True,
) -> ImportDraft:
    """A journaled import's file as it was read then: the same sheet and columns, and
    with ``only_failed`` only the rows that did not make it. Raises FileChanged."""
    path = Path(record.file_path)
    try:
        sha256 = await asyncio.to_thread(file_sha256, path)  # a big file takes a moment
    except OSError:
        raise FileChanged(
            _(
                "{name} is no longer at {folder}: put it back, or drop the file again to import it."
            ).format(name=path.name, folder=path.parent)
        ) from None
    if sha256 != record.sha256:
        raise FileChanged(
            _(
                "{name} has changed since it was imported, so its rows are no longer the "
                "rows of this import. Drop it again to import it as it is now."
            ).format(name=path.name)
        )
    draft = ImportDraft(
        path,
        ListKind(record.kind),
        target=ImportTarget(ListKind(record.kind), record.list_pk, record.list_name),
        sheet_name=report.sheet,
        settings=settings,
        paced=paced,
        only_rows=OnlyRows(report.header_row, report.failed_rows) if only_failed else None,
    )
    draft.sha256 = sha256
    # The columns as they were read, named by the file's own headers.
    draft.mapping_choice = {header: field for field, header in report.headers.items()}
    if report.refused:
        draft.outcome = ImportOutcome(
            ImportState.SUCCESS,
            record.created or 0,
            record.updated or 0,
            tuple(RowProblem(r.row, r.column, r.message) for r in report.refused),
            None,
            len(report.refused),
        )
    return draft
