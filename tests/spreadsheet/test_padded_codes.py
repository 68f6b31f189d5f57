"""SKUs Excel took for numbers but shows zero-padded: the code is what the sheet shows."""

from pathlib import Path

from openpyxl import Workbook

from omnidesk.kinds import from_word
from omnidesk.spreadsheet import CheckResult, check_spreadsheet, open_spreadsheet


def checked(path: Path, kind: str = "price") -> CheckResult:
    with open_spreadsheet(path) as sheet:
        return check_spreadsheet(sheet, from_word(kind))


def test_a_numeric_sku_with_a_zero_padded_format_is_sent_as_excel_shows_it(
    tmp_path: Path,
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["SKU", "Fiyat"])
    for sku, price in [(98, 5), (198, 6), (1234567, 7), (2015227, 8)]:
        sheet.append([sku, price])
    for number, pattern in [(2, "000000"), (3, "000000"), (4, "000000"), (5, "General")]:
        sheet.cell(row=number, column=1).number_format = pattern
    path = tmp_path / "codes.xlsx"
    book.save(path)
    result = checked(path)
    assert result.findings == []
    # Wider than the format: Excel shows every digit, and so does the upload.
    skus = [line[0] for line in result.upload_rows()]
    assert skus == ["000098", "000198", "1234567", "2015227"]


def test_a_zero_padded_format_changes_only_the_sku_column(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["SKU", "Stok"])
    sheet.append([7, 12])
    sheet["A2"].number_format = "00000"
    sheet["B2"].number_format = "0000"  # shows 0012; the stock is still 12
    path = tmp_path / "stock.xlsx"
    book.save(path)
    result = checked(path, "stock")
    assert result.findings == []
    assert list(result.upload_rows()) == [["00007", "12"]]


def test_a_zero_padded_code_longer_than_excel_keeps_is_refused_too(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["SKU", "Fiyat"])
    sheet.append([1234567890123450, 5])
    sheet["A2"].number_format = "0" * 16  # Excel kept 15 digits; the 16th is gone
    path = tmp_path / "long.xlsx"
    book.save(path)
    result = checked(path)
    assert [f.row for f in result.findings] == [2]
    assert "more digits than Excel keeps" in result.findings[0].message
