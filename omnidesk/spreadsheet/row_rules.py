"""Row rules: warnings about a usable row that read several of its values together.

A schema lists the rules its rows get by key (``Schema.row_rules``); ``ROW_RULES``
holds one class per key. The keys are the ones the guardrail registry names as a
guardrail's ``offline_rule`` (``imports/guardrails.py``): the checker warns of one
row, the guardrail asks about a whole import, of the same thing.

``RowChecker`` knows nothing of prices. It hands each batch of usable rows to
every rule's ``suspects``, a quick screen over whole columns, and calls
``check`` only for the rows a screen names, so that a clean million-row file
costs the rules a few list comprehensions and no call per row.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, count
from operator import lt
from types import MappingProxyType
from typing import ClassVar

from omnidesk.currencies import same_currency
from omnidesk.i18n import _, amount

from .cell_checks import ColumnChecker, quoted
from .cells import CellValue
from .check_result import StoredValue, as_decimal
from .findings import Warn
from .numbers import read_number


@dataclass(frozen=True)
class RuleContext:
    """What a rule may know of the sheet being checked, and where it reports."""

    columns: Sequence[ColumnChecker]  # by position in a row's values
    at: Mapping[str, int]  # field name → position, for the fields the sheet has
    warn: Warn
    # Sheet row → the currency of a sign on its amounts, for the rows that name no
    # currency (``CleanRow.currency_sign``).
    signs: dict[int, str]


class RowRule(ABC):
    """One kind of warning about a usable row, made for one sheet by ``make``."""

    key: ClassVar[str]

    @classmethod
    @abstractmethod
    def make(cls, context: RuleContext) -> RowRule | None:
        """The rule for this sheet; None when the sheet lacks a column the rule reads."""

    @abstractmethod
    def suspects(
        self, columns: Sequence[Sequence[StoredValue]], parsed: Sequence[int]
    ) -> Iterable[int]:
        """The rows of a batch that ``check`` may warn about: a quick screen, never too narrow.

        ``columns`` holds the batch's usable rows column by column, as checked, and
        ``parsed`` the positions of the rows whose cells were read in full. The others
        were settled column-wise: plain numbers and texts whose value is all they held.
        """

    @abstractmethod
    def check(self, number: int, cells: Sequence[CellValue], values: Sequence[StoredValue]) -> None:
        """Warn about one usable row (sheet row ``number``) if the rule applies to it."""


class ZeroPrice(RowRule):
    key = "zero_price"

    def __init__(self, warn: Warn, price: int) -> None:
        self._warn = warn
        self._price = price

    @classmethod
    def make(cls, context: RuleContext) -> ZeroPrice | None:
        price = context.at.get("price")
        return None if price is None else cls(context.warn, price)

    def suspects(
        self, columns: Sequence[Sequence[StoredValue]], parsed: Sequence[int]
    ) -> Iterable[int]:
        prices = columns[self._price]
        # A float, an int and a Decimal all compare with 0.0 exactly; ``in`` looks in C.
        if 0.0 not in prices:
            return ()
        return [i for i, price in enumerate(prices) if price == 0.0]

    def check(self, number: int, cells: Sequence[CellValue], values: Sequence[StoredValue]) -> None:
        price = values[self._price]
        if price is not None and (price == 0 if type(price) is float else as_decimal(price) == 0):
            self._warn(number, self._price, _("Price is 0: the product would be sold for free."))


class RetailBelowPrice(RowRule):
    key = "retail_below_price"

    def __init__(self, warn: Warn, price: int, retail: int) -> None:
        self._warn = warn
        self._price = price
        self._retail = retail

    @classmethod
    def make(cls, context: RuleContext) -> RetailBelowPrice | None:
        price, retail = context.at.get("price"), context.at.get("retail_price")
        if price is None or retail is None:
            return None
        return cls(context.warn, price, retail)

    def suspects(
        self, columns: Sequence[Sequence[StoredValue]], parsed: Sequence[int]
    ) -> Iterable[int]:
        prices, retails = columns[self._price], columns[self._retail]
        if None not in retails:
            # Floats, ints and Decimals compare exactly with each other; in C, a million
            # rows cost a few milliseconds.
            below: Iterable[bool] = map(lt, retails, prices)  # type: ignore[arg-type]
            return list(compress(count(), below))
        # Two floats compare directly; anything else needs a closer look.
        return [
            i
            for i, (price, retail) in enumerate(zip(prices, retails, strict=True))
            if retail is not None
            and (type(retail) is not float or type(price) is not float or retail < price)
        ]

    def check(self, number: int, cells: Sequence[CellValue], values: Sequence[StoredValue]) -> None:
        price, retail = values[self._price], values[self._retail]
        if retail is None or price is None:
            return
        if type(retail) is float and type(price) is float:
            below = retail < price
        else:
            below = as_decimal(retail) < as_decimal(price)
        if below:
            low, high = as_decimal(retail), as_decimal(price)
            # Made only if listed: babel writes an amount in microseconds, and a file with
            # its two price columns swapped warns on every row.
            self._warn(
                number,
                self._retail,
                lambda: _(
                    "Retail price {retail} is below the price {price}; shoppers would see a "
                    "crossed-out price lower than the one they pay."
                ).format(retail=amount(low), price=amount(high)),
            )


class CurrencySign(RowRule):
    """An amount written with a currency sign (“$12”) other than the row's currency.

    A row that names no currency keeps its sign (``RuleContext.signs``): whether
    that is the list's currency is for the comparison with the list to say.
    """

    key = "currency_sign"

    def __init__(self, context: RuleContext, amounts: tuple[int, ...]) -> None:
        self._context = context
        self._amounts = amounts
        self._currency = context.at.get("currency_type")

    @classmethod
    def make(cls, context: RuleContext) -> CurrencySign | None:
        amounts = tuple(
            position
            for position in (context.at.get("price"), context.at.get("retail_price"))
            if position is not None
        )
        return cls(context, amounts) if amounts else None

    def suspects(
        self, columns: Sequence[Sequence[StoredValue]], parsed: Sequence[int]
    ) -> Iterable[int]:
        # Only a cell read in full can carry a sign, and until a sign has turned up in
        # a column (the parser notes it in ``marks``) no row is worth a second look.
        if not parsed or not any(self._context.columns[p].marks for p in self._amounts):
            return ()
        return parsed

    def check(self, number: int, cells: Sequence[CellValue], values: Sequence[StoredValue]) -> None:
        context = self._context
        stated = values[self._currency] if self._currency is not None else None
        for position in self._amounts:
            column = context.columns[position]
            raw = cells[column.index] if column.index < len(cells) else None
            marked = read_number(raw).currency if isinstance(raw, str) and column.marks else None
            if marked is None:
                continue
            if stated is None:
                context.signs.setdefault(number, marked)
            elif same_currency(str(stated)) != marked:
                context.warn(
                    number,
                    position,
                    _("{label} {value} is in {sign}, but the row's currency is {currency}.").format(
                        label=column.spec.label,
                        value=quoted(raw),
                        sign=marked.upper(),
                        currency=stated,
                    ),
                )


ROW_RULES: Mapping[str, type[RowRule]] = MappingProxyType(
    {rule.key: rule for rule in (ZeroPrice, RetailBelowPrice, CurrencySign)}
)


def rules_for(keys: Iterable[str], context: RuleContext) -> tuple[RowRule, ...]:
    """The rules ``keys`` name, made for this sheet; KeyError for a key no rule has."""
    made = (ROW_RULES[key].make(context) for key in keys)
    return tuple(rule for rule in made if rule is not None)
