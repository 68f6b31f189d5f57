"""Which of the contract's variants the sandbox speaks (omnitron-api.md, V1–V10).

Real Omnitron servers differ where Akinon's documents disagree or say nothing.
The sandbox speaks the contract's primary column by default and any alternative
on request, at start (`omnidesk-sandbox --variant V3 …`) or while it runs (tests
flip `SandboxServer.dialect` as they flip the fault knobs), so the client's tests
prove it copes with each.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

ENVELOPES = ("error_code", "code")
ORDERINGS = ("sort", "ordering", "ignored")
IDENTITIES = ("pk", "id")
UPLOAD_STATUSES = (200, 201, 202)
STATUS_WORD_SETS = ("celery", "other")


@dataclass
class Dialect:
    # V1: "error_code" with non_field_errors as a string; "code" with every message a
    # list and a code beside each detail (OpenAPI's envelope).
    error_envelope: str = "error_code"
    # V2: the parameter lists are ordered by: sort=, ordering=, or none ("ignored").
    ordering: str = "sort"
    # V3: False answers 404 for all of /api/i1/: SKUs only through /products/.
    i1: bool = True
    # V4: the largest page served, whatever `limit` asks for.
    max_page_size: int = 1000
    # V5: every user signs in in two steps (the user `twofactor` always does).
    totp_for_everyone: bool = False
    # V6: every user may change and import into only its own and granted lists
    # (the user `limited` always is).
    limited_for_everyone: bool = False
    # V7: "id" names objects' identity where Omnitron's docs say pk, and pk where id.
    identity: str = "pk"
    # V8: decimals as JSON numbers (10, 10.5) instead of strings ("10.00").
    decimals_as_numbers: bool = False
    # V9: the status an accepted upload is answered with.
    upload_status: int = 200
    # V10: "other": import status words of another job queue, no progress, no counters.
    status_words: str = "celery"

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        for name, value, allowed in (
            ("error_envelope", self.error_envelope, ENVELOPES),
            ("ordering", self.ordering, ORDERINGS),
            ("identity", self.identity, IDENTITIES),
            ("upload_status", self.upload_status, UPLOAD_STATUSES),
            ("status_words", self.status_words, STATUS_WORD_SETS),
        ):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(map(str, allowed))}")
        if self.max_page_size < 1:
            raise ValueError("max_page_size must be at least 1")

    def reset(self) -> None:
        """Back to the primary dialect, in place (a running server keeps this object)."""
        self.set(**dataclasses.asdict(Dialect()))

    def set(self, **changes: Any) -> None:
        for name, value in changes.items():
            if name not in {field.name for field in dataclasses.fields(self)}:
                raise TypeError(f"a dialect has no {name}")
            setattr(self, name, value)
        self.check()

    def variant(self, name: str) -> None:
        """Switch one variant on, by its name in the contract's table ("V3", "V2-ignored")."""
        if name not in VARIANTS:
            raise ValueError(f"unknown variant {name}; choose from {', '.join(VARIANTS)}")
        self.set(**VARIANTS[name])

    @classmethod
    def every_alternative(cls) -> Dialect:
        """Every variant's alternative at once: the hardest server the client must serve."""
        dialect = cls()
        for name in ALL_AT_ONCE:
            dialect.variant(name)
        return dialect


# Each alternative of the contract's table; a variant with two has both, the first plain.
VARIANTS: dict[str, dict[str, Any]] = {
    "V1": {"error_envelope": "code"},
    "V2": {"ordering": "ordering"},
    "V2-ignored": {"ordering": "ignored"},
    "V3": {"i1": False},
    "V4": {"max_page_size": 100},
    "V4-50": {"max_page_size": 50},
    "V5": {"totp_for_everyone": True},
    "V6": {"limited_for_everyone": True},
    "V7": {"identity": "id"},
    "V8": {"decimals_as_numbers": True},
    "V9": {"upload_status": 201},
    "V9-202": {"upload_status": 202},
    "V10": {"status_words": "other"},
}
# The harder of each pair: no ordering at all, the smaller page cap, 202.
ALL_AT_ONCE = ("V1", "V2-ignored", "V3", "V4-50", "V5", "V6", "V7", "V8", "V9-202", "V10")


# -- speaking the dialect ----------------------------------------------------------------


@dataclass(frozen=True)
class Wire:
    """How one answer is written: the dialect, and whether it is i1's shape."""

    dialect: Dialect
    i1: bool = False

    def identity(self, usual: str = "pk") -> str:
        """The name of an object's identity: ``usual`` as the docs have it, swapped under V7."""
        if self.dialect.identity == "pk":
            return usual
        return "id" if usual == "pk" else "pk"

    def decimal(self, text: str | None) -> Any:
        if text is None or not self.dialect.decimals_as_numbers:
            return text
        value = Decimal(text)
        # 10.00 as 10, 10.50 as 10.5: what a JSON encoder of floats writes.
        return int(value) if value == value.to_integral_value() else float(value)


# DRF's default codes for errors that have only a detail (V1's envelope).
DETAIL_CODES = {
    400: "parse_error",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    415: "unsupported_media_type",
    500: "error",
}


def error_body(status: int, body: Any, dialect: Dialect) -> Any:
    """An error body, written in the dialect's envelope (V1)."""
    if dialect.error_envelope == "error_code" or not isinstance(body, dict):
        return body
    written: dict[str, Any] = {}
    code = body.get("error_code")
    for key, value in body.items():
        if key == "error_code":
            continue
        written[key] = value if key == "detail" or isinstance(value, list) else [value]
    if "detail" in body and code is None:
        detail = str(body["detail"])
        code = "authentication_failed" if detail == "Invalid token." else DETAIL_CODES.get(status)
    elif code is None:
        code = "invalid"  # DRF ValidationError's default code
    # A field error on the list's own code field wins the key: JSON has one "code".
    if "code" not in written:
        written["code"] = code
    return written


# Import statuses in another job queue's words (python-rq's), for V10.
OTHER_STATUS_WORDS = {
    "PENDING": "queued",
    "PROGRESS": "started",
    "SUCCESS": "finished",
    "FAILURE": "failed",
}
