"""The command line's flows against the sandbox in each variant of the contract, and in all
at once, must give what they give against the primary dialect.

Each command signs in as a scheduled job does (--server, OMNIDESK_PASSWORD, a 6-digit
code on standard input when the server asks for one), then: lists filtered and
sorted (JSON and the table for people), two lists exported with their SKUs, an import
followed to its end, and a dry run's comparison. The server's own database tells what
the import did. tests/api/test_variants.py does the same for the client's calls.
"""

from __future__ import annotations

import csv
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from omnidesk.sandbox import ALL_AT_ONCE, VARIANTS, Dialect, SandboxServer
from tests.conftest import XDG_FOLDERS
from tests.names import unique

from .conftest import Run, Runner, at

# Seeded lists keep their pks whatever other tests create beside them.
SEEDED_PRICE_LISTS = 13
SEEDED_STOCK_LISTS = 6
# A job whose statuses cannot be measured (V10) is followed this long, then left.
PATIENCE = 0.5


@dataclass
class Results:
    lists: dict[str, list[dict[str, Any]]]
    table: str
    price_export: list[tuple[str, ...]]
    stock_export: list[tuple[Any, ...]]
    import_code: int
    import_result: dict[str, Any] | None  # None: the status could not say (V10)
    import_said: str | None  # the sentence of --json's "error"
    imported: dict[str, str]  # SKU → price, in the server's database
    dry_run: dict[str, int]


def new_price_list(url: str) -> dict[str, Any]:
    """Made before the dialect changes: the scene, not what is tested."""
    with httpx.Client(base_url=url) as http:
        key = http.post(
            "/api/v1/auth/login/", json={"username": "demo", "password": "demo"}
        ).json()["key"]
        created: dict[str, Any] = http.post(
            "/api/v1/price_list/",
            json={"name": unique("CLI variant"), "code": f"CLI-V-{uuid.uuid4().hex[:10]}"},
            headers={"Authorization": f"Token {key}"},
        ).json()
    return created


def catalogue_skus(sandbox: SandboxServer, count: int) -> list[str]:
    assert sandbox.store is not None
    rows = sandbox.store.query(
        "SELECT sku FROM products WHERE pk > 3000 ORDER BY pk LIMIT ?", (count,)
    )
    return [row["sku"] for row in rows]


def prices_on_server(sandbox: SandboxServer, list_pk: int) -> dict[str, str]:
    assert sandbox.store is not None
    rows = sandbox.store.query(
        "SELECT p.sku, pp.price FROM product_prices pp JOIN products p ON p.pk = pp.product "
        "WHERE pp.price_list = ?",
        (list_pk,),
    )
    return {row["sku"]: row["price"] for row in rows}


def jobs_ended(sandbox: SandboxServer, list_pk: int) -> None:
    assert sandbox.store is not None
    deadline = time.monotonic() + 30
    while any(
        job["status"] not in ("SUCCESS", "FAILURE")
        for job in sandbox.store.query(
            "SELECT status FROM import_jobs WHERE list_pk = ?", (list_pk,)
        )
    ):
        assert time.monotonic() < deadline, "the sandbox never finished the import"
        time.sleep(0.02)


