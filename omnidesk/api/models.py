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

from omnidesk.kinds import ListKind

from .contract import ImportState, import_status_fields
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


def _shape_guard(kind: str, build: Callable[[], T]) -> T:
    try:
        return build()
    except (KeyError, TypeError, ValueError) as problem:
        raise UnexpectedResponse(f"a {kind} without the expected fields ({problem}).") from None


def _list_fields(data: Any) -> dict[str, Any]:
    """The fields every kind of list has."""
    return {
        "pk": int(data["pk"]),
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
        return _shape_guard("stock list", lambda: cls(**_list_fields(data)))


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
            "price list",
            lambda: cls(**_list_fields(data), currency=str(data.get("currency") or "try")),
        )


AnyList = PriceList | StockList


@dataclass(frozen=True)
class ProductPrice:
    id: int
    product: int
    product_sku: str | None
    price_list: int
    price: Decimal
    retail_price: Decimal | None
    tax_rate: Decimal | None
    currency_type: str
    created_date: datetime
    modified_date: datetime

    @classmethod
    def from_json(cls, data: Any) -> Self:
        return _shape_guard(
            "product price",
            lambda: cls(
                id=int(data["id"]),
                product=int(data["product"]),
                product_sku=data.get("product_sku"),
                price_list=int(data["price_list"]),
                price=parse_decimal(data["price"]),
                retail_price=optional_decimal(data.get("retail_price")),
                tax_rate=optional_decimal(data.get("tax_rate")),
                currency_type=str(data.get("currency_type") or ""),
                created_date=parse_datetime(data["created_date"]),
                modified_date=parse_datetime(data["modified_date"]),
            ),
        )


@dataclass(frozen=True)
class ProductStock:
    pk: int
    product: int
    product_sku: str | None
    stock_list: int
    stock: int
    unit_type: str
    sold_quantity_unreported: int
    created_date: datetime
    modified_date: datetime

    @classmethod
    def from_json(cls, data: Any) -> Self:
        return _shape_guard(
            "product stock",
            lambda: cls(
                pk=int(data["pk"]),
                product=int(data["product"]),
                product_sku=data.get("product_sku"),
                stock_list=int(data["stock_list"]),
                stock=int(data["stock"]),
                unit_type=str(data.get("unit_type") or "qty"),
                sold_quantity_unreported=int(data.get("sold_quantity_unreported") or 0),
                created_date=parse_datetime(data["created_date"]),
                modified_date=parse_datetime(data["modified_date"]),
            ),
        )


AnyContents = ProductPrice | ProductStock


@dataclass(frozen=True)
class Product:
    pk: int
    sku: str
    name: str

    @classmethod
    def from_json(cls, data: Any) -> Self:
        return _shape_guard(
            "product",
            lambda: cls(pk=int(data["pk"]), sku=str(data["sku"]), name=str(data.get("name", ""))),
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    count: int
    results: list[T]
    page: int
    limit: int
    has_next: bool
    has_previous: bool

    @classmethod
    def from_json(cls, data: Any, parse: Callable[[Any], T], *, page: int, limit: int) -> Page[T]:
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise UnexpectedResponse("a page without a list of results.")
        try:
            count = int(data["count"])
        except (KeyError, TypeError, ValueError):
            raise UnexpectedResponse("a page without a count of results.") from None
        return cls(
            count=count,
            results=[parse(item) for item in data["results"]],
            page=page,
            limit=limit,
            has_next=bool(data.get("next")),
            has_previous=bool(data.get("previous")),
        )


@dataclass(frozen=True)
class ImportRowError:
    line: int | None  # the sheet's 1-based row; None for the file as a whole
    column: str | None
    message: str


@dataclass(frozen=True)
class ImportStatus:
    cache_key: str
    state: ImportState
    progress: int
    total: int
    processed: int
    created: int
    updated: int
    error_count: int
    errors: tuple[ImportRowError, ...] = field(default=())

    @property
    def finished(self) -> bool:
        return self.state.finished

    @property
    def succeeded(self) -> bool:
        return self.state is ImportState.SUCCESS

    @property
    def failure_reason(self) -> str | None:
        """Why a FAILURE failed, in the server's words (its errors without a row)."""
        if self.state is not ImportState.FAILURE:
            return None
        reasons = [error.message for error in self.errors if error.line is None]
        return " ".join(reasons) or "The server could not import the file and gave no reason."

    @classmethod
    def from_json(cls, data: Any) -> ImportStatus:
        def build() -> ImportStatus:
            fields = import_status_fields(data)
            errors = tuple(
                ImportRowError(
                    line=int(item["line"]) if item.get("line") is not None else None,
                    column=item.get("column"),
                    message=str(item.get("message", "")),
                )
                for item in fields.pop("errors")
            )
            return cls(**fields, errors=errors)

        return _shape_guard("import status", build)
