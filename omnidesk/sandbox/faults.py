"""Fault injection: the sandbox can be slow, flaky, or strict about tokens on request.

These knobs are not Omnitron's; they exist so that tests and demos can show how
the app behaves on a bad day. All are off by default, and all can be changed
while the server runs (tests flip them on a running sandbox).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import threading
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class Faults:
    latency_ms: int = 0
    # The share of requests that fail: half answered 503, half cut off mid-response.
    fail_rate: float = 0.0
    # Tokens older than this many seconds are refused as "Invalid token."
    token_ttl: float | None = None
    # Pace of import processing, so a progress bar moves visibly in the demo.
    import_rows_per_second: float | None = None
    # How many answers drop_answer_once has dropped so far.
    answers_dropped: int = 0
    # How many requests lose_request_once has lost, unprocessed, so far.
    requests_lost: int = 0
    _drop_next: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _lose_next: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _busy_next: tuple[re.Pattern[str], int | None] | None = field(
        default=None, repr=False, compare=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 0.0 <= self.fail_rate <= 1.0:
            raise ValueError("fail_rate must be between 0 and 1")
        if self.latency_ms < 0:
            raise ValueError("latency_ms must not be negative")

    def drop_answer_once(self, path: str | None) -> None:
        """The next request whose path matches the pattern ``path`` (re.search) is
        processed, then its answer is dropped: a POST creates, an upload's job starts,
        and the client hears only a broken connection. One shot; None cancels it."""
        with self._lock:
            self._drop_next = re.compile(path) if path is not None else None

    def take_drop(self, path: str) -> bool:
        """Whether this request's answer is the one to drop (and the shot is spent)."""
        with self._lock:
            if self._drop_next is None or not self._drop_next.search(path):
                return False
            self._drop_next = None
            self.answers_dropped += 1
            return True

    def lose_request_once(self, path: str | None) -> None:
        """The next request whose path matches the pattern ``path`` (re.search) is read
        whole and never processed, and its connection cut before an answer: to the
        client it looks exactly like drop_answer_once, but nothing happened on the
        server. One shot; None cancels it."""
        with self._lock:
            self._lose_next = re.compile(path) if path is not None else None

    def busy_once(self, path: str | None, retry_after: int | None = None) -> None:
        """The next request whose path matches ``path`` is turned away unprocessed with
        503 (and ``Retry-After: retry_after`` seconds, if given), as a busy server does.
        One shot; None cancels it."""
        with self._lock:
            self._busy_next = (re.compile(path), retry_after) if path is not None else None

    def take_busy(self, path: str) -> tuple[bool, int | None]:
        """Whether this request is the one to turn away, and its Retry-After."""
        with self._lock:
            if self._busy_next is None or not self._busy_next[0].search(path):
                return False, None
            retry_after = self._busy_next[1]
            self._busy_next = None
            return True, retry_after

    def take_loss(self, path: str) -> bool:
        """Whether this request is the one to lose unprocessed (and the shot is spent)."""
        with self._lock:
            if self._lose_next is None or not self._lose_next.search(path):
                return False
            self._lose_next = None
            self.requests_lost += 1
            return True


class DroppedConnection(Exception):
    """Raised on purpose after a response has started, so uvicorn cuts the connection."""


class _HideDroppedConnections(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


# uvicorn logs every exception an app raises; the ones we raise on purpose are noise.
logging.getLogger("uvicorn.error").addFilter(_HideDroppedConnections())

UNAVAILABLE_BODY = json.dumps({"detail": "Service temporarily unavailable."}).encode()


class FaultInjection:
    """ASGI middleware applying the Faults knobs to every HTTP request."""

    def __init__(self, app: ASGIApp, faults: Faults, *, rng: random.Random | None = None) -> None:
        self.app = app
        self.faults = faults
        self.rng = rng or random.Random()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.faults.latency_ms:
            await asyncio.sleep(self.faults.latency_ms / 1000)
        if self.faults.take_drop(scope["path"]):
            await self._process_then_drop(scope, receive, send)
            return
        if self.faults.take_loss(scope["path"]):
            await _read_then_drop(receive, send)
            return
        busy, retry_after = self.faults.take_busy(scope["path"])
        if busy:
            await _read_whole(receive)  # turned away, but heard out: no broken upload
            await _send_unavailable(send, retry_after)
            return
        if self.faults.fail_rate and self.rng.random() < self.faults.fail_rate:
            if self.rng.random() < 0.5:
                await _send_unavailable(send)
            else:
                await self._process_then_drop(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _process_then_drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The nastiest failure for a client: the server did the work (a POST created
        # its list) but the answer never arrives. Only a client that does not repeat
        # POSTs blindly survives this without creating things twice.
        async def discard(message: Message) -> None:
            return None

        await self.app(scope, receive, discard)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"1000")],
            }
        )
        raise DroppedConnection


async def _read_whole(receive: Receive) -> None:
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _read_then_drop(receive: Receive, send: Send) -> None:
    """The request arrives whole, then the connection breaks before the server did a thing
    with it: the client cannot tell this from an answer lost after the work."""
    await _read_whole(receive)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"1000")],
        }
    )
    raise DroppedConnection


async def _send_unavailable(send: Send, retry_after: int | None = None) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(UNAVAILABLE_BODY)).encode()),
    ]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": UNAVAILABLE_BODY})
