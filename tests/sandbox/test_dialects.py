"""The sandbox speaks each variant of the contract (V1–V10) on request, the primary one by default.

These check the server's side over plain HTTP; tests/api/test_variants.py runs the
client's flows against each.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from omnidesk.sandbox import LIMITED_USER, TWO_FACTOR_USER, Dialect, SandboxServer
from omnidesk.sandbox.totp import code_at, code_for
from tests import totp
from tests.names import unique

from .test_imports import csv_bytes, new_list, skus, wait
from .test_server import start_cli, token_for


def sign_in(url: str, username: str, password: str) -> httpx.Response:
    return httpx.post(
        f"{url}/api/v1/auth/login/", json={"username": username, "password": password}
    )


def as_user(sandbox: SandboxServer, username: str) -> httpx.Client:
    return httpx.Client(
        base_url=f"{sandbox.url}/api/v1",
        headers={"Authorization": f"Token {token_for(sandbox.url, username, username)}"},
    )


# -- V1: error envelopes ----------------------------------------------------------------


def test_v1_errors_carry_code_and_every_message_as_a_list(
    api: httpx.Client, anonymous: httpx.Client, dialect: Dialect
) -> None:
    dialect.variant("V1")
    rule = api.post("/price_list/", json={"name": unique("Env"), "is_auto_sync": True})
    assert rule.json() == {
        "non_field_errors": ["PriceList code is required when is_auto_sync is True."],
        "code": "product_price_300_2",
    }
    taken = api.post("/price_list/", json={"name": "Demo Price List"})
    assert taken.json() == {
        "name": ["price list with this name already exists."],
        "code": "invalid",
    }
    missing = api.get("/price_list/987654/")
    assert missing.json() == {"detail": "Not found.", "code": "not_found"}
    assert anonymous.get("/price_list/").json() == {
        "detail": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    }
    # A field error on the list's own code field keeps the key: JSON has one "code".
    code = unique("ENV").replace(" ", "")
    assert api.post("/price_list/", json={"name": unique("Env"), "code": code}).status_code == 201
    twice = api.post("/price_list/", json={"name": unique("Env"), "code": code})
    assert twice.json() == {"code": ["price list with this code already exists."]}


def test_the_primary_envelope_is_error_code_and_a_string(api: httpx.Client) -> None:
    rule = api.post("/stock_list/", json={"name": unique("Env"), "is_auto_sync": True})
    assert rule.json() == {
        "non_field_errors": "StockList code is required when is_auto_sync is True.",
        "error_code": "product_stock_400_2",
    }
    assert api.get("/stock_list/987654/").json() == {"detail": "Not found."}


# -- V2: ordering ---------------------------------------------------------------------------


def names_in(api: httpx.Client, **params: str) -> list[str]:
    body = api.get("/stock_list/", params={"limit": 1000, **params}).json()
    return [row["name"] for row in body["results"]]


def test_v2_orders_by_sort_or_ordering_or_not_at_all(api: httpx.Client, dialect: Dialect) -> None:
    by_pk = names_in(api)
    by_name = names_in(api, sort="name")
    assert by_name != by_pk
    assert names_in(api, ordering="name") == by_pk  # the primary dialect knows sort= only
    dialect.variant("V2")
    assert names_in(api, ordering="name") == by_name
    assert names_in(api, sort="name") == by_pk
    dialect.variant("V2-ignored")
    assert names_in(api, sort="name") == names_in(api, ordering="-name") == by_pk


# -- V3: no i1 ------------------------------------------------------------------------------


def test_v3_has_no_i1(api: httpx.Client, i1: httpx.Client, dialect: Dialect) -> None:
    assert i1.get("/product_price/", params={"price_list": 1}).status_code == 200
    dialect.variant("V3")
    for path in ("/product_price/", "/product_stock/", "/price_list/", "/auth/login/"):
        answer = i1.get(path)
        assert (answer.status_code, answer.json()) == (404, {"detail": "Not found."}), path
    assert api.get("/product_price/", params={"price_list": 1}).status_code == 200


# -- V4: page cap ---------------------------------------------------------------------------


@pytest.mark.parametrize(("variant", "cap"), [("V4", 100), ("V4-50", 50)])
def test_v4_caps_pages_silently_and_next_still_walks_every_row(
    api: httpx.Client, dialect: Dialect, variant: str, cap: int
) -> None:
    count = api.get("/product_stock/", params={"stock_list": 4}).json()["count"]
    dialect.variant(variant)
    url: str | None = "/product_stock/?stock_list=4&limit=500"
    seen: list[int] = []
    while url:
        body = api.get(url).json()
        assert len(body["results"]) == (cap if body["next"] else count - len(seen))
        seen += [row["pk"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(set(seen))
    assert len(seen) == count


# -- V5: two-factor sign-in ------------------------------------------------------------------


def test_the_sandboxs_totp_is_rfc_6238() -> None:
    key = b"12345678901234567890"  # RFC 6238's SHA-1 test secret and vectors
    for moment, expected in (
        (59, "94287082"),
        (1111111109, "07081804"),
        (1234567890, "89005924"),
        (20000000000, "65353130"),
    ):
        assert code_at(key, moment // 30, 8) == expected
    assert code_for(totp.SANDBOX_SECRET) in {
        totp.code(at=time.time() + step) for step in (-30, 0, 30)
    }


def verify(url: str, temp_token: str, code: str) -> httpx.Response:
    return httpx.post(
        f"{url}/api/v1/auth/totp/verify/", json={"temp_token": temp_token, "token": code}
    )


def test_v5_a_two_factor_user_signs_in_in_two_steps(sandbox: SandboxServer) -> None:
    first = sign_in(sandbox.url, TWO_FACTOR_USER, TWO_FACTOR_USER)
    assert first.status_code == 200
    assert set(first.json()) == {"temp_token"}
    temp_token = first.json()["temp_token"]
    wrong = verify(sandbox.url, temp_token, totp.wrong_code())
    assert wrong.status_code == 400
    assert wrong.json() == {
        "non_field_errors": ["Invalid or expired code."],
        "code": "totp_invalid",
    }
    expired = verify(sandbox.url, temp_token, totp.code(at=time.time() - 120))
    assert expired.status_code == 400
    right = verify(sandbox.url, temp_token, totp.code())
    assert right.status_code == 200
    key = right.json()["key"]
    listed = httpx.get(
        f"{sandbox.url}/api/v1/price_list/", headers={"Authorization": f"Token {key}"}
    )
    assert listed.status_code == 200
    again = verify(sandbox.url, temp_token, totp.code())  # a temp token serves once
    assert again.status_code == 400


def test_v5_for_everyone_asks_the_default_user_too(
    sandbox: SandboxServer, dialect: Dialect
) -> None:
    assert "key" in sign_in(sandbox.url, "demo", "demo").json()
    dialect.variant("V5")
    first = sign_in(sandbox.url, "demo", "demo").json()
    assert set(first) == {"temp_token"}
    assert verify(sandbox.url, first["temp_token"], totp.code()).status_code == 200
    assert sign_in(sandbox.url, "demo", "wrong").status_code == 400


# -- V6: permissions ---------------------------------------------------------------------------

FORBIDDEN = {"detail": "You do not have permission to perform this action."}


def test_v6_a_limited_user_reads_everything_and_changes_only_its_lists(
    sandbox: SandboxServer, api: httpx.Client
) -> None:
    granted = api.get("/price_list/", params={"name": "Kampanya Kasım"}).json()["results"][0]
    with as_user(sandbox, LIMITED_USER) as limited:
        assert (
            limited.get("/price_list/").json()["count"] == api.get("/price_list/").json()["count"]
        )
        assert limited.get("/product_price/", params={"price_list": 1}).status_code == 200
        refused = limited.patch("/price_list/1/", json={"currency": "usd"})
        assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
        assert api.get("/price_list/1/").json()["currency"] == "try"  # nothing changed
        upload_refused = limited.post(
            "/price_list/1/excel_import/", files={"file": ("p.csv", b"product__sku,price\n")}
        )
        assert (upload_refused.status_code, upload_refused.json()) == (403, FORBIDDEN)
        changed = limited.patch(f"/price_list/{granted['pk']}/", json={"is_auto_sync": False})
        assert changed.status_code == 200
        own = limited.post("/stock_list/", json={"name": unique("Limited own")}).json()
        assert limited.patch(f"/stock_list/{own['pk']}/", json={"code": None}).status_code == 200


def test_v6_for_everyone_limits_the_default_user(api: httpx.Client, dialect: Dialect) -> None:
    dialect.variant("V6")
    assert api.patch("/stock_list/1/", json={"name": "x"}).status_code == 403
    own = api.post("/stock_list/", json={"name": unique("Own")}).json()
    assert api.patch(f"/stock_list/{own['pk']}/", json={"code": "OWN-1"}).status_code == 200


# -- V7, V8: identity and decimals ------------------------------------------------------------


def test_v7_swaps_pk_and_id(api: httpx.Client, dialect: Dialect) -> None:
    dialect.variant("V7")
    assert set(api.get("/price_list/1/").json()) >= {"id", "name"}
    assert "pk" not in api.get("/stock_list/1/").json()
    price = api.get("/product_price/", params={"price_list": 1, "limit": 1}).json()["results"][0]
    assert "pk" in price
    assert "id" not in price
    stock = api.get("/product_stock/", params={"stock_list": 1, "limit": 1}).json()["results"][0]
    assert "id" in stock
    assert "pk" not in stock
    assert api.get("/products/", params={"sku": "2015227"}).json()["results"][0]["id"] == 1


def test_v8_sends_decimals_as_numbers(api: httpx.Client, dialect: Dialect) -> None:
    strings = api.get("/product_price/", params={"price_list": 2, "limit": 30}).json()["results"]
    dialect.variant("V8")
    numbers = api.get("/product_price/", params={"price_list": 2, "limit": 30}).json()["results"]
    for text, number in zip(strings, numbers, strict=True):
        assert isinstance(number["price"], int | float)
        assert not isinstance(number["price"], bool)
        assert f"{number['price']:.2f}" == text["price"]
        assert (text["retail_price"] is None) == (number["retail_price"] is None)
    assert any(isinstance(row["price"], float) for row in numbers)


# -- V9, V10: uploads and their status ----------------------------------------------------------


@pytest.mark.parametrize(("variant", "status"), [("V9", 201), ("V9-202", 202)])
def test_v9_answers_an_upload_with_another_2xx(
    api: httpx.Client, dialect: Dialect, variant: str, status: int
) -> None:
    pk = new_list(api, "price_list")
    dialect.variant(variant)
    answer = api.post(
        f"/price_list/{pk}/excel_import/", files={"file": ("p.csv", b"product__sku,price\nX,1\n")}
    )
    assert answer.status_code == status
    assert set(answer.json()) == {"cache_key"}


def test_v10_status_has_other_words_no_progress_no_counters(
    api: httpx.Client, dialect: Dialect
) -> None:
    pk = new_list(api, "price_list")
    lines = ["product__sku,price", *(f"{sku},1.00" for sku in skus(api, 5)), "NOPE,1"]
    dialect.variant("V10")
    key = upload_any(api, pk, csv_bytes(lines))
    final = wait(api, "price_list", pk, key, words=("finished", "failed"))  # rq's words
    assert final["status"] == "finished"
    assert set(final) == {"cache_key", "status", "errors"}
    assert [error["line"] for error in final["errors"]] == [7]
    dialect.reset()
    assert wait(api, "price_list", pk, key)["created"] == 5  # the same job, in Celery's words


def upload_any(api: httpx.Client, pk: int, content: bytes) -> str:
    answer = api.post(f"/price_list/{pk}/excel_import/", files={"file": ("p.csv", content)})
    assert answer.is_success, answer.text
    key: str = answer.json()["cache_key"]
    return key


# -- all at once, from the command line, and the large seed ---------------------------------------


def test_every_alternative_at_once() -> None:
    everything = Dialect.every_alternative()
    assert everything == Dialect(
        error_envelope="code",
        ordering="ignored",
        i1=False,
        max_page_size=50,
        totp_for_everyone=True,
        limited_for_everyone=True,
        identity="id",
        decimals_as_numbers=True,
        upload_status=202,
        status_words="other",
    )
    everything.reset()
    assert everything == Dialect()
    with pytest.raises(ValueError, match="ordering"):
        Dialect(ordering="alphabetical")
    with pytest.raises(ValueError, match="unknown variant"):
        Dialect().variant("V11")


def test_command_line_flags_set_the_dialect_and_the_large_seed(tmp_path: Path) -> None:
    process, url = start_cli(
        "--db", str(tmp_path / "large.sqlite3"), "--seed", "--seed-size", "large",
        "--variant", "V3", "--max-page-size", "50", "--identity", "id",
    )  # fmt: skip
    try:
        headers = {"Authorization": f"Token {token_for(url)}"}
        with httpx.Client(base_url=f"{url}/api/v1", headers=headers) as api:
            assert api.get("/products/").json()["count"] == 100_000
            lists = {}
            for kind in ("price_list", "stock_list"):
                code = "LARGE-PL" if kind == "price_list" else "LARGE-SL"
                (found,) = api.get(f"/{kind}/", params={"code__exact": code}).json()["results"]
                lists[kind] = found["id"]  # --identity id
            prices = api.get("/product_price/", params={"price_list": lists["price_list"]})
            assert prices.json()["count"] == 100_000
            stocks = api.get(
                "/product_stock/", params={"stock_list": lists["stock_list"], "limit": 1000}
            ).json()
            assert stocks["count"] == 100_000
            assert len(stocks["results"]) == 50  # --max-page-size 50
            assert api.get("/price_list/", params={"name": "Demo Price List"}).json()["count"] == 1
        assert httpx.get(f"{url}/api/i1/price_list/", headers=headers).status_code == 404
    finally:
        process.terminate()
        process.communicate(timeout=15)
    assert process.returncode == 0


def test_a_bad_dialect_flag_is_refused_in_words(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "omnidesk.sandbox", "--max-page-size", "0",
         "--db", str(tmp_path / "x.sqlite3")],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 2
    assert "max_page_size must be at least 1" in result.stderr
    assert "Traceback" not in result.stderr
