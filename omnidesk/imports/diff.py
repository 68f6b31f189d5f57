"""What an import would change: the file's rows against the list's current prices or stocks.

Also the guardrails: changes that are legal but often mistakes (a price cut by
half, prices of zero, many products going out of stock, a currency that is not
the list's). They need the person's explicit confirmation before the upload.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from omnidesk.api import ListContents, ListKind, OmnitronClient, OmnitronError, Page
from omnidesk.currencies import same_currency
from omnidesk.i18n import N_, _, number
from omnidesk.kinds import info
from omnidesk.spreadsheet import SKU_FIELD, CleanRow, schema_for

from .guardrails import Context, GuardrailSettings, RowFacts, rules_for
from .pacing import politely, without_gc_pauses

Progress = Callable[[int, int], None]  # (done, total)


class ChangeKind(StrEnum):
    NEW = "new"  # the product has no price (stock) in this list yet
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    NOT_IN_CATALOGUE = "not in catalogue"  # the server will refuse this row

    @property
    def words(self) -> str:
        """As a person reads it, in the language spoken now."""
        return _(_CHANGE_WORDS[self])


_CHANGE_WORDS = {
    ChangeKind.NEW: N_("new"),
    ChangeKind.CHANGED: N_("changed"),
    ChangeKind.UNCHANGED: N_("unchanged"),
    ChangeKind.NOT_IN_CATALOGUE: N_("not in catalogue"),
}


@dataclass(frozen=True)
class Change:
    row: int  # the row of the person's sheet
    sku: str
    kind: ChangeKind
    old: dict[str, Any]  # the compared fields as they are now (empty for new rows)
    new: dict[str, Any]  # as the file would make them
    main_field: str = "price"  # the field whose change is told in percent (kinds.KindInfo)
    # The row puts the product's price in another currency than it had: two amounts
    # in two currencies have no percentage between them.
    currency_changes: bool = False
    # NOT_IN_CATALOGUE: the one catalogue SKU this one differs from only as a spreadsheet
    # mangles codes (leading zeros, case, spaces, a trailing ".0"): what was meant, surely.
    meant: str | None = None
    # The SKU as the person's file writes it, when the catalogue's is sent instead.
    file_sku: str | None = None

    @property
    def finding(self) -> str | None:
        """What the row's SKU tells, in words: a near miss, or the SKU sent for the file's."""
        if self.meant is not None:
            return near_miss_words(self.meant)
        if self.file_sku is not None:
            return replaced_words(self.file_sku, self.sku)
        return None

    @property
    def differing(self) -> list[str]:
        """The fields this row changes (all given fields for a new row), the main one first."""
        if not self.old:
            names = list(self.new)
        else:
            names = [
                name
                for name, value in self.new.items()
                if not _same(name, self.old.get(name), value)
            ]
        return sorted(names, key=lambda name: name != self.main_field)

    @property
    def percent(self) -> Decimal | None:
        """The change of the price (or stock) in percent; None when there is no old value."""
        before, after = self.old.get(self.main_field), self.new.get(self.main_field)
        if self.currency_changes:
            return None
        if before is None or after is None or Decimal(before) == 0 or before == after:
            return None
        return (Decimal(after) - Decimal(before)) * 100 / Decimal(before)


def near_miss_words(meant: str) -> str:
    """'Not in the catalogue — did you mean 018299?'"""
    return _("Not in the catalogue — did you mean {sku}?").format(sku=meant)


def replaced_words(file_sku: str, sent: str) -> str:
    """'Sent as 018299, the catalogue's SKU; the file says 18299.'"""
    return _("Sent as {sku}, the catalogue's SKU; the file says {file_sku}.").format(
        sku=sent, file_sku=file_sku
    )


@dataclass(frozen=True)
class Guardrail:
    key: str
    message: str
    rows: tuple[int, ...]


@dataclass(frozen=True)
class Movement:
    up: int  # rows whose price (stock) goes up
    down: int
    largest_rise: Change | None
    largest_cut: Change | None


@dataclass
class ImportDiff:
    kind: ListKind
    changes: list[Change]  # every row but the unchanged ones, in sheet order
    unchanged_rows: frozenset[int]
    counts: Counter[ChangeKind]
    guardrails: list[Guardrail]
    notes: list[str] = field(default_factory=list)
    # Where each new SKU's rows sit in ``changes``, so marking unknown products
    # later touches only those rows (on a UI thread, a pass over all would stall).
    new_at: dict[str, list[int]] = field(default_factory=dict)
    moves: Movement = field(default_factory=lambda: Movement(0, 0, None, None))
    # What the guardrails were asked with: the ones that wait for the catalogue use it too.
    context: Context | None = None
    # The rows not in the catalogue whose SKU it has in another spelling (``Change.meant``),
    # and those sent with the catalogue's SKU instead of the file's: both in sheet order.
    near_misses: list[Change] = field(default_factory=list)
    replaced: list[Change] = field(default_factory=list)
    # The sheet rows whose SKU the catalogue does not have, in sheet order.
    not_in_catalogue: list[int] = field(default_factory=list)

    def summary(self) -> str:
        """'3 new, 1 changed, 1 unchanged, 0 not in catalogue' (no full stop)."""
        counts = self.counts
        summary = _(
            "{new} new, {changed} changed, {unchanged} unchanged, {unknown} not in catalogue"
        )
        return summary.format(
            new=number(counts[ChangeKind.NEW]),
            changed=number(counts[ChangeKind.CHANGED]),
            unchanged=number(counts[ChangeKind.UNCHANGED]),
            unknown=number(counts[ChangeKind.NOT_IN_CATALOGUE]),
        )

    @property
    def movement(self) -> Movement:
        """Which way the main values move, and the largest moves (counted by ``compare``)."""
        return self.moves

    def row_flags(self) -> dict[int, str]:
        """Each row a guardrail names, with the message of the first that names it.

        A guardrail may name every row of the file: for a window, call it in a worker.
        """
        flagged: dict[int, str] = {}
        # The later guardrails first, each overwritten by those before it, in C.
        for guardrail in reversed(self.guardrails):
            flagged.update(dict.fromkeys(guardrail.rows, guardrail.message))
        return flagged


