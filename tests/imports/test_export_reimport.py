"""`omnidesk export`: a list written in the import's own columns imports back with no change."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from omnidesk.cli import main
from omnidesk.settings import Profile
from tests.imports.test_cli_import import Api, api, home, run, signed_in

from .conftest import write_csv

__all__ = ["api", "home", "signed_in"]


def export(*args: str) -> int:
    return main(["export", *args])


def seeded(api: Api, tmp_path: Path, count: int, page: int) -> dict[str, Any]:
    """A new price list whose prices have every shape: cents, no retail, tax rates."""
    target = api.new_price_list()
    skus = api.skus(count, page=page)
    lines = ["product__sku,price,retail_price,tax_rate"]
    for n, sku in enumerate(skus):
        retail = f"{n * 3 + 2000}.49" if n % 2 else ""
        lines.append(f"{sku},{n * 7 + 1709}.{n % 100:02d},{retail},{(10, 20, 1, 8)[n % 4]}")
    assert run(write_csv(tmp_path / "seed.csv", lines), "--kind", "price", "--list",
               target["code"], "--yes") == 0  # fmt: skip
    return target


@pytest.mark.parametrize("name", ["prices.xlsx", "prices-tr.csv", "prices-en.csv"])
def test_an_exported_list_imports_back_with_nothing_changed(
    signed_in: Profile,
    api: Api,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
) -> None:
    target = seeded(api, tmp_path, 40, page=31)
    out = tmp_path / name
    style = {"prices-tr.csv": ("--csv", "semicolon"), "prices-en.csv": ("--csv", "comma")}
    assert export("--kind", "price", "--list", target["code"], *style.get(name, ()), str(out)) == 0
    assert "Exported 40 rows of price list" in capsys.readouterr().out

    assert run(out, "--kind", "price", "--list", target["code"], "--dry-run", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["check"] == {"rows": 40, "valid_rows": 40, "error_rows": 0}
    assert data["diff"] == {
        "new": 0,
        "changed": 0,
        "unchanged": 40,
        "not_in_catalogue": 0,
        "not_in_catalogue_rows": [],
        "suggested_skus": [],
        "replaced_skus": [],
    }
    assert data["guardrails"] == []


def test_the_workbook_holds_real_numbers_under_the_imports_own_headers(
    signed_in: Profile, api: Api, tmp_path: Path
) -> None:
    target = seeded(api, tmp_path, 5, page=32)
    out = tmp_path / "numbers.xlsx"
    assert export("--kind", "price", "--list", str(target["pk"]), str(out)) == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "product__sku", "product__name", "currency_type", "price", "retail_price", "tax_rate"
    )  # fmt: skip
    first = rows[1]
    assert isinstance(first[0], str)
    assert first[1]
    assert isinstance(first[3], float | int)
    assert Decimal(str(first[3])) == Decimal("1709.00")
    assert first[4] is None  # no retail price: an empty cell, which changes nothing
    assert sheet.cell(row=2, column=4).number_format == "0.00"


def test_a_semicolon_csv_is_what_turkish_excel_reads(
    signed_in: Profile, api: Api, tmp_path: Path
) -> None:
    target = seeded(api, tmp_path, 3, page=33)
    out = tmp_path / "tr.csv"
    assert export("--kind", "price", "--list", target["code"], "--csv", "semicolon", str(out)) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads ş and ğ right
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "product__sku;product__name;currency_type;price;retail_price;tax_rate"
    assert lines[1].split(";")[3] == "1709,00"


def test_a_stock_list_too(
    signed_in: Profile, api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = {"name": "CLI export stock " + tmp_path.name[-12:]}
    target = api.http.post("/api/v1/stock_list/", json=body).json()
    skus = api.skus(6, page=34)
    lines = ["product__sku,stock,unit_type"] + [
        f"{sku},{n * 5},{'kg' if n % 2 else 'qty'}" for n, sku in enumerate(skus)
    ]
    source = write_csv(tmp_path / "stock.csv", lines)
    assert run(source, "--kind", "stock", "--list", str(target["pk"]), "--yes") == 0
    out = tmp_path / "stock.xlsx"
    assert export("--kind", "stock", "--list", str(target["pk"]), str(out)) == 0
    capsys.readouterr()
    assert run(out, "--kind", "stock", "--list", str(target["pk"]), "--dry-run", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["diff"] == {
        "new": 0,
        "changed": 0,
        "unchanged": 6,
        "not_in_catalogue": 0,
        "not_in_catalogue_rows": [],
        "suggested_skus": [],
        "replaced_skus": [],
    }


def test_an_export_to_another_kind_of_file_is_refused(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export("--kind", "price", "--list", "1", "--demo", str(tmp_path / "x.ods")) == 2
    assert "must end in .xlsx or .csv" in capsys.readouterr().err
