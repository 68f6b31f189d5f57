"""Creating, reading and changing price lists and stock lists, with DRF's error bodies."""

from datetime import datetime

import httpx
import pytest

from tests.names import unique


def test_stock_list_created_with_a_name_only_is_auto_synced_without_code(
    api: httpx.Client,
) -> None:
    # The documented example: POST {"name": "Test List"} → 201, code null, auto-sync on.
    answer = api.post("/stock_list/", json={"name": "Test List"})
    assert answer.status_code == 201
    body = answer.json()
    assert body["name"] == "Test List"
    assert body["code"] is None
    assert body["is_auto_sync"] is True
    assert set(body) == {"pk", "name", "code", "is_auto_sync", "created_date", "modified_date"}


def test_price_list_defaults_and_shape(api: httpx.Client) -> None:
    name = unique("Defaults")
    answer = api.post("/price_list/", json={"name": name})
    assert answer.status_code == 201
    body = answer.json()
    assert body["currency"] == "try"
    assert body["is_auto_sync"] is False
    assert body["code"] is None
    assert set(body) == {
        "pk",
        "name",
        "code",
        "is_auto_sync",
        "currency",
        "created_date",
        "modified_date",
    }
    created = body["created_date"]
    assert created.endswith("Z")
    datetime.fromisoformat(created.replace("Z", "+00:00"))
    assert api.get(f"/price_list/{body['pk']}/").json() == body


def test_auto_synced_price_list_without_code_is_refused_with_the_documented_body(
    api: httpx.Client,
) -> None:
    answer = api.post("/price_list/", json={"name": unique("Auto"), "is_auto_sync": True})
    assert answer.status_code == 400
    assert answer.json() == {
        "non_field_errors": "PriceList code is required when is_auto_sync is True.",
        "error_code": "product_price_300_2",
    }


def test_auto_synced_stock_list_without_code_is_refused(api: httpx.Client) -> None:
    answer = api.post(
        "/stock_list/", json={"name": unique("Auto stock"), "is_auto_sync": True, "code": ""}
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "non_field_errors": "StockList code is required when is_auto_sync is True.",
        "error_code": "product_stock_400_2",
    }


def test_auto_synced_list_with_code_is_created(api: httpx.Client) -> None:
    code = unique("ERP").replace(" ", "-")
    answer = api.post(
        "/price_list/",
        json={"name": unique("Synced"), "is_auto_sync": True, "code": code, "currency": "usd"},
    )
    assert answer.status_code == 201
    assert answer.json()["code"] == code
    assert answer.json()["currency"] == "usd"


@pytest.mark.parametrize("kind", ["price_list", "stock_list"])
def test_duplicate_name_and_code_are_refused_per_field(api: httpx.Client, kind: str) -> None:
    name, code = unique("Dup"), unique("DUP").replace(" ", "")
    assert api.post(f"/{kind}/", json={"name": name, "code": code}).status_code == 201
    again = api.post(f"/{kind}/", json={"name": name, "code": code})
    assert again.status_code == 400
    words = kind.replace("_", " ")
    assert again.json() == {
        "name": [f"{words} with this name already exists."],
        "code": [f"{words} with this code already exists."],
    }


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name": ["This field is required."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
        ({"name": None}, {"name": ["This field may not be null."]}),
        ({"name": "x" * 65}, {"name": ["Ensure this field has no more than 64 characters."]}),
        (
            {"name": "ok", "code": "c" * 65},
            {"code": ["Ensure this field has no more than 64 characters."]},
        ),
        ({"name": "ok", "currency": "xyz"}, {"currency": ['"xyz" is not a valid choice.']}),
        ({"name": "ok", "is_auto_sync": "maybe"}, {"is_auto_sync": ["Must be a valid boolean."]}),
    ],
)
def test_field_rules_answer_in_drf_shapes(
    api: httpx.Client, body: dict[str, object], errors: dict[str, list[str]]
) -> None:
    answer = api.post("/price_list/", json=body)
    assert answer.status_code == 400
    assert answer.json() == errors