# -- what is there now ---------------------------------------------------------------------------


async def fetch_current(
    client: OmnitronClient, kind: ListKind, list_pk: int, progress: Progress | None = None
) -> dict[str, dict[str, Any]]:
    """The list's current values by SKU, every page of them."""
    current: dict[str, dict[str, Any]] = {}
    # The fields an import can change; the contents models carry them under the same names.
    compared = [f.name for f in schema_for(kind).compared]
    seen = 0

    def counted(page: Page[Any]) -> None:
        nonlocal seen
        seen += len(page.results)
        if progress is not None:
            progress(seen, page.count)

    contents: ListContents[Any] = client.contents(kind)
    async for row in contents.iterate(list_pk, on_page=counted):
        if row.product_sku is not None:
            current[row.product_sku] = {name: getattr(row, name) for name in compared}
    return current


# -- comparing (plain CPU work: runs in a worker thread) -----------------------------------------


def _same(field_name: str, old: Any, new: Any) -> bool:
    if field_name == "currency_type" and isinstance(old, str) and isinstance(new, str):
        return same_currency(old) == same_currency(new)
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return old is not None and new is not None and Decimal(old) == Decimal(new)
    return bool(old == new)


def compare(
    kind: ListKind,
    rows: Iterable[CleanRow],
    current: dict[str, dict[str, Any]],
    *,
    list_currency: str | None = None,
    settings: GuardrailSettings | None = None,
    list_name: str = "",
    named_lists: Mapping[str, Sequence[int]] | None = None,
    file_skus: Mapping[int, str] | None = None,
) -> ImportDiff:
    """The file's rows against the list's values now, with every guardrail asked but
    those that wait for the catalogue (``mark_unknown_products`` asks them).

    ``named_lists`` is what the file's own list-name column says, name → rows;
    ``file_skus`` the SKU the file writes for each row sent with the catalogue's instead.
    """
    settings = settings or GuardrailSettings()
    file_skus = file_skus or {}
    rules = [rule for rule in rules_for(kind) if not rule.after_catalogue]
    row_rules = [(rule.key, rule.flags) for rule in rules if rule.flags is not None]
    flagged: dict[str, list[int]] = {rule.key: [] for rule in rules}
    main_field = info(kind).main_field
    changes: list[Change] = []
    unchanged: set[int] = set()
    counts: Counter[ChangeKind] = Counter()
    new_at: dict[str, list[int]] = {}
    replaced: list[Change] = []
    total = 0
    up = down = 0
    largest_rise: Change | None = None
    largest_cut: Change | None = None
    for clean in rows:
        total += 1
        values = clean.values
        sku = str(values[SKU_FIELD])
        # An empty optional cell leaves the server's value as it is: compare what is given.
        new = {k: v for k, v in values.items() if k != SKU_FIELD and v is not None}
        old = current.get(sku)
        currency = str(new.get("currency_type") or clean.currency_sign or "")
        if old is None:
            change = Change(
                clean.row,
                sku,
                ChangeKind.NEW,
                {},
                new,
                main_field,
                file_sku=file_skus.get(clean.row),
            )
        elif all(_same(name, old.get(name), value) for name, value in new.items()):
            counts[ChangeKind.UNCHANGED] += 1
            unchanged.add(clean.row)
            continue
        else:
            compared = {name: old.get(name) for name in new}
            was = old.get("currency_type")
            moves = bool(currency and was) and same_currency(currency) != same_currency(was)
            if moves and "currency_type" not in compared:
                # A sign on the amount moved it: show the currency it leaves, too.
                compared["currency_type"], new = was, {**new, "currency_type": currency}
            change = Change(
                clean.row,
                sku,
                ChangeKind.CHANGED,
                compared,
                new,
                main_field,
                moves,
                file_sku=file_skus.get(clean.row),
            )
        counts[change.kind] += 1
        if change.file_sku is not None:
            replaced.append(change)
        if change.kind is ChangeKind.NEW:
            new_at.setdefault(sku, []).append(len(changes))
        changes.append(change)
        percent = change.percent
        if percent is not None and percent > 0:
            up += 1
            if largest_rise is None or percent > (largest_rise.percent or 0):
                largest_rise = change
        elif percent is not None and percent < 0:
            down += 1
            if largest_cut is None or percent < (largest_cut.percent or 0):
                largest_cut = change
        facts = RowFacts(
            new=new,
            old=old,
            percent=percent,
            currency=currency,
            list_currency=list_currency or "",
            currency_changes=change.currency_changes,
        )
        for key, flags in row_rules:
            if flags(facts, settings):
                flagged[key].append(clean.row)

    context = Context(settings, total, list_currency or "", list_name, named_lists or {})
    for rule in rules:
        if rule.file_rows is not None:
            flagged[rule.key] = list(rule.file_rows(context))
    guardrails = [
        Guardrail(rule.key, rule.message(len(flagged[rule.key]), context), tuple(flagged[rule.key]))
        for rule in rules
        if rule.enough(len(flagged[rule.key]), context)
    ]
    movement = Movement(up, down, largest_rise, largest_cut)
    return ImportDiff(
        kind,
        changes,
        frozenset(unchanged),
        counts,
        guardrails,
        new_at=new_at,
        moves=movement,
        context=context,
        replaced=replaced,
    )


