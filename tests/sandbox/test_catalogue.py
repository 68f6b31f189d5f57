"""The seeded catalogue and the read-only product price, stock and product endpoints."""

from decimal import Decimal

import httpx


def test_seed_has_a_believable_catalogue(api: httpx.Client) -> None:
    products = api.get("/products/").json()["count"]
    assert products >= 5000
    price_lists = api.get("/price_list/", params={"limit": 100}).json()["results"]
    assert len(price_lists) >= 12
    assert len({row["currency"] for row in price_lists}) >= 5
    assert any(row["is_auto_sync"] and row["code"] for row in price_lists)
    assert api.get("/stock_list/").json()["count"] >= 5
    one_list = api.get("/product_price/", params={"price_list": 1}).json()["count"]
    assert one_list > products * 0.8


def test_seed_skus_include_leading_zeros_and_plain_numbers(api: httpx.Client) -> None:
    skus = [row["sku"] for row in api.get("/products/", params={"limit": 1000}).json()["results"]]
    assert any(sku.startswith("0") and sku.isdigit() for sku in skus)
    assert any(sku.isdigit() and not sku.startswith("0") for sku in skus)
    assert any(not sku.isdigit() for sku in skus)
    names = " ".join(
        row["name"] for row in api.get("/products/", params={"limit": 300}).json()["results"]
    )
    assert any(letter in names for letter in "ğüşıöçİ")  # Turkish names
    assert " Man " in names or " Woman " in names  # and English ones


def test_product_by_sku_from_the_docs_example(api: httpx.Client) -> None:
    body = api.get("/products/", params={"sku": "2015227"}).json()
    assert body["count"] == 1
    assert body["results"][0] == {"pk": 1, "sku": "2015227", "name": "GANT Man Black Sock"}


def test_product_price_rows_have_the_documented_fields_and_two_place_strings(
    api: httpx.Client,
) -> None:
    body = api.get("/product_price/", params={"price_list": 2, "limit": 50}).json()
    for row in body["results"]:
        assert set(row) == {  # the product as its pk, no SKU [doc]
            "id",
            "product",
            "price_list",
            "price",
            "retail_price",
            "tax_rate",
            "currency_type",
            "created_date",
            "modified_date",
        }
        assert row["price_list"] == 2
        assert isinstance(row["price"], str)
        assert Decimal(row["price"]).as_tuple().exponent == -2
        assert row["currency_type"] == "try"


def test_product_prices_filter_by_product_not_by_sku(api: httpx.Client) -> None:
    by_product = api.get("/product_price/", params={"product": 1, "limit": 100}).json()
    assert by_product["count"] >= 10  # the docs' product is in most lists
    assert {row["product"] for row in by_product["results"]} == {1}
    one = api.get("/product_price/", params={"product": 1, "price_list": 1}).json()
    assert one["count"] == 1
    # v1 has no SKU filter [doc]: like django-filter, an unknown parameter is ignored.
    every = api.get("/product_price/", params={"price_list": 1}).json()["count"]
    ignored = api.get("/product_price/", params={"price_list": 1, "product__sku": "2015227"})
    assert ignored.json()["count"] == every > 1


def test_pk_in_filters_rows_and_products(api: httpx.Client) -> None:
    rows = api.get("/product_price/", params={"price_list": 1, "limit": 3}).json()["results"]
    wanted = ",".join(str(row["id"]) for row in rows)
    again = api.get("/product_price/", params={"pk__in": wanted}).json()
    assert again["results"] == rows
    products = api.get("/products/", params={"pk__in": "3,1,2"}).json()
    assert [p["pk"] for p in products["results"]] == [1, 2, 3]
    assert api.get("/products/", params={"pk__in": "1,x"}).status_code == 400


def test_i1_rows_carry_the_sku_instead_of_the_product(api: httpx.Client, i1: httpx.Client) -> None:
    v1 = api.get("/product_price/", params={"price_list": 1, "limit": 5}).json()["results"]
    shown = i1.get("/product_price/", params={"price_list": 1, "limit": 5}).json()["results"]
    assert [row["id"] for row in shown] == [row["id"] for row in v1]
    for v1_row, i1_row in zip(v1, shown, strict=True):
        assert "product" not in i1_row
        assert "created_date" not in i1_row
        sku = api.get(f"/products/{v1_row['product']}/").json()["sku"]
        assert i1_row["product_sku"] == sku
        assert i1_row["price"] == v1_row["price"]
    stock = i1.get("/product_stock/", params={"stock_list": 1, "limit": 1}).json()["results"][0]
    assert {"id", "product_sku"} <= set(stock)  # i1 stocks carry id and product_sku [doc]
    assert "pk" not in stock


def test_product_stock_rows_and_filters(api: httpx.Client) -> None:
    body = api.get("/product_stock/", params={"stock_list": 1, "limit": 20}).json()
    assert body["count"] > 4000
    for row in body["results"]:
        assert set(row) == {
            "pk",
            "product",
            "stock_list",
            "stock",
            "unit_type",
            "sold_quantity_unreported",
            "created_date",
            "modified_date",
        }
        assert row["stock_list"] == 1
        assert isinstance(row["stock"], int)
        assert row["unit_type"] in ("qty", "kg")
    detail = api.get(f"/product_stock/{body['results'][0]['pk']}/").json()
    assert detail == body["results"][0]


def test_non_numeric_list_filter_is_a_400(api: httpx.Client) -> None:
    answer = api.get("/product_price/", params={"price_list": "first"})
    assert answer.status_code == 400
    assert list(answer.json()) == ["price_list"]
