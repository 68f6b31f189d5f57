"""SQLite storage for the sandbox: one connection, one lock, plain SQL.

The sandbox serves a desktop app and its tests, not a crowd, so a single
connection guarded by a lock is both safe and fast enough: every request and
every import batch holds the lock for a few milliseconds at most.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
import unicodedata
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    salt TEXT NOT NULL,
    password_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    key TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users(username),
    issued_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS products (
    pk INTEGER PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS price_lists (
    pk INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    code TEXT UNIQUE,
    is_auto_sync INTEGER NOT NULL,
    currency TEXT NOT NULL,
    created_date TEXT NOT NULL,
    modified_date TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stock_lists (
    pk INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    code TEXT UNIQUE,
    is_auto_sync INTEGER NOT NULL,
    created_date TEXT NOT NULL,
    modified_date TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS product_prices (
    id INTEGER PRIMARY KEY,
    product INTEGER NOT NULL REFERENCES products(pk),
    price_list INTEGER NOT NULL REFERENCES price_lists(pk),
    price TEXT NOT NULL,
    retail_price TEXT,
    tax_rate TEXT,
    currency_type TEXT NOT NULL,
    created_date TEXT NOT NULL,
    modified_date TEXT NOT NULL,
    UNIQUE (price_list, product)
);
CREATE TABLE IF NOT EXISTS product_stocks (
    pk INTEGER PRIMARY KEY,
    product INTEGER NOT NULL REFERENCES products(pk),
    stock_list INTEGER NOT NULL REFERENCES stock_lists(pk),
    stock INTEGER NOT NULL,
    unit_type TEXT NOT NULL,
    sold_quantity_unreported INTEGER NOT NULL,
    created_date TEXT NOT NULL,
    modified_date TEXT NOT NULL,
    UNIQUE (stock_list, product)
);
CREATE TABLE IF NOT EXISTS import_jobs (
    cache_key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    list_pk INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    status TEXT NOT NULL,
    total INTEGER NOT NULL DEFAULT 0,
    processed INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '[]',
    started_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS user_traits (
    username TEXT PRIMARY KEY REFERENCES users(username),
    totp_secret TEXT,
    limited INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS temp_tokens (
    key TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users(username),
    issued_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS list_grants (
    username TEXT NOT NULL,
    kind TEXT NOT NULL,
    list_pk INTEGER NOT NULL,
    PRIMARY KEY (username, kind, list_pk)
);
CREATE INDEX IF NOT EXISTS product_prices_product ON product_prices(product);
CREATE INDEX IF NOT EXISTS product_stocks_product ON product_stocks(product);
-- A list's rows in pk order without sorting them all for every page.
CREATE INDEX IF NOT EXISTS product_prices_list ON product_prices(price_list);
CREATE INDEX IF NOT EXISTS product_stocks_list ON product_stocks(stock_list);
"""

# The status endpoint lists at most this many row errors; error_count has them all.
MAX_LISTED_ERRORS = 1000

LIST_TABLES = {"price_list": "price_lists", "stock_list": "stock_lists"}


def now_iso() -> str:
    """The current time as Omnitron writes it: ISO-8601 UTC with microseconds and a Z."""
    return format_datetime(datetime.now(UTC))


def format_datetime(moment: datetime) -> str:
    # Always six fractional digits, so that stored dates compare correctly as text.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _hash_password(password: str, salt: str) -> str:
    # A local test server: enough to keep a copied database from showing passwords,
    # cheap enough that signing in stays instant.
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 20_000).hex()


def _fold(text: str) -> str:
    # Turkish has two i's, and people type either in a search box: "KASIM" should
    # find "Kasım", "indirim" should find "İndirimi". Fold both to a plain i.
    return text.casefold().replace("\u0307", "").replace("ı", "i")


def _letters_first(left: str, right: str) -> int:
    """Name order as PostgreSQL with a real locale gives it, not by code point.

    Letters compare by their base letter (İ with I, Ç with C, ğ with g), case-blind;
    accents and case only break ties. SQLite's NOCASE put "İade Deposu" after "Z".
    """
    left_key, right_key = _collation_key(left), _collation_key(right)
    return (left_key > right_key) - (left_key < right_key)


