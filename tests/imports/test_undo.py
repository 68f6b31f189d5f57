"""`omnidesk undo`: an import's changes put back through the import pipeline, server side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from omnidesk.cli import main
from omnidesk.imports import Journal
from omnidesk.settings import Profile
from omnidesk.settings.paths import journal_file, made_files_dir
from tests.imports.test_cli_import import Api, api, home, run, signed_in

from .conftest import write_csv

__all__ = ["api", "home", "signed_in"]


def undo(*args: str) -> int:
    return main(["undo", *args])


def everything(api: Api, list_pk: int) -> dict[str, tuple[str, str | None]]:
    """The list's price and retail price of every product, read from the server."""
    found = api.http.get("/api/i1/product_price/", params={"price_list": list_pk, "limit": 1000})
    return {r["product_sku"]: (r["price"], r["retail_price"]) for r in found.json()["results"]}


def imported(path: Path, target: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> int:
    assert run(path, "--kind", "price", "--list", target["code"], "--yes", "--json") == 0
    journal_id: int = json.loads(capsys.readouterr().out)["journal_id"]
    return journal_id


def test_an_import_and_its_undo_leave_every_price_as_it_was_and_the_undo_undoes_too(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    skus = api.skus(8, page=41)
    old, new = skus[:6], skus[6:]
    seed = ["product__sku,price,retail_price"] + [
        f"{sku},{100 + n}.50,{200 + n}.00" for n, sku in enumerate(old)
    ]
    imported(write_csv(tmp_path / "seed.csv", seed), target, capsys)
    before = everything(api, target["pk"])

    # Prices cut (a guardrail), one retail price changed alone, one row as it was, two new.
    change = write_csv(
        tmp_path / "kasım.csv",
        [
            "product__sku,price,retail_price",
            f"{old[0]},10.00,",
            f"{old[1]},20.00,250.00",
            f"{old[2]},102.50,299.99",
            f"{old[3]},103.50,203.00",
            *(f"{sku},5.00," for sku in new),
        ],
    )
    journal_id = imported(change, target, capsys)
    after = everything(api, target["pk"])
    assert after != before

    assert undo(str(journal_id), "--json") == 1  # the guardrails stop it: prices rise tenfold
    data = json.loads(capsys.readouterr().out)
    assert data["result"] is None
    assert {g["key"] for g in data["guardrails"]} == {"price_rise"}
    assert data["diff"] == {
        "new": 0,
        "changed": 3,
        "unchanged": 0,
        "not_in_catalogue": 0,
        "not_in_catalogue_rows": [],
        "suggested_skus": [],
        "replaced_skus": [],
    }
    assert sorted(data["undo"]["created"]) == sorted(new)  # an import cannot remove them
    assert data["undo"]["changed_again"] == []
    assert everything(api, target["pk"]) == after  # nothing was sent

    assert undo(str(journal_id), "--yes", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["result"]["status"] == "success"
    now = everything(api, target["pk"])
    assert {sku: now[sku] for sku in old} == before  # every price as it was
    assert {sku: now[sku] for sku in new} == {sku: ("5.00", None) for sku in new}
    # The undo's file is kept with the data, so its import can be undone in turn.
    undo_file = Path(data["file"])
    assert undo_file.parent == made_files_dir()
    assert undo_file.read_text(encoding="utf-8").splitlines()[0] == (
        "product__sku,price,retail_price"
    )

    assert undo("--last", "--yes", "--json") == 0  # the undo of the undo
    assert json.loads(capsys.readouterr().out)["undo"]["of"] == data["journal_id"]
    assert everything(api, target["pk"]) == after


def test_an_undo_after_someone_changed_some_rows_again_shows_exactly_those_rows(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    skus = api.skus(6, page=42)
    # Written as a person would ("50.0"): not byte for byte the undo's own file.
    seed = ["product__sku,price"] + [f"{sku},{50 + n}.0" for n, sku in enumerate(skus)]
    imported(write_csv(tmp_path / "seed.csv", seed), target, capsys)
    before = everything(api, target["pk"])
    change = ["product__sku,price"] + [f"{sku},{60 + n}.00" for n, sku in enumerate(skus)]
    journal_id = imported(write_csv(tmp_path / "ekim.csv", change), target, capsys)
    # Someone else changes two of those rows again afterwards.
    again = skus[1], skus[4]
    later = ["product__sku,price"] + [f"{sku},{70 + n}.00" for n, sku in enumerate(again)]
    imported(write_csv(tmp_path / "later.csv", later), target, capsys)

    assert undo(str(journal_id), "--dry-run", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    shown = data["undo"]["changed_again"]
    assert [(r["sku"], r["import_set"], r["now"], r["put_back"]) for r in shown] == [
        (skus[1], {"price": "61.00"}, {"price": "70.00"}, {"price": "51.00"}),
        (skus[4], {"price": "64.00"}, {"price": "71.00"}, {"price": "54.00"}),
    ]
    assert data["undo"]["put_back_all"] is False
    assert data["diff"]["changed"] == 4  # their newer values are kept: not compared, not sent

    assert undo(str(journal_id), "--yes") == 0
    capsys.readouterr()
    now = everything(api, target["pk"])
    assert {s: now[s] for s in skus if s not in again} == {
        s: before[s] for s in skus if s not in again
    }
    assert (now[again[0]][0], now[again[1]][0]) == ("70.00", "71.00")

    # Put back the rows changed again too: the same undo file, so this asks (and gets) --yes.
    assert undo(str(journal_id), "--yes", "--put-back-all") == 0
    assert everything(api, target["pk"]) == before


def test_what_cannot_be_undone_is_said(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    skus = api.skus(2, page=43)
    only_new = write_csv(tmp_path / "new.csv", ["product__sku,price", *(f"{s},9.00" for s in skus)])
    journal_id = imported(only_new, target, capsys)
    assert undo(str(journal_id)) == 2
    assert "only added products to the list" in capsys.readouterr().err
    assert undo("999999") == 2
    assert "there is no import 999999 in the journal" in capsys.readouterr().err
    journal = Journal(journal_file())
    journal.update(journal_id, server="https://elsewhere.example")
    journal.close()
    assert undo(str(journal_id)) == 2
    assert "went to https://elsewhere.example" in capsys.readouterr().err
