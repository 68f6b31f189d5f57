"""Product prices, product stocks and products: read-only, paged, filtered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .auth import authenticate
from .context import store_of
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


def serialize_price(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "product": row["product"],
        "product_sku": row["product_sku"],
        "price_list": row["price_list"],
        "price": row["price"],
        "retail_price": row["retail_price"],
        "tax_rate": row["tax_rate"],
        "currency_type": row["currency_type"],
        "created_date": row["created_date"],
        "modified_date": row["modified_date"],
    }


def serialize_stock(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "pk": row["pk"],
        "product": row["product"],
        "product_sku": row["product_sku"],
        "stock_list": row["stock_list"],
        "stock": row["stock"],
        "unit_type": row["unit_type"],
        "sold_quantity_unreported": row["sold_quantity_unreported"],
        "created_date": row["created_date"],
        "modified_date": row["modified_date"],
    }


def serialize_product(row: dict[str, Any]) -> dict[str, Any]:
    return {"pk": row["pk"], "sku": row["sku"], "name": row["name"]}


def read_only_endpoints(
    table: str,
    key: str,
    list_column: str | None,
    serialize: Callable[[dict[str, Any]], dict[str, Any]],
) -> tuple[Any, Any]:
    joined = table != "products"
    from_clause = f"{table} AS t JOIN products AS p ON p.pk = t.product" if joined else table
    columns = "t.*, p.sku AS product_sku" if joined else "*"
    prefix = "t." if joined else ""

    def filters(request: Request) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        int_names = (list_column, "product") if list_column else ()
        for name in int_names:
            assert name is not None
            value = int_filter(request, name)
            if value is not None:
                where.append(f"t.{name} = ?")
                params.append(value)
        sku_name = "product__sku" if joined else "sku"
        if request.query_params.get(sku_name):
            where.append("p.sku = ?" if joined else "sku = ?")
            params.append(request.query_params[sku_name])
        return where, params

    async def collection(request: Request) -> Response:
        authenticate(request)
        if request.method != "GET":
            raise method_not_allowed(request, ("GET", "HEAD", "OPTIONS"))
        where, params = filters(request)
        return paginated(
            request,
            from_clause + (" WHERE " + " AND ".join(where) if where else ""),
            params,
            columns=columns,
            order_by=f"{prefix}{key} ASC",
            serialize=serialize,
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
        return JSONResponse(serialize(row))

    return collection, detail
