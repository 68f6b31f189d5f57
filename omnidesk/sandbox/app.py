"""The sandbox's HTTP API: Omnitron's price list and stock list endpoints, as in omnitron-api.md."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .faults import FaultInjection, Faults
from .imports import run_import
from .store import PageOfRows, Store, format_datetime
from .validation import ValidationError, validate_list

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 1000  # [ours] Omnitron does not document its maximum
PREFIXES = ("/api/v1", "/api/i1")
LIST_KINDS = ("price_list", "stock_list")
ORDERING_FIELDS = ("name", "code", "created_date", "modified_date", "pk")
DATE_LOOKUPS = ("gt", "gte", "lt", "lte")
SQL_COMPARISONS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


class ApiError(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers


def not_found() -> ApiError:
    return ApiError(404, {"detail": "Not found."})


def bad_filter(name: str, message: str) -> ApiError:
    return ApiError(400, {name: [message]})


# -- request helpers -----------------------------------------------------------------------------


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def faults_of(request: Request) -> Faults:
    faults: Faults = request.app.state.faults
    return faults


def authenticate(request: Request) -> str:
    """The signed-in username, or 401 with DRF TokenAuthentication's wording."""
    challenge = {"WWW-Authenticate": "Token"}
    words = request.headers.get("authorization", "").split()
    if not words or words[0].lower() != "token":
        raise ApiError(401, {"detail": "Authentication credentials were not provided."}, challenge)
    if len(words) == 1:
        raise ApiError(401, {"detail": "Invalid token header. No credentials provided."}, challenge)
    if len(words) > 2:
        raise ApiError(
            401,
            {"detail": "Invalid token header. Token string should not contain spaces."},
            challenge,
        )
    age = store_of(request).token_age(words[1])
    ttl = faults_of(request).token_ttl
    if age is None or (ttl is not None and age > ttl):
        raise ApiError(401, {"detail": "Invalid token."}, challenge)
    return words[1]


async def json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip() == "application/x-www-form-urlencoded":
        return dict(await request.form())
    if "json" not in content_type:
        raise ApiError(415, {"detail": f'Unsupported media type "{content_type}" in request.'})
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(400, {"detail": f"JSON parse error - {exc}"}) from exc


def method_not_allowed(request: Request, allowed: tuple[str, ...]) -> ApiError:
    return ApiError(
        405,
        {"detail": f'Method "{request.method}" not allowed.'},
        {"Allow": ", ".join(allowed)},
    )


# -- pagination (DRF PageNumberPagination with page_size_query_param="limit") --------------------


def page_size(request: Request) -> int:
    try:
        limit = int(request.query_params.get("limit", ""))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    if limit <= 0:
        return DEFAULT_PAGE_SIZE
    return min(limit, MAX_PAGE_SIZE)


MAX_PAGE_NUMBER = 2**40


def page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        raise ApiError(404, {"detail": "Invalid page."}) from None
    # No table reaches 2**40 pages; beyond that SQLite could not even take the offset.
    if not 1 <= number <= MAX_PAGE_NUMBER:
        raise ApiError(404, {"detail": "Invalid page."})
    return number


def page_url(request: Request, number: int) -> str:
    if number == 1:
        return str(request.url.remove_query_params("page"))  # DRF drops it for page one
    return str(request.url.include_query_params(page=number))


