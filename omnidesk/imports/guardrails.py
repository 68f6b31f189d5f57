"""Guardrails: changes that are legal but often mistakes, asked about before an upload.

Each guardrail is one entry of ``GUARDRAILS``: which kinds of list it watches,
which rows it flags, how it says so, the thresholds a person may set in the
Preferences (``THRESHOLDS``), and the offline warning of the checker that
says the same of one row (``offline_rule``; see ``spreadsheet/row_rules.py``).
The comparison, the wizard, ``omnidesk import`` and the Preferences dialog all
read this table: a new guardrail is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from omnidesk.currencies import same_currency
from omnidesk.i18n import N_, _, n_, number, percent
from omnidesk.kinds import ListKind


@dataclass(frozen=True)
class GuardrailSettings:
    """The thresholds a person chose (Preferences); defaults where they chose none."""

    max_price_drop_percent: Decimal = Decimal(30)
    # "Many" products going out of stock: at least this many, and this share of the rows.
    stock_to_zero_count: int = 20
    stock_to_zero_percent: Decimal = Decimal(5)
    # Prices rise fast where inflation is high; ten times the price is a typo's sign.
    max_price_rise_percent: Decimal = Decimal(100)
    # "Many" rows whose SKU the catalogue does not have: the wrong file, or a SKU column
    # Excel turned into numbers. At least this many, and this share of the rows.
    not_in_catalogue_count: int = 5
    not_in_catalogue_percent: Decimal = Decimal(10)


@dataclass(frozen=True)
class Threshold:
    """One setting of ``GuardrailSettings``, as the Preferences dialog offers it.

    The range is all a value may be: the preferences file can be edited by hand,
    and a value outside it would turn a guardrail off (a price cut of more than
    250 %) or make the comparison fail (NaN).
    """

    name: str  # the GuardrailSettings attribute
    # The Preferences dialog's words, completing "An import asks … when it would:" (marked
    # with N_ and translated where shown, as ``always`` is).
    label: str
    minimum: int
    maximum: int
    whole: bool = False  # a count, not a percentage
    suffix: str = " %"


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("max_price_drop_percent", N_("cut a price by more than"), 1, 100),
    Threshold("max_price_rise_percent", N_("raise a price by more than"), 1, 10_000),
    Threshold(
        "stock_to_zero_count",
        N_("take at least this many products out of stock"),
        1,
        1_000_000,
        whole=True,
        suffix="",
    ),
    Threshold("stock_to_zero_percent", N_("…and at least this share of the file's rows"), 0, 100),
    Threshold(
        "not_in_catalogue_count",
        N_("send at least this many rows whose SKU is not in the catalogue"),
        1,
        1_000_000,
        whole=True,
        suffix="",
    ),
    Threshold(
        "not_in_catalogue_percent", N_("…and at least this share of the file's rows"), 0, 100
    ),
)


@dataclass(frozen=True)
class RowFacts:
    """What a rule sees of one row that would change something."""

    new: dict[str, Any]  # the values the file gives (empty cells left out)
    old: dict[str, Any] | None  # the list's values now; None for a product new to the list
    # The change of the kind's main value, when it has one (never across two currencies).
    percent: Decimal | None
    currency: str  # the row's currency (its column, else the sign on its amount), or ""
    list_currency: str  # the list's currency, or "" for a kind without one
    currency_changes: bool = False  # the product's price was in another currency until now


@dataclass(frozen=True)
class Context:
    """What a rule's message and decision may use besides the rows it flagged."""

    settings: GuardrailSettings
    rows: int  # rows compared in all
    list_currency: str
    list_name: str = ""  # the target list's name
    # What the file's own list-name column says (price_list__name…): name → its rows.
    named_lists: Mapping[str, Sequence[int]] = field(default_factory=dict)
    # The rows whose SKU the catalogue does not have: known once it has been asked.
    not_in_catalogue: Sequence[int] = ()


@dataclass(frozen=True)
class GuardrailRule:
    key: str
    kinds: frozenset[ListKind]
    # Asked of each row that would change something (None: a rule about the whole file)…
    flags: Callable[[RowFacts, GuardrailSettings], bool] | None
    message: Callable[[int, Context], str]  # (rows flagged, context)
    # Asked only when the flagged rows are this many (default: any at all).
    enough: Callable[[int, Context], bool] = field(default=lambda count, context: count > 0)
    thresholds: tuple[str, ...] = ()
    # For the Preferences' "… always ask": what a rule without a threshold watches.
    always: str = ""
    offline_rule: str | None = None
    # …or, for a rule about the file as a whole, the rows it flags among all of them.
    file_rows: Callable[[Context], Sequence[int]] | None = None
    # Asked only once the catalogue has said which SKUs it has (diff.mark_unknown_products).
    after_catalogue: bool = False


