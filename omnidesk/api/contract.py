"""The parts of the API contract that are our decisions, not Omnitron's documentation.

omnitron-api.md tags these [ours]. A real Omnitron may differ, so each lives
here once: adapting the client to a server means editing this module only.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final

from omnidesk.currencies import CURRENCIES, CURRENCY_NAMES, DEFAULT_CURRENCY
from omnidesk.kinds import ListKind

__all__ = ["CURRENCIES", "CURRENCY_NAMES", "DEFAULT_CURRENCY", "ListKind"]

API_PREFIX: Final = "/api/v1"


# Fields the server can order by ([ours]: the docs do not list any).
ORDERING_FIELDS: Final = frozenset({"name", "code", "created_date", "modified_date", "pk"})

DEFAULT_PAGE_SIZE: Final = 10  # [doc]
MAX_PAGE_SIZE: Final = 1000  # [ours] the sandbox's cap; Omnitron does not document one


class ImportState(StrEnum):
    # Celery's words [ours: the docs name no status values].
    PENDING = "PENDING"
    PROGRESS = "PROGRESS"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"

    @property
    def finished(self) -> bool:
        return self in (ImportState.SUCCESS, ImportState.FAILURE)


def import_path(kind: ListKind, pk: int) -> str:
    """Where a file is POSTed, and [ours] where its status is read with ?cache_key=."""
    return f"{API_PREFIX}/{kind.value}/{pk}/excel_import/"


def import_status_params(cache_key: str) -> dict[str, str]:
    return {"cache_key": cache_key}


def created_date_params(
    created_after: date | datetime | None, created_before: date | datetime | None
) -> dict[str, str]:
    """Both bounds inclusive. A date means the whole day; a datetime, that instant."""
    params: dict[str, str] = {}
    for bound, lookup in ((created_after, "gte"), (created_before, "lte")):
        if bound is None:
            continue
        if isinstance(bound, datetime):
            params[f"created_date__{lookup}"] = bound.isoformat()
        else:
            params[f"created_date__date__{lookup}"] = bound.isoformat()
    return params


def ordering_param(ordering: str | None) -> dict[str, str]:
    if not ordering:
        return {}
    field = ordering.removeprefix("-")
    if field not in ORDERING_FIELDS:
        raise ValueError(f"cannot order by {field!r}; choose one of {sorted(ORDERING_FIELDS)}")
    return {"ordering": ordering}


def boolean_param(value: bool) -> str:
    return "true" if value else "false"


def import_status_fields(body: dict[str, Any]) -> dict[str, Any]:
    """[ours] The status body's shape, read into ImportStatus's fields."""
    return {
        "cache_key": body["cache_key"],
        "state": ImportState(body["status"]),
        "progress": int(body.get("progress") or 0),
        "total": int(body.get("total") or 0),
        "processed": int(body.get("processed") or 0),
        "created": int(body.get("created") or 0),
        "updated": int(body.get("updated") or 0),
        "error_count": int(body.get("error_count") or 0),
        "errors": body.get("errors") or [],
    }
