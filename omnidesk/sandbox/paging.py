"""DRF's PageNumberPagination with page_size_query_param="limit", as Omnitron pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from .context import dialect_of, store_of
from .errors import ApiError
from .store import PageOfRows

DEFAULT_PAGE_SIZE = 10
# No table reaches 2**40 pages; beyond that SQLite could not even take the offset.
MAX_PAGE_NUMBER = 2**40


def page_size(request: Request) -> int:
    """The page size asked for, silently capped (V4: [ours] 1000, or the dialect's cap)."""
    cap = dialect_of(request).max_page_size
    try:
        limit = int(request.query_params.get("limit", ""))
    except ValueError:
        return min(DEFAULT_PAGE_SIZE, cap)
    if limit <= 0:
        return min(DEFAULT_PAGE_SIZE, cap)
    return min(limit, cap)


def page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        raise ApiError(404, {"detail": "Invalid page."}) from None
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
    joined: tuple[str, str] | None = None,
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
        joined=joined,
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
