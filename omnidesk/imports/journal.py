"""The local journal of imports: what was sent where, and how it ended.

Written before the upload starts and updated as the import goes, so an import
cut short by a crash or a closed window can be picked up again: the cache key
is all it takes to ask the server how the job ended.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY,
    file_path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,
    list_pk INTEGER NOT NULL,
    list_name TEXT NOT NULL,
    server TEXT NOT NULL,
    rows INTEGER NOT NULL,
    cache_key TEXT,
    state TEXT NOT NULL,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    created INTEGER,
    updated INTEGER,
    failed INTEGER,
    message TEXT,
    row_map BLOB
);
CREATE INDEX IF NOT EXISTS imports_file ON imports(sha256, kind, list_pk);
"""


class JournalState(StrEnum):
    UPLOADING = "uploading"  # sent or being sent; no cache key yet
    WAITING = "waiting"  # the server has it (cache key known), not finished
    SUCCESS = "success"
    FAILURE = "failure"
    UPLOAD_FAILED = "upload failed"  # the server never took it

    @property
    def finished(self) -> bool:
        return self in (JournalState.SUCCESS, JournalState.FAILURE, JournalState.UPLOAD_FAILED)


@dataclass(frozen=True)
class ImportRecord:
    id: int
    file_path: str
    sha256: str
    kind: str
    list_pk: int
    list_name: str
    server: str
    rows: int
    cache_key: str | None
    state: JournalState
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    created: int | None
    updated: int | None
    failed: int | None
    message: str | None

    @property
    def file_name(self) -> str:
        return Path(self.file_path).name


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Journal:
    """A small SQLite file; every method is safe from any thread."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def start(
        self,
        *,
        file_path: Path,
        sha256: str,
        kind: str,
        list_pk: int,
        list_name: str,
        server: str,
        rows: int,
        row_map: list[int],
    ) -> int:
        """Record an import about to be uploaded; returns its id."""
        stamp = _now()
        packed = zlib.compress(json.dumps(row_map).encode())
        with self._lock:
            cursor = self._conn.execute(
                "INSERT INTO imports (file_path, sha256, kind, list_pk, list_name, server, rows, "
                "state, started_at, updated_at, row_map) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    str(file_path),
                    sha256,
                    kind,
                    list_pk,
                    list_name,
                    server,
                    rows,
                    JournalState.UPLOADING.value,
                    stamp,
                    stamp,
                    packed,
                ),
            )
        return int(cursor.lastrowid or 0)

    def update(self, record_id: int, **fields: Any) -> None:
        if "state" in fields:
            state = JournalState(fields["state"])
            fields["state"] = state.value
            if state.finished:
                fields.setdefault("finished_at", _now())
        fields["updated_at"] = _now()
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self._lock:
            self._conn.execute(
                f"UPDATE imports SET {assignments} WHERE id = ?", (*fields.values(), record_id)
            )

    def get(self, record_id: int) -> ImportRecord | None:
        rows = self._select("WHERE id = ?", (record_id,))
        return rows[0] if rows else None

    def row_map(self, record_id: int) -> list[int]:
        """For each data line of the uploaded file, the row of the person's own sheet."""
        with self._lock:
            found = self._conn.execute(
                "SELECT row_map FROM imports WHERE id = ?", (record_id,)
            ).fetchone()
        if found is None or found["row_map"] is None:
            return []
        mapping: list[int] = json.loads(zlib.decompress(found["row_map"]))
        return mapping

    def unfinished(self) -> list[ImportRecord]:
        """Imports the app stopped following before they ended (closed, crashed)."""
        return self._select(
            "WHERE state IN (?, ?) ORDER BY id",
            (JournalState.UPLOADING.value, JournalState.WAITING.value),
        )

    def last_import_of(
        self, sha256: str, kind: str, list_pk: int, server: str
    ) -> ImportRecord | None:
        """The latest time this very file went to this list (failed uploads aside)."""
        rows = self._select(
            "WHERE sha256 = ? AND kind = ? AND list_pk = ? AND server = ? AND state != ? "
            "ORDER BY id DESC LIMIT 1",
            (sha256, kind, list_pk, server, JournalState.UPLOAD_FAILED.value),
        )
        return rows[0] if rows else None

    def history(self, limit: int = 500) -> list[ImportRecord]:
        return self._select("ORDER BY id DESC LIMIT ?", (limit,))

    def _select(self, where: str, params: tuple[Any, ...]) -> list[ImportRecord]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, file_path, sha256, kind, list_pk, list_name, server, rows, cache_key, "
                f"state, started_at, updated_at, finished_at, created, updated, failed, message "
                f"FROM imports {where}",
                params,
            ).fetchall()
        return [
            ImportRecord(
                id=row["id"],
                file_path=row["file_path"],
                sha256=row["sha256"],
                kind=row["kind"],
                list_pk=row["list_pk"],
                list_name=row["list_name"],
                server=row["server"],
                rows=row["rows"],
                cache_key=row["cache_key"],
                state=JournalState(row["state"]),
                started_at=datetime.fromisoformat(row["started_at"]),
                updated_at=datetime.fromisoformat(row["updated_at"]),
                finished_at=_moment(row["finished_at"]),
                created=row["created"],
                updated=row["updated"],
                failed=row["failed"],
                message=row["message"],
            )
            for row in rows
        ]