def _amount(facts: RowFacts, name: str) -> Decimal | None:
    value = facts.new.get(name)
    return None if value is None else Decimal(value)


def _zero_price(facts: RowFacts, settings: GuardrailSettings) -> bool:
    price = _amount(facts, "price")
    return price is not None and price == 0


def _retail_below_price(facts: RowFacts, settings: GuardrailSettings) -> bool:
    price = _amount(facts, "price")
    # An empty retail cell keeps the list's retail price: that one is compared.
    retail = facts.new.get("retail_price", (facts.old or {}).get("retail_price"))
    return price is not None and retail is not None and Decimal(retail) < price


def _price_drop(facts: RowFacts, settings: GuardrailSettings) -> bool:
    return facts.percent is not None and -facts.percent > settings.max_price_drop_percent


def _price_rise(facts: RowFacts, settings: GuardrailSettings) -> bool:
    return facts.percent is not None and facts.percent > settings.max_price_rise_percent


def _currency_change(facts: RowFacts, settings: GuardrailSettings) -> bool:
    # Into a currency other than the list's is asked by currency_mismatch: one question a row.
    return facts.currency_changes and not _other_currency(facts, settings)


def _unit_change(facts: RowFacts, settings: GuardrailSettings) -> bool:
    old, new = (facts.old or {}).get("unit_type"), facts.new.get("unit_type")
    return old is not None and new is not None and str(old).lower() != str(new).lower()


def _other_currency(facts: RowFacts, settings: GuardrailSettings) -> bool:
    return bool(facts.list_currency and facts.currency) and (
        same_currency(facts.currency) != same_currency(facts.list_currency)
    )


def _stock_to_zero(facts: RowFacts, settings: GuardrailSettings) -> bool:
    return facts.new.get("stock") == 0 and ((facts.old or {}).get("stock") or 0) > 0


def _fold(name: str) -> str:
    # Names compared as people read them: "PERSONEL İNDİRİMİ" is "Personel İndirimi".
    return " ".join(name.replace("İ", "i").replace("I", "ı").casefold().split())


def _rows_naming_another_list(context: Context) -> list[int]:
    target = _fold(context.list_name)
    return sorted(
        row for name, rows in context.named_lists.items() if _fold(name) != target for row in rows
    )


def _other_lists(context: Context) -> str:
    target = _fold(context.list_name)
    return ", ".join(f"“{name}”" for name in context.named_lists if _fold(name) != target)


def _share(count: int, context: Context) -> Decimal:
    return Decimal(count) * 100 / context.rows if context.rows else Decimal(0)


PRICE_LISTS = frozenset({ListKind.PRICE})
STOCK_LISTS = frozenset({ListKind.STOCK})

