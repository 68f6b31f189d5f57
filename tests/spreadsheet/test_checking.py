import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import (
    HeaderOnly,
    RowChecker,
    SheetRow,
    check_rows,
    check_spreadsheet,
    open_spreadsheet,
)

from .checks import check, messages


def test_price_rules_in_row_order_with_sheet_row_numbers() -> None:
    result = check(
        "price",
        ["SKU", "Fiyat", "Piyasa Fiyatı", "KDV", "Para Birimi"],
        ["A1", "10.00", "12.00", "20", "try"],
        ["A2", "-1", "", "101", "xyz"],
        ["", "5", "", "", ""],
        ["A3", "10.999", "", "18", "TL"],
        ["A4", "abc", "", "", ""],
        ["A5", "", "", "", ""],
    )
    assert messages(result) == [
        (3, "Fiyat", "error", "Price “-1” cannot be negative."),
        (3, "KDV", "error", "Tax rate “101” must be between 0 and 100."),
        (3, "Para Birimi", "error", result.findings[2].message),
        (4, "SKU", "error", "SKU is missing."),
        (5, "Fiyat", "error", "Price “10.999” has more than 2 decimal places."),
        (6, "Fiyat", "error", "Price “abc” is not a number."),
        (7, "Fiyat", "error", "Price is missing."),
    ]
    assert "“xyz” is not allowed" in result.findings[2].message
    assert (result.rows, result.valid_rows, result.error_rows, result.warning_rows) == (6, 1, 5, 0)


def test_good_rows_are_normalised() -> None:
    result = check(
        "price",
        ["SKU", "Fiyat", "KDV", "Para Birimi"],
        [2015227.0, "₺1.234,50", "%20", "TL"],
        ["000123", 8.1, 18.0, "USD"],
    )
    rows = list(result.good_rows())
    assert [r.row for r in rows] == [2, 3]
    assert rows[0].values == {
        "product__sku": "2015227",
        "currency_type": "try",
        "price": Decimal("1234.50"),
        "tax_rate": Decimal("20"),
    }
    assert rows[1].values["price"] == Decimal("8.1")
    assert list(result.upload_rows()) == [
        ["2015227", "try", "1234.50", "20"],
        ["000123", "usd", "8.10", "18"],
    ]


def test_excel_float_with_hidden_decimals_is_an_error_with_a_hint() -> None:
    result = check("price", ["sku", "price"], ["A", 10 / 3])
    assert "more than 2 decimal places" in result.findings[0].message
    assert "round" in result.findings[0].message


def test_ambiguous_values_follow_the_column() -> None:
    result = check("price", ["sku", "price"], ["A", "1.234"], ["B", "10,50"], ["C", "2,125"])
    assert [r.values["price"] for r in result.good_rows()] == [Decimal("1234"), Decimal("10.50")]
    # In a decimal-comma column 2,125 is 2.125: decided first, then checked as a price.
    assert messages(result) == [
        (4, "price", "error", "Price “2,125” has more than 2 decimal places.")
    ]


def test_ambiguous_values_resolve_to_thousands_when_the_column_uses_points() -> None:
    result = check("price", ["sku", "price"], ["A", "1,234"], ["B", "10.50"])
    assert [r.values["price"] for r in result.good_rows()] == [Decimal("1234"), Decimal("10.50")]


def test_an_all_ambiguous_column_is_reported_not_guessed() -> None:
    result = check("price", ["sku", "price"], ["A", "1,234"], ["B", "2,500"])
    assert result.error_rows == 2
    assert "could mean 1234 or 1.234" in result.findings[0].message
    assert result.decimal_styles["price"] is None


def test_stock_rules() -> None:
    result = check(
        "stock",
        ["SKU", "Stok", "Birim", "sold_quantity_unreported"],
        ["A", "12", "adet", "0"],
        ["B", "12.5", "kg", ""],
        ["C", 2147483648, "QTY", ""],
        ["D", "-1", "litre", "-2"],
        ["E", 7.0, "KG", 3],
    )
    assert [(f.row, f.column) for f in result.findings] == [
        (3, "Stok"),
        (4, "Stok"),
        (5, "Stok"),
        (5, "Birim"),
        (5, "sold_quantity_unreported"),
    ]
    assert "whole number" in result.findings[0].message
    assert "maximum 2,147,483,647" in result.findings[1].message
    good = [r.values for r in result.good_rows()]
    assert good == [
        {"product__sku": "A", "stock": 12, "unit_type": "qty", "sold_quantity_unreported": 0},
        {"product__sku": "E", "stock": 7, "unit_type": "kg", "sold_quantity_unreported": 3},
    ]


def test_duplicate_skus_warn_and_the_later_row_wins() -> None:
    result = check("stock", ["sku", "stock"], ["A", 1], ["B", 2], ["A", 3])
    assert messages(result) == [
        (2, "sku", "warning", "SKU “A” appears again on row 4, which replaces this row."),
        (4, "sku", "warning", "SKU “A” is also on row 2; only this later row is uploaded."),
    ]
    assert [(r.row, r.values["stock"]) for r in result.good_rows()] == [(3, 2), (4, 3)]
    assert (result.valid_rows, result.warning_rows, result.error_rows) == (3, 2, 0)


