"""What an import would change: the file's rows against the list's current prices or stocks.

Also the guardrails: changes that are legal but often mistakes (a price cut by
half, prices of zero, many products going out of stock, a currency that is not
the list's). They need the person's explicit confirmation before the upload.
"""

from __future__ import annotations

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
) -> ImportDiff:
    """The file's rows against the list's values now, with every guardrail asked.

    ``named_lists`` is what the file's own list-name column says, name → rows.
    """
    settings = settings or GuardrailSettings()
    rules = rules_for(kind)
    row_rules = [(rule.key, rule.flags) for rule in rules if rule.flags is not None]
    flagged: dict[str, list[int]] = {rule.key: [] for rule in rules}
    main_field = info(kind).main_field
    changes: list[Change] = []
    unchanged: set[int] = set()
    counts: Counter[ChangeKind] = Counter()
    new_at: dict[str, list[int]] = {}
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
            change = Change(clean.row, sku, ChangeKind.NEW, {}, new, main_field)
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
            change = Change(clean.row, sku, ChangeKind.CHANGED, compared, new, main_field, moves)
        counts[change.kind] += 1
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
        kind, changes, frozenset(unchanged), counts, guardrails, new_at=new_at, moves=movement
    )


# -- products the catalogue does not have --------------------------------------------------------


async def mark_unknown_products(
    client: OmnitronClient, diff: ImportDiff, progress: Progress | None = None
) -> None:
    """Turn NEW rows whose SKU the catalogue does not know into NOT_IN_CATALOGUE.

    Every new SKU is looked up (``client.catalogue``: batched, in parallel, kept for
    the client's life); ``progress`` hears (SKUs done, SKUs in all).
    """
    new_skus = list(diff.new_at)
    if not new_skus:
        return
    try:
        found = await client.catalogue.find(new_skus, progress)
    except OmnitronError:
        diff.notes.append(_("The catalogue could not be asked about new SKUs."))
        return
    unknown = [sku for sku in new_skus if sku not in found]
    for sku in unknown:
        for position in diff.new_at.pop(sku, ()):
            change = diff.changes[position]
            diff.changes[position] = dataclasses.replace(
                change, kind=ChangeKind.NOT_IN_CATALOGUE, old={}
            )
            diff.counts[ChangeKind.NEW] -= 1
            diff.counts[ChangeKind.NOT_IN_CATALOGUE] += 1
