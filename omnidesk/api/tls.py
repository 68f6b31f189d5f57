"""Secure connections: whose certificates are trusted, and what a failed connection means.

Trusted are the operating system's authorities (through ``truststore``: the
company CA an IT department installs there works as it does in a browser),
certifi's bundle as well (a machine whose own store is empty or old still reaches
a server with a public certificate), and a CA file a profile names. Verification
is never turned off.

A certificate problem is no passing fault, so it is never retried; an https
address that answers in plain http is named as such, not as an untrusted certificate.
"""

from __future__ import annotations

import os
import re
import ssl
import threading
from pathlib import Path

import certifi
import httpx

from omnidesk.i18n import _

from .errors import ServerUnreachable

# Errors raised before a single byte of the request reached the server.
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# What OpenSSL says when the other side does not speak TLS at all (a plain http server).
_PLAIN_HTTP = re.compile(
    r"WRONG_VERSION_NUMBER|wrong version number|record layer failure|http request|"
    r"packet length too long|unknown protocol",
    re.IGNORECASE,
)


class CaFileUnusable(ServerUnreachable):
    """The CA file a profile names cannot be read as certificates."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(
            _(
                "The certificate authority file {path} cannot be used: {why}. Check the "
                "file named in the connection profile (a PEM file of certificates)."
            ).format(path=path, why=why)
        )


def ssl_context(ca_file: str | Path | None = None, *, url: str = "") -> ssl.SSLContext:
    """Verification against the system's store, certifi's, and ``ca_file`` if given.

    Without a CA file every client shares one context (see ``shared_context``), but
    for a plain-http ``url`` (the demo, a local sandbox) it is one that trusts no
    authority: such a client never opens a secure connection (it follows no
    redirects), and were one opened it would fail, not pass unverified. Reading the
    authorities would only cost that start 30–50 ms.
    """
    if ca_file is None:
        if url.lower().startswith("http://"):
            return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, trusting nobody
        return shared_context()
    context = _trusting_the_usual()
    path = Path(ca_file).expanduser()
    try:
        context.load_verify_locations(cafile=str(path))
    except FileNotFoundError:
        raise CaFileUnusable(path, _("there is no such file")) from None
    except (ssl.SSLError, OSError, ValueError) as problem:
        raise CaFileUnusable(path, str(getattr(problem, "strerror", None) or problem)) from None
    return context


# Made once for what it was made from: certifi's bundle and the system store's place.
_shared: dict[tuple[str, str | None, str | None], ssl.SSLContext] = {}
_making_shared = threading.Lock()


def shared_context() -> ssl.SSLContext:
    """The one context of every client without a CA file of its own, made once.

    Reading certifi's bundle takes 30–50 ms, which a start would otherwise wait for
    each time it makes a client; httpx advises one context for many clients. The app
    makes it in a worker while it starts (OpenSSL reads the bundle without holding
    the GIL); a client asking meanwhile waits for that one rather than making another.
    Another bundle or system store (SSL_CERT_FILE, SSL_CERT_DIR) gets a context of its own.
    """
    made_from = (
        certifi.where(),
        os.environ.get("SSL_CERT_FILE"),
        os.environ.get("SSL_CERT_DIR"),
    )
    with _making_shared:
        context = _shared.get(made_from)
        if context is None:
            context = _shared[made_from] = _trusting_the_usual()
        return context


def _trusting_the_usual() -> ssl.SSLContext:
    try:
        import truststore

        context: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except ImportError:  # pragma: no cover - a dependency; kept working without it
        context = ssl.create_default_context()
    context.load_verify_locations(cafile=certifi.where())
    return context


def _chain(problem: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = problem
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _tls_text(problem: BaseException) -> str | None:
    """The TLS failure's own words, or None when the failure was not TLS's."""
    chain = _chain(problem)
    for link in chain:
        if isinstance(link, ssl.SSLError):
            return str(link)
    text = " ".join(str(link) for link in chain)
    if "SSL" in text or "CERTIFICATE" in text.upper():
        return text
    return None


def is_certificate_problem(problem: BaseException) -> bool:
    """Whether the connection failed in its TLS handshake: no retry will change that."""
    return isinstance(problem, httpx.ConnectError) and _tls_text(problem) is not None


def _secure_failure(host: str, text: str) -> ServerUnreachable:
    if _PLAIN_HTTP.search(text):
        return ServerUnreachable(
            _(
                "{host} answered in plain http, not https: the address says https:// but the "
                "server at that port does not speak it. Check the address and its port with "
                "your Omnitron administrator."
            ).format(host=host)
        )
    if "hostname mismatch" in text.lower() or "doesn't match" in text.lower():
        return ServerUnreachable(
            _(
                "The certificate of {host} is for another name, so the connection cannot be "
                "trusted. Check the server address; do not turn verification off."
            ).format(host=host)
        )
    if "CERTIFICATE" in text.upper():
        return ServerUnreachable(
            _(
                "The secure connection to {host} could not be verified: its certificate is "
                "not trusted. Check the server address; if your company has its own "
                "certificate authority, name its file in the connection profile. Do not turn "
                "verification off."
            ).format(host=host)
        )
    return ServerUnreachable(
        _("The secure connection to {host} failed ({reason}). Check the server address.").format(
            host=host, reason=text.strip()[:120]
        )
    )


def unreachable(problem: httpx.TransportError, *, sent_a_change: bool) -> ServerUnreachable:
    host = problem.request.url.host if _has_request(problem) else _("the server")
    text = str(problem)
    if isinstance(problem, httpx.ConnectError):
        tls = _tls_text(problem)
        if tls is not None:
            return _secure_failure(host, tls)
        if re.search(
            r"name or service not known|nodename nor servname|getaddrinfo|resolve", text, re.I
        ):
            return ServerUnreachable(
                _(
                    "The server {host} could not be found. Check the address in the "
                    "connection profile and your network."
                ).format(host=host)
            )
        return ServerUnreachable(
            _(
                "Nothing answers at {host}. Check the server address and your network, then "
                "try again."
            ).format(host=host)
        )
    if isinstance(problem, NEVER_SENT):
        return ServerUnreachable(
            _("{host} did not accept a connection in time. Try again.").format(host=host)
        )
    if sent_a_change:
        return ServerUnreachable(
            _(
                "The connection to {host} broke before the answer came. The change may or may "
                "not have been saved: refresh to check before trying again."
            ).format(host=host),
            maybe_applied=True,
        )
    if isinstance(problem, httpx.TimeoutException):
        return ServerUnreachable(
            _("{host} did not answer in time. Try again in a moment.").format(host=host)
        )
    return ServerUnreachable(
        _("The connection to {host} broke. Try again in a moment.").format(host=host)
    )


def _has_request(problem: httpx.TransportError) -> bool:
    try:
        problem.request  # noqa: B018 - raises RuntimeError when the error has no request
    except RuntimeError:
        return False
    return True
