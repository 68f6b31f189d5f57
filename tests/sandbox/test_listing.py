"""Pagination, filters and ordering, checked against the full listing as the oracle."""

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from omnidesk.sandbox import SandboxServer
from tests.names import unique


def everything(api: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    answer = api.get(path, params={**params, "limit": 1000})
    assert answer.status_code == 200
    body = answer.json()
    assert body["next"] is None, "the oracle expects one page"
    results: list[dict[str, Any]] = body["results"]
    return results


def test_docs_example_name_filter_is_case_insensitive_contains(api: httpx.Client) -> None:
    names = [row["name"] for row in everything(api, "/price_list/", name="price")]
    assert "Demo Price List" in names
    assert all("price" in name.lower() for name in names)


def test_name_filter_folds_turkish_letters(api: httpx.Client) -> None:
    for query, found in (
        ("FIYATLARI", "Outlet Fiyatları"),
        ("kasim", "Kampanya Kasım"),
        ("İNDİRİM", "Personel İndirimi"),
        ("personel indirimi", "Personel İndirimi"),
    ):
        names = [row["name"] for row in everything(api, "/price_list/", name=query)]
        assert names == [found], query


def test_code_contains_and_code_exact(api: httpx.Client) -> None:
    contains = {row["code"] for row in everything(api, "/price_list/", code="ERP-PL-TR")}
    assert contains == {"ERP-PL-TR-001", "ERP-PL-TR-OUT"}
    exact = everything(api, "/price_list/", code__exact="ERP-PL-TR-001")
    assert [row["name"] for row in exact] == ["Türkiye Perakende"]
    assert everything(api, "/price_list/", code__exact="ERP-PL-TR") == []


@pytest.mark.parametrize("word", ["true", "True", "false", "False"])
def test_auto_sync_filter(api: httpx.Client, word: str) -> None:
    wanted = word.lower() == "true"
    every = everything(api, "/stock_list/")
    filtered = everything(api, "/stock_list/", is_auto_sync=word)
    assert filtered == [row for row in every if row["is_auto_sync"] is wanted]
    assert filtered


def test_bad_auto_sync_value_is_a_400_on_that_filter(api: httpx.Client) -> None:
    answer = api.get("/price_list/", params={"is_auto_sync": "sometimes"})
    assert answer.status_code == 400
    assert list(answer.json()) == ["is_auto_sync"]


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


@pytest.mark.parametrize("lookup", ["gt", "gte", "lt", "lte"])
def test_created_date_lookups_with_a_full_datetime(api: httpx.Client, lookup: str) -> None:
    every = everything(api, "/price_list/", sort="created_date")
    pivot = every[len(every) // 2]["created_date"]  # an exact stored value: gt ≠ gte
    compare = {
        "gt": lambda a, b: a > b,
        "gte": lambda a, b: a >= b,
        "lt": lambda a, b: a < b,
        "lte": lambda a, b: a <= b,
    }[lookup]
    expected = [row["pk"] for row in every if compare(parse(row["created_date"]), parse(pivot))]
    got = [
        row["pk"]
        for row in everything(
            api, "/price_list/", sort="created_date", **{f"created_date__{lookup}": pivot}
        )
    ]
    assert got == expected
    assert 0 < len(got) < len(every)


@pytest.mark.parametrize("lookup", ["gt", "gte", "lt", "lte"])
def test_created_date_lookups_with_a_plain_date(api: httpx.Client, lookup: str) -> None:
    every = everything(api, "/price_list/", sort="created_date")
    day = every[len(every) // 2]["created_date"][:10]
    midnight = datetime.fromisoformat(day).replace(tzinfo=UTC)
    compare = {
        "gt": lambda a: a > midnight,
        "gte": lambda a: a >= midnight,
        "lt": lambda a: a < midnight,
        "lte": lambda a: a <= midnight,
    }[lookup]
    expected = [row["pk"] for row in every if compare(parse(row["created_date"]))]
    got = everything(api, "/price_list/", sort="created_date", **{f"created_date__{lookup}": day})
    assert [row["pk"] for row in got] == expected


@pytest.mark.parametrize("lookup", ["gt", "gte", "lt", "lte"])
def test_created_date_date_lookups_compare_whole_days(api: httpx.Client, lookup: str) -> None:
    every = everything(api, "/stock_list/", sort="created_date")
    day = every[2]["created_date"][:10]
    compare = {
        "gt": lambda a: a > day,
        "gte": lambda a: a >= day,
        "lt": lambda a: a < day,
        "lte": lambda a: a <= day,
    }[lookup]
    expected = [row["pk"] for row in every if compare(row["created_date"][:10])]
    got = everything(
        api, "/stock_list/", sort="created_date", **{f"created_date__date__{lookup}": day}
    )
    assert [row["pk"] for row in got] == expected


def test_bad_date_is_a_400_naming_the_filter(api: httpx.Client) -> None:
    answer = api.get("/price_list/", params={"created_date__gte": "yesterday"})
    assert answer.status_code == 400
    assert answer.json() == {"created_date__gte": ["Enter a valid date/time."]}


def test_filters_combine(api: httpx.Client) -> None:
    rows = everything(api, "/price_list/", name="a", is_auto_sync="true", code="ERP")
    assert rows
    assert all("a" in r["name"].lower() and r["is_auto_sync"] and "ERP" in r["code"] for r in rows)


def test_sort_by_name_both_ways_and_by_pk(api: httpx.Client) -> None:
    tag = unique("Zebra").replace(" ", "")
    for suffix in ("b", "A", "c"):
        assert api.post("/price_list/", json={"name": f"{tag} {suffix}"}).status_code == 201
    ascending = [r["name"][-1] for r in everything(api, "/price_list/", name=tag, sort="name")]
    assert ascending == ["A", "b", "c"]
    descending = [r["name"][-1] for r in everything(api, "/price_list/", name=tag, sort="-name")]
    assert descending == ["c", "b", "A"]
    pks = [r["pk"] for r in everything(api, "/price_list/", sort="-pk")]
    assert pks == sorted(pks, reverse=True)


def test_names_order_by_letter_not_by_code_point(api: httpx.Client) -> None:
    # İ sorts with I, between E and K; by code point it would come after every Latin letter.
    in_order = ["E-ticaret Deposu", "Europe Fulfilment Centre", "İade Deposu", "Kadıköy Mağaza"]
    names = [r["name"] for r in everything(api, "/stock_list/", sort="name")]
    assert [name for name in names if name in in_order] == in_order


def test_default_page_is_ten_rows_with_absolute_next(
    api: httpx.Client, sandbox: SandboxServer
) -> None:
    body = api.get("/product_price/", params={"price_list": 1}).json()
    assert len(body["results"]) == 10
    assert body["count"] > 5000
    assert body["previous"] is None
    assert body["next"] == f"{sandbox.url}/api/v1/product_price/?price_list=1&page=2"


def test_walking_next_links_visits_every_row_once(api: httpx.Client) -> None:
    url: str | None = "/product_stock/?stock_list=3&limit=700"
    seen: list[int] = []
    count = None
    while url:
        body = api.get(url).json()
        count = body["count"]
        seen += [row["pk"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == count
    assert len(set(seen)) == count


def test_previous_of_page_two_drops_the_page_parameter(
    api: httpx.Client, sandbox: SandboxServer
) -> None:
    body = api.get("/product_price/", params={"price_list": 2, "limit": 5, "page": 2}).json()
    assert body["previous"] == f"{sandbox.url}/api/v1/product_price/?price_list=2&limit=5"
    page3 = api.get("/product_price/", params={"price_list": 2, "limit": 5, "page": 3}).json()
    assert page3["previous"].endswith("page=2")


def test_last_page_has_no_next_and_past_it_is_invalid(api: httpx.Client) -> None:
    count = api.get("/stock_list/").json()["count"]
    last = -(-count // 4)
    body = api.get("/stock_list/", params={"limit": 4, "page": last}).json()
    assert body["next"] is None
    assert len(body["results"]) == count - 4 * (last - 1)
    for page in (last + 1, 0, "abc", 2**63, "9" * 30):  # huge ones too, not a 500
        answer = api.get("/stock_list/", params={"limit": 4, "page": page})
        assert answer.status_code == 404
        assert answer.json() == {"detail": "Invalid page."}


def test_empty_result_is_page_one_with_zero_count(api: httpx.Client) -> None:
    body = api.get("/price_list/", params={"name": "no list is called this"}).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_limit_is_capped_at_1000_and_nonsense_means_default(api: httpx.Client) -> None:
    assert len(api.get("/product_price/", params={"limit": 5000}).json()["results"]) == 1000
    assert len(api.get("/product_price/", params={"limit": "lots"}).json()["results"]) == 10