GUARDRAILS: tuple[GuardrailRule, ...] = (
    GuardrailRule(
        "other_list",
        frozenset(ListKind),
        None,
        lambda count, context: n_(
            "{count} row names another list ({others}) in the file's list column, but it "
            "goes to “{target}”.",
            "{count} rows name another list ({others}) in the file's list column, but they "
            "go to “{target}”.",
            count,
        ).format(count=number(count), others=_other_lists(context), target=context.list_name),
        always=N_("a file naming another list"),
        file_rows=_rows_naming_another_list,
    ),
    GuardrailRule(
        "price_drop",
        PRICE_LISTS,
        _price_drop,
        lambda count, context: n_(
            "{count} price drops by more than {percent}% at once.",
            "{count} prices drop by more than {percent}% at once.",
            count,
        ).format(count=number(count), percent=number(context.settings.max_price_drop_percent)),
        thresholds=("max_price_drop_percent",),
    ),
    GuardrailRule(
        "price_rise",
        PRICE_LISTS,
        _price_rise,
        lambda count, context: n_(
            "{count} price rises by more than {percent}% at once.",
            "{count} prices rise by more than {percent}% at once.",
            count,
        ).format(count=number(count), percent=number(context.settings.max_price_rise_percent)),
        thresholds=("max_price_rise_percent",),
    ),
    GuardrailRule(
        "zero_price",
        PRICE_LISTS,
        _zero_price,
        lambda count, context: n_(
            "{count} product would be sold for free (price 0).",
            "{count} products would be sold for free (price 0).",
            count,
        ).format(count=number(count)),
        always=N_("prices of zero"),
        offline_rule="zero_price",
    ),
    GuardrailRule(
        "retail_below_price",
        PRICE_LISTS,
        _retail_below_price,
        lambda count, context: n_(
            "{count} retail price is below the selling price: shoppers would see a "
            "crossed-out price lower than the one they pay.",
            "{count} retail prices are below the selling price: shoppers would see "
            "crossed-out prices lower than the ones they pay.",
            count,
        ).format(count=number(count)),
        always=N_("retail below price"),
        offline_rule="retail_below_price",
    ),
    GuardrailRule(
        "stock_to_zero",
        STOCK_LISTS,
        _stock_to_zero,
        lambda count, context: n_(
            "{count} product in stock would go to 0 ({share} of the rows).",
            "{count} products in stock would go to 0 ({share} of the rows).",
            count,
        ).format(count=number(count), share=percent(round(_share(count, context)))),
        enough=lambda count, context: (
            count >= context.settings.stock_to_zero_count
            and _share(count, context) >= context.settings.stock_to_zero_percent
        ),
        thresholds=("stock_to_zero_count", "stock_to_zero_percent"),
    ),
    GuardrailRule(
        "many_not_in_catalogue",
        frozenset(ListKind),
        None,
        lambda count, context: n_(
            "{count} row has a SKU the catalogue does not have ({share} of the rows): the "
            "server would refuse it. Is this the right file, with its SKUs as the catalogue "
            "writes them?",
            "{count} rows have SKUs the catalogue does not have ({share} of the rows): the "
            "server would refuse them. Is this the right file, with its SKUs as the "
            "catalogue writes them?",
            count,
        ).format(count=number(count), share=percent(round(_share(count, context)))),
        enough=lambda count, context: (
            count >= context.settings.not_in_catalogue_count
            and _share(count, context) >= context.settings.not_in_catalogue_percent
        ),
        thresholds=("not_in_catalogue_count", "not_in_catalogue_percent"),
        file_rows=lambda context: context.not_in_catalogue,
        after_catalogue=True,
    ),
    GuardrailRule(
        "unit_change",
        STOCK_LISTS,
        _unit_change,
        lambda count, context: n_(
            "{count} product changes its unit (pieces ↔ kg): its stock would be counted "
            "in the other unit from now on.",
            "{count} products change their unit (pieces ↔ kg): their stock would be "
            "counted in the other unit from now on.",
            count,
        ).format(count=number(count)),
        always=N_("a change of unit"),
    ),
    GuardrailRule(
        "currency_change",
        PRICE_LISTS,
        _currency_change,
        lambda count, context: n_(
            "{count} price changes currency: the two amounts cannot be compared, check it.",
            "{count} prices change currency: the amounts cannot be compared, "
            "check them one by one.",
            count,
        ).format(count=number(count)),
        always=N_("a change of currency"),
    ),
    GuardrailRule(
        "currency_mismatch",
        PRICE_LISTS,
        _other_currency,
        lambda count, context: n_(
            "{count} row is in a currency other than the list's ({currency}), by its "
            "currency column or by a sign on the amount (₺, $, €, TL…).",
            "{count} rows are in a currency other than the list's ({currency}), by their "
            "currency column or by a sign on the amount (₺, $, €, TL…).",
            count,
        ).format(count=number(count), currency=context.list_currency.upper()),
        always=N_("a foreign currency"),
        offline_rule="currency_sign",
    ),
)


def rules_for(kind: ListKind) -> list[GuardrailRule]:
    return [rule for rule in GUARDRAILS if kind in rule.kinds]


def always_asked(rules: Sequence[GuardrailRule] = GUARDRAILS) -> str:
    """'Always asked: prices of zero, retail below price and a foreign currency.'"""
    parts = [_(rule.always) for rule in rules if rule.always and not rule.thresholds]
    if not parts:
        return ""
    listed = (
        parts[0]
        if len(parts) == 1
        else _("{these} and {last}").format(these=", ".join(parts[:-1]), last=parts[-1])
    )
    return _("Always asked: {listed}.").format(listed=listed)
