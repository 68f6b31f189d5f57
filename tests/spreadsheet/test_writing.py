import csv
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from omnidesk.kinds import ListKind, from_word
from omnidesk.spreadsheet import (
    SpreadsheetError,
    check_spreadsheet,
    open_spreadsheet,
    write_annotated_copy,
    write_clean_upload,
    write_template,
)
from omnidesk.spreadsheet.writing import ERROR_FILL, WARNING_FILL

from .conftest import FIXTURES

TURKISH_CSV = (
    "Stok Kodu;Ürün Adı;Fiyat;Piyasa Fiyatı;KDV\n"
    "000123;Çorap;1.234,50;1.500,00;%20\n"
    "8690000000001;Gömlek;10,5;;18\n"
    "X1;Ceket;abc;;\n"
    "000123;Çorap;1.199,00;;20\n"
)


def checked(path: Path, kind: str = "price"):  # type: ignore[no-untyped-def]
    with open_spreadsheet(path) as sheet:
        return check_spreadsheet(sheet, from_word(kind))


def test_clean_upload_xlsx_has_server_headers_and_plain_values(
    make_csv: Callable[..., Path], tmp_path: Path
) -> None:
    result = checked(make_csv(TURKISH_CSV, encoding="cp1254"))
    out = tmp_path / "upload.xlsx"
    assert write_clean_upload(result, out) == 2
    rows = [list(r) for r in load_workbook(out).active.iter_rows(values_only=True)]  # type: ignore[union-attr]
    # Product names are for people; the server ignores them, so they are not uploaded.
    assert rows[0] == ["product__sku", "price", "retail_price", "tax_rate"]
    # The earlier 000123 row is replaced by the later one; the bad row is left out.
    assert rows[1] == ["8690000000001", 10.5, None, 18]
    assert rows[2] == ["000123", 1199, None, 20]
    assert isinstance(rows[2][0], str)


def test_clean_upload_csv_text(make_csv: Callable[..., Path], tmp_path: Path) -> None:
    result = checked(make_csv(TURKISH_CSV))
    out = tmp_path / "upload.csv"
    write_clean_upload(result, out)
    assert out.read_text(encoding="utf-8").splitlines() == [
        "product__sku,price,retail_price,tax_rate",
        "8690000000001,10.50,,18",
        "000123,1199.00,,20",
    ]
    # What OmniDesk writes, OmniDesk reads back as the same rows without findings.
    again = checked(out)
    assert again.findings == []
    assert [r.values["price"] for r in again.good_rows()] == [Decimal("10.50"), Decimal("1199.00")]


def test_annotated_copy_keeps_the_workbook_and_marks_cells(tmp_path: Path) -> None:
    source = tmp_path / "mine.xlsx"
    book = Workbook()
    other = book.active
    assert other is not None
    other.title = "Read me"
    other["A1"] = "keep me"
    sheet = book.create_sheet("Prices")
    sheet.append(["SKU", "Price", "Retail price"])
    sheet.append(["A", 10, 8])
    sheet.append(["B", -1, None])
    sheet.column_dimensions["A"].width = 33
    sheet["B2"].number_format = "#,##0.00"
    book.save(source)
    with open_spreadsheet(source, sheet="Prices") as opened:
        result = check_spreadsheet(opened, ListKind.PRICE)
    out = tmp_path / "checked.xlsx"
    write_annotated_copy(source, result, out)

    copy = load_workbook(out)
    assert copy.sheetnames == ["Read me", "Prices", "Problems"]
    assert copy["Read me"]["A1"].value == "keep me"
    prices = copy["Prices"]
    assert prices.column_dimensions["A"].width == 33
    assert prices["B2"].number_format == "#,##0.00"
    assert prices["C2"].fill.start_color.rgb == WARNING_FILL.start_color.rgb
    assert prices["B3"].fill.start_color.rgb == ERROR_FILL.start_color.rgb
    assert prices["B3"].comment is not None
    assert "cannot be negative" in prices["B3"].comment.text
    problems = [r for r in copy["Problems"].iter_rows(min_row=2, values_only=True)]
    assert problems[0][3].startswith("2 rows: 1 usable")
    assert [(r[0], r[1], r[2]) for r in problems[1:]] == [
        (2, "Retail price", "warning"),
        (3, "Price", "error"),
    ]


