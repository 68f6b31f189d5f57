"""Edits made in a list's grid and not sent yet, kept in the journal until sent or discarded.

A table of the journal's own SQLite file: an edit survives a crash or a closed window
and shows again at the next start. Reviewing the edits sends them as an import of
their own (editing.py); from the moment that import is journaled its edits are tied
to it (``mark_sent``), and when it ends they go (``settle``), except those the server
refused, which come back to the grid with the server's words.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from .journal import Journal

SCHEMA = """
CREATE TABLE IF NOT EXISTS staged_edits (
    server TEXT NOT NULL,
    kind TEXT NOT NULL,
    list_pk INTEGER NOT NULL,
    list_name TEXT NOT NULL,
    sku TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    original TEXT,
    staged_at TEXT NOT NULL,
    sent_in INTEGER,
    sent_row INTEGER,
    problem TEXT,
    PRIMARY KEY (server, kind, list_pk, sku, field)
);
CREATE INDEX IF NOT EXISTS staged_edits_sent ON staged_edits(sent_in);
"""


@dataclass(frozen=True)
class EditedList:
    """The list a grid edits, on one server."""

    server: str
    kind: str
    list_pk: int
    list_name: str = ""


@dataclass(frozen=True)
class StagedEdit:
    sku: str
    field: str
    value: str  # as the upload file writes it: "1709.99", "try", "12"
    original: str | None  # the list's value when the edit was made ("" for none)
    problem: str | None = None  # why the server refused it last time it was sent
    sent_in: int | None = None  # the import it went in, until that import ends


@dataclass(frozen=True)
class PendingList:
    where: EditedList
    count: int


class StagedEdits:
    """The staged edits of every list, in the journal's file; safe from any thread."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        with journal.connection() as conn:
            conn.executescript(SCHEMA)

    def stage(self, where: EditedList, edits: Iterable[StagedEdit]) -> None:
        """Keep these edits (replacing earlier ones of the same cells); an edit back to
        the list's own value is no edit, and goes."""
        now = datetime.now(UTC).isoformat()
        keep, drop = [], []
        for edit in edits:
            key = (where.server, where.kind, where.list_pk, edit.sku, edit.field)
            if edit.original is not None and edit.value == edit.original:
                drop.append(key)
            else:
                keep.append((*key, where.list_name, edit.value, edit.original, now))
        with self.journal.connection() as conn, _transaction(conn):
            conn.executemany(_DELETE_ONE, drop)
            conn.executemany(
                "INSERT OR REPLACE INTO staged_edits (server, kind, list_pk, sku, field, "
                "list_name, value, original, staged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                keep,
            )

    def revert(self, where: EditedList, cells: Iterable[tuple[str, str]]) -> None:
        """Forget the edits of these (SKU, field) cells."""
        rows = [(where.server, where.kind, where.list_pk, sku, name) for sku, name in cells]
        with self.journal.connection() as conn, _transaction(conn):
            conn.executemany(_DELETE_ONE + " AND sent_in IS NULL", rows)

    def discard(self, where: EditedList) -> None:
        """Forget every edit of the list not sent yet."""
        with self.journal.connection() as conn:
            conn.execute(
                "DELETE FROM staged_edits WHERE server = ? AND kind = ? AND list_pk = ? "
                "AND sent_in IS NULL",
                (where.server, where.kind, where.list_pk),
            )

    def pending(self, where: EditedList) -> dict[tuple[str, str], StagedEdit]:
        """The list's edits not sent (or refused when sent), by (SKU, field)."""
        return {key: e for key, e in self.edits(where).items() if e.sent_in is None}

    def edits(self, where: EditedList) -> dict[tuple[str, str], StagedEdit]:
        """The list's edits, those on their way in an import not ended yet too."""
        with self.journal.connection() as conn:
            rows = conn.execute(
                "SELECT sku, field, value, original, problem, sent_in FROM staged_edits "
                "WHERE server = ? AND kind = ? AND list_pk = ?",
                (where.server, where.kind, where.list_pk),
            ).fetchall()
        return {
            (row["sku"], row["field"]): StagedEdit(
                row["sku"],
                row["field"],
                row["value"],
                row["original"],
                row["problem"],
                row["sent_in"],
            )
            for row in rows
        }

    def lists_with_pending(self, server: str) -> list[PendingList]:
        """Every list on this server with edits not sent, the one edited last first."""
        with self.journal.connection() as conn:
            rows = conn.execute(
                "SELECT kind, list_pk, MAX(list_name) AS name, COUNT(*) AS count, "
                "MAX(staged_at) AS last FROM staged_edits WHERE server = ? AND sent_in IS NULL "
                "GROUP BY kind, list_pk ORDER BY last DESC",
                (server,),
            ).fetchall()
        return [
            PendingList(EditedList(server, r["kind"], r["list_pk"], r["name"]), r["count"])
            for r in rows
        ]

    def mark_sent(
        self, where: EditedList, record_id: int, sent: Iterable[tuple[StagedEdit, int]]
    ) -> None:
        """These edits go in import ``record_id``, each on that row of its file: they are
        no longer pending, and wait for the import's end. An edit changed since it was
        written into the file stays pending (its value is not the one sent)."""
        values = [
            (record_id, row, where.server, where.kind, where.list_pk, e.sku, e.field, e.value)
            for e, row in sent
        ]
        with self.journal.connection() as conn, _transaction(conn):
            conn.executemany(
                "UPDATE staged_edits SET sent_in = ?, sent_row = ?, problem = NULL "
                "WHERE server = ? AND kind = ? AND list_pk = ? AND sku = ? AND field = ? "
                "AND value = ? AND sent_in IS NULL",
                values,
            )

    def done(self, where: EditedList, edits: Iterable[StagedEdit]) -> None:
        """These edits need no sending: the list has their values already."""
        rows = [(where.server, where.kind, where.list_pk, e.sku, e.field, e.value) for e in edits]
        with self.journal.connection() as conn, _transaction(conn):
            conn.executemany(_DELETE_ONE + " AND value = ? AND sent_in IS NULL", rows)

    def note(self, where: EditedList, problems: Iterable[tuple[StagedEdit, str]]) -> None:
        """Why these edits were not sent (the check held their row back), for the grid."""
        rows = [
            (why, where.server, where.kind, where.list_pk, e.sku, e.field, e.value)
            for e, why in problems
        ]
        with self.journal.connection() as conn, _transaction(conn):
            conn.executemany(
                "UPDATE staged_edits SET problem = ? WHERE server = ? AND kind = ? AND "
                "list_pk = ? AND sku = ? AND field = ? AND value = ? AND sent_in IS NULL",
                rows,
            )

    def settle(
        self,
        record_id: int,
        *,
        refused: Mapping[int, str] | None = None,
        failed: str | None = None,
    ) -> None:
        """The import ``record_id`` ended: its edits go, but those on a row the server
        ``refused`` (row → why), or all of them when the whole import ``failed``, come
        back as pending with the reason."""
        with self.journal.connection() as conn, _transaction(conn):
            if failed is not None:
                conn.execute(
                    "UPDATE staged_edits SET sent_in = NULL, sent_row = NULL, problem = ? "
                    "WHERE sent_in = ?",
                    (failed, record_id),
                )
                return
            conn.executemany(
                "UPDATE staged_edits SET sent_in = NULL, sent_row = NULL, problem = ? "
                "WHERE sent_in = ? AND sent_row = ?",
                [(why, record_id, row) for row, why in (refused or {}).items()],
            )
            conn.execute("DELETE FROM staged_edits WHERE sent_in = ?", (record_id,))


_DELETE_ONE = (
    "DELETE FROM staged_edits WHERE server = ? AND kind = ? AND list_pk = ? AND sku = ? "
    "AND field = ?"
)


class _transaction:
    """BEGIN … COMMIT on a connection in autocommit mode (the journal's), ROLLBACK on error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.conn.execute("COMMIT" if error is None else "ROLLBACK")
