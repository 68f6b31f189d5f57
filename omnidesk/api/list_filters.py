"""The filters a search for lists takes, and the query parameters they become."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict

from . import contract


class ListFilters(TypedDict, total=False):
    """The server's list filters, each optional (name and code: contains)."""

    name: str
    code: str
    code_exact: str
    is_auto_sync: bool
    created_after: date | datetime
    created_before: date | datetime


def filter_params(filters: ListFilters) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if name := filters.get("name"):
        params["name"] = name
    if code := filters.get("code"):
        params["code"] = code
    if (code_exact := filters.get("code_exact")) is not None:
        params["code__exact"] = code_exact
    if (is_auto_sync := filters.get("is_auto_sync")) is not None:
        params["is_auto_sync"] = contract.boolean_param(is_auto_sync)
    return params | contract.created_date_params(
        filters.get("created_after"), filters.get("created_before")
    )


# The fields a list of any kind has; a kind with a currency has that one too.
LIST_FIELDS = frozenset({"name", "code", "is_auto_sync"})
