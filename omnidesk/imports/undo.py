"""Undoing an import: the values it changed put back, through the same pipeline.

The journal keeps, for each row an import sent, the list's values before it and the
values the file sent (``ChangeRecord``). The undo is a file OmniDesk writes from
them, under the import's own columns, kept in the data folder (so it can be reopened,
and undone in its turn), and imported like any file: checked, compared with the
live list, guarded, sent, followed and journaled.

    draft = await prepare_undo(session, record, report, folder)
    await draft.open(); await draft.check(); await draft.compare(session)
    draft.changed_again        # rows someone changed after the import: left out…
    draft.choose_put_back(True)  # …unless the person puts those back too

What an import cannot do, the undo cannot either, and says so: remove the products
the import added to the list, or empty a value that was empty before it.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from omnidesk.api import NotFound
from omnidesk.api.session import Session
from omnidesk.currencies import same_currency
from omnidesk.i18n import _, number
from omnidesk.kinds import ListKind, info
from omnidesk.spreadsheet import SKU_FIELD, ValueKind, schema_for, upload_text

from .diff import ImportDiff, fetch_current
from .guardrails import GuardrailSettings
from .journal import ImportRecord, ImportReport, JournalState
from .preparation import CompareProgress, ImportDraft
from .targets import ImportTarget

Current = Mapping[str, Mapping[str, Any]]  # the list's values now, by SKU


class NothingToUndo(Exception):
    """This import cannot be undone (the sentence says why)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Reverted:
    """A row of the undo file: a product whose values the import changed."""

    row: int  # its row in the undo file
    sku: str
    before: dict[str, str]  # what the undo puts back: the fields the import changed
    after: dict[str, str]  # what the import set them to


@dataclass(frozen=True)
class ChangedAgain:
    """A row someone changed after the import: putting it back would undo them too."""

    row: int  # in the undo file
    sku: str
    after: dict[str, str]  # what the import set
    now: dict[str, str]  # what the list says now ({}: the product left the list since)
    before: dict[str, str]  # what the undo would put back


@dataclass(frozen=True)
class UndoPlan:
    """What undoing an import means, read from its journal entry alone."""

    record: ImportRecord
    rows: tuple[Reverted, ...]
    created: tuple[str, ...]  # SKUs the import added to the list: no import removes them
    # (SKU, field) the import filled in where the list had nothing: no import empties them
    emptied: tuple[tuple[str, str], ...] = ()

    @property
    def kind(self) -> ListKind:
        return ListKind(self.record.kind)

    @property
    def fields(self) -> tuple[str, ...]:
        """The undo file's columns: the SKU, the required ones, those any row puts back."""
        schema = schema_for(self.kind)
        used = {name for row in self.rows for name in row.before}
        return (
            SKU_FIELD,
            *(spec.name for spec in schema.compared if spec.required or spec.name in used),
        )


def plan_undo(record: ImportRecord, report: ImportReport) -> UndoPlan:
    """The undo of one journaled import; raises NothingToUndo when there is none."""
    if record.state is not JournalState.SUCCESS:
        raise NothingToUndo(
            _("Only an import that reached its end can be undone; this one is “{state}”.")
            .format(state=record.state.words)
        )  # fmt: skip
    refused = {r.row for r in report.refused if r.row is not None}
    kind = ListKind(record.kind)
    rows: list[Reverted] = []
    created: list[str] = []
    emptied: list[tuple[str, str]] = []
    for change in report.changes:
        if change.row in refused:
            continue  # the server kept its value: nothing to put back
        if not change.before:
            created.append(change.sku)
            continue
        emptied += [(change.sku, name) for name in change.after if name not in change.before]
        changed = {
            name: canonical(kind, name, value)
            for name, value in change.before.items()
            if name in change.after and not same_text(name, value, change.after[name])
        }
        if changed:
            after = {name: canonical(kind, name, change.after[name]) for name in changed}
            rows.append(Reverted(len(rows) + 2, change.sku, changed, after))
    if not rows:
        if created:
            raise NothingToUndo(
                _("This import only added products to the list, and an import cannot remove "
                  "them: remove them in Omnitron if they should go.")
            )  # fmt: skip
        raise NothingToUndo(_("This import changed no value that an import could put back."))
    return UndoPlan(record, tuple(rows), tuple(created), tuple(emptied))


def canonical(kind: ListKind, field_name: str, text: str) -> str:
    """A value as the upload file writes it (``61.00``, not the journal's ``61.0``)."""
    spec = schema_for(kind).field(field_name)
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if spec.type is ValueKind.WHOLE:
        return upload_text(int(value), spec.type)
    if spec.type in (ValueKind.MONEY, ValueKind.PERCENT):
        return upload_text(value, spec.type)
    return text


def same_text(field_name: str, one: object, other: object) -> bool:
    """Two values of a field, as text or as the server's types, mean the same."""
    if one is None or other is None:
        return one is None and other is None
    if field_name == "currency_type":
        return same_currency(str(one)) == same_currency(str(other))
    try:
        return Decimal(str(one)) == Decimal(str(other))
    except InvalidOperation:
        return str(one).casefold() == str(other).casefold()


