"""`omnidesk-sandbox`: a local Omnitron-compatible server for demos and tests."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

import platformdirs

from .faults import Faults
from .server import DEFAULT_PASSWORD, DEFAULT_USER, bind_socket, is_loopback, open_store, serve


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir("omnidesk", appauthor=False)) / "sandbox.sqlite3"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="omnidesk-sandbox",
        description="A local Omnitron-compatible server (price lists, stock lists, imports).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument(
        "--db", type=Path, default=None, help=f"SQLite database file (default {default_db_path()})"
    )
    parser.add_argument(
        "--seed", action="store_true", help="fill an empty database with a catalogue"
    )
    parser.add_argument("--user", default=DEFAULT_USER, help="the user who may sign in")
    parser.add_argument("--password", default=DEFAULT_PASSWORD, help="that user's password")
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow listening on an address other than loopback (the sandbox has no real security)",
    )
    faults = parser.add_argument_group("fault injection (off by default)")
    faults.add_argument("--latency-ms", type=int, default=0, help="delay every request")
    faults.add_argument(
        "--fail-rate",
        type=float,
        default=0.0,
        help="share of requests that fail (503, or the connection dropped), 0 to 1",
    )
    faults.add_argument(
        "--token-ttl", type=float, default=None, help="tokens expire after S seconds"
    )
    faults.add_argument(
        "--import-rows-per-second",
        type=float,
        default=None,
        help="pace of import processing, so progress is visible",
    )
    parser.add_argument("--access-log", action="store_true", help="log every request")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not is_loopback(args.host) and not args.allow_remote:
        print(
            f"omnidesk-sandbox: refusing to listen on {args.host}: it is not a loopback address. "
            "Pass --allow-remote if you really mean it.",
            file=sys.stderr,
        )
        return 2
    try:
        faults = Faults(
            latency_ms=args.latency_ms,
            fail_rate=args.fail_rate,
            token_ttl=args.token_ttl,
            import_rows_per_second=args.import_rows_per_second,
        )
    except ValueError as problem:
        print(f"omnidesk-sandbox: {problem}", file=sys.stderr)
        return 2
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as problem:
        print(
            f"omnidesk-sandbox: cannot listen on {args.host}:{args.port}: {problem.strerror}",
            file=sys.stderr,
        )
        return 2
    try:
        store = open_store(
            args.db or default_db_path(), seed=args.seed, username=args.user, password=args.password
        )
    except Exception as problem:  # a locked, unreadable or non-SQLite file
        print(f"omnidesk-sandbox: cannot open the database: {problem}", file=sys.stderr)
        return 2

    def announce(url: str) -> None:
        print(f"listening on {url}", flush=True)

    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again for the
    # previous handler; ending with status 0 there tells a supervisor all went well.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    try:
        asyncio.run(serve(store, sock, faults, on_listening=announce, access_log=args.access_log))
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        store.close()
        sock.close()
    return 0


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    sys.exit(main())
