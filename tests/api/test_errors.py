"""Error translation and retry rules.

Responses the sandbox cannot produce (a proxy's HTML page, a truncated body, a
403, a Retry-After) come from httpx.MockTransport; everything else is real.
"""

from __future__ import annotations

import json
import logging
import socket
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest
import trustme

from omnidesk.api import (
    AuthenticationRequired,
    OmnitronClient,
    PermissionDenied,
    Retrying,
    RetryPolicy,
    ServerError,
    ServerUnreachable,
    SignInNotFound,
    UnexpectedResponse,
)
from omnidesk.sandbox import SandboxServer

pytestmark = pytest.mark.asyncio

PAGE = {"count": 0, "next": None, "previous": None, "results": []}
LIST = {
    "pk": 1,
    "name": "A",
    "code": None,
    "is_auto_sync": False,
    "currency": "try",
    "created_date": "2022-03-02T09:20:07.171465Z",
    "modified_date": "2022-03-02T09:20:07.171465Z",
}


class Script:
    """A MockTransport handler that answers from a list and counts the calls."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def mocked(script: Callable[[httpx.Request], httpx.Response], **options: object) -> OmnitronClient:
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    client = OmnitronClient(
        "https://omnitron.example",
        token="secret-token-value",
        transport=httpx.MockTransport(script),
        retry=RetryPolicy(attempts=4, base_delay=0.5, max_delay=4),
        sleep=no_wait,
        **options,  # type: ignore[arg-type]
    )
    client.waits = waits  # type: ignore[attr-defined]
    return client


def json_response(status: int, body: object, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


async def test_get_is_retried_on_503_then_succeeds_with_growing_waits() -> None:
    script = Script(json_response(503, {}), json_response(502, {}), json_response(200, PAGE))
    async with mocked(script) as client:
        page = await client.price_lists.list()
        waits = client.waits  # type: ignore[attr-defined]
    assert page.count == 0
    assert len(script.requests) == 3
    assert len(waits) == 2
    assert 0.25 <= waits[0] <= 0.75  # 0.5 s ± 50 % jitter
    assert 0.5 <= waits[1] <= 1.5


async def test_get_gives_up_after_the_bounded_attempts() -> None:
    script = Script(json_response(503, {"detail": "down"}))
    async with mocked(script) as client:
        with pytest.raises(ServerError) as failure:
            await client.stock_lists.list()
    assert len(script.requests) == 4
    assert failure.value.status == 503
    assert "temporarily unavailable" in str(failure.value)


async def test_retry_after_is_honoured() -> None:
    script = Script(json_response(429, {}, **{"Retry-After": "3"}), json_response(200, PAGE))
    async with mocked(script) as client:
        await client.price_lists.list()
        assert client.waits == [3.0]  # type: ignore[attr-defined]


async def test_a_retry_after_too_long_to_wait_goes_to_the_person() -> None:
    script = Script(json_response(429, {}, **{"Retry-After": "600"}), json_response(200, PAGE))
    async with mocked(script) as client:
        with pytest.raises(ServerError, match="slow down"):
            await client.price_lists.list()
    assert len(script.requests) == 1


async def test_a_write_turned_away_with_429_is_sent_again_after_retry_after() -> None:
    # 429 says the server did nothing yet: unlike a 503 or a lost answer, safe to repeat.
    script = Script(json_response(429, {}, **{"Retry-After": "2"}), json_response(201, LIST))
    async with mocked(script) as client:
        created = await client.price_lists.create(name="A")
        assert client.waits == [2.0]  # type: ignore[attr-defined]
    assert created.pk == 1
    assert [request.method for request in script.requests] == ["POST", "POST"]


async def test_a_write_turned_away_with_503_is_sent_again_and_the_caller_hears_it() -> None:
    # 503 says the server did not do it (issue 14, item 6): a create, an edit and an
    # upload are repeated, bounded, and whoever listens hears "retrying".
    script = Script(json_response(503, {}), json_response(503, {}), json_response(201, LIST))
    heard: list[Retrying] = []
    async with mocked(script, on_retry=heard.append) as client:
        created = await client.price_lists.create(name="A")
    assert created.pk == 1
    assert [request.method for request in script.requests] == ["POST"] * 3
    assert [(event.attempt, event.status) for event in heard] == [(2, 503), (3, 503)]
    assert heard[0].message.startswith("The server is busy (HTTP 503). Retrying in ")
    assert "(attempt 2 of 4)" in heard[0].message


async def test_a_write_refused_with_503_every_time_ends_after_the_bounded_attempts() -> None:
    script = Script(json_response(503, {}))
    async with mocked(script) as client:
        with pytest.raises(ServerError, match="temporarily unavailable"):
            await client.stock_lists.update(1, name="B")
    assert len(script.requests) == 4


async def test_a_write_answered_502_is_not_repeated() -> None:
    # A proxy's 502 or 504 may hide a server that did the work: never blindly again.
    script = Script(json_response(502, {}), json_response(201, LIST))
    async with mocked(script) as client:
        with pytest.raises(ServerError):
            await client.price_lists.create(name="A")
    assert len(script.requests) == 1


async def test_post_is_not_repeated_when_the_answer_was_lost() -> None:
    script = Script(httpx.ReadError("connection reset"), json_response(201, LIST))
    async with mocked(script) as client:
        with pytest.raises(ServerUnreachable) as lost:
            await client.price_lists.create(name="A")
    assert len(script.requests) == 1
    assert lost.value.maybe_applied
    assert "may or may not have been saved" in str(lost.value)


async def test_post_is_repeated_when_it_never_reached_the_server() -> None:
    script = Script(httpx.ConnectError("refused"), json_response(201, LIST))
    async with mocked(script) as client:
        created = await client.price_lists.create(name="A")
    assert created.pk == 1
    assert len(script.requests) == 2


async def test_patch_is_not_repeated_after_a_timeout() -> None:
    script = Script(httpx.ReadTimeout("slow"), json_response(200, LIST))
    async with mocked(script) as client:
        with pytest.raises(ServerUnreachable):
            await client.price_lists.update(1, name="B")
    assert len(script.requests) == 1


async def test_a_proxy_html_502_page_is_a_server_error_naming_the_page() -> None:
    page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    script = Script(httpx.Response(502, text=page, headers={"Content-Type": "text/html"}))
    async with mocked(script) as client:
        with pytest.raises(ServerError) as failure:
            await client.price_lists.list()
    assert "502 Bad Gateway" in str(failure.value)
    assert "<html>" not in str(failure.value)


async def test_an_html_page_instead_of_data_is_unexpected() -> None:
    page = "<!doctype html><html><head><title>Sign in - Corporate SSO</title></head></html>"
    script = Script(httpx.Response(200, text=page, headers={"Content-Type": "text/html"}))
    async with mocked(script) as client:
        with pytest.raises(UnexpectedResponse) as odd:
            await client.price_lists.get(1)
    assert "Sign in - Corporate SSO" in str(odd.value)


async def test_a_truncated_body_is_unexpected() -> None:
    truncated = json.dumps(PAGE)[:20]
    script = Script(
        httpx.Response(200, text=truncated, headers={"Content-Type": "application/json"})
    )
    async with mocked(script) as client:
        with pytest.raises(UnexpectedResponse, match="unexpected"):
            await client.price_lists.list()


async def test_a_wrong_shape_is_unexpected_not_a_crash() -> None:
    script = Script(json_response(200, {"count": 1, "results": [{"pk": "x"}]}))
    async with mocked(script) as client:
        with pytest.raises(UnexpectedResponse, match="price list"):
            await client.price_lists.list()


async def test_403_is_permission_denied_naming_what_was_refused() -> None:
    script = Script(json_response(403, {"detail": "You do not have permission."}))
    async with mocked(script) as client:
        with pytest.raises(PermissionDenied) as refused:
            await client.stock_lists.update(1, name="x")
    assert str(refused.value) == (
        "Your account may not change this stock list. Ask an Omnitron administrator for access."
    )


async def test_the_token_never_reaches_logs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    script = Script(json_response(503, {}), json_response(401, {"detail": "Invalid token."}))
    async with mocked(script) as client:
        with pytest.raises(AuthenticationRequired) as failure:
            await client.price_lists.list()
        text = caplog.text + str(failure.value) + repr(failure.value) + repr(client)
    assert script.requests[0].headers["Authorization"] == "Token secret-token-value"
    assert "secret-token-value" not in text


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_nothing_listening_is_server_unreachable_in_words() -> None:
    async with OmnitronClient(
        f"http://127.0.0.1:{closed_port()}", retry=RetryPolicy(attempts=2, base_delay=0.01)
    ) as client:
        with pytest.raises(ServerUnreachable) as failure:
            await client.login("demo", "demo")
    assert "Nothing answers at 127.0.0.1" in str(failure.value)
    assert not failure.value.maybe_applied


async def test_an_unknown_host_is_named(sandbox: SandboxServer) -> None:
    async with OmnitronClient(
        "https://no-such-host.invalid", retry=RetryPolicy(attempts=1)
    ) as client:
        with pytest.raises(ServerUnreachable, match="could not be found"):
            await client.price_lists.list()


async def test_tls_is_verified_by_default() -> None:
    # A server whose certificate comes from an authority nobody trusts must be refused.
    untrusted_authority = trustme.CA()
    server = HTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    untrusted_authority.issue_cert("127.0.0.1").configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        async with OmnitronClient(
            f"https://127.0.0.1:{server.server_address[1]}", retry=RetryPolicy(attempts=1)
        ) as client:
            with pytest.raises(ServerUnreachable, match="certificate"):
                await client.price_lists.list()
    finally:
        thread.join(5)
        server.server_close()


@pytest.mark.parametrize("path", ["/api/v1", "/api/v1/", "/shop"])
async def test_sign_in_at_an_address_with_a_path_says_so_not_deleted(
    sandbox: SandboxServer, path: str
) -> None:
    async with OmnitronClient(sandbox.url + path, retry=RetryPolicy(attempts=1)) as client:
        with pytest.raises(SignInNotFound) as failure:
            await client.login("demo", "demo")
    message = str(failure.value)
    assert message.startswith(f"No Omnitron sign-in answers at {sandbox.url}{path.rstrip('/')}.")
    assert "without /api/" in message
    assert "deleted" not in message


async def test_a_web_servers_404_page_on_sign_in_is_the_same_address_problem() -> None:
    page = "<html><head><title>404 Not Found</title></head></html>"
    script = Script(httpx.Response(404, text=page, headers={"Content-Type": "text/html"}))
    async with mocked(script) as client:
        with pytest.raises(SignInNotFound, match="No Omnitron sign-in answers"):
            await client.login("demo", "demo")
