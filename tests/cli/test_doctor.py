"""`omnidesk doctor` against the sandbox in each dialect, and against servers that are not
Omnitron: what it names, that it only reads, and its exit code."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from omnidesk.api.transport import Transport
from omnidesk.sandbox import ALL_AT_ONCE, VARIANTS, Dialect, SandboxServer
from omnidesk.settings.paths import facts_file

from .conftest import Ran, Run, at

# What each variant's alternative must make the doctor say: (variant, status, seen).
EXPECTED: dict[str, tuple[str, str, Any]] = {
    "V1": ("V1", "variant", "code"),
    "V2": ("V2", "variant", "ordering"),
    "V2-ignored": ("V2", "variant", "ignored"),
    "V3": ("V3", "variant", "products"),
    "V4": ("V4", "variant", 100),
    "V4-50": ("V4", "variant", 50),
    "V5": ("V5", "variant", "two_steps"),
    "V7": ("V7", "variant", "id"),
    "V8": ("V8", "variant", "numbers"),
}
PRIMARY: dict[str, tuple[str, Any]] = {
    "V1": ("primary", "none"),  # a refused filter names its field, with no code beside it
    "V2": ("primary", "sort"),
    "V3": ("primary", "i1"),
    "V4": ("primary", None),
    "V5": ("primary", "token_at_once"),
    "V6": ("not_seen", None),
    "V7": ("primary", "pk"),
    "V8": ("primary", "strings"),
    "V9": ("not_seen", None),
    "V10": ("not_seen", None),
}


def by_variant(ran: Ran) -> dict[str, tuple[str, Any]]:
    return {f["variant"]: (f["status"], f["seen"]) for f in ran.json["findings"] if f["variant"]}


def test_the_primary_dialect_is_named_as_such(sandbox: SandboxServer, omnidesk: Run) -> None:
    ran = omnidesk("doctor", *at(sandbox.url), "--json", password="demo")
    assert ran.code == 0
    report = ran.json
    assert (report["server"], report["username"], report["signed_in_with"]) == (
        sandbox.url,
        "demo",
        "password",
    )
    assert report["omnitron"] is True
    assert report["works"] is True
    assert report["error"] is None
    assert by_variant(ran) == PRIMARY
    topics = {f["topic"]: f for f in report["findings"]}
    assert topics["price_lists"]["status"] == "primary"
    assert topics["price_lists"]["seen"] >= 13
    assert topics["catalogue"]["message"] == "The catalogue has 6,000 products."
    assert "[ours]" in topics["import_status"]["message"]
    assert all(f["message"] for f in report["findings"])


@pytest.mark.parametrize("variant", [*VARIANTS, "all at once"])
def test_each_variant_is_named_and_omnidesk_can_work_with_it(
    sandbox: SandboxServer, dialect: Dialect, omnidesk: Run, variant: str
) -> None:
    names = ALL_AT_ONCE if variant == "all at once" else (variant,)
    for name in names:
        dialect.variant(name)
    ran = omnidesk("doctor", *at(sandbox.url), "--json", password="demo")
    assert ran.code == 0, ran.err
    assert ran.json["works"] is True
    found = by_variant(ran)
    expected = dict(PRIMARY)
    for name in names:
        if name in EXPECTED:
            number, status, seen = EXPECTED[name]
            expected[number] = (status, seen)
    assert found == expected
    # The sentences, for people, say the same: one line for each, and the verdict.
    people = omnidesk("doctor", *at(sandbox.url), password="demo")
    assert people.code == 0
    assert people.out.rstrip().endswith("OmniDesk can work with this server.")
    for number, (status, _seen) in expected.items():
        word = {"primary": "usual", "variant": "variant", "not_seen": "not seen"}[status]
        assert any(
            line.split()[:2] == [number, *word.split()[:1]] for line in people.out.splitlines()
        ), (number, people.out)


def test_the_limited_account_can_work_and_is_told_what_a_read_cannot_show(
    sandbox: SandboxServer, omnidesk: Run
) -> None:
    ran = omnidesk("doctor", *at(sandbox.url, "limited"), "--json", password="limited")
    assert ran.code == 0
    (permissions,) = [f for f in ran.json["findings"] if f["variant"] == "V6"]
    assert permissions["status"] == "not_seen"
    assert permissions["message"].startswith(
        "Which lists this account may change cannot be seen without changing one."
    )


def test_it_only_reads(
    sandbox: SandboxServer, dialect: Dialect, omnidesk: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, str]] = []
    request = Transport.request

    async def watched(self: Transport, method: str, path: str, **options: Any) -> Any:
        sent.append((method, path))
        return await request(self, method, path, **options)

    monkeypatch.setattr(Transport, "request", watched)
    dialect.variant("V5")  # the sign-in's two steps are its only POSTs
    assert omnidesk("doctor", *at(sandbox.url), password="demo").code == 0
    writes = [(method, path) for method, path in sent if method != "GET"]
    assert writes == [("POST", "/api/v1/auth/login/"), ("POST", "/api/v1/auth/totp/verify/")]
    assert len(sent) > 8


def test_it_tells_what_the_server_shows_now_not_what_was_kept(
    sandbox: SandboxServer, omnidesk: Run
) -> None:
    stale = {"ordering_word": "ordering", "sorts": False, "page_cap": 20, "sku_source": "v1"}
    facts_file().parent.mkdir(parents=True, exist_ok=True)
    facts_file().write_text(json.dumps({"servers": {sandbox.url: stale}}), encoding="utf-8")
    ran = omnidesk("doctor", *at(sandbox.url), "--json", password="demo")
    assert by_variant(ran) == PRIMARY
    kept = json.loads(facts_file().read_text(encoding="utf-8"))["servers"][sandbox.url]
    assert kept == {"ordering_word": "sort", "sorts": True, "sku_source": "i1", "identity": "pk"}


class Answering(ThreadingHTTPServer):
    """A web server that is not Omnitron: every request gets the same answer."""

    def __init__(self, status: int, content_type: str, body: str) -> None:
        answer = body.encode()

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def serving() -> Iterator[Any]:
    servers: list[Answering] = []

    def start(status: int, content_type: str, body: str) -> Answering:
        server = Answering(status, content_type, body)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


HTML = "<!doctype html><html><head><title>Acme Shop</title></head><body>Hello</body></html>"
OTHER_JSON = json.dumps({"status": "ok", "data": {"items": [], "total": 0}})


@pytest.mark.parametrize(
    ("content_type", "body", "said"),
    [
        ("text/html", HTML, "an HTML page titled “Acme Shop” instead of data."),
        ("application/json", OTHER_JSON, "a sign-in answer without a token."),
    ],
    ids=["html", "json of another shape"],
)
def test_a_server_that_is_not_omnitron_is_said_to_be_so_and_exits_1(
    serving: Any, omnidesk: Run, content_type: str, body: str, said: str
) -> None:
    server = serving(200, content_type, body)
    ran = omnidesk("doctor", *at(server.url), password="secret")
    assert ran.code == 1
    assert ran.out == ""
    assert ran.err.startswith(
        f"omnidesk: {server.url} does not answer as Omnitron does, so OmniDesk cannot work "
        "with it. The server answered with something unexpected"
    )
    assert ran.err.rstrip().endswith(said)
    assert len(ran.err.strip().splitlines()) == 1
    # With a token there is no sign-in to ask: the first read tells.
    ran = omnidesk("doctor", "--server", server.url, "--json", token="a-token")
    assert ran.code == 1
    assert ran.json["omnitron"] is False
    assert ran.json["works"] is False
    assert ran.json["error"].startswith(f"{server.url} does not answer as Omnitron does")
    assert ran.json["findings"] == []


def test_a_json_api_that_answers_404_has_no_omnitron_sign_in(serving: Any, omnidesk: Run) -> None:
    server = serving(404, "application/json", json.dumps({"error": "no such route"}))
    ran = omnidesk("doctor", *at(server.url), password="secret")
    assert ran.code == 1
    assert f"No Omnitron sign-in answers at {server.url}." in ran.err
    assert "does not answer as Omnitron does" in ran.err


def test_nothing_listening_is_said_and_exits_1(serving: Any, omnidesk: Run) -> None:
    server = serving(200, "text/html", HTML)
    url = server.url
    server.shutdown()
    server.server_close()
    ran = omnidesk("doctor", *at(url), "--json", password="secret")
    assert ran.code == 1
    assert ran.json["error"] == (
        "Nothing answers at 127.0.0.1. Check the server address and your network, then try again."
    )
    assert ran.json["omnitron"] is None


def test_a_wrong_password_exits_1_and_nothing_to_sign_in_with_exits_2(
    sandbox: SandboxServer, omnidesk: Run
) -> None:
    ran = omnidesk("doctor", *at(sandbox.url), password="wrong")
    assert ran.code == 1
    assert "did not accept the username demo with that password" in ran.err
    ran = omnidesk("doctor", *at(sandbox.url))
    assert ran.code == 2
    assert "there is no token (OMNIDESK_TOKEN) and no password" in ran.err
