"""Uploading a spreadsheet and following the import through the client."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from omnidesk.api import (
    ImportState,
    ImportStatus,
    ImportStatusUnclear,
    NotFound,
    OmnitronClient,
    json_in_steps,
    transport,
)
from omnidesk.sandbox import Dialect, Faults
from tests.names import unique

pytestmark = pytest.mark.asyncio


async def some_skus(client: OmnitronClient, count: int) -> list[str]:
    page = await client.products.list(page=3, limit=count)
    return [product.sku for product in page.results]


async def test_upload_reports_bytes_and_the_import_is_followed_to_success(
    client: OmnitronClient, tmp_path: Path
) -> None:
    target = await client.price_lists.create(name=unique("Upload"))
    skus = await some_skus(client, 1000)
    file = tmp_path / "fiyatlar.csv"
    lines = ["product__sku,product__name,price"]
    lines += [f"{sku},{'uzun bir ürün adı ' * 10},{n}.50" for n, sku in enumerate(skus)]
    lines.append("NOT-A-PRODUCT,x,1")
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")

    progress: list[tuple[int, int]] = []
    key = await client.price_lists.upload(
        target.pk, file, on_progress=lambda *p: progress.append(p)
    )

    total = progress[-1][1]
    assert total > file.stat().st_size  # the multipart envelope adds a little
    assert progress[0] == (0, total)
    assert progress[-1] == (total, total)
    assert len(progress) > 5  # reported chunk by chunk, not only at the end
    sent = [done for done, _ in progress]
    assert sent == sorted(sent)

    statuses = [status async for status in client.price_lists.follow_import(target.pk, key)]
    final = statuses[-1]
    assert final.state is ImportState.SUCCESS
    assert final.succeeded
    assert (final.created, final.updated, final.total) == (1000, 0, 1001)
    assert [(e.line, e.column) for e in final.errors] == [(1002, "product__sku")]
    assert all(not status.finished for status in statuses[:-1])

    stored = await client.product_prices.list(target.pk, product_sku=skus[7])
    assert str(stored.results[0].price) == "7.50"


async def test_a_status_of_a_thousand_refused_rows_is_read_whole_in_a_worker(
    client: OmnitronClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1,000 unknown long SKUs (the sandbox lists 1,000 errors at most, [ours]): a final
    # status of about 400 KB, read in steps off the event loop's thread (the window's).
    read_in: list[tuple[int, bool]] = []

    def spying(answer: bytes) -> object:
        read_in.append((len(answer), threading.current_thread() is threading.main_thread()))
        return json_in_steps.loads_in_steps(answer)

    monkeypatch.setattr(transport, "loads_in_steps", spying)
    target = await client.price_lists.create(name=unique("Refused"))
    file = tmp_path / "bilinmeyen.csv"
    skus = [f"YOK-{n:04d}-" + "x" * 300 for n in range(1000)]
    file.write_text("product__sku,price\n" + "".join(f"{sku},1\n" for sku in skus), "utf-8")
    key = await client.price_lists.upload(target.pk, file)
    final = [s async for s in client.price_lists.follow_import(target.pk, key)][-1]
    assert final.state is ImportState.SUCCESS
    assert [e.line for e in final.errors] == list(range(2, 1002))
    assert all(sku in e.message for sku, e in zip(skus, final.errors, strict=True))
    assert read_in
    assert all(size >= json_in_steps.IN_STEPS_FROM for size, _ in read_in)
    assert not any(on_main_thread for _, on_main_thread in read_in)


async def test_a_corrupt_file_is_followed_to_failure_with_its_reason(
    client: OmnitronClient, tmp_path: Path
) -> None:
    target = await client.stock_lists.create(name=unique("Corrupt"), is_auto_sync=False)
    broken = tmp_path / "stok.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 300)
    key = await client.stock_lists.upload(target.pk, broken)
    final = [status async for status in client.stock_lists.follow_import(target.pk, key)][-1]
    assert final.state is ImportState.FAILURE
    assert not final.succeeded
    assert final.failure_reason is not None
    assert "damaged" in final.failure_reason


async def test_following_polls_fast_then_slower_and_sees_progress(
    client: OmnitronClient, faults: Faults, tmp_path: Path
) -> None:
    faults.import_rows_per_second = 150
    target = await client.price_lists.create(name=unique("Paced"))
    file = tmp_path / "paced.csv"
    skus = await some_skus(client, 300)
    file.write_text("product__sku,price\n" + "".join(f"{s},1\n" for s in skus), encoding="utf-8")
    key = await client.price_lists.upload(target.pk, file)

    waits: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(seconds: float) -> None:
        waits.append(seconds)
        await real_sleep(seconds)

    client.sleep = recording_sleep
    statuses = [
        s
        async for s in client.price_lists.follow_import(
            target.pk, key, first_interval=0.05, max_interval=0.3
        )
    ]
    assert waits[0] == 0.05
    assert waits == sorted(waits)
    assert max(waits) == 0.3
    progress = [s.progress for s in statuses]
    assert progress == sorted(progress)
    assert any(0 < p < 100 for p in progress)
    assert statuses[-1].processed == 300


async def test_status_of_an_unknown_import_is_not_found(client: OmnitronClient) -> None:
    with pytest.raises(NotFound, match="That import"):
        await client.price_lists.import_status(1, "00000000-0000-0000-0000-000000000000")


async def test_statuses_it_cannot_read_are_followed_for_a_while_then_sent_to_omnitron(
    client: OmnitronClient, dialect: Dialect, faults: Faults, tmp_path: Path
) -> None:
    target = await client.stock_lists.create(name=unique("Unclear"), is_auto_sync=False)
    file = tmp_path / "stok.csv"
    skus = await some_skus(client, 3)
    file.write_text("product__sku,stock\n" + "".join(f"{s},4\n" for s in skus), encoding="utf-8")
    dialect.variant("V10")
    key = await client.stock_lists.upload(target.pk, file)
    seen: list[ImportStatus] = []

    async def follow() -> None:
        async for status in client.stock_lists.follow_import(
            target.pk, key, first_interval=0.01, max_interval=0.02, patience=0.2
        ):
            seen.append(status)

    with pytest.raises(ImportStatusUnclear) as unclear:
        await follow()
    assert str(unclear.value) == (
        "OmniDesk cannot tell how this import is going: the server's answers (it says "
        "“finished”) are not ones it understands, so it stopped following after a while. "
        "Check the stock list in Omnitron to see whether the changes arrived."
    )
    assert seen[-1].word == "finished"
    assert not seen[-1].known
    assert not seen[-1].finished
    assert seen[-1].percent is None  # an indeterminate bar, never 0 %
    assert seen[-1].counted == frozenset()


async def test_statuses_it_can_measure_are_followed_however_long_the_job(
    client: OmnitronClient, faults: Faults, tmp_path: Path
) -> None:
    faults.import_rows_per_second = 200
    target = await client.price_lists.create(name=unique("Measured"))
    skus = await some_skus(client, 60)
    file = tmp_path / "fiyat.csv"
    file.write_text("product__sku,price\n" + "".join(f"{s},2\n" for s in skus), encoding="utf-8")
    key = await client.price_lists.upload(target.pk, file)
    statuses = [
        status
        async for status in client.price_lists.follow_import(
            target.pk, key, first_interval=0.01, max_interval=0.05, patience=0.0
        )
    ]
    assert statuses[-1].succeeded
    assert statuses[-1].created == 60
