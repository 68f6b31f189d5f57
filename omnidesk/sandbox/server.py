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
from .faults import Faults
from .seed import seed_catalogue
from .store import Store

DEFAULT_USER = "demo"
DEFAULT_PASSWORD = "demo"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def open_store(db_path: str | Path, *, seed: bool, username: str, password: str) -> Store:
    if str(db_path) != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    store = Store(db_path)
    if seed:
        seed_catalogue(store)
    store.set_user(username, password)
    return store


async def serve(
    store: Store,
    sock: socket.socket,
    faults: Faults,
    *,
    on_listening: Callable[[str], None],
    server_holder: list[uvicorn.Server] | None = None,
    access_log: bool = False,
) -> None:
    """Serve until told to stop (SIGINT/SIGTERM in the main thread, or should_exit)."""
    config = uvicorn.Config(
        create_app(store, faults),
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
    ) -> None:
        if not is_loopback(host):
            raise ValueError("the in-process sandbox listens on loopback only")
        self.db_path = db_path
        self.seed = seed
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.faults = faults or Faults()
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
                self.db_path, seed=self.seed, username=self.username, password=self.password
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
