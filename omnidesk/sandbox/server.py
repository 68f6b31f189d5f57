"""Running the sandbox: in the foreground (the command line) or in a background thread.

with SandboxServer(db_path, seed=True) as sandbox:
    httpx.get(sandbox.url + "/api/v1/price_list/", ...)
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import uvicorn

from .app import create_app
from .auth import DEMO_TOTP_SECRET
from .dialect import Dialect
from .faults import Faults
from .seed import SEED_SIZES, seed_catalogue
from .store import Store

DEFAULT_USER = "demo"
DEFAULT_PASSWORD = "demo"
# Two more users, always there (README: The sandbox): one who signs in with a code
# (V5), one who may change only some lists (V6). Each password is its name.
TWO_FACTOR_USER = "twofactor"
LIMITED_USER = "limited"
# What the limited user may change of the seeded lists: one price list, one stock list.
LIMITED_USER_GRANTS = (("price_list", "Kampanya Kasım"), ("stock_list", "Kadıköy Mağaza"))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not 0: asyncio sets TCP_NODELAY only on sockets that say TCP,
    # and without it every answer waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def open_store(
    db_path: str | Path,
    *,
    seed: bool,
    username: str,
    password: str,
    seed_size: str = "default",
) -> Store:
    if str(db_path) != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    store = Store(db_path)
    if seed:
        seed_catalogue(store, seed_size)
    store.set_user(username, password)
    store.set_traits(username, totp_secret=None, limited=False)
    add_demo_users(store)
    return store


def add_demo_users(store: Store) -> None:
    store.set_user(TWO_FACTOR_USER, TWO_FACTOR_USER)
    store.set_traits(TWO_FACTOR_USER, totp_secret=DEMO_TOTP_SECRET, limited=False)
    store.set_user(LIMITED_USER, LIMITED_USER)
    store.set_traits(LIMITED_USER, totp_secret=None, limited=True)
    for kind, name in LIMITED_USER_GRANTS:
        granted = store.find_list_by(kind, "name", name)
        if granted is not None:
            store.grant(LIMITED_USER, kind, granted["pk"])


async def serve(
    store: Store,
    sock: socket.socket,
    faults: Faults,
    *,
    on_listening: Callable[[str], None],
    dialect: Dialect | None = None,
    server_holder: list[uvicorn.Server] | None = None,
    access_log: bool = False,
) -> None:
    """Serve until told to stop (SIGINT/SIGTERM in the main thread, or should_exit)."""
    config = uvicorn.Config(
        create_app(store, faults, dialect),
        log_level="warning",
        access_log=access_log,
        lifespan="on",
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)
    if server_holder is not None:
        server_holder.append(server)

    async def announce_when_started() -> None:
        while not server.started:
            if server.should_exit:
                return
            await asyncio.sleep(0.005)
        on_listening(url_of(sock))

    announcer = asyncio.create_task(announce_when_started())
    try:
        await server.serve(sockets=[sock])
    finally:
        announcer.cancel()


class SandboxServer:
    """The sandbox on a free loopback port in a background thread, for tests and the demo."""

    def __init__(
        self,
        db_path: str | Path,
        *,
        seed: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
        username: str = DEFAULT_USER,
        password: str = DEFAULT_PASSWORD,
        faults: Faults | None = None,
        dialect: Dialect | None = None,
        seed_size: str = "default",
    ) -> None:
        if not is_loopback(host):
            raise ValueError("the in-process sandbox listens on loopback only")
        if seed_size not in SEED_SIZES:
            raise ValueError(f"seed_size must be one of {', '.join(SEED_SIZES)}")
        self.db_path = db_path
        self.seed = seed
        self.seed_size = seed_size
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.faults = faults or Faults()
        # The variants it speaks (the contract's primary column unless told): change
        # them while it runs as the fault knobs are changed.
        self.dialect = dialect or Dialect()
        self.url = ""
        self.store: Store | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[uvicorn.Server] = []
        self._listening = threading.Event()
        self._failure: BaseException | None = None

    def start(self, timeout: float = 30.0) -> str:
        """Start serving; returns the base URL once connections are accepted."""
        sock = bind_socket(self.host, self.port)  # first: a taken port fails before any work
        try:
            self.store = open_store(
                self.db_path,
                seed=self.seed,
                username=self.username,
                password=self.password,
                seed_size=self.seed_size,
            )
        except BaseException:
            sock.close()
            raise
        self._listening.clear()
        self._servers.clear()

        def on_listening(url: str) -> None:
            self.url = url
            self._listening.set()

        def run() -> None:
            try:
                assert self.store is not None
                asyncio.run(
                    serve(
                        self.store,
                        sock,
                        self.faults,
                        on_listening=on_listening,
                        dialect=self.dialect,
                        server_holder=self._servers,
                    )
                )
            except BaseException as exc:  # reported by start() to the caller's thread
                self._failure = exc
                self._listening.set()
            finally:
                sock.close()

        self._thread = threading.Thread(target=run, name="omnidesk-sandbox", daemon=True)
        self._thread.start()
        if not self._listening.wait(timeout):
            raise TimeoutError(f"the sandbox did not start within {timeout} s")
        if self._failure is not None:
            raise RuntimeError("the sandbox failed to start") from self._failure
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        if self._thread is None:
            return
        for server in self._servers:
            server.should_exit = True
        self._thread.join(timeout)
        self._thread = None
        if self.store is not None:
            self.store.close()
            self.store = None

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
