"""`omnidesk undo`: put back what a journaled import changed, as an import of its own.

The undo file is written from the journal (omnidesk/imports/undo.py) and goes through
the very steps of `omnidesk import` (import_command.py): checked, compared with the
list as it is now, stopped on guardrails unless --yes, sent, followed, journaled.
Rows someone changed after the import keep their newer values unless --put-back-all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from omnidesk.api import ListKind
from omnidesk.api.session import Session
from omnidesk.i18n import _, n_, number
from omnidesk.imports import ImportDraft, ImportRecord, Journal
from omnidesk.imports.undo import NothingToUndo, UndoDraft, named, prepare_undo
from omnidesk.kinds import info
from omnidesk.settings.paths import journal_file, made_files_dir, preferences_file
from omnidesk.settings.preferences import PreferencesStore

from .connection import Failed, Where
from .import_command import ImportOptions, run_import
from .printer import Printer

MAX_NAMED = 10


@dataclass(frozen=True)
class UndoOptions:
    journal_id: int | None  # None: --last
    where: Where = field(default_factory=Where)
    dry_run: bool = False
    yes: bool = False
    json: bool = False
    put_back_all: bool = False  # the rows changed again since the import too


class UndoSource:
    """The undo of one journaled import, made once signed in (it reads the list)."""

    def __init__(self, options: UndoOptions) -> None:
        self.options = options

    def offline(self, options: ImportOptions) -> ImportDraft | None:
        return None

    async def online(self, options: ImportOptions, session: Session) -> ImportDraft:
        journal = Journal(journal_file())
        try:
            record = self._record(journal, session.client.base_url)
            report = journal.report(record.id)
        finally:
            journal.close()
        try:
            draft = await prepare_undo(
                session,
                record,
                report,
                made_files_dir(),
                settings=PreferencesStore(preferences_file()).load(),
                paced=False,
            )
        except NothingToUndo as nothing:
            raise Failed(nothing.message) from None
        draft.choose_put_back(self.options.put_back_all)
        return draft

    def _record(self, journal: Journal, server: str) -> ImportRecord:
        if self.options.journal_id is not None:
            record = journal.get(self.options.journal_id)
            if record is None:
                raise Failed(
                    _("there is no import {number} in the journal.").format(
                        number=self.options.journal_id
                    )
                )
            return record
        here = [r for r in journal.history() if r.server == server]
        if not here:
            raise Failed(_("no import to {server} is in the journal.").format(server=server))
        return here[0]

    def compared(self, draft: ImportDraft, printer: Printer) -> dict[str, object]:
        assert isinstance(draft, UndoDraft)
        facts, record = draft.facts, draft.undo.record
        printer.line(
            _("Undo of import {number}: {file} → {list}, {when:%Y-%m-%d %H:%M} UTC.").format(
                number=record.id, file=record.file_name, list=record.list_name,
                when=record.started_at,
            )
        )  # fmt: skip
        if facts.created:
            printer.line(
                "  "
                + n_(
                    "{count} product the import added stays in the list (an import cannot "
                    "remove it): {skus}",
                    "{count} products the import added stay in the list (an import cannot "
                    "remove them): {skus}",
                    len(facts.created),
                ).format(count=number(len(facts.created)), skus=named(facts.created, MAX_NAMED))
            )
        if facts.emptied:
            printer.line(
                "  "
                + n_(
                    "{count} value the import filled in stays (an import cannot empty a "
                    "value): {cells}",
                    "{count} values the import filled in stay (an import cannot empty a "
                    "value): {cells}",
                    len(facts.emptied),
                ).format(
                    count=number(len(facts.emptied)),
                    cells=named([f"{sku} {name}" for sku, name in facts.emptied], MAX_NAMED),
                )
            )
        again = facts.changed_again
        if again:
            kept = (
                _("they are put back too (--put-back-all)")
                if facts.put_back_all
                else _("their newer values are kept (--put-back-all puts them back too)")
            )
            printer.line(
                "  "
                + n_(
                    "{count} row was changed again after this import; {what}:",
                    "{count} rows were changed again after this import; {what}:",
                    len(again),
                ).format(count=number(len(again)), what=kept)
            )
            for row in again[:MAX_NAMED]:
                now = ", ".join(f"{k} {v}" for k, v in row.now.items()) or _("not in the list")
                printer.line(
                    "    "
                    + _("{sku}: the import set {after}; now {now}; the undo puts back {before}")
                    .format(sku=row.sku, after=_values(row.after), now=now,
                            before=_values(row.before))
                )  # fmt: skip
            if len(again) > MAX_NAMED:
                printer.line(
                    "    " + _("… and {count} more").format(count=number(len(again) - MAX_NAMED))
                )
        return {
            "undo": {
                "of": facts.of,
                "created": list(facts.created),
                "cannot_empty": [{"sku": sku, "field": name} for sku, name in facts.emptied],
                "changed_again": [
                    {"row": r.row, "sku": r.sku, "import_set": r.after, "now": r.now,
                     "put_back": r.before}
                    for r in again
                ],
                "put_back_all": facts.put_back_all,
            }
        }  # fmt: skip


def _values(values: dict[str, str]) -> str:
    return ", ".join(f"{name} {value}" for name, value in values.items())


def run_undo(options: UndoOptions, printer: Printer | None = None) -> int:
    """The whole command; its exit code (those of `omnidesk import`)."""
    journal = Journal(journal_file())
    try:
        record = journal.get(options.journal_id) if options.journal_id is not None else None
    finally:
        journal.close()
    # What the JSON names before the undo's own file is written; --last learns it online.
    kind = ListKind(record.kind) if record is not None else ListKind.PRICE
    imported = ImportOptions(
        file=Path(record.file_path) if record is not None else Path(),
        kind=info(kind).word,
        list_ref="",  # the undo's draft knows its list
        where=options.where,
        dry_run=options.dry_run,
        yes=options.yes,
        json=options.json,
    )
    return run_import(imported, printer, UndoSource(options))
