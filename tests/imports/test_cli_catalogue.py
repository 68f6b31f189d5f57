"""`omnidesk import` and the catalogue (issue 12): SKUs Excel mangled are named with the SKU
meant and sent as the catalogue's only with --use-suggested-skus; many rows not in the
catalogue stop the import unless --yes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omnidesk.settings import Profile

from .conftest import write_csv
from .test_cli_import import Api, api, home, no_traceback, run, signed_in

__all__ = ["api", "home", "signed_in"]  # fixtures, used by name


def mangled(api: Api) -> tuple[str, str]:
    """A catalogue SKU with leading zeros, and what Excel makes of it."""
    zeros = next(sku for sku in api.skus(1000, page=4) if sku.startswith("0"))
    return zeros, zeros.lstrip("0")


def test_a_mangled_sku_is_named_with_the_sku_meant_and_nothing_is_replaced_unasked(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    zeros, excel = mangled(api)
    (plain,) = api.skus(1, page=5)
    source = write_csv(tmp_path / "excel.csv", ["SKU,Fiyat", f"{plain},5.00", f"{excel},6.00"])
    code = run(source, "--kind", "price", "--list", target["code"], "--dry-run", "--json")
    captured = capsys.readouterr()
    no_traceback(captured)
    assert code == 1  # a row the server would refuse
    assert f"row 3, {excel}: Not in the catalogue — did you mean {zeros}?" in captured.err
    assert (
        "Add --use-suggested-skus to send the catalogue's SKU for this row; the file itself "
        "is not changed." in captured.err
    )
    diff = json.loads(captured.out)["diff"]
    assert diff["not_in_catalogue_rows"] == [3]
    assert diff["suggested_skus"] == [
        {
            "row": 3,
            "sku": excel,
            "catalogue_sku": zeros,
            "message": f"Not in the catalogue — did you mean {zeros}?",
        }
    ]
    assert diff["replaced_skus"] == []
    assert api.prices(target["pk"]) == {}


def test_use_suggested_skus_sends_the_catalogues_sku_and_says_so(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    zeros, excel = mangled(api)
    (plain,) = api.skus(1, page=6)
    source = write_csv(tmp_path / "excel.csv", ["SKU,Fiyat", f"{plain},5.00", f"{excel},6.00"])
    before = source.read_bytes()
    arguments = ["--kind", "price", "--list", target["code"], "--use-suggested-skus"]
    assert run(source, *arguments, "--json") == 0
    captured = capsys.readouterr()
    no_traceback(captured)
    assert f"row 3, {excel}: Sent as {zeros}, the catalogue's SKU; the file says {excel}." in (
        captured.err
    )
    assert "1 row goes with the catalogue's SKU (--use-suggested-skus)" in captured.err
    assert "Compared with the list: 2 new, 0 changed, 0 unchanged, 0 not in the catalogue." in (
        captured.err
    )
    data = json.loads(captured.out)
    assert data["diff"]["suggested_skus"] == []
    assert data["diff"]["replaced_skus"] == [
        {
            "row": 3,
            "sku": excel,
            "sent_as": zeros,
            "message": f"Sent as {zeros}, the catalogue's SKU; the file says {excel}.",
        }
    ]
    assert data["result"]["status"] == "success"
    assert api.prices(target["pk"]) == {plain: "5.00", zeros: "6.00"}
    assert source.read_bytes() == before


def test_many_rows_not_in_the_catalogue_stop_the_import_unless_yes(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = api.new_price_list()
    real = api.skus(4, page=7)
    lines = ["SKU,Fiyat"] + [f"{sku},5.00" for sku in real]
    lines += [f"GHOST-CLI-{n},5.00" for n in range(6)]  # rows 6–11: 6 of 10
    source = write_csv(tmp_path / "wrong.csv", lines)
    assert run(source, "--kind", "price", "--list", target["code"]) == 1
    captured = capsys.readouterr()
    assert (
        "! 6 rows have SKUs the catalogue does not have (60 % of the rows): the server would "
        "refuse them. Is this the right file, with its SKUs as the catalogue writes them? "
        "(rows 6, 7, 8, 9, 10, 11)" in captured.out
    )
    assert "stopped before uploading: 1 guardrail needs a look (above). Add --yes" in (captured.err)
    assert api.prices(target["pk"]) == {}
    assert run(source, "--kind", "price", "--list", target["code"], "--yes") == 1  # 6 refused
    assert set(api.prices(target["pk"])) == set(real)
