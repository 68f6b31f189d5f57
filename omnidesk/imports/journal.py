"""The local journal of imports: what was sent where, and how it ended.

Written before the upload starts and updated as the import goes, so an import
cut short by a crash or a closed window can be picked up again: the cache key
is all it takes to ask the server how the job ended.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from omnidesk.i18n import N_, _

from .pacing import dismantle, let_others_run

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
    row_map BLOB,
    report BLOB,
    refused BLOB
);
CREATE INDEX IF NOT EXISTS imports_file ON imports(sha256, kind, list_pk);
"""
# Columns added since the first journals were written: added to an older file on open.
LATER_COLUMNS = {"report": "BLOB", "refused": "BLOB"}


class JournalState(StrEnum):
    UPLOADING = "uploading"  # sent or being sent; no cache key yet
    WAITING = "waiting"  # the server has it (cache key known), not finished
    SUCCESS = "success"
    FAILURE = "failure"
    UPLOAD_FAILED = "upload failed"  # the server never took it
    # The answer to the upload was lost, and the list shows the file's values: it came.
    ARRIVED = "arrived"

    @property
    def words(self) -> str:
        """The state as a person says it, in the language spoken now."""
        return _(_STATE_WORDS[self])

    @property
    def finished(self) -> bool:
        return self in (
            JournalState.SUCCESS,
            JournalState.FAILURE,
            JournalState.UPLOAD_FAILED,
            JournalState.ARRIVED,
        )


_STATE_WORDS = {
    JournalState.UPLOADING: N_("being sent"),
    JournalState.WAITING: N_("on the server"),
    JournalState.SUCCESS: N_("done"),
    JournalState.FAILURE: N_("failed"),
    JournalState.UPLOAD_FAILED: N_("not sent"),
    JournalState.ARRIVED: N_("arrived"),
}


@dataclass(frozen=True)
class ReportRow:
    """One row of the person's file and what became of it: held back, or refused."""

    row: int | None  # the person's sheet row; None for the file as a whole
    column: str | None  # the server's column name; the report knows the file's header for it
    message: str


@dataclass(frozen=True)
class ChangeRecord:
    """A row the import sent, with the list's values before it (empty: the row was new)."""

    row: int
    sku: str
    before: dict[str, str]  # field → value as text (Decimal text, never a float's)
    after: dict[str, str]