def test_field_errors_come_before_the_auto_sync_rule(api: httpx.Client) -> None:
    answer = api.post("/price_list/", json={"name": "y" * 70, "is_auto_sync": True})
    assert answer.json() == {"name": ["Ensure this field has no more than 64 characters."]}


def test_name_of_exactly_64_characters_is_accepted(api: httpx.Client) -> None:
    name = unique("L").ljust(64, "x")
    assert api.post("/price_list/", json={"name": name}).status_code == 201


@pytest.mark.parametrize("currency", ["try", "eur", "tr", "eu", "usd", "rsd", "jod", "kzt"])
def test_documented_currencies_and_the_example_ones_are_accepted(
    api: httpx.Client, currency: str
) -> None:
    answer = api.post("/price_list/", json={"name": unique(currency), "currency": currency})
    assert answer.status_code == 201


def test_patch_changes_only_the_given_fields(api: httpx.Client) -> None:
    created = api.post(
        "/price_list/", json={"name": unique("Patch"), "currency": "eur", "code": unique("P")}
    ).json()
    answer = api.patch(f"/price_list/{created['pk']}/", json={"currency": "gbp"})
    assert answer.status_code == 200
    changed = answer.json()
    assert changed["currency"] == "gbp"
    assert changed["name"] == created["name"]
    assert changed["code"] == created["code"]
    assert changed["created_date"] == created["created_date"]
    assert changed["modified_date"] > created["modified_date"]


def test_patch_turning_auto_sync_on_uses_the_stored_code(api: httpx.Client) -> None:
    with_code = api.post("/stock_list/", json={"name": unique("S"), "code": unique("SC")}).json()
    assert (
        api.patch(f"/stock_list/{with_code['pk']}/", json={"is_auto_sync": True}).status_code == 200
    )

    without = api.post("/price_list/", json={"name": unique("NoCode")}).json()
    refused = api.patch(f"/price_list/{without['pk']}/", json={"is_auto_sync": True})
    assert refused.status_code == 400
    assert refused.json()["error_code"] == "product_price_300_2"
    fixed = api.patch(
        f"/price_list/{without['pk']}/", json={"is_auto_sync": True, "code": unique("FIX")}
    )
    assert fixed.status_code == 200
    assert fixed.json()["is_auto_sync"] is True


def test_patch_may_keep_its_own_name_but_not_take_another(api: httpx.Client) -> None:
    first = api.post("/price_list/", json={"name": unique("Own")}).json()
    second = api.post("/price_list/", json={"name": unique("Other")}).json()
    assert api.patch(f"/price_list/{first['pk']}/", json={"name": first["name"]}).status_code == 200
    taken = api.patch(f"/price_list/{second['pk']}/", json={"name": first["name"]})
    assert taken.status_code == 400
    assert taken.json() == {"name": ["price list with this name already exists."]}


def test_unknown_list_is_404_not_found(api: httpx.Client) -> None:
    for request in (api.get("/price_list/999999/"), api.patch("/stock_list/999999/", json={})):
        assert request.status_code == 404
        assert request.json() == {"detail": "Not found."}


def test_unknown_path_and_wrong_method_answer_json(api: httpx.Client) -> None:
    assert api.get("/no_such_thing/").json() == {"detail": "Not found."}
    answer = api.delete("/price_list/1/")
    assert answer.status_code == 405
    assert answer.json() == {"detail": 'Method "DELETE" not allowed.'}


def test_malformed_json_is_a_400_parse_error(api: httpx.Client) -> None:
    answer = api.post(
        "/price_list/", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("JSON parse error")


def test_a_list_body_instead_of_an_object_is_refused(api: httpx.Client) -> None:
    answer = api.post("/price_list/", json=[{"name": "x"}])
    assert answer.status_code == 400
    assert answer.json() == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }
