"""`omnidesk import --json` and `--errors-out`: one JSON object on stdout, a CSV of failed rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from omnidesk.settings import Profile
from tests.imports.test_cli_import import Api, api, home, run, signed_in

from .conftest import write_csv

__all__ = ["api", "home", "signed_in"]  # fixtures shared with the import command's tests


def output(capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], str]:
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err  # stdout is the JSON and nothing else


def test_a_dry_run_prints_one_json_object_with_no_result_and_its_lines_on_stderr(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    a, b = api.skus(2, page=21)
    source = write_csv(
        tmp_path / "dry.csv", ["SKU,Fiyat", f"{a},10.00", f"{b},abc", "GHOST-JSON,0"]
    )
    assert run(source, "--kind", "price", "--list", target["code"], "--dry-run", "--json") == 1
    data, err = output(capsys)
    assert data == {
        "file": str(source),
        "kind": "price",
        "list": {"pk": target["pk"], "name": target["name"], "code": target["code"]},
        "check": {"rows": 3, "valid_rows": 2, "error_rows": 1},
        "diff": {
            "new": 1,
            "changed": 0,
            "unchanged": 0,
            "not_in_catalogue": 1,
            "not_in_catalogue_rows": [4],
            "suggested_skus": [],
            "replaced_skus": [],
        },
        "guardrails": [
            {
                "key": "zero_price",
                "message": "1 product would be sold for free (price 0).",
                "rows": [4],
            }
        ],
        "result": None,
        "journal_id": None,
        "error": None,
    }
    assert "Compared with the list: 1 new" in err  # the lines for people, on stderr
    assert api.prices(target["pk"]) == {}


def test_a_sent_import_reports_its_result_and_the_rows_that_did_not_make_it(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    a, b = api.skus(2, page=22)
    source = write_csv(
        tmp_path / "kasım.csv",
        [
            "Stok Kodu,Fiyat,Not",
            f"{a},10.00,ok",
            f'{b},abc,=HYPERLINK("http://x")',
            "GHOST-ERR,5.00,-bad",
        ],
    )
    errors = tmp_path / "errors.csv"
    args = ("--list", target["code"], "--yes", "--json", "--errors-out", str(errors))
    assert run(source, "--kind", "price", *args) == 1
    data, err = output(capsys)
    assert data["result"]["status"] == "success"
    assert (data["result"]["created"], data["result"]["updated"]) == (1, 0)
    (refused,) = data["result"]["refused"]
    assert (refused["row"], refused["column"]) == (4, "Stok Kodu")  # the file's own header
    assert "GHOST-ERR" in refused["message"]
    assert isinstance(data["journal_id"], int)
    assert data["error"] is None
    assert api.prices(target["pk"]) == {a: "10.00"}

    # The file's own columns and cells, a problem column; text that a spreadsheet would
    # run as a formula is written as text.
    with errors.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Stok Kodu", "Fiyat", "Not", "problem"]
    assert rows[1] == [
        b, "abc", "'=HYPERLINK(\"http://x\")", "Fiyat: Not sent: Price “abc” is not a number."
    ]  # fmt: skip
    assert rows[2][:3] == ["GHOST-ERR", "5.00", "'-bad"]
    assert rows[2][3].startswith("Stok Kodu: ")
    assert "GHOST-ERR" in rows[2][3]
    assert len(rows) == 3
    assert "Wrote 2 rows that did not make it" in err


def test_a_command_that_stops_says_why_in_the_json(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    (a,) = api.skus(1, page=23)
    source = write_csv(tmp_path / "zero.csv", ["product__sku,price", f"{a},0"])
    assert run(source, "--kind", "price", "--list", target["code"], "--json") == 1
    data, _ = output(capsys)
    assert data["result"] is None
    assert data["error"].startswith("stopped before uploading: 1 guardrail needs a look")
    assert [g["key"] for g in data["guardrails"]] == ["zero_price"]

    assert run(source, "--kind", "price", "--list", "NO-SUCH-LIST-CODE", "--json") == 2
    data, _ = output(capsys)
    assert data["list"] is None
    assert "NO-SUCH-LIST-CODE" in data["error"]


def test_an_errors_file_must_be_a_csv(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "any.csv", ["product__sku,price", "A,1"])
    args = ("--kind", "price", "--list", "1", "--demo", "--errors-out", str(tmp_path / "e.xlsx"))
    assert run(source, *args) == 2
    assert "the name must end in .csv" in capsys.readouterr().err
