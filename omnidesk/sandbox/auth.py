"""Signing in and the token every other request carries (DRF TokenAuthentication)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .context import faults_of, json_body, store_of
from .errors import ApiError, method_not_allowed


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
