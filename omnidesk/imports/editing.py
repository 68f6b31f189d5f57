"""Editing a list's values in its grid, and sending the edits as an import of their own.

Each value a person types, pastes or makes by a rule is checked as the import's
checker checks a cell of that column (``spreadsheet.cell_checks``), so the grid
accepts exactly what a file would. The staged edits (staged.py) are then written as
a file of OmniDesk's own, in the import's columns, and go through the same draft as
any file: checked, compared with the live list, guarded, sent, followed, journaled.

    checks = CellChecks(ListKind.PRICE, decimal_comma=True)
    checks.check("price", "1.709,99")          # ("1709.99", None)
    apply_rule(Rule(RuleKind.CHANGE, Decimal(5)), kind, "price", "100.00")  # "105.00"
    draft = await prepare_edits(session, target, staged, where, folder)
"""

from __future__ import annotations

import asyncio
import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

from omnidesk.api.session import Session
from omnidesk.i18n import _
from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import SKU_FIELD, Severity, ValueKind, schema_for, upload_text
from omnidesk.spreadsheet.cell_checks import BAD, CENT, WAIT, ColumnChecker
from omnidesk.spreadsheet.check_result import as_decimal

from .diff import fetch_current
from .guardrails import GuardrailSettings
from .preparation import ImportDraft
from .staged import EditedList, StagedEdit, StagedEdits
from .targets import ImportTarget
from .undo import same_text
from .workflow import UploadPlan


def editable_fields(kind: ListKind) -> tuple[str, ...]:
    """The columns of a list's contents a grid may change: those an import changes."""
    return tuple(spec.name for spec in schema_for(kind).compared)


class CellChecks:
    """One value of one column, checked as the import's checker checks a cell."""

    def __init__(self, kind: ListKind, *, decimal_comma: bool) -> None:
        self.kind = kind
        self.schema = schema_for(kind)
        self.decimal_comma = decimal_comma  # "1,234" means 1.234 (Turkish), not 1234
        self._checkers: dict[str, ColumnChecker] = {}

    def check(self, field: str, text: str) -> tuple[str | None, str | None]:
        """(the value as an upload file writes it, None), or (None, why it cannot be)."""
        spec = self.schema.field(field)
        checker = self._checkers.get(field)
        if checker is None:
            checker = self._checkers[field] = ColumnChecker(spec, 0, spec.label)
        typed = text.strip()
        status, value = checker.convert(typed)
        if status == WAIT:  # "1,234": the column would decide; here the person's locale does
            as_point, as_comma = value.ambiguous
            status, value = checker.validate(as_comma if self.decimal_comma else as_point, typed)
        if status == BAD:
            return None, str(value)
        if value is None:
            if spec.required:
                return None, _("{label} cannot be empty: every row of the list has one.").format(
                    label=spec.label
                )
            return None, _(
                "{label} cannot be emptied here: an import leaves an empty cell's value as it is."
            ).format(label=spec.label)
        if spec.type in (ValueKind.MONEY, ValueKind.PERCENT):
            value = as_decimal(value)
        return upload_text(value, spec.type), None


class RuleKind(StrEnum):
    CHANGE = "change"  # by a percentage: +5, −10
    SET = "set"  # to a value
    ROUND_99 = "round99"  # to the nearest amount ending in ,99


@dataclass(frozen=True)
class Rule:
    kind: RuleKind
    percent: Decimal = Decimal(0)  # for CHANGE
    text: str = ""  # for SET: what the person typed, checked as a cell


NUMBERS = (ValueKind.MONEY, ValueKind.PERCENT, ValueKind.WHOLE)
_ALMOST = Decimal("0.01")


def rule_applies(rule: Rule, kind: ListKind, field: str) -> bool:
    value_type = schema_for(kind).field(field).type
    if rule.kind is RuleKind.CHANGE:
        return value_type in NUMBERS
    if rule.kind is RuleKind.ROUND_99:
        return value_type is ValueKind.MONEY
    return True


def apply_rule(rule: Rule, kind: ListKind, field: str, current: str | None) -> str | None:
    """The cell's text after the rule, to be checked like a typed one; None for a cell the
    rule leaves as it is (an empty amount has nothing to raise)."""
    if rule.kind is RuleKind.SET:
        return rule.text
    if not current:
        return None
    try:
        value = Decimal(current)
    except InvalidOperation:
        return None
    if rule.kind is RuleKind.CHANGE:
        value = value * (100 + rule.percent) / 100
    else:  # 12,34 → 11,99 and 12,60 → 12,99: the nearest, never below 0,99
        value = max((value + _ALMOST).quantize(Decimal(1), ROUND_HALF_UP) - _ALMOST, 1 - _ALMOST)
    if schema_for(kind).field(field).type is ValueKind.WHOLE:
        return str(value.quantize(Decimal(1), ROUND_HALF_UP))
    return format(value.quantize(CENT, ROUND_HALF_UP), "f")


_PERCENT_RULE = re.compile(r"\s*([+\-−–])\s*([0-9]+(?:[.,][0-9]+)?)\s*%?\s*")