@dataclass(frozen=True)
class ImportReport:
    """What an import was asked to do and what came of it: its page under Imports.

    Written with the record before the file is sent (who, what was confirmed, what
    the check held back, the values before), completed when the server's job ends.
    """

    username: str = ""
    confirmed: tuple[tuple[str, str, tuple[int, ...]], ...] = ()  # guardrail key, words, rows
    held_back: tuple[ReportRow, ...] = ()
    refused: tuple[ReportRow, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)  # server column → the file's header
    changes: tuple[ChangeRecord, ...] = ()
    header_row: int = 0  # the sheet row of the file's header
    sheet: str | None = None  # the sheet of a workbook the rows came from
    # Rows sent with the catalogue's SKU instead of the file's (the person chose it).
    replaced: tuple[ReportRow, ...] = ()

    def header(self, column: str | None) -> str | None:
        return self.headers.get(column, column) if column is not None else None

    def rows_held(self) -> list[list[Any]]:
        """Its rows, in lists of their own: what is left of them once the report itself
        is let go of, to free a piece at a time (``pacing.dismantle``)."""
        return [list(self.changes), list(self.refused), list(self.held_back), list(self.replaced)]

    def to_json(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "confirmed": [[key, words, list(rows)] for key, words, rows in self.confirmed],
            "held_back": [dataclasses.astuple(row) for row in self.held_back],
            "refused": [dataclasses.astuple(row) for row in self.refused],
            "headers": self.headers,
            "changes": [[c.row, c.sku, c.before, c.after] for c in self.changes],
            "header_row": self.header_row,
            "sheet": self.sheet,
            "replaced": [dataclasses.astuple(row) for row in self.replaced],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportReport:
        return cls(
            username=str(data.get("username", "")),
            confirmed=tuple(
                (str(key), str(words), tuple(rows))
                for key, words, rows in data.get("confirmed", [])
            ),
            held_back=tuple(ReportRow(*row) for row in data.get("held_back", [])),
            refused=tuple(ReportRow(*row) for row in data.get("refused", [])),
            headers=dict(data.get("headers", {})),
            changes=tuple(
                ChangeRecord(row, sku, dict(before), dict(after))
                for row, sku, before, after in data.get("changes", [])
            ),
            header_row=int(data.get("header_row", 0)),
            sheet=data.get("sheet"),
            replaced=tuple(ReportRow(*row) for row in data.get("replaced", [])),
        )

    @property
    def failed_rows(self) -> frozenset[int]:
        """The rows of the file that did not make it: refused, or held back by the check."""
        return frozenset(r.row for r in (*self.refused, *self.held_back) if r.row is not None)


# json.dumps is C code that holds the interpreter until it is done, and so are joining
# and encoding the text it makes: a report of a hundred thousand rows (20 MB of JSON)
# is written a slice at a time and compressed as it comes, which zlib does without the
# interpreter, so the window gets its turn in between. Built whole, the text held it
# for 100-120 ms at a time.
_SLICE = 2_000


def _pieces(value: Any) -> Iterator[str]:
    """``value`` as JSON text, in pieces of at most ``_SLICE`` items of a list each."""
    if isinstance(value, dict):
        yield "{"
        for number, (key, item) in enumerate(value.items()):
            yield ("," if number else "") + json.dumps(key, ensure_ascii=False) + ":"
            yield from _pieces(item)
        yield "}"
    elif isinstance(value, list) and len(value) > _SLICE:
        yield "["
        for start in range(0, len(value), _SLICE):
            text = json.dumps(value[start : start + _SLICE], ensure_ascii=False)[1:-1]
            yield ("," if start else "") + text
            let_others_run()
        yield "]"
    elif isinstance(value, list) and any(isinstance(item, (list, dict)) for item in value):
        # A few items that hold more: a long one may be inside (a confirmed guardrail's
        # rows), and json.dumps would hold it all.
        yield "["
        for number, item in enumerate(value):
            if number:
                yield ","
            yield from _pieces(item)
        yield "]"
    else:
        yield json.dumps(value, ensure_ascii=False)


def _pack(value: Any) -> bytes:
    packer = zlib.compressobj()
    packed = [packer.compress(piece.encode()) for piece in _pieces(value)]
    packed.append(packer.flush())
    return b"".join(packed)


def _unpack(blob: bytes | None) -> Any:
    return json.loads(zlib.decompress(blob)) if blob is not None else None


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
            present = {row["name"] for row in self._conn.execute("PRAGMA table_info(imports)")}
            for name, declared in LATER_COLUMNS.items():
                if name not in present:
                    self._conn.execute(f"ALTER TABLE imports ADD COLUMN {name} {declared}")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """The file's connection, held for this thread: for the tables kept beside the
        imports (staged.py), which this class need not know."""
        with self._lock:
            yield self._conn

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
        report: ImportReport | None = None,
    ) -> int:
        """Record an import about to be uploaded; returns its id."""
        stamp = _now()
        # Packed before the lock is taken: a big report takes a while, and the window
        # may ask the journal something meanwhile.
        written = (report or ImportReport()).to_json()
        packed_rows, packed_report = _pack(row_map), _pack(written)
        dismantle(written)  # a list a row of the report's: let go of in pieces (pacing)
        with self._lock:
            cursor = self._conn.execute(
                "INSERT INTO imports (file_path, sha256, kind, list_pk, list_name, server, rows, "
                "state, started_at, updated_at, row_map, report) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    packed_rows,
                    packed_report,
                ),
            )
        return int(cursor.lastrowid or 0)

    def report(self, record_id: int) -> ImportReport:
        """The import's report (empty for an import journaled before reports were kept)."""
        with self._lock:
            found = self._conn.execute(
                "SELECT report, refused FROM imports WHERE id = ?", (record_id,)
            ).fetchone()
        data = _unpack(found["report"]) if found is not None else None
        report = ImportReport.from_json(data) if data else ImportReport()
        refused = _unpack(found["refused"]) if found is not None else None
        if refused:
            report = dataclasses.replace(report, refused=tuple(ReportRow(*r) for r in refused))
        return report

    def record_refused(self, record_id: int, refused: list[ReportRow]) -> None:
        """The rows the server refused, once its job has ended (apart from the report,
        which may hold a hundred thousand rows' values and need not be written again)."""
        packed = _pack([dataclasses.astuple(row) for row in refused])
        with self._lock:
            self._conn.execute("UPDATE imports SET refused = ? WHERE id = ?", (packed, record_id))

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
        mapping: list[int] = _unpack(found["row_map"])
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
