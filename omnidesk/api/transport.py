"""One HTTP exchange with retries, and the translation of its failures into OmnitronError.

Reads (GET) are repeated on connection errors, 429 and 502/503/504, with
exponential backoff and jitter. Writes (POST, PATCH, uploads) are repeated only
when the request provably never left this machine (no connection could be made),
or was turned away unprocessed (503, 429: the server says it did not do it), so a
list is never created twice because an answer got lost. A certificate problem is
never repeated: it will not pass by itself.

Every call ends: all its attempts and waits share one deadline (httpx's timeout
is per read, so a body dripped a byte at a time would otherwise never time out),
and an answer larger than any Omnitron answer is refused before it fills memory.
Whoever wants to tell the person "retrying" passes ``on_retry``.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import re
import time
from collections.abc import AsyncIterable, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from omnidesk.i18n import _

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
from .json_in_steps import IN_STEPS_FROM, loads_in_steps
from .tls import NEVER_SENT, is_certificate_problem, unreachable

log = logging.getLogger("omnidesk.api")

RETRY_STATUSES = frozenset({429, 502, 503, 504})
# "Too many requests" and "unavailable": turned away before any work, so even a write
# may be sent again. 502 and 504 may come from a proxy whose server did the work.
REFUSED_UNPROCESSED = frozenset({429, 503})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Every call, its retries included, ends within this many seconds.
DEADLINE = 60.0
# An upload's deadline grows with its size: the slowest link waited for, bytes a second.
SLOWEST_UPLOAD = 50_000
# No Omnitron answer comes near this (a page of 1,000 rows is about 300 KB).
MAX_ANSWER_BYTES = 32 * 2**20


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


@dataclass(frozen=True)
class Retrying:
    """A request is about to be sent again: what the person may be shown meanwhile."""

    method: str
    path: str
    attempt: int  # the attempt about to be made: 2 is the first retry
    attempts: int  # in all
    wait: float  # seconds before it
    status: int | None  # the answer that turned it away (503, 429), or None: no answer

    @property
    def message(self) -> str:
        if self.status == 429:
            why = _("The server asked to slow down.")
        elif self.status is not None:
            why = _("The server is busy (HTTP {status}).").format(status=self.status)
        else:
            why = _("The connection failed.")
        return _("{why} Retrying in {seconds:.0f} s (attempt {attempt} of {attempts})…").format(
            why=why, seconds=max(1.0, self.wait), attempt=self.attempt, attempts=self.attempts
        )


OnRetry = Callable[[Retrying], None]


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


class _TooLarge(Exception):
    pass


class Transport:
    """Sends requests for the client; knows nothing of lists or imports."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        policy: RetryPolicy,
        *,
        sleep: Sleep = asyncio.sleep,
        deadline: float = DEADLINE,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        self.http = http
        self.policy = policy
        self.sleep = sleep
        self.deadline = deadline
        self.max_answer_bytes = max_answer_bytes
        self.on_retry: OnRetry | None = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        content: ContentFactory | None = None,
        content_length: int | None = None,
        headers: dict[str, str] | None = None,
        not_found: str | None = None,
        refused: str | None = None,
        changes: bool | None = None,
    ) -> Any:
        """The decoded JSON answer of a successful request; OmnitronError otherwise.

        ``not_found`` is the sentence of a 404 ("That price list was not found on the
        server. …"), ``refused`` the sentence of a 403 ("Your account may not change this
        price list."): each whole, in the language spoken now. ``changes`` False says a
        write changes nothing on the server (a sign-in): a lost answer is then not
        "a change that may have been saved". ``content_length`` lengthens the deadline
        of an upload by what a slow link needs to carry it.
        """
        idempotent = method in IDEMPOTENT_METHODS
        sent_a_change = (not idempotent) if changes is None else changes
        deadline = self.deadline + (content_length or 0) / SLOWEST_UPLOAD
        ends_at = time.monotonic() + deadline
        retry_number = 0

        async def again(wait: float, status: int | None) -> bool:
            """Wait and say so, if another attempt is allowed and fits the deadline."""
            nonlocal retry_number
            if retry_number + 1 >= self.policy.attempts:
                return False
            if time.monotonic() + wait >= ends_at:
                return False
            retry_number += 1
            if self.on_retry is not None:
                self.on_retry(
                    Retrying(method, path, retry_number + 1, self.policy.attempts, wait, status)
                )
            await self.sleep(wait)
            return True

        while True:
            started = time.monotonic()
            try:
                async with asyncio.timeout(max(0.0, ends_at - started)):
                    response = await self._exchange(
                        method, path, params, json_body, content, headers
                    )
            except TimeoutError:
                log.info("%s %s: no whole answer within %.0f s", method, path, deadline)
                raise self._too_slow(deadline, sent_a_change) from None
            except _TooLarge:
                raise UnexpectedResponse(
                    _(
                        "an answer larger than {megabytes} MB, more than any Omnitron answer; "
                        "it was not read."
                    ).format(megabytes=self.max_answer_bytes // 2**20)
                ) from None
            except httpx.TransportError as problem:
                retryable = (idempotent or isinstance(problem, NEVER_SENT)) and (
                    not is_certificate_problem(problem)
                )
                if retryable:
                    log.info("%s %s: %s; retrying", method, path, type(problem).__name__)
                    if await again(self.policy.delay(retry_number + 1), None):
                        continue
                raise unreachable(problem, sent_a_change=sent_a_change) from None
            log.debug(
                "%s %s -> %d in %.0f ms",
                method,
                path,
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            status = response.status_code
            if (idempotent or status in REFUSED_UNPROCESSED) and status in RETRY_STATUSES:
                wait = retry_after_seconds(response)
                if wait is None or wait <= self.policy.max_retry_after:
                    pause = wait if wait is not None else self.policy.delay(retry_number + 1)
                    if await again(pause, status):
                        continue
            return decode(response, await read_json(response), not_found=not_found, refused=refused)

    async def _exchange(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        json_body: Any,
        content: ContentFactory | None,
        headers: dict[str, str] | None,
    ) -> httpx.Response:
        """One attempt, its answer read whole, but never more than max_answer_bytes."""
        async with self.http.stream(
            method,
            path,
            params=params,
            json=json_body,
            content=content() if content else None,
            headers=headers,
        ) as streamed:
            declared = streamed.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_answer_bytes:
                raise _TooLarge
            body = bytearray()
            async for chunk in streamed.aiter_bytes():
                body += chunk
                if len(body) > self.max_answer_bytes:
                    raise _TooLarge
        # Decoded already: the copy must not say gzip, nor a length it no longer has.
        kept = [
            (name, value)
            for name, value in streamed.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            streamed.status_code, headers=kept, content=bytes(body), request=streamed.request
        )

    def _too_slow(self, seconds: float, sent_a_change: bool) -> ServerUnreachable:
        host = self.http.base_url.host or _("the server")
        text = _(
            "{host} had not answered in full after {seconds:.0f} s, so OmniDesk stopped "
            "waiting. Something between you and the server may be slowing its answers; "
            "try again later."
        ).format(host=host, seconds=seconds)
        if sent_a_change:
            text += " " + _(
                "The change may or may not have been saved: refresh to check before trying again."
            )
        return ServerUnreachable(text, maybe_applied=sent_a_change)


def _excerpt(response: httpx.Response) -> str:
    """A short, readable description of a body we could not use."""
    text = response.text.strip()
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    if title:
        return _("an HTML page titled “{title}”").format(
            title=" ".join(title.group(1).split())[:80]
        )
    if text.lower().startswith(("<!doctype", "<html")):
        return _("an HTML page")
    if not text:
        return _("an empty body")
    return f"“{' '.join(text.split())[:80]}”"


async def read_json(response: httpx.Response) -> tuple[Any, bool]:
    """The answer's JSON, and whether it was JSON at all (an empty body is None, JSON).

    A large answer is read in a worker and in steps (json_in_steps.py), so the window
    goes on painting meanwhile."""
    content = response.content
    if not content:
        return None, True
    try:
        if len(content) >= IN_STEPS_FROM:
            return await asyncio.to_thread(loads_in_steps, content), True
        return json.loads(content), True
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None, False


def decode(
    response: httpx.Response,
    parsed: tuple[Any, bool],
    *,
    not_found: str | None = None,
    refused: str | None = None,
) -> Any:
    """What the answer means: its data, or the OmnitronError it says (``read_json``'s
    ``parsed``)."""
    status = response.status_code
    if status == 204:
        return None
    body, is_json = parsed

    if 200 <= status < 300:
        if not is_json or body is None:
            raise UnexpectedResponse(_instead_of_data(response), status)
        return body
    detail = body.get("detail", "") if isinstance(body, dict) else ""
    if status >= 500 or status == 429:
        raise ServerError(status, "" if is_json else _excerpt(response))
    if not is_json:
        raise UnexpectedResponse(_instead_of_data(response), status)
    error: OmnitronError
    if status == 400:
        error = ValidationFailed.from_body(body)
    elif status == 401:
        error = AuthenticationRequired(str(detail))
    elif status == 403:
        error = PermissionDenied(str(detail), refused)
    elif status == 404:
        error = NotFound(not_found)
    else:
        error = UnexpectedResponse(f"{_excerpt(response)}.", status)
    raise error


def _instead_of_data(response: httpx.Response) -> str:
    return _("{body} instead of data.").format(body=_excerpt(response))
