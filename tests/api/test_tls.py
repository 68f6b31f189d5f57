"""Secure connections (issue 14, item 8): which authorities are trusted, and what a failure means.

A small TLS server on loopback with a certificate from a throwaway authority
(trustme) stands for a company's Omnitron behind its own CA; it counts the
connections made to it, so "not retried" is seen on the server's side.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme

from omnidesk.api import OmnitronClient, RetryPolicy, ServerUnreachable
from omnidesk.api.tls import ssl_context
from omnidesk.settings import Environment, Profile, ProfileStore

pytestmark = pytest.mark.asyncio

PAGE = json.dumps({"count": 0, "next": None, "previous": None, "results": []}).encode()
RETRYING = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.02)


class CountingServer:
    """Accepts connections in a thread, counts them, and answers each with an empty page;
    in TLS with ``context``, in plain http without."""

    def __init__(self, context: ssl.SSLContext | None) -> None:
        self.context = context
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._stop = threading.Event()

    def __enter__(self) -> CountingServer:
        self.listener.settimeout(0.05)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self.listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                raw, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            raw.settimeout(5)
            try:
                conn = self.context.wrap_socket(raw, server_side=True) if self.context else raw
                with conn:
                    conn.recv(65536)
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        + f"Content-Length: {len(PAGE)}\r\nConnection: close\r\n\r\n".encode()
                        + PAGE
                    )
            except (ssl.SSLError, OSError):
                raw.close()


@pytest.fixture
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def company_server(authority: trustme.CA) -> Iterator[CountingServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with CountingServer(context) as server:
        yield server


def pem(authority: trustme.CA, folder: Path) -> Path:
    path = folder / "company-ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return path


async def test_an_untrusted_certificate_is_said_once_and_never_retried(
    company_server: CountingServer,
) -> None:
    url = f"https://127.0.0.1:{company_server.port}"
    async with OmnitronClient(url, retry=RETRYING) as client:
        with pytest.raises(ServerUnreachable) as refused:
            await client.price_lists.list()
    assert company_server.connections == 1
    assert "certificate is not trusted" in str(refused.value)
    assert "name its file in the connection profile" in str(refused.value)


async def test_a_company_ca_named_by_the_profile_is_trusted(
    company_server: CountingServer, authority: trustme.CA, tmp_path: Path
) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    url = f"https://127.0.0.1:{company_server.port}"
    store.save(
        [Profile("Acme", url, "ayse", Environment.TEST, ca_file=str(pem(authority, tmp_path)))]
    )
    (profile,) = store.load()  # the CA file is kept with the profile
    async with OmnitronClient(profile.base_url, "t", ca_file=profile.ca_file) as client:
        page = await client.price_lists.list()
    assert page.count == 0


async def test_the_operating_systems_trust_store_is_used(
    company_server: CountingServer,
    authority: trustme.CA,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # OpenSSL's default store is where a company CA installed on Linux lands; pointing
    # it at our authority stands for that (truststore asks the system's store there).
    monkeypatch.setenv("SSL_CERT_FILE", str(pem(authority, tmp_path)))
    async with OmnitronClient(f"https://127.0.0.1:{company_server.port}", "t") as client:
        page = await client.price_lists.list()
    assert page.count == 0


async def test_certifis_authorities_are_trusted_as_well(
    company_server: CountingServer,
    authority: trustme.CA,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A machine whose own store is empty still trusts certifi's bundle, which here
    # holds our authority.
    import certifi

    empty = tmp_path / "empty.pem"
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))
    monkeypatch.setattr(certifi, "where", lambda: str(pem(authority, tmp_path)))
    async with OmnitronClient(f"https://127.0.0.1:{company_server.port}", "t") as client:
        page = await client.price_lists.list()
    assert page.count == 0


async def test_https_answered_in_plain_http_is_named_and_not_retried() -> None:
    with CountingServer(None) as plain:
        async with OmnitronClient(f"https://127.0.0.1:{plain.port}", retry=RETRYING) as client:
            with pytest.raises(ServerUnreachable) as refused:
                await client.price_lists.list()
    message = str(refused.value)
    assert "answered in plain http, not https" in message
    assert "certificate" not in message
    assert plain.connections == 1


async def test_a_ca_file_that_is_not_there_is_said_in_words(tmp_path: Path) -> None:
    with pytest.raises(ServerUnreachable, match="cannot be used: there is no such file"):
        OmnitronClient("https://acme.example", ca_file=tmp_path / "missing.pem")


async def test_a_plain_http_address_reads_no_authorities_yet_trusts_no_certificate(
    company_server: CountingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo's client (http://127.0.0.1) starts without reading certifi's bundle...
    import certifi

    monkeypatch.setattr(certifi, "where", lambda: pytest.fail("authorities read for http"))
    context = ssl_context(url="http://127.0.0.1:47311")
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname
    # ...and should a secure connection ever be made with it, none passes unverified.
    async with httpx.AsyncClient(verify=context) as client:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.get(f"https://127.0.0.1:{company_server.port}/")