def _collation_key(text: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFKD", _fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)), text


def _icontains(haystack: str | None, needle: str) -> bool:
    # SQLite's LIKE folds ASCII only.
    return haystack is not None and _fold(needle) in _fold(haystack)


@dataclass(frozen=True)
class PageOfRows:
    count: int
    rows: list[dict[str, Any]]


class Store:
    """All the sandbox's data. Every public method is safe to call from any thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.create_function("icontains", 2, _icontains, deterministic=True)
        self._conn.create_collation("letters_first", _letters_first)
        # Each page of a list tells its count; counting 100,000 rows for each of 1,000
        # pages would be most of the work. Counts are kept until the next write.
        self._writes = 0
        self._counts: dict[tuple[str, tuple[Any, ...]], tuple[int, int]] = {}
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.executescript(SCHEMA)
            self._abandon_unfinished_imports()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- plumbing ---------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            self._writes += 1
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(row) for row in self._conn.execute(sql, params)]

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def page(
        self,
        from_where: str,
        params: Sequence[Any],
        *,
        columns: str,
        order_by: str,
        offset: int,
        limit: int,
        joined: tuple[str, str] | None = None,
    ) -> PageOfRows:
        """One page of `SELECT columns FROM from_where`, with the total count, read atomically.

        ``joined`` (the key, and a join clause holding from_where's table as t): the
        page's keys are picked in from_where alone and only its rows joined, so a
        page deep into 100,000 rows does not join every row before it.
        """
        with self._lock:
            count = self._count(from_where, params)
            if joined is None:
                sql = f"SELECT {columns} FROM {from_where} ORDER BY {order_by} LIMIT ? OFFSET ?"
            else:
                key, join = joined
                sql = (
                    f"SELECT {columns} FROM {join} WHERE {key} IN (SELECT {key} FROM "
                    f"{from_where} ORDER BY {order_by} LIMIT ? OFFSET ?) ORDER BY {order_by}"
                )
            rows = self._conn.execute(sql, (*params, limit, offset)).fetchall()
        return PageOfRows(count=count, rows=[dict(row) for row in rows])

    def _count(self, from_where: str, params: Sequence[Any]) -> int:
        key = (from_where, tuple(params))
        known = self._counts.get(key)
        if known is not None and known[0] == self._writes:
            return known[1]
        count: int = self._conn.execute(f"SELECT COUNT(*) FROM {from_where}", params).fetchone()[0]
        if len(self._counts) > 1000:
            self._counts.clear()
        self._counts[key] = (self._writes, count)
        return count

    def is_empty(self) -> bool:
        return self.query_one("SELECT 1 FROM products LIMIT 1") is None

    # -- users and tokens -------------------------------------------------------------------------

    def set_user(self, username: str, password: str) -> None:
        salt = secrets.token_hex(8)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO users (username, salt, password_hash) VALUES (?, ?, ?) "
                "ON CONFLICT(username) DO UPDATE SET salt=excluded.salt, "
                "password_hash=excluded.password_hash",
                (username, salt, _hash_password(password, salt)),
            )

    def check_password(self, username: str, password: str) -> bool:
        user = self.query_one(
            "SELECT salt, password_hash FROM users WHERE username = ?", (username,)
        )
        if user is None:
            return False
        return secrets.compare_digest(user["password_hash"], _hash_password(password, user["salt"]))

    def issue_token(self, username: str) -> str:
        key = secrets.token_hex(20)  # 40 hex characters, the shape of a DRF token
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO tokens (key, username, issued_at) VALUES (?, ?, ?)",
                (key, username, time.time()),
            )
        return key

    def token_age(self, key: str) -> float | None:
        """Seconds since the token was issued, or None for an unknown token."""
        owner = self.token_owner(key)
        return None if owner is None else owner[1]

    def token_owner(self, key: str) -> tuple[str, float] | None:
        """(username, seconds since issued) of a token, or None for an unknown one."""
        token = self.query_one("SELECT username, issued_at FROM tokens WHERE key = ?", (key,))
        return None if token is None else (token["username"], time.time() - token["issued_at"])

    # -- two-factor sign-in and permissions (what a user is, beyond a password) ---------

    def set_traits(self, username: str, *, totp_secret: str | None, limited: bool) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO user_traits (username, totp_secret, limited) VALUES (?, ?, ?) "
                "ON CONFLICT(username) DO UPDATE SET totp_secret=excluded.totp_secret, "
                "limited=excluded.limited",
                (username, totp_secret, int(limited)),
            )

    def traits(self, username: str) -> tuple[str | None, bool]:
        """(TOTP secret or None, limited to its granted lists) of a user."""
        row = self.query_one(
            "SELECT totp_secret, limited FROM user_traits WHERE username = ?", (username,)
        )
        return (None, False) if row is None else (row["totp_secret"], bool(row["limited"]))

    def issue_temp_token(self, username: str) -> str:
        key = secrets.token_urlsafe(24)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO temp_tokens (key, username, issued_at) VALUES (?, ?, ?)",
                (key, username, time.time()),
            )
        return key

    def temp_token_user(self, key: str, max_age: float) -> str | None:
        """The user a sign-in's temp token belongs to, if it is known and young enough."""
        row = self.query_one("SELECT username, issued_at FROM temp_tokens WHERE key = ?", (key,))
        if row is None or time.time() - row["issued_at"] > max_age:
            return None
        username: str = row["username"]
        return username

    def drop_temp_token(self, key: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM temp_tokens WHERE key = ?", (key,))

    def grant(self, username: str, kind: str, list_pk: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO list_grants (username, kind, list_pk) VALUES (?, ?, ?)",
                (username, kind, list_pk),
            )

    def is_granted(self, username: str, kind: str, list_pk: int) -> bool:
        return (
            self.query_one(
                "SELECT 1 FROM list_grants WHERE username = ? AND kind = ? AND list_pk = ?",
                (username, kind, list_pk),
            )
            is not None
        )

    # -- price lists and stock lists --------------------------------------------------------------

    def get_list(self, kind: str, pk: int) -> dict[str, Any] | None:
        return self.query_one(f"SELECT * FROM {LIST_TABLES[kind]} WHERE pk = ?", (pk,))

    def find_list_by(self, kind: str, column: str, value: str) -> dict[str, Any] | None:
        assert column in ("name", "code")
        return self.query_one(f"SELECT * FROM {LIST_TABLES[kind]} WHERE {column} = ?", (value,))

    def insert_list(self, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
        stamp = now_iso()
        row = {**fields, "created_date": stamp, "modified_date": stamp}
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self.transaction() as conn:
            cursor = conn.execute(
                f"INSERT INTO {LIST_TABLES[kind]} ({names}) VALUES ({marks})", tuple(row.values())
            )
            pk = cursor.lastrowid
        created = self.get_list(kind, int(pk or 0))
        assert created is not None
        return created

    def update_list(self, kind: str, pk: int, changes: dict[str, Any]) -> dict[str, Any]:
        row = {**changes, "modified_date": now_iso()}
        assignments = ", ".join(f"{name} = ?" for name in row)
        with self.transaction() as conn:
            conn.execute(
                f"UPDATE {LIST_TABLES[kind]} SET {assignments} WHERE pk = ?",
                (*row.values(), pk),
            )
        updated = self.get_list(kind, pk)
        assert updated is not None
        return updated

    # -- products ---------------------------------------------------------------------------------

    def product_pks_by_sku(self, skus: Iterable[str]) -> dict[str, int]:
        wanted = list(set(skus))
        found: dict[str, int] = {}
        with self._lock:
            # SQLite limits bound parameters per statement; ask in chunks.
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                for row in self._conn.execute(
                    f"SELECT pk, sku FROM products WHERE sku IN ({marks})", chunk
                ):
                    found[row["sku"]] = row["pk"]
        return found

    # -- import jobs ------------------------------------------------------------------------------

    def create_import_job(self, kind: str, list_pk: int, file_name: str) -> str:
        cache_key = str(uuid.uuid4())
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO import_jobs (cache_key, kind, list_pk, file_name, status, started_at) "
                "VALUES (?, ?, ?, ?, 'PENDING', ?)",
                (cache_key, kind, list_pk, file_name, now_iso()),
            )
        return cache_key

    def get_import_job(self, cache_key: str) -> dict[str, Any] | None:
        job = self.query_one("SELECT * FROM import_jobs WHERE cache_key = ?", (cache_key,))
        if job is not None:
            job["errors"] = json.loads(job["errors"])
        return job

    def update_import_job(
        self, cache_key: str, *, within: sqlite3.Connection | None = None, **fields: Any
    ) -> None:
        """``within`` a transaction already open: the counters land with the rows they count."""
        if "errors" in fields:
            fields["errors"] = json.dumps(fields["errors"][:MAX_LISTED_ERRORS])
        assignments = ", ".join(f"{name} = ?" for name in fields)
        sql = f"UPDATE import_jobs SET {assignments} WHERE cache_key = ?"
        if within is not None:
            within.execute(sql, (*fields.values(), cache_key))
            return
        with self.transaction() as conn:
            conn.execute(sql, (*fields.values(), cache_key))

    def _abandon_unfinished_imports(self) -> None:
        # A job that was running when the sandbox stopped can never finish: its file
        # lived in memory. Say so instead of leaving it PROGRESS forever.
        unfinished = self._conn.execute(
            "SELECT cache_key, errors FROM import_jobs WHERE status IN ('PENDING', 'PROGRESS')"
        ).fetchall()
        for job in unfinished:
            errors = json.loads(job["errors"])
            errors.append(
                {
                    "line": None,
                    "column": None,
                    "message": "The server stopped before this import finished. "
                    "Upload the file again.",
                }
            )
            self._conn.execute(
                "UPDATE import_jobs SET status = 'FAILURE', errors = ?, "
                "error_count = error_count + 1 WHERE cache_key = ?",
                (json.dumps(errors[:MAX_LISTED_ERRORS]), job["cache_key"]),
            )
