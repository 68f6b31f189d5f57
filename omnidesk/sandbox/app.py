"""The sandbox's HTTP API: Omnitron's price list and stock list endpoints, as in omnitron-api.md."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route

from .auth import login
from .contents import read_only_endpoints, serialize_price, serialize_product, serialize_stock
from .errors import (
    ApiError,
    handle_api_error,
    handle_http_exception,
    handle_server_error,
    handle_validation_error,
)
from .faults import FaultInjection, Faults
from .import_api import import_endpoint
from .lists import LIST_KINDS, list_endpoints
from .store import Store
from .validation import ValidationError

PREFIXES = ("/api/v1", "/api/i1")
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def routes() -> list[Route]:
    table: list[Route] = []
    for prefix in PREFIXES:
        table.append(Route(f"{prefix}/auth/login/", login, methods=ALL_METHODS))
        for kind in LIST_KINDS:
            collection, detail = list_endpoints(kind)
            table += [
                Route(f"{prefix}/{kind}/", collection, methods=ALL_METHODS),
                Route(f"{prefix}/{kind}/{{pk:int}}/", detail, methods=ALL_METHODS),
                Route(
                    f"{prefix}/{kind}/{{pk:int}}/excel_import/",
                    import_endpoint(kind),
                    methods=ALL_METHODS,
                ),
            ]
        for path, table_name, key, list_column, serialize in (
            ("product_price", "product_prices", "id", "price_list", serialize_price),
            ("product_stock", "product_stocks", "pk", "stock_list", serialize_stock),
            ("products", "products", "pk", None, serialize_product),
        ):
            collection, detail = read_only_endpoints(table_name, key, list_column, serialize)
            table += [
                Route(f"{prefix}/{path}/", collection, methods=ALL_METHODS),
                Route(f"{prefix}/{path}/{{pk:int}}/", detail, methods=ALL_METHODS),
            ]
    return table


def create_app(store: Store, faults: Faults | None = None) -> FaultInjection:
    """The sandbox as an ASGI app, wrapped in fault injection (off unless faults say so)."""
    faults = faults or Faults()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        # Stopping: imports still running end as FAILURE, so nobody waits on them forever.
        running = list(app.state.import_tasks)
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)

    app = Starlette(
        routes=routes(),
        lifespan=lifespan,
        exception_handlers={
            ApiError: handle_api_error,
            ValidationError: handle_validation_error,
            HTTPException: handle_http_exception,
            500: handle_server_error,
        },
    )
    app.state.store = store
    app.state.faults = faults
    app.state.import_tasks = set()
    return FaultInjection(app, faults)