# -- products the catalogue does not have --------------------------------------------------------


async def mark_unknown_products(
    client: OmnitronClient,
    diff: ImportDiff,
    progress: Progress | None = None,
    *,
    pause: Callable[[], None] | None = None,
) -> None:
    """Turn NEW rows whose SKU the catalogue does not know into NOT_IN_CATALOGUE, each
    with the catalogue's SKU it was surely meant to be (``Change.meant``) when there is
    one; then ask the guardrails that wait for the catalogue.

    Every new SKU is looked up (``client.catalogue``: batched, in parallel, kept for
    the client's life); ``progress`` hears (SKUs done, SKUs in all). ``pause`` is
    called now and then while the rows are marked, for a window's sake (pacing.py).
    """
    new_skus = list(diff.new_at)
    if new_skus:
        try:
            found = await client.catalogue.find(new_skus, progress)
        except OmnitronError:
            diff.notes.append(_("The catalogue could not be asked about new SKUs."))
            return
        unknown = await asyncio.to_thread(lambda: [sku for sku in new_skus if sku not in found])
        meant = await _near_misses(client, diff, unknown, progress)
        # Every unknown row is changed, maybe all of a file's: in a worker, not on a
        # window's thread (the diff is nobody else's until this returns).
        await asyncio.to_thread(
            without_gc_pauses, lambda: _mark_unknown(diff, unknown, meant, pause)
        )
    await asyncio.to_thread(without_gc_pauses, lambda: _ask_after_catalogue(diff))


def _mark_unknown(
    diff: ImportDiff, unknown: list[str], meant: dict[str, str], pause: Callable[[], None] | None
) -> None:
    # A file's every row may be unknown: a pass over 100,000 of them is a third of a
    # second of Python, which a window would wait behind with no pause.
    for sku in politely(unknown, pause=pause) if pause is not None else unknown:
        for position in diff.new_at.pop(sku, ()):
            change = dataclasses.replace(
                diff.changes[position],
                kind=ChangeKind.NOT_IN_CATALOGUE,
                old={},
                meant=meant.get(sku),
            )
            diff.changes[position] = change
            diff.counts[ChangeKind.NEW] -= 1
            diff.counts[ChangeKind.NOT_IN_CATALOGUE] += 1
            diff.not_in_catalogue.append(change.row)
            if change.meant is not None:
                diff.near_misses.append(change)
    diff.not_in_catalogue.sort()
    diff.near_misses.sort(key=lambda change: change.row)


async def _near_misses(
    client: OmnitronClient, diff: ImportDiff, unknown: list[str], progress: Progress | None
) -> dict[str, str]:
    """The catalogue SKU each unknown one was meant to be, where that is plain. One that
    the file has in a row of its own already is no suggestion: the fix would send two
    rows for one product."""
    if not unknown:
        return {}
    try:
        meant = await client.catalogue.near_misses(unknown, progress)
    except OmnitronError:
        diff.notes.append(_("The catalogue could not be asked which SKUs were meant."))
        return {}
    if not meant:
        return {}
    targets = set(meant.values())
    # A pass over every change: in a worker, not on a window's thread.
    taken = await asyncio.to_thread(lambda: {c.sku for c in diff.changes if c.sku in targets})
    return {sku: other for sku, other in meant.items() if other not in taken}


def _ask_after_catalogue(diff: ImportDiff) -> None:
    if diff.context is None:
        return
    context = dataclasses.replace(diff.context, not_in_catalogue=diff.not_in_catalogue)
    for rule in rules_for(diff.kind):
        if not rule.after_catalogue or rule.file_rows is None:
            continue
        flagged = tuple(rule.file_rows(context))
        if rule.enough(len(flagged), context):
            diff.guardrails.append(
                Guardrail(rule.key, rule.message(len(flagged), context), flagged)
            )
