"""One HTTP exchange with retries, and the translation of its failures into OmnitronError.

Reads (GET) are repeated on connection errors, 429 and 502/503/504, with
exponential backoff and jitter. Writes (POST, PATCH) are repeated only when the
request provably never left this machine (no connection could be made), or was
turned away unprocessed (429, which asks to come back later), so a list is never
created twice because an answer got lost.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import re
import ssl
import time
from collections.abc import AsyncIterable, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .errors import (
    AuthenticationRequired,
    NotFound,
    OmnitronError,
    PermissionDenied,
    ServerError,
    ServerUnreachable,
    UnexpectedResponse,
    ValidationFailed,
)

log = logging.getLogger("omnidesk.api")

RETRY_STATUSES = frozenset({429, 502, 503, 504})
# "Too many requests": refused before any work, so even a write may be sent again.
REFUSED_UNPROCESSED = 429
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Errors raised before a single byte of the request reached the server.
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries in all, the first included
    base_delay: float = 0.4  # seconds before the first retry, doubled each time
    max_delay: float = 8.0
    # A Retry-After longer than this is not waited for: the error goes to the person.
    max_retry_after: float = 30.0

    def delay(self, retry_number: int, rng: Callable[[], float] = random.random) -> float:
        """Backoff before retry number 1, 2, …: exponential, capped, with ±50 % jitter."""
        raw = min(self.max_delay, self.base_delay * 2.0 ** (retry_number - 1))
        return raw * (0.5 + rng())


def retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


ContentFactory = Callable[[], AsyncIterable[bytes]]
Sleep = Callable[[float], Awaitable[None]]


class Transport:
    """Sends requests for the client; knows nothing of lists or imports."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        policy: RetryPolicy,
        *,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.http = http
        self.policy = policy
        self.sleep = sleep

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        content: ContentFactory | None = None,
        headers: dict[str, str] | None = None,
        what: str = "That item",
        action: str | None = None,
    ) -> Any:
        """The decoded JSON answer of a successful request; OmnitronError otherwise.

        ``what`` names the object for a 404 ("That price list"), ``action`` what the
        request does for a 403 ("change this price list").
        """
        idempotent = method in IDEMPOTENT_METHODS
        retry_number = 0
        while True:
            started = time.monotonic()
            try:
                response = await self.http.request(
                    method,
                    path,
                    params=params,
                    json=json_body,
                    content=content() if content else None,
                    headers=headers,
                )
            except httpx.TransportError as problem:
                retryable = idempotent or isinstance(problem, NEVER_SENT)
                if retryable and retry_number + 1 < self.policy.attempts:
                    retry_number += 1
                    log.info(
                        "%s %s: %s; retry %d", method, path, type(problem).__name__, retry_number
                    )
                    await self.sleep(self.policy.delay(retry_number))
                    continue
                raise unreachable(problem, sent_a_change=not idempotent) from None
            log.debug(
                "%s %s -> %d in %.0f ms",
                method,
                path,
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            status = response.status_code
            if (
                (idempotent or status == REFUSED_UNPROCESSED)
                and status in RETRY_STATUSES
                and retry_number + 1 < self.policy.attempts
            ):
                wait = retry_after_seconds(response)
                if wait is None or wait <= self.policy.max_retry_after:
                    retry_number += 1
                    await self.sleep(wait if wait is not None else self.policy.delay(retry_number))
                    continue
            return decode(response, what=what, action=action)


def unreachable(problem: httpx.TransportError, *, sent_a_change: bool) -> ServerUnreachable:
    host = problem.request.url.host if _has_request(problem) else "the server"
    text = str(problem)
    if isinstance(problem, httpx.ConnectError):
        cause = problem.__cause__ or problem.__context__
        if isinstance(cause, ssl.SSLError) or "CERTIFICATE" in text.upper() or "SSL" in text:
            return ServerUnreachable(
                f"The secure connection to {host} could not be verified: its certificate "
                "is not trusted. Check the server address; do not turn verification off."
            )
        if re.search(
            r"name or service not known|nodename nor servname|getaddrinfo|resolve", text, re.I
        ):
            return ServerUnreachable(
                f"The server {host} could not be found. Check the address in the connection "
                "profile and your network."
            )
        return ServerUnreachable(
            f"Nothing answers at {host}. Check the server address and your network, then try again."
        )
    if isinstance(problem, NEVER_SENT):
        return ServerUnreachable(f"{host} did not accept a connection in time. Try again.")
    if sent_a_change:
        return ServerUnreachable(
            f"The connection to {host} broke before the answer came. The change may or may "
            "not have been saved: refresh to check before trying again.",
            maybe_applied=True,
        )
    if isinstance(problem, httpx.TimeoutException):
        return ServerUnreachable(f"{host} did not answer in time. Try again in a moment.")
    return ServerUnreachable(f"The connection to {host} broke. Try again in a moment.")


def _has_request(problem: httpx.TransportError) -> bool:
    try:
        problem.request  # noqa: B018 - raises RuntimeError when the error has no request
    except RuntimeError:
        return False
    return True


def _excerpt(response: httpx.Response) -> str:
    """A short, readable description of a body we could not use."""
    text = response.text.strip()
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    if title:
        return f"an HTML page titled “{' '.join(title.group(1).split())[:80]}”"
    if text.lower().startswith(("<!doctype", "<html")):
        return "an HTML page"
    if not text:
        return "an empty body"
    return f"“{' '.join(text.split())[:80]}”"


def decode(response: httpx.Response, *, what: str, action: str | None = None) -> Any:
    status = response.status_code
    if status == 204:
        return None
    try:
        body = response.json() if response.content else None
        is_json = True
    except (json.JSONDecodeError, UnicodeDecodeError):
        body, is_json = None, False

    if 200 <= status < 300:
        if not is_json or body is None:
            raise UnexpectedResponse(f"{_excerpt(response)} instead of data.", status)
        return body
    detail = body.get("detail", "") if isinstance(body, dict) else ""
    if status >= 500 or status == 429:
        raise ServerError(status, "" if is_json else _excerpt(response))
    if not is_json:
        raise UnexpectedResponse(f"{_excerpt(response)} instead of data.", status)
    error: OmnitronError
    if status == 400:
        error = ValidationFailed.from_body(body)
    elif status == 401:
        error = AuthenticationRequired(str(detail))
    elif status == 403:
        error = PermissionDenied(str(detail), action)
    elif status == 404:
        error = NotFound(what)
    else:
        error = UnexpectedResponse(f"{_excerpt(response)}.", status)
    raise error
