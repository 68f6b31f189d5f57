"""Signing in (with a second step for two-factor users) and what a user may change.

Users are DRF TokenAuthentication users. One with a TOTP secret (V5) gets a
temp_token from /auth/login/ and its token from /auth/totp/verify/ [ours: the
docs name the second endpoint, not what the first answers]. A limited user (V6)
reads everything and changes only the lists granted to it or created by it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import totp
from .context import dialect_of, faults_of, json_body, store_of
from .errors import ApiError, method_not_allowed

# The fixed secret of the sandbox's two-factor sign-ins (README: The sandbox), so that
# a demo can show the second step with any authenticator app.
DEMO_TOTP_SECRET = "OMNIDESKSANDBOX2"
# How long the first step's temp token waits for its code [ours].
TEMP_TOKEN_SECONDS = 300.0
FORBIDDEN = {"detail": "You do not have permission to perform this action."}


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
    owner = store_of(request).token_owner(words[1])
    ttl = faults_of(request).token_ttl
    if owner is None or (ttl is not None and owner[1] > ttl):
        raise ApiError(401, {"detail": "Invalid token."}, challenge)
    return owner[0]


def totp_secret(request: Request, username: str) -> str | None:
    secret, _ = store_of(request).traits(username)
    if secret is None and dialect_of(request).totp_for_everyone:
        return DEMO_TOTP_SECRET
    return secret


def may_change(request: Request, username: str, kind: str, list_pk: int) -> None:
    """403 unless the user may change (or import into) that list (V6)."""
    store = store_of(request)
    _, limited = store.traits(username)
    if not (limited or dialect_of(request).limited_for_everyone):
        return
    if not store.is_granted(username, kind, list_pk):
        raise ApiError(403, FORBIDDEN)


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
    if totp_secret(request, body["username"]) is not None:
        return JSONResponse({"temp_token": store.issue_temp_token(body["username"])})
    return JSONResponse({"key": store.issue_token(body["username"])})


async def verify_totp(request: Request) -> Response:
    """The second step [doc]: the first step's temp token and the code → the token."""
    if request.method != "POST":
        raise method_not_allowed(request, ("POST", "OPTIONS"))
    body = await json_body(request)
    if not isinstance(body, dict):
        body = {}
    errors = {
        name: ["This field is required."]
        for name in ("temp_token", "token")
        if not isinstance(body.get(name), str) or not body[name].strip()
    }
    if errors:
        raise ApiError(400, errors)
    store = store_of(request)
    username = store.temp_token_user(body["temp_token"], TEMP_TOKEN_SECONDS)
    if username is None:
        raise ApiError(
            400,
            {
                "non_field_errors": ["This sign-in has expired; sign in again."],
                "code": "temp_token_invalid",
            },
        )
    secret = totp_secret(request, username)
    if secret is None or not totp.is_valid(secret, body["token"].strip()):
        # [ours] The contract's shape for a wrong or expired code, in every dialect.
        raise ApiError(
            400, {"non_field_errors": ["Invalid or expired code."], "code": "totp_invalid"}
        )
    store.drop_temp_token(body["temp_token"])
    return JSONResponse({"key": store.issue_token(username)})
