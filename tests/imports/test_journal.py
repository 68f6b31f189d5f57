"""The local journal: written before the upload, updated as it goes, read after a restart."""

import hashlib
import json
import tracemalloc
from pathlib import Path

from omnidesk.imports import (
    ChangeRecord,
    ImportReport,
    Journal,
    JournalState,
    ReportRow,
    file_sha256,
)


def start(journal: Journal, **overrides: object) -> int:
    fields: dict[str, object] = {
        "file_path": Path("/data/fiyatlar.xlsx"),
        "sha256": "ab" * 32,
        "kind": "price_list",
        "list_pk": 3,
        "list_name": "Outlet Fiyatları",
        "server": "https://acme.example",
        "rows": 3,
        "row_map": [4, 5, 9],
    }
    fields.update(overrides)
    return journal.start(**fields)  # type: ignore[arg-type]


def test_an_import_is_recorded_and_followed_to_its_end(journal: Journal) -> None:
    record_id = start(journal)
    record = journal.get(record_id)
    assert record is not None
    assert record.state is JournalState.UPLOADING
    assert record.file_name == "fiyatlar.xlsx"
    assert journal.unfinished() == [record]
    journal.update(record_id, state=JournalState.WAITING, cache_key="k-1")
    assert [r.cache_key for r in journal.unfinished()] == ["k-1"]
    journal.update(record_id, state=JournalState.SUCCESS, created=2, updated=1, failed=0)
    done = journal.get(record_id)
    assert done is not None
    assert done.state is JournalState.SUCCESS
    assert done.finished_at is not None
    assert (done.created, done.updated, done.failed) == (2, 1, 0)
    assert journal.unfinished() == []
    assert journal.row_map(record_id) == [4, 5, 9]


def test_the_journal_survives_closing_the_app(tmp_path: Path) -> None:
    first = Journal(tmp_path / "j.sqlite3")
    record_id = start(first)
    first.update(record_id, state=JournalState.WAITING, cache_key="k-2")
    first.close()
    again = Journal(tmp_path / "j.sqlite3")
    assert [r.id for r in again.unfinished()] == [record_id]
    assert again.row_map(record_id) == [4, 5, 9]


def test_the_last_import_of_the_same_file_to_the_same_list(journal: Journal) -> None:
    assert journal.last_import_of("ab" * 32, "price_list", 3, "https://acme.example") is None
    failed = start(journal)
    journal.update(failed, state=JournalState.UPLOAD_FAILED)
    assert journal.last_import_of("ab" * 32, "price_list", 3, "https://acme.example") is None
    done = start(journal)
    journal.update(done, state=JournalState.SUCCESS)
    other_list = start(journal, list_pk=4)
    found = journal.last_import_of("ab" * 32, "price_list", 3, "https://acme.example")
    assert found is not None
    assert found.id == done
    assert other_list != done
    assert journal.last_import_of("ab" * 32, "price_list", 3, "https://other.example") is None
    assert [r.id for r in journal.history()] == [other_list, done, failed]


def test_file_hash_reads_large_files_in_pieces(tmp_path: Path) -> None:
    file = tmp_path / "big.csv"
    content = b"product__sku,price\n" + b"0001,2.50\n" * 300_000  # over the 1 MiB read size
    file.write_bytes(content)
    assert file_sha256(file) == hashlib.sha256(content).hexdigest()


def test_a_journal_written_before_reports_were_kept_opens_and_reads_empty_reports(
    tmp_path: Path,
) -> None:
    import sqlite3

    old = sqlite3.connect(tmp_path / "old.sqlite3")
    old.executescript(
        "CREATE TABLE imports (id INTEGER PRIMARY KEY, file_path TEXT NOT NULL, sha256 TEXT "
        "NOT NULL, kind TEXT NOT NULL, list_pk INTEGER NOT NULL, list_name TEXT NOT NULL, "
        "server TEXT NOT NULL, rows INTEGER NOT NULL, cache_key TEXT, state TEXT NOT NULL, "
        "started_at TEXT NOT NULL, updated_at TEXT NOT NULL, finished_at TEXT, created "
        "INTEGER, updated INTEGER, failed INTEGER, message TEXT, row_map BLOB);"
        "INSERT INTO imports (file_path, sha256, kind, list_pk, list_name, server, rows, "
        "state, started_at, updated_at) VALUES ('/a.csv', 'x', 'price_list', 1, 'L', 's', 1, "
        "'success', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00');"
    )
    old.commit()
    old.close()
    journal = Journal(tmp_path / "old.sqlite3")
    (record,) = journal.history()
    assert journal.report(record.id).refused == ()
    journal.record_refused(record.id, [ReportRow(2, "price", "no")])
    assert journal.report(record.id).refused == (ReportRow(2, "price", "no"),)
    journal.close()


def test_the_report_keeps_who_what_was_confirmed_held_back_and_the_values_before(
    journal: Journal,
) -> None:
    report = ImportReport(
        username="ayse",
        confirmed=(("price_drop", "1 price drops by more than 30% at once.", (3,)),),
        held_back=(ReportRow(5, "price", "Price “abc” is not a number."),),
        headers={"price": "Fiyat", "product__sku": "SKU"},
        changes=(ChangeRecord(3, "A-1", {"price": "100.00"}, {"price": "40.00"}),),
    )
    record_id = start(journal, report=report)
    journal.record_refused(record_id, [ReportRow(7, "product__sku", "unknown SKU")])
    kept = journal.report(record_id)
    assert kept.username == "ayse"
    assert kept.confirmed == report.confirmed
    assert kept.held_back == report.held_back
    assert kept.refused == (ReportRow(7, "product__sku", "unknown SKU"),)
    assert kept.header("price") == "Fiyat"
    assert kept.changes[0].before == {"price": "100.00"}


def test_a_large_report_is_kept_whole_without_ever_holding_all_its_text(journal: Journal) -> None:
    # A 60,000-row import: every row's values before and after, and a guardrail
    # confirmed over all of them. Written whole as one text (then encoded, then
    # compressed), it held the interpreter, and the window with it, for 100 ms at a
    # time, and took several times the text's size; in slices, a fraction of it.
    rows = range(2, 60_002)
    report = ImportReport(
        username="ayşe",
        confirmed=(("new_skus", "60.000 ürün yeni.", tuple(rows)),),
        changes=tuple(
            ChangeRecord(n, f"SKU-{n:06d}", {"price": f"{n}.50"}, {"price": f"{n}.90"})
            for n in rows
        ),
    )
    text = json.dumps(report.to_json(), ensure_ascii=False)
    row_map = list(rows)
    tracemalloc.start()
    try:
        report.to_json()  # what the report's values take as JSON's lists and dicts
        _, values = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        record_id = start(journal, report=report, rows=len(rows), row_map=row_map)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - values < len(text)
    kept = journal.report(record_id)
    assert kept.confirmed == report.confirmed
    assert kept.changes == report.changes
    assert kept.username == "ayşe"
