"""Typed views of what the server sends. Money is Decimal, dates are aware datetimes.

Each `from_json` raises UnexpectedResponse, never KeyError or ValueError, when
the server's answer does not have the documented shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Generic, Self, TypeVar

from omnidesk.i18n import N_, _
from omnidesk.kinds import ListKind

from . import contract
from .contract import ImportState, identity_of, import_status_fields
from .errors import UnexpectedResponse

T = TypeVar("T")


def parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_decimal(value: Any) -> Decimal:
    # Decimals arrive as strings ("10.00"); accept numbers too, but never via float text.
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"not a number: {value!r}")
    try:
        number = Decimal(str(value)) if not isinstance(value, float) else Decimal(repr(value))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a number: {value!r}")
    return number


def optional_decimal(value: Any) -> Decimal | None:
    return None if value is None or value == "" else parse_decimal(value)


def optional_datetime(value: Any) -> datetime | None:
    # i1 rows may come without their dates [doc]; a v1 row always has them.
    return None if value is None else parse_datetime(value)


def optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _shape_guard(what: str, build: Callable[[], T]) -> T:
    """``what``: the sentence's phrase for the thing that came (marked with N_)."""
    try:
        return build()
    except (KeyError, TypeError, ValueError, AttributeError) as problem:
        raise UnexpectedResponse(_(what).format(problem=problem)) from None


def _list_fields(data: Any) -> dict[str, Any]:
    """The fields every kind of list has."""
    return {
        "pk": identity_of(data),
        "name": str(data["name"]),
        "code": data.get("code"),
        "is_auto_sync": bool(data.get("is_auto_sync", False)),
        "created_date": parse_datetime(data["created_date"]),
        "modified_date": parse_datetime(data["modified_date"]),
    }


@dataclass(frozen=True)
class StockList:
    pk: int
    name: str
    code: str | None
    is_auto_sync: bool
    created_date: datetime
    modified_date: datetime

    kind: ClassVar[ListKind] = ListKind.STOCK
    # A stock list has no currency; the attribute lets code ask any list for one.
    currency: ClassVar[str | None] = None

    @classmethod
    def from_json(cls, data: Any) -> Self:
        return _shape_guard(
            N_("a stock list without the expected fields ({problem})."),
            lambda: cls(**_list_fields(data)),
        )


@dataclass(frozen=True)
class PriceList:
    pk: int
    name: str
    code: str | None
    is_auto_sync: bool
    created_date: datetime
    modified_date: datetime
    currency: str

    kind: ClassVar[ListKind] = ListKind.PRICE

    @classmethod
    def from_json(cls, data: Any) -> Self:
        return _shape_guard(
            N_("a price list without the expected fields ({problem})."),
            lambda: cls(**_list_fields(data), currency=str(data.get("currency") or "try")),
        )


AnyList = PriceList | StockList


@dataclass(frozen=True)
class ProductPrice:
    id: int
    product: int | None  # the product's pk; None on a row read from i1, which has the SKU
    product_sku: str | None  # filled in by the client on every row it returns
    price_list: int
    price: Decimal
    retail_price: Decimal | None
    tax_rate: Decimal | None
    currency_type: str
    created_date: datetime | None
    modified_date: datetime | None

    @property
    def identity(self) -> int:
        return self.id

    @classmethod
    def from_json(cls, data: Any) -> Self:
        return _shape_guard(
            N_("a price without the expected fields ({problem})."),
            lambda: cls(
                id=identity_of(data),
                product=optional_int(data.get("product")),
                product_sku=_sku(data),
                price_list=int(data["price_list"]),
                price=parse_decimal(data["price"]),
                retail_price=optional_decimal(data.get("retail_price")),
                tax_rate=optional_decimal(data.get("tax_rate")),
                currency_type=str(data.get("currency_type") or ""),
                created_date=optional_datetime(data.get("created_date")),
                modified_date=optional_datetime(data.get("modified_date")),
            ),
        )


@dataclass(frozen=True)
class ProductStock:
    pk: int
    product: int | None  # as ProductPrice.product
    product_sku: str | None
    stock_list: int
    stock: int
    unit_type: str
    sold_quantity_unreported: int
    created_date: datetime | None
    modified_date: datetime | None

    @property
    def identity(self) -> int:
        return self.pk

    @classmethod
    def from_json(cls, data: Any) -> Self:
        return _shape_guard(
            N_("a stock row without the expected fields ({problem})."),
            lambda: cls(
                pk=identity_of(data),
                product=optional_int(data.get("product")),
                product_sku=_sku(data),
                stock_list=int(data["stock_list"]),
                stock=int(data["stock"]),
                unit_type=str(data.get("unit_type") or "qty"),
                sold_quantity_unreported=int(data.get("sold_quantity_unreported") or 0),
                created_date=optional_datetime(data.get("created_date")),
                modified_date=optional_datetime(data.get("modified_date")),
            ),
        )


