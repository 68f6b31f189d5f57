"""A hostile proxy on loopback: passes requests to the sandbox, or answers as a bad network does.

Written as a small asyncio server so that each misbehaviour is exact and cheap:

    async with HostileProxy(sandbox.url) as proxy:
        proxy.misbehave("drip", path=r"/price_list/$")   # only requests whose path matches
        async with OmnitronClient(proxy.url) as client: ...

One request per connection (every answer says ``Connection: close``), so what it
does to one request never reaches the next. It counts what it was asked.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import parse_qsl, urlencode, urlsplit

MODES = ("pass", "html502", "truncated", "wrong_shape", "drip", "silent", "loop_next", "huge")
HTML_502 = (
    b"<html><head><title>502 Bad Gateway</title></head>"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)


@dataclass
class Seen:
    requests: list[str] = field(default_factory=list)  # "GET /api/v1/…?…"
    misbehaved: int = 0


class HostileProxy:
    def __init__(self, upstream: str, *, drip_every: float = 0.3) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.mode = "pass"
        self.pattern: re.Pattern[str] | None = None
        self.drip_every = drip_every
        self.seen = Seen()
        self.url = ""
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    def misbehave(self, mode: str, *, path: str | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        self.mode = mode
        self.pattern = re.compile(path) if path else None

    async def __aenter__(self) -> HostileProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    # -- one connection --------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            request = await _read_request(reader)
            if request is None:
                return
            head, body = request
            method, target = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")[:2]
            self.seen.requests.append(f"{method} {target}")
            path = urlsplit(target).path
            if self.mode != "pass" and (self.pattern is None or self.pattern.search(path)):
                self.seen.misbehaved += 1
                await self._misbehave(head, body, target, writer)
            else:
                await self._forward(head, body, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._handlers.discard(task)
            writer.close()

    async def _forward(self, head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bytes:
        status, headers, answer = await self._upstream(head, body)
        await _answer(writer, status, headers, answer)
        return answer

    async def _upstream(self, head: bytes, body: bytes) -> tuple[bytes, list[bytes], bytes]:
        reader, upstream = await asyncio.open_connection(self.upstream_host, self.upstream_port)
        try:
            lines = [
                line
                for line in head.split(b"\r\n")
                if line and not line.lower().startswith(b"connection:")
            ]
            upstream.write(b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body)
            await upstream.drain()
            raw = await reader.read()  # to the end: the sandbox closes after its answer
        finally:
            upstream.close()
        top, _, answer = raw.partition(b"\r\n\r\n")
        status, *headers = top.split(b"\r\n")
        kept = [
            h
            for h in headers
            if not h.lower().startswith((b"connection:", b"content-length:", b"transfer-encoding:"))
        ]
        if any(h.lower().startswith(b"transfer-encoding:") for h in headers):
            answer = _unchunk(answer)
        return status, kept, answer

    async def _misbehave(
        self, head: bytes, body: bytes, target: str, writer: asyncio.StreamWriter
    ) -> None:
        mode = self.mode
        if mode == "html502":
            await _answer(
                writer, b"HTTP/1.1 502 Bad Gateway", [b"Content-Type: text/html"], HTML_502
            )
        elif mode == "truncated":
            _, headers, answer = await self._upstream(head, body)
            await _answer(writer, b"HTTP/1.1 200 OK", headers, answer[: len(answer) // 2])
        elif mode == "wrong_shape":
            shape = json.dumps({"data": [{"id": 1}], "total": 1}).encode()
            await _answer(writer, b"HTTP/1.1 200 OK", [b"Content-Type: application/json"], shape)
        elif mode == "drip":
            status, headers, answer = await self._upstream(head, body)
            top = [
                status,
                *headers,
                f"Content-Length: {len(answer)}".encode(),
                b"Connection: close",
            ]
            writer.write(b"\r\n".join(top) + b"\r\n\r\n")
            for byte in answer:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(self.drip_every)
        elif mode == "silent":
            await asyncio.Event().wait()  # never answers; ends when the proxy stops
        elif mode == "loop_next":
            # A cache that keys on the path alone: every page is page 1, its next set.
            first = _without_page(target)
            line, rest = head.split(b"\r\n", 1)
            method = line.split(b" ")[0]
            request_line = method + b" " + first.encode() + b" HTTP/1.1"
            await self._forward(request_line + b"\r\n" + rest, body, writer)
        elif mode == "huge":
            top = [b"HTTP/1.1 200 OK", b"Content-Type: application/json", b"Connection: close"]
            writer.write(b"\r\n".join([*top, b"Transfer-Encoding: chunked"]) + b"\r\n\r\n")
            chunk = b" " * 2**20
            while True:  # until the client hangs up
                writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                await writer.drain()


def _without_page(target: str) -> str:
    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    return parts.path + (f"?{urlencode(query)}" if query else "")


async def _read_request(reader: asyncio.StreamReader) -> tuple[bytes, bytes] | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return None
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = await reader.readexactly(length) if length else b""
    return head.rstrip(b"\r\n"), body


async def _answer(
    writer: asyncio.StreamWriter, status: bytes, headers: list[bytes], body: bytes
) -> None:
    top = [status, *headers, f"Content-Length: {len(body)}".encode(), b"Connection: close"]
    writer.write(b"\r\n".join(top) + b"\r\n\r\n" + body)
    await writer.drain()


def _unchunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2 :]
    return bytes(out)
