"""The whole import against the sandbox: upload, follow, outcome, journal, interruptions."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from omnidesk.api import ImportState, ListKind, OmnitronClient, RetryPolicy
from omnidesk.api.session import Session
from omnidesk.imports import (
    FollowUpdate,
    ImportRun,
    ImportTarget,
    Journal,
    JournalState,
    compare,
    fetch_current,
    file_sha256,
    prepare_upload,
)
from omnidesk.sandbox import Faults, SandboxServer
from tests.names import unique

from .conftest import Relogin, checked, write_csv

pytestmark = pytest.mark.asyncio


async def new_price_list(session: Session) -> ImportTarget:
    created = await session.client.price_lists.create(name=unique("Workflow"))
    return ImportTarget.of(created)


async def skus(session: Session, count: int, page: int = 5) -> list[str]:
    return [p.sku for p in (await session.client.products.list(page=page, limit=count)).results]


def quick_run(session: Session, journal: Journal, target: ImportTarget) -> ImportRun:
    return ImportRun(session, journal, target, first_interval=0.02, max_interval=0.1)


async def test_server_row_errors_are_told_against_the_persons_own_rows(
    session: Session, journal: Journal, tmp_path: Path
) -> None:
    target = await new_price_list(session)
    a, b, c = await skus(session, 3)
    # A title above the header, a blank line, and a bad row the check leaves out:
    # the upload file's line numbers no longer match the sheet's rows.
    source = write_csv(
        tmp_path / "fiyat.csv",
        [
            "Fiyat listesi Kasım,,",
            "product__sku,price,tax_rate",
            f"{a},10.00,20",
            ",,",
            f"{b},abc,20",
            "GHOST-404,3.00,20",
            f"{c},12.50,20",
        ],
    )
    result = checked(source, "price")
    assert result.error_rows == 1  # "abc", on sheet row 5
    plan = prepare_upload(result, tmp_path / "upload", frozenset())
    assert plan.row_map == [3, 6, 7]
    run = quick_run(session, journal, target)
    sent: list[tuple[int, int]] = []
    record_id, key = await run.upload(
        plan, source=source, sha256=file_sha256(source), on_bytes=lambda *p: sent.append(p)
    )
    assert sent[-1][0] == sent[-1][1]
    updates: list[FollowUpdate] = []
    outcome = await run.follow(record_id, key, updates.append)
    assert outcome.state is ImportState.SUCCESS
    assert (outcome.created, outcome.updated) == (2, 0)
    assert [(p.row, p.column) for p in outcome.problems] == [(6, "product__sku")]
    assert "GHOST-404" in outcome.problems[0].message
    assert outcome.failed_rows == 1
    assert updates[-1].status is not None
    assert updates[-1].status.finished
    record = journal.get(record_id)
    assert record is not None
    assert (record.state, record.created, record.failed, record.cache_key) == (
        JournalState.SUCCESS,
        2,
        1,
        key,
    )


async def test_skipping_unchanged_rows_uploads_only_the_changes(
    session: Session, journal: Journal, tmp_path: Path
) -> None:
    target = await new_price_list(session)
    a, b = await skus(session, 2, page=6)
    first = write_csv(tmp_path / "1.csv", ["product__sku,price", f"{a},5.00", f"{b},6.00"])
    run = quick_run(session, journal, target)
    plan = prepare_upload(checked(first, "price"), tmp_path / "u1", frozenset())
    await run.follow(*(await run.upload(plan, source=first, sha256=file_sha256(first))))
    second = write_csv(tmp_path / "2.csv", ["product__sku,price", f"{a},5.00", f"{b},6.50"])
    result = checked(second, "price")
    current = await fetch_current(session.client, ListKind.PRICE, target.pk)
    diff = compare(ListKind.PRICE, result.good_rows(), current)
    assert diff.unchanged_rows == {2}
    plan = prepare_upload(result, tmp_path / "u2", diff.unchanged_rows)
    assert (plan.rows, plan.row_map) == (1, [3])
    outcome = await run.follow(*(await run.upload(plan, source=second, sha256="x" * 64)))
    assert (outcome.created, outcome.updated) == (0, 1)


async def paced_upload(
    session: Session, journal: Journal, tmp_path: Path, faults: Faults, rows: int = 300
) -> tuple[ImportRun, int, str]:
    faults.import_rows_per_second = 150
    target = await new_price_list(session)
    lines = ["product__sku,price"] + [f"{sku},9.99" for sku in await skus(session, rows, page=2)]
    source = write_csv(tmp_path / "paced.csv", lines)
    plan = prepare_upload(checked(source, "price"), tmp_path / "up", frozenset())
    run = quick_run(session, journal, target)
    record_id, key = await run.upload(plan, source=source, sha256=file_sha256(source))
    return run, record_id, key


async def test_stop_watching_leaves_the_job_running_and_it_can_be_picked_up(
    session: Session, journal: Journal, tmp_path: Path, faults: Faults
) -> None:
    run, record_id, key = await paced_upload(session, journal, tmp_path, faults)
    watching = asyncio.ensure_future(run.follow(record_id, key))
    await asyncio.sleep(0.3)
    watching.cancel()  # the person closed the window
    with pytest.raises(asyncio.CancelledError):
        await watching
    assert [r.id for r in journal.unfinished()] == [record_id]
    record = journal.unfinished()[0]
    picked_up = ImportRun(
        session, journal, ImportTarget(ListKind(record.kind), record.list_pk, record.list_name),
        first_interval=0.05, max_interval=0.2,
    )  # fmt: skip
    outcome = await picked_up.follow(record.id, record.cache_key or "")
    assert outcome.state is ImportState.SUCCESS
    assert outcome.updated + outcome.created == 300
    assert journal.unfinished() == []


async def test_dropped_connections_while_following_are_waited_out(
    session: Session, journal: Journal, tmp_path: Path, faults: Faults
) -> None:
    run, record_id, key = await paced_upload(session, journal, tmp_path, faults)
    troubles: list[str] = []
    told = asyncio.Event()

    def on_update(update: FollowUpdate) -> None:
        if update.trouble:
            troubles.append(update.trouble)
            told.set()

    # An outage that outlasts the client's own retries, so that watching is the
    # one that must wait it out; it ends once the person has been told.
    faults.fail_rate = 1.0
    watching = asyncio.ensure_future(run.follow(record_id, key, on_update))
    try:
        await asyncio.wait_for(told.wait(), timeout=20)
    finally:
        faults.fail_rate = 0.0
    outcome = await watching
    assert outcome.state is ImportState.SUCCESS
    assert outcome.updated + outcome.created == 300
    assert "Still trying" in troubles[0]


async def test_an_expired_token_while_following_signs_in_and_goes_on(
    session: Session, journal: Journal, tmp_path: Path, faults: Faults
) -> None:
    run, record_id, key = await paced_upload(session, journal, tmp_path, faults)
    faults.token_ttl = 0.3
    outcome = await run.follow(record_id, key)
    assert outcome.state is ImportState.SUCCESS
    relogin = session.ask_to_sign_in
    assert isinstance(relogin, Relogin)
    assert relogin.times >= 1


async def test_a_sandbox_restarted_mid_import_ends_in_failure_in_words(
    tmp_path: Path, journal: Journal
) -> None:
    database = tmp_path / "restart.sqlite3"
    first = SandboxServer(database, faults=Faults(import_rows_per_second=100))
    first.start()
    port = int(first.url.rsplit(":", 1)[1])
    relogin = Relogin()
    async with OmnitronClient(first.url, retry=RetryPolicy(attempts=2, base_delay=0.01)) as client:
        relogin.client = client
        await client.login("demo", "demo")
        session = Session(client, relogin)
        target = ImportTarget.of(await client.price_lists.create(name="Restarted"))
        lines = ["product__sku,price"] + [
            f"{p.sku},1.00" for p in (await client.products.list(limit=400)).results
        ]
        source = write_csv(tmp_path / "r.csv", lines)
        plan = prepare_upload(checked(source, "price"), tmp_path / "up", frozenset())
        run = ImportRun(session, journal, target, first_interval=0.05, max_interval=0.2)
        record_id, key = await run.upload(plan, source=source, sha256=file_sha256(source))
        troubles: list[str] = []
        following = asyncio.ensure_future(
            run.follow(record_id, key, lambda u: troubles.append(u.trouble or ""))
        )
        await asyncio.sleep(0.5)
        await asyncio.to_thread(first.stop)
        await asyncio.sleep(0.5)  # the app keeps trying while the server is away
        second = SandboxServer(database, seed=False, port=port)
        await asyncio.to_thread(second.start)
        try:
            outcome = await asyncio.wait_for(following, 20)
        finally:
            await asyncio.to_thread(second.stop)
    assert any("Nothing answers" in t or "broke" in t for t in troubles)
    assert outcome.state is ImportState.FAILURE
    assert outcome.reason is not None
    assert "stopped before this import finished" in outcome.reason
    record = journal.get(record_id)
    assert record is not None
    assert record.state is JournalState.FAILURE
