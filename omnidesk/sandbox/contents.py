"""Product prices, product stocks and products: read-only, paged, filtered."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .auth import authenticate
from .context import store_of, wire_of
from .dialect import Wire
from .errors import bad_filter, method_not_allowed, not_found
from .paging import paginated


def int_filter(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise bad_filter(
            name, "Select a valid choice. That choice is not one of the available choices."
        ) from None


def pk_list_filter(request: Request, name: str = "pk__in") -> list[int] | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise bad_filter(name, "Enter a whole number.") from None


def serialize_price(row: dict[str, Any], wire: Wire) -> dict[str, Any]:
    body: dict[str, Any] = {wire.identity("id"): row["id"]}
    if wire.i1:  # i1 rows carry the SKU instead of the product [doc]
        body["product_sku"] = row["product_sku"]
    else:
        body["product"] = row["product"]
    body |= {
        "price_list": row["price_list"],
        "price": wire.decimal(row["price"]),
        "retail_price": wire.decimal(row["retail_price"]),
        "tax_rate": wire.decimal(row["tax_rate"]),
        "currency_type": row["currency_type"],
    }
    if not wire.i1:  # and "may not contain some of the fields" [doc]: no dates here
        body["created_date"] = row["created_date"]
        body["modified_date"] = row["modified_date"]
    return body


def serialize_stock(row: dict[str, Any], wire: Wire) -> dict[str, Any]:
    # i1 stocks carry id and product_sku [doc]; v1 stocks pk and product [seen].
    body: dict[str, Any] = {wire.identity("id" if wire.i1 else "pk"): row["pk"]}
    if wire.i1:
        body["product_sku"] = row["product_sku"]
    else:
        body["product"] = row["product"]
    return body | {
        "stock_list": row["stock_list"],
        "stock": row["stock"],
        "unit_type": row["unit_type"],
        "sold_quantity_unreported": row["sold_quantity_unreported"],
        "created_date": row["created_date"],
        "modified_date": row["modified_date"],
    }


def serialize_product(row: dict[str, Any], wire: Wire) -> dict[str, Any]:
    return {wire.identity("pk"): row["pk"], "sku": row["sku"], "name": row["name"]}


def read_only_endpoints(
    table: str,
    key: str,
    list_column: str | None,
    serialize: Callable[[dict[str, Any], Wire], dict[str, Any]],
) -> tuple[Any, Any]:
    joined = table != "products"
    from_clause = f"{table} AS t JOIN products AS p ON p.pk = t.product" if joined else table
    columns = "t.*, p.sku AS product_sku" if joined else "*"
    prefix = "t." if joined else ""
    # Filters name t's columns only: a page's rows are picked in t, then joined.
    keys_first = (f"t.{key}", from_clause) if joined else None

    def filters(request: Request) -> tuple[list[str], list[Any]]:
        # The documented filters [doc]; like django-filter, the sandbox ignores any
        # other parameter, so v1 answers ?product__sku= with every row, as Omnitron would.
        where: list[str] = []
        params: list[Any] = []
        int_names = (list_column, "product") if list_column else ()
        for name in int_names:
            assert name is not None
            value = int_filter(request, name)
            if value is not None:
                where.append(f"t.{name} = ?")
                params.append(value)
        pks = pk_list_filter(request)
        if pks is not None:
            where.append(f"{prefix}{key} IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(pks))
        if not joined and request.query_params.get("sku"):
            where.append("sku = ?")
            params.append(request.query_params["sku"])
        return where, params

    async def collection(request: Request) -> Response:
        authenticate(request)
        if request.method != "GET":
            raise method_not_allowed(request, ("GET", "HEAD", "OPTIONS"))
        where, params = filters(request)
        wire = wire_of(request)
        picked_in = f"{table} AS t" if joined else from_clause
        return paginated(
            request,
            picked_in + (" WHERE " + " AND ".join(where) if where else ""),
            params,
            columns=columns,
            order_by=f"{prefix}{key} ASC",
            serialize=lambda row: serialize(row, wire),
            joined=keys_first,
        )

    async def detail(request: Request) -> Response:
        authenticate(request)
        if request.method != "GET":
            raise method_not_allowed(request, ("GET", "HEAD", "OPTIONS"))
        row = store_of(request).query_one(
            f"SELECT {columns} FROM {from_clause} WHERE {prefix}{key} = ?",
            (request.path_params["pk"],),
        )
        if row is None:
            raise not_found()
        return JSONResponse(serialize(row, wire_of(request)))

    return collection, detail
