"""Drills with a misbehaving server (issue 14, item 11): a flaky network at 30 %, tokens that
expire every few seconds, a server killed outright mid-import and started again.

Each is judged on the server's side, from the sandbox's own database, and on what
the person is told.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from omnidesk.api import (
    ImportState,
    OmnitronClient,
    Retrying,
    ServerUnreachable,
)
from omnidesk.api.session import Session
from omnidesk.imports import ImportTarget, Journal, JournalState
from omnidesk.sandbox import Faults, SandboxServer
from tests.names import unique

from .conftest import (
    PATIENT,
    Relogin,
    SandboxProcess,
    eventually,
    jobs_of,
    plan_for,
    price_file,
    prices_of,
    quick_run,
    upload_and_follow,
)

pytestmark = pytest.mark.asyncio


async def catalogue(client: OmnitronClient, count: int, page: int) -> list[str]:
    return [p.sku for p in (await client.products.list(limit=count, page=page)).results]


async def test_imports_at_a_30_percent_failure_rate_apply_every_row_once(
    sandbox: SandboxServer, faults: Faults, tmp_path: Path
) -> None:
    assert sandbox.store is not None
    store = sandbox.store
    journal = Journal(tmp_path / "journal.sqlite3")
    retried: list[Retrying] = []
    told: list[str] = []
    imports = 8
    async with OmnitronClient(sandbox.url, retry=PATIENT, on_retry=retried.append) as client:
        relogin = Relogin()
        relogin.client = client
        await client.login("demo", "demo")
        session = Session(client, relogin)
        targets = [
            ImportTarget.of(await client.price_lists.create(name=unique("Flaky import")))
            for _ in range(imports)
        ]
        files = [
            price_file(tmp_path / f"f{n}.csv", await catalogue(client, 200, page=n + 3), f"{n}.50")
            for n in range(imports)
        ]
        faults.fail_rate = 0.3
        completed = 0
        lost: list[ServerUnreachable] = []
        for n, (target, source) in enumerate(zip(targets, files, strict=True)):
            run = quick_run(session, journal, target)
            try:
                _, _, outcome = await upload_and_follow(run, source, tmp_path / f"u{n}")
            except ServerUnreachable as unanswered:  # the upload's answer was lost: not resent
                lost.append(unanswered)
                told.append(str(unanswered))
                continue
            assert outcome.state is ImportState.SUCCESS
            assert (outcome.created, outcome.failed_rows) == (200, 0)
            completed += 1
        faults.fail_rate = 0.0
    journal.close()
    # The server's side: at most one job per import, and every row of each job that
    # arrived is in its list with the file's value, once (200 rows, not 400).
    for n, target in enumerate(targets):
        jobs = jobs_of(store, target.pk)
        assert len(jobs) <= 1
        prices = prices_of(store, target.pk)
        if jobs:
            await_done = jobs[0]["status"]
            assert await_done in ("SUCCESS", "PENDING", "PROGRESS")
        if jobs and jobs[0]["status"] == "SUCCESS":
            assert jobs[0]["processed"] == 200
            assert set(prices.values()) == {f"{n}.50"}
            assert len(prices) == 200
    assert all(unanswered.maybe_applied for unanswered in lost)
    assert completed + len(told) == imports
    assert completed >= 3
    # No upload ended at 0 % for a 503 (ServerError would have ended the drill): those
    # were sent again (api/test_errors.py pins it exactly); the run's count is printed.
    print(
        f"\n30 % faults: {imports} imports, {completed} followed to the end, "
        f"{len(told)} answers lost (told: may or may not), "
        f"{sum(e.method == 'POST' and e.status == 503 for e in retried)} uploads sent again"
    )
    assert all("may or may not have been saved" in sentence for sentence in told)


async def test_list_writes_at_a_30_percent_failure_rate_fail_only_when_an_answer_was_lost(
    sandbox: SandboxServer, faults: Faults
) -> None:
    tag = unique("Dialog").replace(" ", "")
    told: list[str] = []
    async with OmnitronClient(sandbox.url, retry=PATIENT) as client:
        await client.login("demo", "demo")
        faults.fail_rate = 0.3
        for n in range(24):
            name = f"{tag}-{n}"
            try:
                created = await client.price_lists.create(name=name)
            except ServerUnreachable as lost:
                told.append(str(lost))
                (created,) = (await client.price_lists.list(name=name)).results  # it arrived?
            try:
                await client.price_lists.update(created.pk, code=f"{tag}-C{n}")
            except ServerUnreachable as lost:
                told.append(str(lost))
        faults.fail_rate = 0.0
        on_server = [row async for row in client.price_lists.iterate(name=tag)]
    print(f"\n30 % faults, list writes: 48 writes, {len(told)} answers lost and told so")
    assert len(on_server) == 24  # none created twice
    assert {row.code for row in on_server} == {f"{tag}-C{n}" for n in range(24)}
    # Only lost answers reach the person now (a 503 is sent again): ~15 % of 48, not ~30 %.
    assert all("may or may not have been saved" in sentence for sentence in told)


async def test_tokens_expiring_every_two_seconds_sign_in_again_and_the_import_ends(
    sandbox: SandboxServer, faults: Faults, tmp_path: Path
) -> None:
    assert sandbox.store is not None
    journal = Journal(tmp_path / "journal.sqlite3")
    async with OmnitronClient(sandbox.url, retry=PATIENT) as client:
        relogin = Relogin()
        relogin.client = client
        await client.login("demo", "demo")
        session = Session(client, relogin)
        target = ImportTarget.of(await client.price_lists.create(name=unique("Expiring")))
        source = price_file(tmp_path / "e.csv", await catalogue(client, 500, page=2), "7.25")
        faults.token_ttl = 2.0
        faults.import_rows_per_second = 100  # five seconds of work: two tokens or more
        run = quick_run(session, journal, target)
        record_id, _, outcome = await upload_and_follow(run, source, tmp_path / "u")
    journal_record = journal.get(record_id)
    journal.close()
    print(f"\nexpiring tokens: 500 rows, signed in again {relogin.times} times")
    assert outcome.state is ImportState.SUCCESS
    assert outcome.created == 500
    assert relogin.times >= 1
    assert journal_record is not None
    assert journal_record.state is JournalState.SUCCESS
    (job,) = jobs_of(sandbox.store, target.pk)
    assert job["processed"] == 500
    assert set(prices_of(sandbox.store, target.pk).values()) == {"7.25"}


async def test_a_server_killed_mid_import_leaves_the_list_partly_updated_and_says_how_far(
    killable: SandboxProcess, tmp_path: Path
) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    async with OmnitronClient(killable.url, retry=PATIENT) as client:
        relogin = Relogin()
        relogin.client = client
        await client.login("demo", "demo")
        session = Session(client, relogin)
        target = ImportTarget.of(await client.price_lists.create(name="Killed"))
        skus = await catalogue(client, 1000, page=1) + await catalogue(client, 1000, page=2)
        source = price_file(tmp_path / "k.csv", skus, "3.10")
        run = quick_run(session, journal, target)
        record_id, key = await run.upload(
            plan_for(source, tmp_path / "u"), source=source, sha256="k"
        )
        troubles: list[str] = []
        following = asyncio.ensure_future(
            run.follow(record_id, key, lambda update: troubles.append(update.trouble or ""))
        )

        async def a_fifth_done() -> bool:
            return (await client.price_lists.import_status(target.pk, key)).processed >= 400

        async def noticed() -> bool:  # the app notices the server is gone, and keeps trying
            return any(troubles)

        await eventually(a_fifth_done)
        await asyncio.to_thread(killable.kill)
        await eventually(noticed)
        await asyncio.to_thread(killable.start, seed=False)
        outcome = await asyncio.wait_for(following, 30)
    record = journal.get(record_id)
    journal.close()
    with sqlite3.connect(killable.db) as database:
        database.row_factory = sqlite3.Row
        (job,) = database.execute("SELECT * FROM import_jobs WHERE cache_key = ?", (key,))
        applied = database.execute(
            "SELECT COUNT(*) FROM product_prices WHERE price_list = ? AND price = '3.10'",
            (target.pk,),
        ).fetchone()[0]
    print(f"\nkilled: {job['processed']} of 2000 applied; told: {outcome.reason}")
    # The server's side: what it counted is exactly what the list holds.
    assert 400 <= job["processed"] < 2000
    assert applied == job["processed"] == job["created"]
    # The person's side: not a plain failure, but how far it got.
    assert outcome.state is ImportState.FAILURE
    assert outcome.partly_applied
    assert outcome.reason is not None
    assert outcome.reason.startswith("The price list is partly updated: the server had worked")
    assert f"{job['processed']:,} of 2,000 rows" in outcome.reason
    assert record is not None
    assert record.state is JournalState.FAILURE