def parse_percent(text: str) -> Decimal | None:
    """``+5 %``, ``−10%``, ``-2,5`` → the change in percent; None for anything else."""
    found = _PERCENT_RULE.fullmatch(text)
    if found is None:
        return None
    sign, number = found.groups()
    amount = Decimal(number.replace(",", "."))
    return amount if sign == "+" else -amount


# -- the staged edits as an import of their own ---------------------------------------------------

Current = Mapping[str, Mapping[str, Any]]


class NothingToSend(Exception):
    pass


@dataclass(frozen=True)
class ChangedSince:
    """An edited value someone changed on the server after it was edited here."""

    sku: str
    field: str
    original: str  # the list's value when the edit was made
    now: str
    edit: str


def write_edits_file(
    kind: ListKind,
    edits: Mapping[tuple[str, str], StagedEdit],
    current: Current,
    path: Path,
) -> dict[str, int]:
    """The edits as an import file in the import's columns; the row of each SKU.

    A required column (the price) that was not edited carries the list's value now:
    only what was edited changes. Other columns not edited stay empty, which leaves the
    list's value as it is.
    """
    schema = schema_for(kind)
    edited = {name for _, name in edits}
    fields = [SKU_FIELD] + [
        spec.name for spec in schema.compared if spec.required or spec.name in edited
    ]
    by_sku: dict[str, dict[str, str]] = {}
    for (sku, name), edit in edits.items():
        by_sku.setdefault(sku, {})[name] = edit.value
    rows: dict[str, int] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        for number, sku in enumerate(sorted(by_sku), start=2):
            values, live = by_sku[sku], current.get(sku) or {}
            cells = [sku]
            for name in fields[1:]:
                if name in values:
                    cells.append(values[name])
                elif schema.field(name).required and live.get(name) is not None:
                    cells.append(str(live[name]))
                else:
                    cells.append("")
            writer.writerow(cells)
            rows[sku] = number
    return rows


def changed_since(
    edits: Mapping[tuple[str, str], StagedEdit], current: Current
) -> list[ChangedSince]:
    found = []
    for (sku, name), edit in sorted(edits.items()):
        live = (current.get(sku) or {}).get(name)
        if edit.original is not None and not same_text(name, live, edit.original or None):
            now = "" if live is None else str(live)
            found.append(ChangedSince(sku, name, edit.original, now, edit.value))
    return found


class EditsDraft(ImportDraft):
    """A grid's staged edits on their way to the list, as a file of OmniDesk's own."""

    def __init__(
        self,
        path: Path,
        target: ImportTarget,
        *,
        staged: StagedEdits,
        where: EditedList,
        edits: Mapping[tuple[str, str], StagedEdit],
        rows: Mapping[str, int],
        since: list[ChangedSince],
        settings: GuardrailSettings | None = None,
        paced: bool = True,
    ) -> None:
        super().__init__(path, target.kind, target=target, settings=settings, paced=paced)
        self.staged, self.where = staged, where
        self.edits, self.rows = dict(edits), dict(rows)
        self.changed_since = since

    def journaled(self, record_id: int, plan: UploadPlan) -> None:
        """The edits sent are tied to the import; those the list has already are done;
        those the check held back stay, with its words."""
        sent = set(plan.row_map)
        unchanged = self.diff.unchanged_rows if self.diff is not None else frozenset()
        result = self.checked
        held: dict[int, str] = {}
        if result is not None:
            for finding in result.findings:
                if finding.severity is Severity.ERROR:
                    held.setdefault(finding.row, finding.message)
        going, done, stopped = [], [], []
        for (sku, _name), edit in self.edits.items():
            row = self.rows[sku]
            if row in sent:
                going.append((edit, row))
            elif row in unchanged:
                done.append(edit)
            elif row in held:
                stopped.append((edit, held[row]))
        self.staged.mark_sent(self.where, record_id, going)
        self.staged.done(self.where, done)
        self.staged.note(self.where, stopped)


def edits_file_name(list_name: str, moment: datetime) -> str:
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", list_name).strip() or "list"
    words = _("edits of {moment}").format(moment=f"{moment:%Y-%m-%d %H.%M.%S}")
    return f"{safe} ({words}).csv"


async def prepare_edits(
    session: Session,
    target: ImportTarget,
    staged: StagedEdits,
    where: EditedList,
    folder: Path,
    *,
    settings: GuardrailSettings | None = None,
    paced: bool = True,
) -> EditsDraft:
    """The list's staged edits as a draft on a file of their own, written into ``folder``.
    Raises NothingToSend, or OmnitronError when the list cannot be read."""
    edits = await asyncio.to_thread(staged.pending, where)
    if not edits:
        raise NothingToSend
    current = await session.run(lambda c: fetch_current(c, target.kind, target.pk))
    path = folder / edits_file_name(target.name, datetime.now())
    rows = await asyncio.to_thread(write_edits_file, target.kind, edits, current, path)
    return EditsDraft(
        path,
        target,
        staged=staged,
        where=where,
        edits=edits,
        rows=rows,
        since=changed_since(edits, current),
        settings=settings,
        paced=paced,
    )
