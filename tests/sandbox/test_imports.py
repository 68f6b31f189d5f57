"""Spreadsheet imports: upload, background processing, status by cache key, row errors."""

from __future__ import annotations

import io
import time
from decimal import Decimal
from typing import Any

import httpx
import openpyxl
import pytest

from omnidesk.sandbox import Faults
from tests.names import unique

FINISHED = ("SUCCESS", "FAILURE")


def new_list(api: httpx.Client, kind: str, **fields: Any) -> int:
    answer = api.post(f"/{kind}/", json={"name": unique(f"Import {kind}"), **fields})
    assert answer.status_code == 201
    pk: int = answer.json()["pk"]
    return pk


def skus(api: httpx.Client, count: int) -> list[str]:
    rows = api.get("/products/", params={"limit": count, "page": 2}).json()["results"]
    return [row["sku"] for row in rows]


def upload(api: httpx.Client, kind: str, pk: int, name: str, content: bytes) -> str:
    answer = api.post(f"/{kind}/{pk}/excel_import/", files={"file": (name, content)})
    assert answer.status_code == 200, answer.text
    key: str = answer.json()["cache_key"]
    return key


def wait(
    api: httpx.Client,
    kind: str,
    pk: int,
    key: str,
    timeout: float = 20,
    words: tuple[str, ...] = FINISHED,
) -> dict[str, Any]:
    """The job's status once it says one of ``words`` (by default: it has finished)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status: dict[str, Any] = api.get(
            f"/{kind}/{pk}/excel_import/", params={"cache_key": key}
        ).json()
        if status["status"] in words:
            return status
        time.sleep(0.02)
    raise AssertionError(f"import {key} did not finish in {timeout} s")


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def prices_of(i1: httpx.Client, pk: int) -> dict[str, dict[str, Any]]:
    # i1 rows name their product by SKU; v1 rows by pk only [doc].
    rows = i1.get("/product_price/", params={"price_list": pk, "limit": 1000}).json()["results"]
    return {row["product_sku"]: row for row in rows}


def test_price_csv_import_applies_good_rows_and_names_every_bad_one(
    api: httpx.Client, i1: httpx.Client
) -> None:
    pk = new_list(api, "price_list", currency="usd")
    a, b, c = skus(api, 3)
    key = upload(
        api,
        "price_list",
        pk,
        "prices.csv",
        csv_bytes(
            [
                "product__sku,product__name,price_list__name,currency_type,price,retail_price,tax_rate",
                f"{a},Sock,Demo,usd,8.00,,10.00",
                f"{b},Shirt,Demo,,12.5,15,",
                "NO-SUCH-SKU,Ghost,Demo,usd,1.00,,",
                f"{c},Bad,Demo,usd,abc,,",
                f"{c},Bad,Demo,usd,-1,,101",
                f"{c},Bad,Demo,xyz,1.005,,",
                ",,,,,,",
            ]
        ),
    )
    status = wait(api, "price_list", pk, key)
    assert status["status"] == "SUCCESS"
    assert status["progress"] == 100
    assert (status["total"], status["processed"]) == (6, 6)
    assert (status["created"], status["updated"]) == (2, 0)
    assert status["errors"] == [
        {
            "line": 4,
            "column": "product__sku",
            "message": 'Product with SKU "NO-SUCH-SKU" does not exist.',
        },
        {"line": 5, "column": "price", "message": "A valid number is required."},
        {
            "line": 6,
            "column": "price",
            "message": "Ensure this value is greater than or equal to 0.",
        },
        {
            "line": 6,
            "column": "tax_rate",
            "message": "Ensure this value is less than or equal to 100.",
        },
        {
            "line": 7,
            "column": "price",
            "message": "Ensure that there are no more than 2 decimal places.",
        },
        {"line": 7, "column": "currency_type", "message": '"xyz" is not a valid choice.'},
    ]
    assert status["error_count"] == 6
    prices = prices_of(i1, pk)
    assert set(prices) == {a, b}
    assert prices[a]["price"] == "8.00"
    assert prices[a]["tax_rate"] == "10.00"
    assert prices[b]["price"] == "12.50"
    assert prices[b]["retail_price"] == "15.00"
    assert prices[b]["currency_type"] == "usd"  # the list's currency when the cell is empty


def test_second_import_updates_and_empty_optional_cells_keep_values(
    api: httpx.Client, i1: httpx.Client
) -> None:
    pk = new_list(api, "price_list")
    (a,) = skus(api, 1)
    header = "product__sku,price,retail_price,tax_rate"
    wait(
        api,
        "price_list",
        pk,
        upload(api, "price_list", pk, "1.csv", csv_bytes([header, f"{a},10,12,20"])),
    )
    status = wait(
        api,
        "price_list",
        pk,
        upload(api, "price_list", pk, "2.csv", csv_bytes([header, f"{a},9.99,,"])),
    )
    assert (status["created"], status["updated"]) == (0, 1)
    row = prices_of(i1, pk)[a]
    assert (row["price"], row["retail_price"], row["tax_rate"]) == ("9.99", "12.00", "20.00")


def test_xlsx_import_keeps_skus_as_text(api: httpx.Client, i1: httpx.Client) -> None:
    pk = new_list(api, "price_list")
    zero_sku = next(s for s in skus(api, 1000) if s.startswith("0"))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["price", "product__sku", "Unrelated column"])
    sheet.append([8.5, 2015227, "ignored"])  # a SKU typed as a number
    sheet.append([Decimal("3.20"), zero_sku, None])  # leading zeros kept as text
    buffer = io.BytesIO()
    workbook.save(buffer)
    status = wait(api, "price_list", pk, upload(api, "price_list", pk, "p.xlsx", buffer.getvalue()))
    assert status["status"] == "SUCCESS", status
    assert status["errors"] == []
    prices = prices_of(i1, pk)
    assert prices["2015227"]["price"] == "8.50"
    assert prices[zero_sku]["price"] == "3.20"


def test_stock_import_checks_whole_numbers_and_units(api: httpx.Client, i1: httpx.Client) -> None:
    pk = new_list(api, "stock_list", is_auto_sync=False)
    a, b = skus(api, 2)
    status = wait(
        api,
        "stock_list",
        pk,
        upload(
            api,
            "stock_list",
            pk,
            "stock.csv",
            csv_bytes(
                [
                    "product__sku;stock;unit_type;sold_quantity_unreported",
                    f"{a};15;kg;2",
                    f"{b};7;;",
                    f"{a};5.5;;",
                    f"{a};2147483648;box;-1",
                ]
            ),
        ),
    )
    assert status["status"] == "SUCCESS"
    assert [(e["line"], e["column"]) for e in status["errors"]] == [
        (4, "stock"),
        (5, "stock"),
        (5, "unit_type"),
        (5, "sold_quantity_unreported"),
    ]
    assert (
        status["errors"][1]["message"] == "Ensure this value is less than or equal to 2147483647."
    )
    rows = i1.get("/product_stock/", params={"stock_list": pk}).json()["results"]
    got = {
        r["product_sku"]: (r["stock"], r["unit_type"], r["sold_quantity_unreported"]) for r in rows
    }
    assert got == {a: (15, "kg", 2), b: (7, "qty", 0)}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1254"])
def test_csv_in_the_encodings_excel_writes(api: httpx.Client, encoding: str) -> None:
    pk = new_list(api, "price_list")
    (a,) = skus(api, 1)
    content = csv_bytes(["product__sku,product__name,price", f"{a},Kadın Şal Ğ,4.00"], encoding)
    status = wait(api, "price_list", pk, upload(api, "price_list", pk, "tr.csv", content))
    assert (status["status"], status["created"]) == ("SUCCESS", 1)


def test_upload_without_file_is_the_documented_400(api: httpx.Client) -> None:
    answer = api.post("/price_list/1/excel_import/", data={"other": "x"})
    assert answer.status_code == 400
    assert answer.json() == {
        "non_field_errors": "File not found please provide an appropriate file",
        "error_code": "file_100_1",
    }


def test_upload_to_unknown_list_is_404(api: httpx.Client) -> None:
    answer = api.post("/stock_list/999999/excel_import/", files={"file": ("a.csv", b"x")})
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("broken.xlsx", b"PK\x03\x04 this is not really a zip", "damaged"),
        ("empty.csv", b"", "empty"),
        ("header.csv", b"product__sku,price\n", "no data rows"),
        ("wrong.csv", b"sku,amount\n1,2\n", "no product__sku or price column"),
        ("old.xls", b"\xd0\xcf\x11\xe0 legacy", ".xls cannot be imported"),
    ],
)
def test_unusable_files_end_in_failure_with_a_reason(
    api: httpx.Client, name: str, content: bytes, words: str
) -> None:
    status = wait(api, "price_list", 1, upload(api, "price_list", 1, name, content))
    assert status["status"] == "FAILURE"
    assert status["errors"][-1]["line"] is None
    assert words in status["errors"][-1]["message"]


def test_status_needs_a_known_key_for_that_list(api: httpx.Client) -> None:
    key = upload(api, "price_list", 1, "h.csv", b"product__sku,price\n")
    wait(api, "price_list", 1, key)
    assert api.get("/price_list/1/excel_import/").json() == {
        "cache_key": ["This field is required."]
    }
    unknown = api.get("/price_list/1/excel_import/", params={"cache_key": "nope"})
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Not found."})
    other_list = api.get("/price_list/2/excel_import/", params={"cache_key": key})
    assert other_list.status_code == 404


def test_only_the_first_thousand_errors_are_listed_but_all_are_counted(api: httpx.Client) -> None:
    pk = new_list(api, "price_list")
    lines = ["product__sku,price"] + [f"GHOST-{n},1" for n in range(1100)]
    status = wait(api, "price_list", pk, upload(api, "price_list", pk, "g.csv", csv_bytes(lines)))
    assert status["error_count"] == 1100
    assert len(status["errors"]) == 1000
    assert status["errors"][-1]["line"] == 1001


def test_paced_import_reports_real_progress_while_the_api_stays_usable(
    api: httpx.Client, faults: Faults
) -> None:
    faults.import_rows_per_second = 400
    pk = new_list(api, "price_list")
    lines = ["product__sku,price"] + [f"{sku},5" for sku in skus(api, 400)]
    key = upload(api, "price_list", pk, "paced.csv", csv_bytes(lines))
    seen: list[tuple[str, int, int]] = []
    edits_during_import = 0
    while not seen or seen[-1][0] not in FINISHED:
        status = api.get(f"/price_list/{pk}/excel_import/", params={"cache_key": key}).json()
        edit = api.patch(f"/price_list/{pk}/", json={"code": unique("EDIT").replace(" ", "")})
        assert edit.status_code == 200
        edits_during_import += status["status"] == "PROGRESS"
        seen.append((status["status"], status["progress"], status["processed"]))
        time.sleep(0.05)
    assert seen[-1] == ("SUCCESS", 100, 400)
    in_progress = [s for s in seen if s[0] == "PROGRESS"]
    assert len(in_progress) >= 3, seen
    assert any(0 < progress < 100 for _, progress, _ in in_progress)
    progress_seen = [progress for _, progress, _ in seen]
    assert progress_seen == sorted(progress_seen)
    for _, progress, processed in in_progress:
        assert progress == processed * 100 // 400
    assert edits_during_import >= 3  # the list could be edited while its import ran