def write(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("product__sku,price\n" + "".join(f"{s},{p}\n" for s, p in rows), "utf-8")
    return path


def flows(omnidesk: Run, sandbox: SandboxServer, folder: Path, target: dict[str, Any]) -> Results:
    def run(*args: object) -> Any:
        ran = omnidesk(*args, *at(sandbox.url), password="demo")
        return ran

    def listed(*args: str, seeded: int | None = None) -> list[dict[str, Any]]:
        ran = run("lists", *args, "--json")
        assert ran.code == 0, ran.err
        rows: list[dict[str, Any]] = ran.json
        return [row for row in rows if seeded is None or row["pk"] <= seeded]

    lists = {
        "ERP price lists by name": listed("--kind", "price", "--code", "ERP-PL", "--sort", "name"),
        "depots by name, down": listed("--kind", "stock", "--name", "depo", "--sort", "-name"),
        "price lists, newest first": listed(
            "--kind", "price", "--sort=-created_date", seeded=SEEDED_PRICE_LISTS
        ),
        "stock lists by code": listed(
            "--kind", "stock", "--sort", "code", seeded=SEEDED_STOCK_LISTS
        ),
    }
    table = run("lists", "--kind", "stock", "--name", "mağaza", "--sort", "-code")
    assert table.code == 0, table.err

    out = folder / "fiyatlar.csv"
    exported = run("export", "--kind", "price", "--list", "ERP-PL-TR-001", "--csv", "comma", out)
    assert exported.code == 0, exported.err
    with out.open(encoding="utf-8-sig", newline="") as source:
        price_rows = [
            (row["product__sku"], *(str(Decimal(row[f]) if row[f] else "") for f in
                                    ("price", "retail_price", "tax_rate")), row["currency_type"])
            for row in csv.DictReader(source)
        ]  # fmt: skip
    workbook_path = folder / "stok.xlsx"
    exported = run("export", "--kind", "stock", "--list", "ST-ANK-07", workbook_path)
    assert exported.code == 0, exported.err
    workbook = openpyxl.load_workbook(workbook_path, read_only=True)
    sheet = workbook.worksheets[0]
    stock_rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()

    skus = catalogue_skus(sandbox, 30)
    sent = [(sku, f"{10 + n}.50") for n, sku in enumerate(skus[:20])] + [("NO-SUCH-SKU", "1")]
    first = write(folder / "ilk.csv", sent)
    imported = run("import", first, "--kind", "price", "--list", target["code"], "--yes", "--json")
    jobs_ended(sandbox, target["pk"])  # what the person would check in Omnitron (V10)
    result = imported.json["result"]
    counted = None
    if result["status"] == "unknown":
        assert (result["created"], result["updated"], result["refused"]) == (None, None, [])
    else:
        counted = {
            "status": result["status"],
            "created": result["created"],
            "updated": result["updated"],
            "refused": [(row["row"], row["column"]) for row in result["refused"]],
        }

    second = write(
        folder / "ikinci.csv",
        sent[:5]
        + [(sku, "99.99") for sku, _ in sent[5:10]]
        + [(sku, "5.00") for sku in skus[20:25]]
        + [("NOT-IN-CATALOGUE-1", "1"), ("NOT-IN-CATALOGUE-2", "2")],
    )
    dry = run("import", second, "--kind", "price", "--list", target["code"], "--dry-run", "--json")
    assert dry.json["result"] is None
    return Results(
        lists=lists,
        table=table.out,
        price_export=price_rows,
        stock_export=stock_rows,
        import_code=imported.code,
        import_result=counted,
        import_said=imported.json["error"],
        imported=prices_on_server(sandbox, target["pk"]),
        dry_run=dry.json["diff"],
    )


@pytest.fixture(scope="module")
def primary(sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Results:
    assert sandbox.dialect == Dialect()
    home = tmp_path_factory.mktemp("primary-home")
    with pytest.MonkeyPatch.context() as monkeypatch:
        for variable in XDG_FOLDERS:
            monkeypatch.setenv(variable, str(home / variable.lower()))
        return flows(
            Runner(monkeypatch),
            sandbox,
            tmp_path_factory.mktemp("primary"),
            new_price_list(sandbox.url),
        )


def test_the_primary_flows_show_what_the_variants_must_match(primary: Results) -> None:
    names = [row["name"] for row in primary.lists["ERP price lists by name"]]
    assert names == sorted(names, key=str.casefold)
    assert len(primary.lists["stock lists by code"]) == SEEDED_STOCK_LISTS
    assert [row["code"] for row in primary.lists["stock lists by code"]][:2] == [
        "ST-ANK-07",
        "WH-ECOM-01",
    ]
    assert primary.table.splitlines()[0].split()[:3] == ["pk", "name", "code"]
    assert "Kadıköy Mağaza" in primary.table.splitlines()[1]  # no code: first, descending
    assert len(primary.price_export) > 5000
    assert all(sku for sku, *_ in primary.price_export)
    assert primary.stock_export[0][:2] == ("product__sku", "product__name")
    assert len(primary.stock_export) > 5000
    assert primary.import_code == 1  # one row refused by the server
    assert primary.import_result == {
        "status": "success",
        "created": 20,
        "updated": 0,
        "refused": [(22, "product__sku")],
    }
    assert len(primary.imported) == 20
    assert primary.dry_run == {
        "new": 5,
        "changed": 5,
        "unchanged": 5,
        "not_in_catalogue": 2,
        "not_in_catalogue_rows": [17, 18],
        "suggested_skus": [],
        "replaced_skus": [],
    }


@pytest.mark.parametrize("variant", [*VARIANTS, "all at once"])
def test_every_variant_gives_the_primary_results(
    sandbox: SandboxServer,
    dialect: Dialect,
    primary: Results,
    omnidesk: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variant: str,
) -> None:
    monkeypatch.setattr("omnidesk.api.contract.UNCLEAR_STATUS_PATIENCE", PATIENCE)
    target = new_price_list(sandbox.url)
    for name in ALL_AT_ONCE if variant == "all at once" else (variant,):
        dialect.variant(name)
    results = flows(omnidesk, sandbox, tmp_path, target)
    assert results.lists == primary.lists
    assert results.table == primary.table
    assert results.price_export == primary.price_export
    assert results.stock_export == primary.stock_export
    assert results.imported == primary.imported
    assert results.dry_run == primary.dry_run
    if dialect.status_words == "other":
        # The server's words say nothing OmniDesk knows: it stopped following, sent the
        # person to Omnitron, and the prices there are the primary's all the same.
        assert results.import_result is None
        assert results.import_code == 3
        assert results.import_said is not None
        assert results.import_said.endswith(
            "Check the price list in Omnitron to see whether the changes arrived."
        )
    else:
        assert results.import_result == primary.import_result
        assert results.import_code == primary.import_code
        assert results.import_said == primary.import_said
