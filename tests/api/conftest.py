"""A signed-in OmnitronClient for the shared sandbox, with quick retries."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from omnidesk.api import OmnitronClient, RetryPolicy
from omnidesk.sandbox import SandboxServer

# Real backoff shape, shorter waits: the suite should not sleep for seconds.
QUICK_RETRIES = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.1)


@pytest_asyncio.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[OmnitronClient]:
    async with OmnitronClient(sandbox.url, retry=QUICK_RETRIES) as signed_in:
        await signed_in.login("demo", "demo")
        yield signed_in


class Counting(httpx.AsyncHTTPTransport):
    """The real transport, keeping the URL of every request it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[httpx.URL] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request.url)
        return await super().handle_async_request(request)
