"""Request validation with Django REST Framework's rules and wording.

Omnitron is a DRF service, so its 400 bodies have DRF's shapes: field errors as
`{"field": ["message"]}`, then object-level rules as `non_field_errors`.
Object-level rules only run once every field is valid, as in DRF.
"""

from __future__ import annotations

from typing import Any

from .store import Store

# The documented enum, plus `try` and `eur`, which every example uses (omnitron-api.md).
# fmt: off
CURRENCIES = (
    "try", "eur", "tr", "eu", "usd", "egp", "gbp", "mad", "pln", "sar", "ron", "uah", "czk",
    "huf", "rub", "bgn", "iqd", "kwd", "bhd", "omr", "qar", "aed", "ngn", "inr", "lei", "kzt",
    "jod", "rsd",
)
# fmt: on

NAME_MAX_LENGTH = 64
CODE_MAX_LENGTH = 64

REQUIRED = "This field is required."
NOT_NULL = "This field may not be null."
NOT_BLANK = "This field may not be blank."
NOT_A_STRING = "Not a valid string."
NOT_A_BOOLEAN = "Must be a valid boolean."

_TRUE_WORDS = {"true", "1", "yes", "on", "y", "t"}
_FALSE_WORDS = {"false", "0", "no", "off", "n", "f"}

VERBOSE_NAMES = {"price_list": "price list", "stock_list": "stock list"}

AUTO_SYNC_RULE = {
    "price_list": (
        "PriceList code is required when is_auto_sync is True.",
        "product_price_300_2",
    ),
    "stock_list": (
        "StockList code is required when is_auto_sync is True.",
        "product_stock_400_2",
    ),
}


class ValidationError(Exception):
    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(body)
        self.body = body


def parse_boolean(value: Any) -> bool | None:
    """DRF BooleanField's parsing; None when the value is not a boolean."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None


def _clean_text(value: Any, *, allow_null: bool, max_length: int) -> tuple[Any, str | None]:
    if value is None:
        return None, (None if allow_null else NOT_NULL)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None, NOT_A_STRING
    text = str(value).strip()  # DRF trims whitespace before the other checks
    if not text:
        # [ours] an empty code means "no code": storing "" would make it collide
        # with every other empty code under the uniqueness rule.
        return None, (None if allow_null else NOT_BLANK)
    if len(text) > max_length:
        return None, f"Ensure this field has no more than {max_length} characters."
    return text, None


def validate_list(
    store: Store, kind: str, body: Any, existing: dict[str, Any] | None
) -> dict[str, Any]:
    """The columns to write for a POST (existing is None) or a PATCH of a list.

    Raises ValidationError with DRF's body when the request is not acceptable.
    """
    if not isinstance(body, dict):
        got = type(body).__name__
        raise ValidationError(
            {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {got}."]}
        )
    creating = existing is None
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}

    if "name" in body:
        clean["name"], problem = _clean_text(
            body["name"], allow_null=False, max_length=NAME_MAX_LENGTH
        )
        if problem:
            errors["name"] = [problem]
    elif creating:
        errors["name"] = [REQUIRED]

    if "code" in body:
        clean["code"], problem = _clean_text(
            body["code"], allow_null=True, max_length=CODE_MAX_LENGTH
        )
        if problem:
            errors["code"] = [problem]
    elif creating:
        clean["code"] = None

    if "is_auto_sync" in body:
        if body["is_auto_sync"] is None:
            errors["is_auto_sync"] = [NOT_NULL]
        else:
            flag = parse_boolean(body["is_auto_sync"])
            if flag is None:
                errors["is_auto_sync"] = [NOT_A_BOOLEAN]
            else:
                clean["is_auto_sync"] = flag
    elif creating:
        # Documented defaults: price lists are not auto-synced, stock lists are.
        clean["is_auto_sync"] = kind == "stock_list"

    if kind == "price_list":
        if "currency" in body:
            currency = body["currency"]
            if currency is None:
                errors["currency"] = [NOT_NULL]
            elif not isinstance(currency, str) or currency not in CURRENCIES:
                errors["currency"] = [f'"{currency}" is not a valid choice.']
            else:
                clean["currency"] = currency
        elif creating:
            clean["currency"] = "try"

    own_pk = existing["pk"] if existing else None
    for column in ("name", "code"):
        value = clean.get(column)
        if value is None or column in errors:
            continue
        holder = store.find_list_by(kind, column, value)
        if holder is not None and holder["pk"] != own_pk:
            errors[column] = [f"{VERBOSE_NAMES[kind]} with this {column} already exists."]

    if errors:
        raise ValidationError(errors)

    # The documented rule fires only when the request itself turns auto-sync on;
    # a PATCH without a code is checked against the stored one.
    if "is_auto_sync" in body and clean["is_auto_sync"]:
        code = clean["code"] if "code" in clean else (existing or {}).get("code")
        if not code:
            message, error_code = AUTO_SYNC_RULE[kind]
            raise ValidationError({"non_field_errors": message, "error_code": error_code})
    return clean
