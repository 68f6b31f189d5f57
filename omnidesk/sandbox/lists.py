"""Price lists and stock lists: list with filters and ordering, read, create, change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .auth import authenticate, may_change
from .context import dialect_of, json_body, store_of, wire_of
from .dialect import Wire
from .errors import bad_filter, method_not_allowed, not_found
from .paging import paginated
from .store import format_datetime
from .validation import validate_list

LIST_KINDS = ("price_list", "stock_list")
ORDERING_FIELDS = ("name", "code", "created_date", "modified_date", "pk")
DATE_LOOKUPS = ("gt", "gte", "lt", "lte")
SQL_COMPARISONS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def serialize_list(row: dict[str, Any], wire: Wire) -> dict[str, Any]:
    body = {
        wire.identity("pk"): row["pk"],
        "name": row["name"],
        "code": row["code"],
        "is_auto_sync": bool(row["is_auto_sync"]),
    }
    if "currency" in row:
        body["currency"] = row["currency"]
    if not wire.i1:  # i1 price lists have no dates [doc]
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
    parameter = dialect_of(request).ordering  # V2: sort=, ordering=, or "ignored"
    for word in request.query_params.get(parameter, "").split(","):
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
        username = authenticate(request)
        wire = wire_of(request)
        if request.method == "GET":
            where, params = list_filters(request)
            return paginated(
                request,
                table + (" WHERE " + " AND ".join(where) if where else ""),
                params,
                columns="*",
                order_by=list_ordering(request),
                serialize=lambda row: serialize_list(row, wire),
            )
        if request.method == "POST":
            body = await json_body(request)
            store = store_of(request)
            clean = validate_list(store, kind, body, existing=None)
            created = store.insert_list(kind, clean)
            store.grant(username, kind, created["pk"])  # a list is its creator's to change
            return JSONResponse(serialize_list(created, wire), status_code=201)
        raise method_not_allowed(request, ("GET", "POST", "HEAD", "OPTIONS"))

    async def detail(request: Request) -> Response:
        username = authenticate(request)
        wire = wire_of(request)
        store = store_of(request)
        existing = store.get_list(kind, request.path_params["pk"])
        if existing is None:
            raise not_found()
        if request.method == "GET":
            return JSONResponse(serialize_list(existing, wire))
        if request.method == "PATCH":
            may_change(request, username, kind, existing["pk"])
            body = await json_body(request)
            clean = validate_list(store, kind, body, existing=existing)
            updated = store.update_list(kind, existing["pk"], clean)
            return JSONResponse(serialize_list(updated, wire))
        raise method_not_allowed(request, ("GET", "PATCH", "HEAD", "OPTIONS"))

    return collection, detail
