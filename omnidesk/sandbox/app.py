"""The sandbox's HTTP API: Omnitron's price list and stock list endpoints, as in omnitron-api.md."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .auth import login, verify_totp
from .contents import read_only_endpoints, serialize_price, serialize_product, serialize_stock
from .dialect import Dialect
from .errors import (
    ApiError,
    handle_api_error,
    handle_http_exception,
    handle_server_error,
    handle_validation_error,
    not_found,
)
from .faults import FaultInjection, Faults
from .import_api import import_endpoint
from .lists import LIST_KINDS, list_endpoints
from .store import Store
from .validation import ValidationError

PREFIXES = ("/api/v1", "/api/i1")
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
Endpoint = Callable[[Request], Awaitable[Response]]


def i1_when_served(endpoint: Endpoint) -> Endpoint:
    """An i1 endpoint that is not there while the dialect has no i1 (V3)."""

    async def endpoint_or_404(request: Request) -> Response:
        dialect: Dialect = request.app.state.dialect
        if not dialect.i1:
            raise not_found()
        return await endpoint(request)

    return endpoint_or_404


def routes() -> list[Route]:
    table: list[Route] = [
        Route("/api/v1/auth/totp/verify/", verify_totp, methods=ALL_METHODS),
    ]
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
    return [
        Route(route.path, i1_when_served(route.endpoint), methods=ALL_METHODS)
        if route.path.startswith("/api/i1/")
        else route
        for route in table
    ]


def create_app(
    store: Store, faults: Faults | None = None, dialect: Dialect | None = None
) -> FaultInjection:
    """The sandbox as an ASGI app in a dialect (the primary one unless told), wrapped in
    fault injection (off unless faults say so). Both can be changed while it runs."""
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
    app.state.dialect = dialect or Dialect()
    app.state.import_tasks = set()
    return FaultInjection(app, faults)
