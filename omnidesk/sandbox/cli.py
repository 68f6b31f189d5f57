"""`omnidesk-sandbox`: a local Omnitron-compatible server for demos and tests."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

import platformdirs

from .dialect import (
    ENVELOPES,
    IDENTITIES,
    ORDERINGS,
    STATUS_WORD_SETS,
    UPLOAD_STATUSES,
    VARIANTS,
    Dialect,
)
from .faults import Faults
from .seed import SEED_SIZES
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
    parser.add_argument(
        "--seed-size",
        choices=SEED_SIZES,
        default="default",
        help="with --seed: large adds 100,000 products and the lists LARGE-PL and LARGE-SL",
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
    add_dialect_arguments(parser)
    parser.add_argument("--access-log", action="store_true", help="log every request")
    return parser


def add_dialect_arguments(parser: argparse.ArgumentParser) -> None:
    primary = Dialect()
    group = parser.add_argument_group(
        "dialect (the contract's variants V1-V10; the primary one by default)"
    )
    group.add_argument(
        "--variant",
        action="append",
        default=[],
        choices=list(VARIANTS),
        metavar="NAME",
        help=f"speak a variant's alternative; repeatable ({', '.join(VARIANTS)})",
    )
    group.add_argument(
        "--all-variants", action="store_true", help="every variant's alternative at once"
    )
    group.add_argument("--error-envelope", choices=ENVELOPES, help="V1 (default error_code)")
    group.add_argument("--ordering-param", choices=ORDERINGS, help="V2 (default sort)")
    group.add_argument("--no-i1", action="store_true", help="V3: /api/i1/ answers 404")
    group.add_argument(
        "--max-page-size",
        type=int,
        metavar="N",
        help=f"V4: serve at most N rows a page (default {primary.max_page_size})",
    )
    group.add_argument(
        "--totp-for-everyone",
        action="store_true",
        help="V5: every user signs in with a code (user twofactor always does)",
    )
    group.add_argument(
        "--limited-for-everyone",
        action="store_true",
        help="V6: every user changes only its granted lists (user limited always does)",
    )
    group.add_argument("--identity", choices=IDENTITIES, help="V7 (default pk)")
    group.add_argument("--decimals-as-numbers", action="store_true", help='V8: 10.5, not "10.50"')
    group.add_argument(
        "--upload-status", type=int, choices=UPLOAD_STATUSES, help="V9 (default 200)"
    )
    group.add_argument("--status-words", choices=STATUS_WORD_SETS, help="V10 (default celery)")


def dialect_from(args: argparse.Namespace) -> Dialect:
    dialect = Dialect.every_alternative() if args.all_variants else Dialect()
    for name in args.variant:
        dialect.variant(name)
    flags = {
        "error_envelope": args.error_envelope,
        "ordering": args.ordering_param,
        "i1": False if args.no_i1 else None,
        "max_page_size": args.max_page_size,
        "totp_for_everyone": True if args.totp_for_everyone else None,
        "limited_for_everyone": True if args.limited_for_everyone else None,
        "identity": args.identity,
        "decimals_as_numbers": True if args.decimals_as_numbers else None,
        "upload_status": args.upload_status,
        "status_words": args.status_words,
    }
    dialect.set(**{name: value for name, value in flags.items() if value is not None})
    return dialect


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
        dialect = dialect_from(args)
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
            args.db or default_db_path(),
            seed=args.seed,
            username=args.user,
            password=args.password,
            seed_size=args.seed_size,
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
        asyncio.run(
            serve(
                store,
                sock,
                faults,
                on_listening=announce,
                dialect=dialect,
                access_log=args.access_log,
            )
        )
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