def changed_again(plan: UndoPlan, current: Current) -> list[ChangedAgain]:
    """The rows whose value in the list is no longer what the import set."""
    found = []
    for row in plan.rows:
        live = current.get(row.sku)
        if live is not None and all(
            same_text(name, live.get(name), value) for name, value in row.before.items()
        ):
            continue  # already as the undo would leave it
        if live is None or any(
            not same_text(name, live.get(name), value) for name, value in row.after.items()
        ):
            now = {} if live is None else {n: _shown(live.get(n)) for n in row.after}
            found.append(ChangedAgain(row.row, row.sku, row.after, now, row.before))
    return found


def named(items: Sequence[str], most: int = 10) -> str:
    """'A, B, C and 12 more': the SKUs a sentence names, the first ``most`` of them."""
    shown = ", ".join(items[:most])
    more = len(items) - most
    return shown + (" " + _("and {count} more").format(count=number(more)) if more > 0 else "")


def _shown(value: object) -> str:
    return "" if value is None else str(value)


def write_undo_file(plan: UndoPlan, current: Current, folder: Path) -> Path:
    """The undo as an import file of OmniDesk's own, named after the import's file.

    A required column (the price) that the import did not change carries the list's
    value now: an undo puts back what the import changed and nothing else.
    """
    folder.mkdir(parents=True, exist_ok=True)
    source = Path(plan.record.file_path)
    words = _("undo of import {number}").format(number=plan.record.id)
    path = folder / f"{source.stem} ({words}).csv"
    fields = plan.fields
    required = {spec.name for spec in schema_for(plan.kind).required}
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        for row in plan.rows:
            live = current.get(row.sku) or {}
            cells = [row.sku]
            for name in fields[1:]:
                if name in row.before:
                    cells.append(row.before[name])
                elif name in required and live.get(name) is not None:
                    cells.append(str(live[name]))
                elif name in required:
                    cells.append(row.after.get(name, ""))
                else:
                    cells.append("")  # an empty cell leaves the list's value as it is
            writer.writerow(cells)
    return path


@dataclass
class UndoFacts:
    """What the person is told about an undo beside its changes."""

    of: int  # the journal id of the import undone
    created: tuple[str, ...]
    emptied: tuple[tuple[str, str], ...]
    changed_again: list[ChangedAgain] = field(default_factory=list)
    put_back_all: bool = False


class UndoDraft(ImportDraft):
    """The undo file on its way to the list: an import draft that leaves out the rows
    changed again since the import, unless the person chooses to put those back too."""

    def __init__(
        self,
        plan: UndoPlan,
        path: Path,
        target: ImportTarget,
        *,
        settings: GuardrailSettings | None = None,
        paced: bool = True,
    ) -> None:
        super().__init__(path, plan.kind, target=target, settings=settings, paced=paced)
        self.undo = plan
        self.facts = UndoFacts(plan.record.id, plan.created, plan.emptied)

    def choose_put_back(self, put_back_all: bool) -> None:
        """Put back the rows changed again since the import too (True), or keep theirs."""
        self.facts.put_back_all = put_back_all
        self.diff = None

    async def compare(
        self, session: Session, progress: CompareProgress | None = None
    ) -> ImportDiff | None:
        """The comparison, with the rows changed again left out or not as chosen: the list
        as read now says which they are."""
        diff = await super().compare(session, progress)
        while diff is not None and self.current is not None:
            self.facts.changed_again = changed_again(self.undo, self.current)
            keep = frozenset() if self.facts.put_back_all else {
                row.row for row in self.facts.changed_again
            }  # fmt: skip
            if keep == self.left_out:
                break
            self.leave_out(frozenset(keep))
            diff = await self._compare(session, progress, read_again=False)
        return diff


async def prepare_undo(
    session: Session,
    record: ImportRecord,
    report: ImportReport,
    folder: Path,
    *,
    settings: GuardrailSettings | None = None,
    paced: bool = True,
) -> UndoDraft:
    """The undo of a journaled import as a draft on its file, written into ``folder``.
    Raises NothingToUndo, or OmnitronError when the list cannot be read."""
    if record.server != session.client.base_url:
        raise NothingToUndo(
            _("Import {number} went to {server}, not to {here}: undo it signed in there.")
            .format(number=record.id, server=record.server, here=session.client.base_url)
        )  # fmt: skip
    plan = plan_undo(record, report)
    kind = plan.kind
    try:
        found = await session.run(lambda c: c.lists(kind).get(record.list_pk))
    except NotFound:
        raise NothingToUndo(
            _("The {noun} “{name}” (pk {pk}) is no longer on the server.").format(
                noun=info(kind).noun, name=record.list_name, pk=record.list_pk
            )
        ) from None
    current = await session.run(lambda c: fetch_current(c, kind, record.list_pk))
    path = await asyncio.to_thread(write_undo_file, plan, current, folder)
    draft = UndoDraft(plan, path, ImportTarget.of(found), settings=settings, paced=paced)
    return draft


__all__ = [
    "ChangedAgain",
    "NothingToUndo",
    "Reverted",
    "UndoDraft",
    "UndoFacts",
    "UndoPlan",
    "changed_again",
    "named",
    "plan_undo",
    "prepare_undo",
    "same_text",
    "write_undo_file",
]