AnyContents = ProductPrice | ProductStock


def _sku(data: Any) -> str | None:
    sku = data.get("product_sku")
    return str(sku) if sku not in (None, "") else None


@dataclass(frozen=True)
class Product:
    pk: int
    sku: str
    name: str

    @classmethod
    def from_json(cls, data: Any) -> Self:
        return _shape_guard(
            N_("a product without the expected fields ({problem})."),
            lambda: cls(pk=identity_of(data), sku=str(data["sku"]), name=str(data.get("name", ""))),
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    count: int
    results: list[T]
    page: int
    limit: int  # the page size asked for; the server may have given fewer (V4)
    has_next: bool
    has_previous: bool
    # The order asked for, and whether the rows came back in it: False when the server
    # ignored the ordering (V2), so that nobody shows them as sorted.
    ordering: str | None = None
    in_order: bool = True

    @property
    def full_page_size(self) -> int | None:
        """How many rows the server puts on a page, as this page shows: a page with a
        next one is full. None for a last page, which says nothing about the size."""
        return len(self.results) if self.has_next and self.results else None

    @classmethod
    def from_json(cls, data: Any, parse: Callable[[Any], T], *, page: int, limit: int) -> Page[T]:
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise UnexpectedResponse(_("a page without a list of results."))
        try:
            count = int(data["count"])
        except (KeyError, TypeError, ValueError):
            raise UnexpectedResponse(_("a page without a count of results.")) from None
        return cls(
            count=count,
            results=[parse(item) for item in data["results"]],
            page=page,
            limit=limit,
            has_next=bool(data.get("next")),
            has_previous=bool(data.get("previous")),
        )

    @classmethod
    def empty(cls, *, page: int, limit: int) -> Page[T]:
        return cls(count=0, results=[], page=page, limit=limit, has_next=False, has_previous=False)


@dataclass(frozen=True)
class ImportRowError:
    line: int | None  # the sheet's 1-based row; None for the file as a whole
    column: str | None
    message: str


@dataclass(frozen=True)
class ImportStatus:
    """One answer about an import job. Every field is read as optional (V10): a word the
    client does not know is ImportState.UNKNOWN, a counter not given reads 0 and is left
    out of ``counted``, a progress figure not given is None."""

    cache_key: str
    state: ImportState
    progress: int | None  # 0–100 as the server said it; None when it did not
    total: int
    processed: int
    created: int
    updated: int
    error_count: int
    errors: tuple[ImportRowError, ...] = field(default=())
    word: str = ""  # the server's own status word, as sent
    counted: frozenset[str] = field(default=frozenset(contract.STATUS_COUNTERS))

    @property
    def known(self) -> bool:
        """Whether the client understood the status word."""
        return self.state is not ImportState.UNKNOWN

    @property
    def finished(self) -> bool:
        # Only a word known to be final ends the job: an unknown one may mean anything.
        return self.state.finished

    @property
    def succeeded(self) -> bool:
        return self.state is ImportState.SUCCESS

    @property
    def percent(self) -> int | None:
        """How far the job is, 0–100, or None when it cannot be told (an indeterminate bar)."""
        if self.state is ImportState.SUCCESS:
            return 100
        if self.progress is not None:
            return self.progress
        if {"processed", "total"} <= self.counted and self.total > 0:
            return min(100, self.processed * 100 // self.total)
        return None

    @property
    def measurable(self) -> bool:
        """Whether this status tells how the job is going: a known word and a figure."""
        return self.finished or (self.known and self.percent is not None)

    @property
    def failure_reason(self) -> str | None:
        """Why a FAILURE failed, in the server's words (its errors without a row)."""
        if self.state is not ImportState.FAILURE:
            return None
        reasons = [error.message for error in self.errors if error.line is None]
        return " ".join(reasons) or _("The server could not import the file and gave no reason.")

    @classmethod
    def from_json(cls, data: Any, cache_key: str = "") -> ImportStatus:
        def build() -> ImportStatus:
            fields = import_status_fields(data, cache_key)
            errors = tuple(
                ImportRowError(
                    line=optional_int(item.get("line")),
                    column=item.get("column"),
                    message=str(item.get("message", "")),
                )
                for item in fields.pop("errors")
                if isinstance(item, dict)
            )
            return cls(**fields, errors=errors)

        return _shape_guard(N_("an import status without the expected fields ({problem})."), build)
