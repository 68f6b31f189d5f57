"""SKUs a spreadsheet mangled (issue 12): "did you mean 018299?", fixed in one choice, and
many rows not in the catalogue asked about before the upload.

Against the sandbox, whose catalogue mixes SKUs with leading zeros (018299), codes with
letters (GNT-2228-40) and plain numbers, as a retailer's does.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from omnidesk.api import ListKind
from omnidesk.api.session import Session
from omnidesk.imports import ChangeKind, GuardrailSettings, ImportDraft, ImportTarget
from tests.names import unique

from .conftest import write_csv

pytestmark = pytest.mark.asyncio


async def catalogue_skus(session: Session) -> tuple[str, str, list[str]]:
    """A SKU with leading zeros, one with letters, and a few plain others."""
    products = (await session.client.products.list(page=2, limit=1000)).results
    zeros = next(p.sku for p in products if p.sku.startswith("0"))
    letters = next(p.sku for p in products if p.sku[:1].isalpha())
    others = [p.sku for p in products if p.sku not in (zeros, letters)][:20]
    return zeros, letters, others


async def drafted(session: Session, path: Path, **settings: object) -> ImportDraft:
    created = await session.client.price_lists.create(name=unique("Near miss"))
    draft = ImportDraft(
        path,
        ListKind.PRICE,
        target=ImportTarget.of(created),
        settings=GuardrailSettings(**settings),  # type: ignore[arg-type]
        paced=False,
    )
    await draft.open()
    await draft.check()
    return draft


async def test_a_mangled_sku_is_a_near_miss_and_the_catalogues_sku_is_sent_on_request(
    session: Session, tmp_path: Path
) -> None:
    zeros, letters, others = await catalogue_skus(session)
    excel = zeros.lstrip("0")  # what Excel made of 018299
    source = write_csv(
        tmp_path / "mangled.csv",
        [
            "product__sku,price",
            f"{excel},10.00",  # row 2
            f"{letters.lower()},11.00",  # row 3
            f"{others[0]},12.00",  # row 4
            "NOTHING-LIKE-IT,13.00",  # row 5
        ],
    )
    before = source.read_bytes()
    draft = await drafted(session, source)
    diff = await draft.compare(session)
    assert diff is not None
    assert diff.counts[ChangeKind.NOT_IN_CATALOGUE] == 3
    assert [(c.row, c.sku, c.meant) for c in diff.near_misses] == [
        (2, excel, zeros),
        (3, letters.lower(), letters),
    ]
    assert [c.finding for c in diff.near_misses] == [
        f"Not in the catalogue — did you mean {zeros}?",
        f"Not in the catalogue — did you mean {letters}?",
    ]
    ghost = next(c for c in diff.changes if c.sku == "NOTHING-LIKE-IT")
    assert (ghost.kind, ghost.meant, ghost.finding) == (ChangeKind.NOT_IN_CATALOGUE, None, None)
    assert diff.not_in_catalogue == [2, 3, 5]

    assert draft.use_suggested_skus() == 2
    fixed = await draft.compare_again(session)
    assert fixed is not None
    assert fixed.counts[ChangeKind.NOT_IN_CATALOGUE] == 1
    assert fixed.counts[ChangeKind.NEW] == 3
    assert fixed.near_misses == []
    assert [(c.row, c.sku, c.file_sku, c.finding) for c in fixed.replaced] == [
        (2, zeros, excel, f"Sent as {zeros}, the catalogue's SKU; the file says {excel}."),
        (3, letters, letters.lower(), (
            f"Sent as {letters}, the catalogue's SKU; the file says {letters.lower()}."
        )),
    ]  # fmt: skip

    # The upload carries the catalogue's SKUs; the person's file is as it was.
    plan = await draft.plan(tmp_path / "out", skip_unchanged=True)
    with plan.path.open(encoding="utf-8") as sent:
        skus = [row["product__sku"] for row in csv.DictReader(sent)]
    assert skus == [zeros, letters, others[0], "NOTHING-LIKE-IT"]
    assert source.read_bytes() == before
    # The annotated workbook says what was sent instead, on each SKU cell.
    findings = [(f.row, f.column, f.message) for f in draft.annotated(with_outcome=False).findings]
    assert findings == [
        (2, "product__sku", f"Sent as {zeros}, the catalogue's SKU; the file says {excel}."),
        (3, "product__sku", (
            f"Sent as {letters}, the catalogue's SKU; the file says {letters.lower()}."
        )),
    ]  # fmt: skip
    # And the journal's report keeps it.
    report = draft.report("demo", plan)
    assert [(r.row, r.message) for r in report.replaced] == [(r, m) for r, _c, m in findings]
    assert {c.sku for c in report.changes} == {zeros, letters, others[0], "NOTHING-LIKE-IT"}

    # The file's own SKUs again, on second thoughts.
    assert draft.use_suggested_skus(False) == 0
    again = await draft.compare_again(session)
    assert again is not None
    assert [c.row for c in again.near_misses] == [2, 3]
    assert again.replaced == []


async def test_a_catalogue_sku_the_file_has_already_is_no_suggestion(
    session: Session, tmp_path: Path
) -> None:
    # Sending 018299 for 18299 would give the product two rows of one file.
    zeros, _letters, _others = await catalogue_skus(session)
    source = write_csv(
        tmp_path / "both.csv",
        ["product__sku,price", f"{zeros.lstrip('0')},10.00", f"{zeros},11.00"],
    )
    draft = await drafted(session, source)
    diff = await draft.compare(session)
    assert diff is not None
    assert diff.counts[ChangeKind.NOT_IN_CATALOGUE] == 1
    assert diff.near_misses == []


async def test_many_rows_not_in_the_catalogue_is_a_guardrail_with_its_thresholds(
    session: Session, tmp_path: Path
) -> None:
    _zeros, _letters, others = await catalogue_skus(session)
    lines = ["product__sku,price"] + [f"{sku},5.00" for sku in others[:14]]
    lines += [f"GHOST-MANY-{n},5.00" for n in range(6)]  # rows 16–21: 6 of 20, 30 %
    source = write_csv(tmp_path / "many.csv", lines)
    draft = await drafted(session, source)
    diff = await draft.compare(session)
    assert diff is not None
    (many,) = [g for g in diff.guardrails if g.key == "many_not_in_catalogue"]
    assert many.rows == (16, 17, 18, 19, 20, 21)
    assert many.message == (
        "6 rows have SKUs the catalogue does not have (30 % of the rows): the server would "
        "refuse them. Is this the right file, with its SKUs as the catalogue writes them?"
    )
    assert "guardrail:many_not_in_catalogue" in {b.key for b in draft.blockers()}

    # Fewer than the count set, or a smaller share than set: not asked.
    for settings in ({"not_in_catalogue_count": 7}, {"not_in_catalogue_percent": 31}):
        other = await drafted(session, source, **settings)
        compared = await other.compare(session)
        assert compared is not None
        assert "many_not_in_catalogue" not in {g.key for g in compared.guardrails}
        other.close()
    draft.close()