def test_dates_and_scientific_skus_are_explained() -> None:
    result = check(
        "price",
        ["sku", "price"],
        [datetime.date(2024, 1, 2), 1],
        ["8.69E+12", 1],
        ["C", datetime.datetime(2024, 1, 2)],
    )
    assert "turned into a date" in result.findings[0].message
    assert "scientific notation" in result.findings[1].message
    assert "not a number" in result.findings[2].message


def test_a_code_typed_as_a_number_longer_than_excel_keeps_is_refused() -> None:
    # EAN-13 barcodes fit in Excel's 15 digits; an 18-digit code typed as a number does not.
    result = check("price", ["sku", "price"], [8690000000017.0, 1], [123456789012345678.0, 2])
    assert [f.row for f in result.findings] == [3]
    assert "more digits than Excel keeps" in result.findings[0].message
    assert [row.values["product__sku"] for row in result.good_rows()] == ["8690000000017"]


def test_a_quote_missing_its_partner_is_named_where_the_rows_went(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('SKU,Fiyat\nA-1,5\n"A-2,6\nA-3,7\nA-4,8\n', encoding="utf-8")
    with open_spreadsheet(path) as sheet:
        result = check_spreadsheet(sheet, ListKind.PRICE)
    messages = [f.message for f in result.findings if f.column == "SKU"]
    assert len(messages) == 1
    assert messages[0].startswith("SKU “A-2,6…” runs over 3 lines: a quote mark")


@pytest.mark.parametrize("columnar", [True, False])
def test_no_code_spans_lines_whichever_way_the_rows_are_checked(columnar: bool) -> None:
    checker = RowChecker(ListKind.PRICE, SheetRow(1, ["sku", "price"]))
    checker.columnar = columnar
    checker.check([SheetRow(2, ["A-1", "5"]), SheetRow(3, ["A-2\nA-3", "6"])])
    result = checker.finish()
    assert [f.row for f in result.findings] == [3]
    assert "runs over 2 lines" in result.findings[0].message


def test_codes_that_only_look_scientific_pass() -> None:
    result = check("price", ["sku", "price"], ["1E5", 1], ["12E3456", 2], ["1,5E+3", 3])
    assert [f.row for f in result.findings] == [4]  # only Excel's own "E+" form
    assert [row.values["product__sku"] for row in result.good_rows()] == ["1E5", "12E3456"]


def test_missing_required_column_blocks_every_row() -> None:
    result = check("price", ["sku", "name"], ["A", "x"], ["B", "y"])
    assert result.error_rows == 2
    assert result.findings[0].row == 1
    assert "Price (price)" in result.findings[0].message


def test_header_only_is_an_error(make_csv: Callable[..., Path]) -> None:
    with open_spreadsheet(make_csv("sku,price\n")) as sheet, pytest.raises(HeaderOnly):
        check_spreadsheet(sheet, ListKind.PRICE)


def test_incremental_checking_matches_one_pass() -> None:
    header = SheetRow(1, ["sku", "price"])
    rows = [SheetRow(n, [f"S{n % 7}", f"{n},5" if n % 3 else "1,000"]) for n in range(2, 40)]
    checker = RowChecker(ListKind.PRICE, header)
    progress = []
    for start in range(0, len(rows), 5):
        checker.check(rows[start : start + 5])
        progress.append(checker.rows_checked)
    batched = checker.finish()
    whole = check_rows([header, *rows], ListKind.PRICE)
    assert progress[-1] == len(rows)
    assert messages(batched) == messages(whole)
    assert list(batched.good_rows()) == list(whole.good_rows())
    assert [f.row for f in whole.findings] == sorted(f.row for f in whole.findings)


def test_progress_is_reported(make_csv: Callable[..., Path]) -> None:
    path = make_csv("sku,price\n" + "".join(f"A{i},1\n" for i in range(25_000)))
    seen: list[int] = []
    with open_spreadsheet(path) as sheet:
        result = check_spreadsheet(sheet, ListKind.PRICE, progress=seen.append)
    assert seen[-1] == result.rows == 25_000
    assert seen == sorted(seen)
    assert len(seen) >= 3


def test_findings_are_capped_but_counts_stay_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    from omnidesk.spreadsheet import findings

    monkeypatch.setattr(findings, "MAX_FINDINGS", 3)
    result = check("stock", ["sku", "stock"], *[[f"S{i}", "many"] for i in range(10)])
    assert len(result.findings) == 3
    assert result.error_rows == 10
    assert "7 more were found" in result.notes[-1]


def _decimal_places(value: float) -> int:
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


@settings(max_examples=200, deadline=None)
@given(
    price=st.floats(min_value=0, max_value=1e12, allow_nan=False)
    | st.integers(0, 10**9).map(lambda cents: cents / 100)
    | st.integers(0, 10**9).map(lambda mills: mills / 1000),
    columnar=st.booleans(),
)
def test_excel_prices_pass_exactly_when_they_have_at_most_two_places(
    price: float, columnar: bool
) -> None:
    checker = RowChecker(ListKind.PRICE, SheetRow(1, ["sku", "price"]))
    checker.columnar = columnar
    checker.check([SheetRow(2, ["A", price])])
    result = checker.finish()
    assert result.all_rows_usable == (_decimal_places(price) <= 2 and price < 1e10)
    if result.all_rows_usable:
        assert next(result.good_rows()).values["price"] == Decimal(repr(price))


@settings(max_examples=300, deadline=None)
@given(
    amount=st.decimals(min_value=0, max_value=Decimal("1e16"), places=2, allow_nan=False),
    comma=st.booleans(),
    columnar=st.booleans(),
)
def test_typed_prices_keep_every_digit_or_are_too_large(
    amount: Decimal, comma: bool, columnar: bool
) -> None:
    typed = f"{amount:f}".replace(".", "," if comma else ".")
    checker = RowChecker(ListKind.PRICE, SheetRow(1, ["sku", "price"]))
    checker.columnar = columnar
    checker.check([SheetRow(2, ["A", typed])])
    result = checker.finish()
    if amount < Decimal(10) ** 10:  # Omnitron's limit: 10 digits before the point
        assert result.all_rows_usable, result.findings
        assert next(result.good_rows()).values["price"] == amount  # never through a float
    else:
        assert [f.message for f in result.findings] == [
            f"Price “{typed}” is too large: at most 10 digits before the decimal point."
        ]


_CELLS = st.one_of(
    st.sampled_from(["", "A1", "A2", " B ", "try", "USD", "xyz", "10,50", "1,234", "8.69E+12"]),
    st.sampled_from(["20", "100,5", "0", "007,50", "10.5", " 7 ", "²", "1.5", "-3", "99,99"]),
    st.floats(min_value=-5, max_value=200, allow_nan=False).map(lambda x: round(x, 3)),
    st.booleans(),
    st.none(),
)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.lists(_CELLS, min_size=5, max_size=5), min_size=1, max_size=30))
def test_column_wise_and_row_wise_checks_agree(rows: list[list[object]]) -> None:
    header = SheetRow(1, ["sku", "price", "retail_price", "tax_rate", "currency_type"])
    if rows and rows[0][4] == "":
        # Sometimes a stock list: the same cells, checked as whole numbers and units.
        header = SheetRow(1, ["sku", "stock", "sold_quantity_unreported", "unit_type", "x"])
    sheet_rows = [SheetRow(n, cells) for n, cells in enumerate(rows, 2)]  # type: ignore[arg-type]
    results = []
    for columnar in (True, False):
        checker = RowChecker(ListKind.PRICE, header)
        checker.columnar = columnar
        for start in range(0, len(sheet_rows), 7):
            checker.check(sheet_rows[start : start + 7])
        results.append(checker.finish())
    fast, slow = results
    assert messages(fast) == messages(slow)
    assert list(fast.good_rows()) == list(slow.good_rows())
    assert (fast.valid_rows, fast.error_rows, fast.warning_rows) == (
        slow.valid_rows,
        slow.error_rows,
        slow.warning_rows,
    )


