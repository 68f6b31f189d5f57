"""The parts of the API contract that are our decisions, not Omnitron's documentation,
and the words of each variant a real server may speak instead (omnitron-api.md, V1–V10).

omnitron-api.md tags the decisions [ours]. A real Omnitron may differ, so each
lives here once: adapting the client to a server means editing this module only.
Which variant a given server speaks is learned from its answers (adapter.py,
skus.py) and kept as its ServerFacts (facts.py).
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
# The query parameter that asks for an order, most likely first (V2): Akinon's own
# client sends sort= [seen]; DRF's OrderingFilter reads ordering= [ours].
ORDERING_WORDS: Final = ("sort", "ordering")

DEFAULT_PAGE_SIZE: Final = 10  # [doc]
MAX_PAGE_SIZE: Final = 1000  # [ours] the sandbox's cap; Omnitron does not document one

# Every object's identity (V7): lists use pk [doc], a search example and product
# prices use id [doc]; read whichever the object has.
IDENTITY_KEYS: Final = ("pk", "id")

# Where a product price's or stock's SKU can come from (V3), in the order tried:
# the v1 row itself (some servers add it), the i1 row of the same pk, the catalogue.
I1_PREFIX: Final = "/api/i1"
SKUS_FROM_V1: Final = "v1"
SKUS_FROM_I1: Final = "i1"
SKUS_FROM_PRODUCTS: Final = "products"
# Product pks asked for in one /products/?pk__in= request: the URL stays well under
# the 8 KB that proxies accept, and one page answers it at any page cap of 100.
PRODUCTS_PER_LOOKUP: Final = 100
LOOKUPS_AT_ONCE: Final = 4

# The catalogue: /products/ [doc on the channel variant; ours for the core path], with
# ?sku= (one SKU, exact) [doc] and ?pk__in=1,2,3 [ours].
PRODUCTS_PATH: Final = f"{API_PREFIX}/products/"

LOGIN_PATH: Final = f"{API_PREFIX}/auth/login/"
TOTP_VERIFY_PATH: Final = f"{API_PREFIX}/auth/totp/verify/"  # [doc]
TOTP_DIGITS: Final = 6  # [doc] "the 6-digit code"


class ImportState(StrEnum):
    # Celery's words [ours: the docs name no status values]; UNKNOWN is any other word.
    PENDING = "PENDING"
    PROGRESS = "PROGRESS"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    UNKNOWN = "UNKNOWN"

    @property
    def finished(self) -> bool:
        return self in (ImportState.SUCCESS, ImportState.FAILURE)


# The status words understood (V10), read without regard to case: Celery's whole
# vocabulary, since our reading is that the job is a Celery task. Any other word is
# UNKNOWN: never an error, and never taken for the end of the job.
STATUS_WORDS: Final = {
    "PENDING": ImportState.PENDING,
    "RECEIVED": ImportState.PENDING,
    "STARTED": ImportState.PROGRESS,
    "PROGRESS": ImportState.PROGRESS,
    "RETRY": ImportState.PROGRESS,
    "SUCCESS": ImportState.SUCCESS,
    "FAILURE": ImportState.FAILURE,
    "REVOKED": ImportState.FAILURE,
    "REJECTED": ImportState.FAILURE,
}
# The counters of the status body [ours]; each may be missing (V10).
STATUS_COUNTERS: Final = ("total", "processed", "created", "updated", "error_count")
# How long a job may go on without a status the client can measure (an unknown word,
# no progress figure) before following stops and the person is sent to Omnitron.
UNCLEAR_STATUS_PATIENCE: Final = 10 * 60.0


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


def check_ordering(ordering: str) -> str:
    """The field an ordering ("name", "-created_date") is by; ValueError for any other."""
    field = ordering.removeprefix("-")
    if field not in ORDERING_FIELDS:
        raise ValueError(f"cannot order by {field!r}; choose one of {sorted(ORDERING_FIELDS)}")
    return field


def boolean_param(value: bool) -> str:
    return "true" if value else "false"


def identity_of(data: Any) -> int:
    """An object's pk, whether the server calls it pk or id; KeyError when it has neither."""
    for key in IDENTITY_KEYS:
        if key in data and data[key] is not None:
            return int(data[key])
    raise KeyError("pk")


def identity_key(data: Any) -> str | None:
    """Which of pk and id the object carries (what the client remembers of the server)."""
    return next((key for key in IDENTITY_KEYS if isinstance(data, dict) and key in data), None)


def is_error_code(value: Any) -> bool:
    """Whether an envelope's "code" is an error code, not a field error on a field "code".

    V1: {"code": "product_price_300_2"} or {"detail": …, "code": "not_found"} carry an
    error code, while {"code": ["price list with this code already exists."]} is about
    the list's code field. A code is one word; a message is a sentence or a list.
    """
    return isinstance(value, str) and bool(value) and not any(c.isspace() for c in value)


# Which key carries an error body's error code (V1): the older pages' error_code, or
# OpenAPI's code; NO_ERROR_CODE for a body with neither (DRF's plain field errors).
ERROR_CODE_KEYS: Final = ("error_code", "code")
NO_ERROR_CODE: Final = "none"


def error_code_key(body: Any) -> str:
    """Which of ERROR_CODE_KEYS an error body carries its code under, or NO_ERROR_CODE."""
    if isinstance(body, dict):
        if body.get("error_code") is not None:
            return "error_code"
        if is_error_code(body.get("code")):
            return "code"
    return NO_ERROR_CODE


DECIMALS_AS_STRINGS: Final = "strings"  # "10.00" [seen]
DECIMALS_AS_NUMBERS: Final = "numbers"  # 10, 10.5 [doc, OpenAPI examples]


def decimal_spelling(value: Any) -> str | None:
    """How an amount was written (V8): DECIMALS_AS_STRINGS, DECIMALS_AS_NUMBERS, or None
    for an empty one, which shows neither."""
    if isinstance(value, str) and value:
        return DECIMALS_AS_STRINGS
    if isinstance(value, int | float) and not isinstance(value, bool):
        return DECIMALS_AS_NUMBERS
    return None


def state_of(word: Any) -> ImportState:
    return STATUS_WORDS.get(str(word).strip().upper(), ImportState.UNKNOWN)


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return None


def import_status_fields(body: Any, cache_key: str) -> dict[str, Any]:
    """[ours] The status body read into ImportStatus's fields, every field optional (V10).

    A counter the server left out reads 0 and is missing from ``counted``; a progress
    figure it left out is None, so that nobody shows 0 % for "not said".
    """
    if not isinstance(body, dict):
        raise TypeError("not an object")
    progress = _count(body.get("progress"))
    counters = {name: _count(body.get(name)) for name in STATUS_COUNTERS}
    errors = body.get("errors")
    return {
        "cache_key": str(body.get("cache_key") or cache_key),
        "state": state_of(body.get("status", "")),
        "word": str(body.get("status", "")),
        "progress": min(progress, 100) if progress is not None else None,
        **{name: value or 0 for name, value in counters.items()},
        "counted": frozenset(name for name, value in counters.items() if value is not None),
        "errors": errors if isinstance(errors, list) else [],
    }