def test_annotated_copy_of_csv_and_ods_is_an_xlsx_with_the_same_content(
    make_csv: Callable[..., Path], tmp_path: Path
) -> None:
    source = make_csv(TURKISH_CSV)
    result = checked(source)
    out = tmp_path / "checked.xlsx"
    write_annotated_copy(source, result, out)
    sheet = load_workbook(out)["list"]
    assert sheet["A2"].value == "000123"
    assert sheet["C4"].value == "abc"
    assert sheet["C4"].fill.start_color.rgb == ERROR_FILL.start_color.rgb

    ods = FIXTURES / "office_prices.ods"
    ods_result = checked(ods)
    write_annotated_copy(ods, ods_result, out)
    copy = load_workbook(out)
    assert copy.sheetnames == ["Fiyatlar", "Problems"]
    assert copy["Fiyatlar"]["A5"].value == 8690000000001
    assert copy["Fiyatlar"]["C6"].fill.start_color.rgb == ERROR_FILL.start_color.rgb


def test_templates_check_clean(tmp_path: Path) -> None:
    for kind in ("price", "stock"):
        out = tmp_path / f"{kind}.xlsx"
        write_template(from_word(kind), out)
        book = load_workbook(out)
        assert book.sheetnames[1] == "Instructions"
        result = checked(out, kind)
        assert result.findings == []
        assert result.valid_rows == 1
        assert all(field is not None for field in result.mapping.as_dict().values())


def test_clean_csv_is_plain_utf8_with_commas(make_csv: Callable[..., Path], tmp_path: Path) -> None:
    result = checked(make_csv("sku;stock\n001;5\n", name="s.csv"), "stock")
    out = tmp_path / "s_upload.csv"
    write_clean_upload(result, out)
    with out.open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [["product__sku", "stock"], ["001", "5"]]


def test_annotated_copy_of_an_office_suite_workbook_keeps_its_structure(tmp_path: Path) -> None:
    source = FIXTURES / "office_prices.xlsx"
    result = checked(source)
    out = tmp_path / "checked.xlsx"
    write_annotated_copy(source, result, out)
    copy = load_workbook(out)
    assert copy.sheetnames == ["Lookup", "Fiyatlar", "Notes", "Problems"]
    assert copy["Lookup"].sheet_state == "hidden"
    prices = copy["Fiyatlar"]
    assert "A1:E1" in {str(r) for r in prices.merged_cells.ranges}
    assert prices["C6"].fill.start_color.rgb == ERROR_FILL.start_color.rgb
    assert prices["D6"].comment is not None
    assert "between 0 and 100" in prices["D6"].comment.text


def test_annotated_copy_follows_the_content_not_the_name(tmp_path: Path) -> None:
    source = tmp_path / "erp_export.xls"  # really an .xlsx
    source.write_bytes((FIXTURES / "office_prices.xlsx").read_bytes())
    out = tmp_path / "checked.xlsx"
    write_annotated_copy(source, checked(source), out)
    assert load_workbook(out).sheetnames == ["Lookup", "Fiyatlar", "Notes", "Problems"]


def test_codes_that_look_like_formulas_stay_text(
    make_csv: Callable[..., Path], tmp_path: Path
) -> None:
    source = make_csv("sku,price\n=1+1,5\n-A,x\n")
    result = checked(source)
    upload = tmp_path / "upload.xlsx"
    write_clean_upload(result, upload)
    cell = load_workbook(upload).active["A2"]  # type: ignore[index]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    annotated = tmp_path / "checked.xlsx"
    write_annotated_copy(source, result, annotated)
    copied = load_workbook(annotated)["list"]["A2"]
    assert (copied.value, copied.data_type) == ("=1+1", "s")


def test_the_window_gets_the_same_refusals_as_a_spreadsheet_error(
    make_csv: Callable[..., Path], tmp_path: Path
) -> None:
    # The import wizard shows a SpreadsheetError's message and keeps going.
    source = make_csv("sku,price\nA,1\n", name="nums.csv")
    result = checked(source)
    with pytest.raises(SpreadsheetError, match="would replace it"):
        write_annotated_copy(source, result, source)
    with pytest.raises(SpreadsheetError, match=r"must end in \.xlsx"):
        write_annotated_copy(source, result, tmp_path / "out.ods")
    with pytest.raises(SpreadsheetError, match=r"must end in \.xlsx"):
        write_template(ListKind.STOCK, tmp_path / "ts.csv")
    assert source.read_text() == "sku,price\nA,1\n"
    assert not (tmp_path / "out.ods").exists()
    assert not (tmp_path / "ts.csv").exists()