def test_a_chosen_decimal_convention_settles_ambiguous_values() -> None:
    from omnidesk.spreadsheet import DecimalStyle

    rows = [
        SheetRow(1, ["product__sku", "price"]),
        SheetRow(2, ["A-1", "1,250"]),
        SheetRow(3, ["A-2", "2,500"]),
    ]
    undecided = check_rows(rows, ListKind.PRICE)
    assert undecided.error_rows == 2  # 1,250 reads as 1250 or 1.25: reported, not guessed
    as_comma = check_rows(rows, ListKind.PRICE, decimal_styles={"price": DecimalStyle.COMMA})
    assert [r.values["price"] for r in as_comma.good_rows()] == [Decimal("1.25"), Decimal("2.5")]
    assert as_comma.decimal_styles["price"] is DecimalStyle.COMMA
    as_point = check_rows(rows, ListKind.PRICE, decimal_styles={"price": DecimalStyle.POINT})
    assert [r.values["price"] for r in as_point.good_rows()] == [Decimal(1250), Decimal(2500)]


def test_the_rows_tap_sees_every_data_row_once_in_order_and_pauses_are_taken() -> None:
    header = SheetRow(1, ["sku", "price"])
    rows = [SheetRow(n, [f"S{n}", "1.50"]) for n in range(2, 1203)]
    seen: list[int] = []
    pauses: list[None] = []
    result = check_rows(
        [header, *rows],
        ListKind.PRICE,
        on_rows=lambda batch: seen.extend(row.number for row in batch),
        pause=lambda: pauses.append(None),
    )
    assert seen == [row.number for row in rows]
    assert result.valid_rows == len(rows)
    assert len(pauses) == (len(rows) + 1) // 500  # every 500 rows read, the header counted