def paginated(
    request: Request,
    from_where: str,
    params: list[Any],
    *,
    columns: str,
    order_by: str,
    serialize: Callable[[dict[str, Any]], dict[str, Any]],
) -> JSONResponse:
    limit = page_size(request)
    number = page_number(request)
    page: PageOfRows = store_of(request).page(
        from_where,
        params,
        columns=columns,
        order_by=order_by,
        offset=(number - 1) * limit,
        limit=limit,
    )
    last_page = max(1, -(-page.count // limit))
    if number > last_page:
        raise ApiError(404, {"detail": "Invalid page."})
    return JSONResponse(
        {
            "count": page.count,
            "next": page_url(request, number + 1) if number < last_page else None,
            "previous": page_url(request, number - 1) if number > 1 else None,
            "results": [serialize(row) for row in page.rows],
        }
    )


# -- price lists and stock lists -----------------------------------------------------------------


def serialize_list(row: dict[str, Any]) -> dict[str, Any]:
    body = {
        "pk": row["pk"],
        "name": row["name"],
        "code": row["code"],
        "is_auto_sync": bool(row["is_auto_sync"]),
    }
    if "currency" in row:
        body["currency"] = row["currency"]
    body["created_date"] = row["created_date"]
    body["modified_date"] = row["modified_date"]
    return body


def parse_moment(text: str, *, as_date: bool) -> str:
    """A filter value as the stored text it compares with: a date, or a full UTC datetime."""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(text) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if as_date:
        # A bare date means that day; a datetime means the UTC day it falls on.
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return moment.astimezone(UTC).date().isoformat()
    if len(text) == 10:
        moment = datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
    return format_datetime(moment)


def list_filters(request: Request) -> tuple[list[str], list[Any]]:
    query = request.query_params
    where: list[str] = []
    params: list[Any] = []
    if query.get("name"):
        where.append("icontains(name, ?)")
        params.append(query["name"])
    if query.get("code"):
        where.append("instr(code, ?) > 0")
        params.append(query["code"])
    if "code__exact" in query:
        where.append("code = ?")
        params.append(query["code__exact"])
    if query.get("is_auto_sync"):
        flag = {"true": True, "false": False}.get(query["is_auto_sync"].lower())
        if flag is None:
            raise bad_filter("is_auto_sync", "Enter true or false.")
        where.append("is_auto_sync = ?")
        params.append(int(flag))
    for lookup in DATE_LOOKUPS:
        for by_date in (False, True):
            name = f"created_date__date__{lookup}" if by_date else f"created_date__{lookup}"
            if not query.get(name):
                continue
            try:
                value = parse_moment(query[name], as_date=by_date)
            except ValueError:
                raise bad_filter(
                    name, "Enter a valid date." if by_date else "Enter a valid date/time."
                ) from None
            column = "substr(created_date, 1, 10)" if by_date else "created_date"
            where.append(f"{column} {SQL_COMPARISONS[lookup]} ?")
            params.append(value)
    return where, params


def list_ordering(request: Request) -> str:
    """SQL ORDER BY for DRF's `ordering=` (comma-separated, `-` for descending)."""
    terms: list[str] = []
    for word in request.query_params.get("ordering", "").split(","):
        word = word.strip()
        descending = word.startswith("-")
        field = word.lstrip("-")
        if field not in ORDERING_FIELDS:
            continue  # DRF ignores fields it cannot order by
        direction = "DESC" if descending else "ASC"
        if field in ("name", "code"):
            # PostgreSQL sorts NULL codes last when ascending, first when descending.
            nulls = f"({field} IS NULL) {direction}"
            terms.append(f"{nulls}, {field} COLLATE letters_first {direction}")
        else:
            terms.append(f"{field} {direction}")
    terms.append("pk ASC")  # a stable tiebreaker keeps pages from overlapping
    return ", ".join(terms)


def list_endpoints(kind: str) -> tuple[Any, Any]:
    table = f"{kind}s"

    async def collection(request: Request) -> Response:
        authenticate(request)
        if request.method == "GET":
            where, params = list_filters(request)
            return paginated(
                request,
                table + (" WHERE " + " AND ".join(where) if where else ""),
                params,
                columns="*",
                order_by=list_ordering(request),
                serialize=serialize_list,
            )
        if request.method == "POST":
            body = await json_body(request)
            store = store_of(request)
            clean = validate_list(store, kind, body, existing=None)
            return JSONResponse(serialize_list(store.insert_list(kind, clean)), status_code=201)
        raise method_not_allowed(request, ("GET", "POST", "HEAD", "OPTIONS"))

    async def detail(request: Request) -> Response:
        authenticate(request)
        store = store_of(request)
        existing = store.get_list(kind, request.path_params["pk"])
        if existing is None:
            raise not_found()
        if request.method == "GET":
            return JSONResponse(serialize_list(existing))
        if request.method == "PATCH":
            body = await json_body(request)
            clean = validate_list(store, kind, body, existing=existing)
            return JSONResponse(serialize_list(store.update_list(kind, existing["pk"], clean)))
        raise method_not_allowed(request, ("GET", "PATCH", "HEAD", "OPTIONS"))

    return collection, detail


# -- spreadsheet import --------------------------------------------------------------------------


def import_status_body(job: dict[str, Any]) -> dict[str, Any]:
    if job["status"] == "SUCCESS":
        progress = 100
    elif job["total"]:
        progress = job["processed"] * 100 // job["total"]
    else:
        progress = 0
    return {
        "cache_key": job["cache_key"],
        "status": job["status"],
        "progress": progress,
        "total": job["total"],
        "processed": job["processed"],
        "created": job["created"],
        "updated": job["updated"],
        "errors": job["errors"],
        "error_count": job["error_count"],
    }


def import_endpoint(kind: str) -> Any:
    async def excel_import(request: Request) -> Response:
        authenticate(request)
        store = store_of(request)
        list_pk = request.path_params["pk"]
        if store.get_list(kind, list_pk) is None:
            raise not_found()
        if request.method == "GET":
            cache_key = request.query_params.get("cache_key")
            if not cache_key:
                raise bad_filter("cache_key", "This field is required.")
            job = store.get_import_job(cache_key)
            if job is None or job["kind"] != kind or job["list_pk"] != list_pk:
                raise not_found()
            return JSONResponse(import_status_body(job))
        if request.method == "POST":
            form = await request.form(max_files=1, max_fields=100)
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise ApiError(
                    400,
                    {
                        "non_field_errors": "File not found please provide an appropriate file",
                        "error_code": "file_100_1",
                    },
                )
            data = await upload.read()
            file_name = upload.filename or "upload"
            await form.close()
            cache_key = store.create_import_job(kind, list_pk, file_name)
            task = asyncio.create_task(
                run_import(
                    store,
                    cache_key,
                    kind,
                    list_pk,
                    file_name,
                    data,
                    rows_per_second=faults_of(request).import_rows_per_second,
                )
            )
            tasks: set[asyncio.Task[None]] = request.app.state.import_tasks
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            return JSONResponse({"cache_key": cache_key})
        raise method_not_allowed(request, ("GET", "POST", "HEAD", "OPTIONS"))

    return excel_import


# -- product prices, product stocks, products (read-only) ----------------------------------------


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


# -- sign in -------------------------------------------------------------------------------------


async def login(request: Request) -> Response:
    if request.method != "POST":
        raise method_not_allowed(request, ("POST", "OPTIONS"))
    if "authorization" in request.headers:
        # DRF authenticates every request, the login view's too: an expired token sent
        # along makes signing in again fail with 401. A client must send none here.
        authenticate(request)
    body = await json_body(request)
    if not isinstance(body, dict):
        body = {}
    errors: dict[str, list[str]] = {}
    for name in ("username", "password"):
        value = body.get(name)
        if value is None:
            errors[name] = ["This field is required."]
        elif not isinstance(value, str) or not value.strip():
            errors[name] = ["This field may not be blank."]
    if errors:
        raise ApiError(400, errors)
    store = store_of(request)
    if not store.check_password(body["username"], body["password"]):
        raise ApiError(400, {"non_field_errors": ["Unable to log in with provided credentials."]})
    return JSONResponse({"key": store.issue_token(body["username"])})


# -- the application -----------------------------------------------------------------------------

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


async def handle_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ValidationError)
    return JSONResponse(exc.body, status_code=400)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return JSONResponse({"detail": "Not found."}, status_code=404)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def handle_server_error(request: Request, exc: Exception) -> Response:
    return JSONResponse({"detail": "A server error occurred."}, status_code=500)


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
