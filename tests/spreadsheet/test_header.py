"""Finding the header row and matching its columns to fields (``spreadsheet/header.py``)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import (
    PRICE_LIST_SCHEMA,
    STOCK_LIST_SCHEMA,
    SheetRow,
    check_spreadsheet,
    kind_of_header,
    match_columns,
    open_spreadsheet,
)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("SKU", "product__sku"),
        ("Stok Kodu", "product__sku"),
        ("STOK_KODU", "product__sku"),
        ("product__sku", "product__sku"),
        ("Fiyat", "price"),
        ("Fiyat (TL)", "price"),
        ("KDV %", "tax_rate"),
        ("KDV Oranı", "tax_rate"),
        ("Para Birimi", "currency_type"),
        ("Piyasa Fiyatı", "retail_price"),
    ],
)
def test_price_headers_match_forgivingly(header: str, field: str) -> None:
    assert match_columns(["x", header], PRICE_LIST_SCHEMA).field_of == {1: field}


def test_stock_aliases_and_second_match_is_ignored_with_a_note() -> None:
    mapping = match_columns(["Stok Kodu", "Stok", "Miktar", "Birim"], STOCK_LIST_SCHEMA)
    assert mapping.field_of == {0: "product__sku", 1: "stock", 3: "unit_type"}
    assert "Miktar" in mapping.notes[0]


def test_explicit_mapping_wins_and_rejects_unknown_fields() -> None:
    mapping = match_columns(
        ["Code", "Tutar"], PRICE_LIST_SCHEMA, {"Tutar": "price", 0: "product__sku"}
    )
    assert mapping.field_of == {0: "product__sku", 1: "price"}
    with pytest.raises(ValueError, match="not a price list column"):
        match_columns(["a"], PRICE_LIST_SCHEMA, {"a": "stock"})


def test_header_below_a_title_row_is_found(make_csv: Callable[..., Path]) -> None:
    path = make_csv("Kasım fiyatları\n\nsku,price\nA,1\n")
    with open_spreadsheet(path) as sheet:
        result = check_spreadsheet(sheet, ListKind.PRICE)
    assert result.header_row == 3
    assert "row 3 is the header" in result.notes[0]
    assert [r.row for r in result.good_rows()] == [4]


def test_a_person_can_choose_the_header_row_and_columns(make_csv: Callable[..., Path]) -> None:
    path = make_csv("Kasım\nKod,Tutar\nA,10\n")
    with open_spreadsheet(path) as sheet:
        guessed = check_spreadsheet(sheet, ListKind.PRICE)
        fixed = check_spreadsheet(
            sheet, ListKind.PRICE, header_row=2, mapping={"Kod": "product__sku", "Tutar": "price"}
        )
    assert guessed.error_rows == guessed.rows  # no SKU or price column recognised
    assert fixed.header_row == 2
    assert [r.values for r in fixed.good_rows()] == [{"product__sku": "A", "price": Decimal("10")}]
    # With the mapping alone, the header row is found by the mapped names.
    with open_spreadsheet(path) as sheet:
        mapped = check_spreadsheet(
            sheet, ListKind.PRICE, mapping={"Kod": "product__sku", "Tutar": "price"}
        )
    assert mapped.header_row == 2


@pytest.mark.parametrize(
    ("rows", "kind"),
    [
        ([["product__sku", "stock"]], ListKind.STOCK),
        ([["SKU", "Stok"], ["A", 1]], ListKind.STOCK),
        ([["Kasım stokları"], ["Stok Kodu", "Stok Adedi"], ["A", 1]], ListKind.STOCK),
        ([["product__sku", "price"], ["A", 1]], ListKind.PRICE),
        ([["SKU", "Fiyat (TL)"]], ListKind.PRICE),
        ([["SKU", "Fiyat", "Stok"]], None),  # fits both: only the person can say
        ([["SKU", "Renk"]], None),  # fits neither
        ([["Stok", "Fiyat"]], None),  # no SKU column
        ([], None),
    ],
)
def test_the_kind_a_header_fits(rows: list[list[object]], kind: ListKind | None) -> None:
    sheet_rows = [SheetRow(number, row) for number, row in enumerate(rows, 1)]  # type: ignore[arg-type]
    assert kind_of_header(sheet_rows) is kind
