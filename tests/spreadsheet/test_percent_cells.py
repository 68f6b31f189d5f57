"""Tax rates Excel shows as percentages: the rate is what the sheet shows, not what it stores."""

import re
import zipfile
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook

from omnidesk.kinds import from_word
from omnidesk.spreadsheet import CheckResult, cell_text, check_spreadsheet, open_spreadsheet


def workbook(tmp_path: Path, header: list[str], rows: list[list[object]], percent: str) -> Path:
    """Rows under ``header``, with every cell of the columns in ``percent`` formatted 0%."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    column = header.index(percent) + 1
    for number in range(2, len(rows) + 2):
        sheet.cell(row=number, column=column).number_format = "0%"
    path = tmp_path / "percent.xlsx"
    book.save(path)
    return path


def checked(path: Path, kind: str = "price") -> CheckResult:
    with open_spreadsheet(path) as sheet:
        return check_spreadsheet(sheet, from_word(kind))


def test_a_tax_rate_formatted_as_percent_is_the_percentage_excel_shows(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        ["SKU", "Fiyat", "KDV %"],
        [["A", 10, 0.2], ["B", 11, 0.085], ["C", 12, 0.18], ["D", 13, 0.01], ["E", 14, 0]],
        percent="KDV %",
    )
    result = checked(path)
    assert result.findings == []
    rates = [row.values["tax_rate"] for row in result.good_rows()]
    assert rates == [Decimal("20"), Decimal("8.5"), Decimal("18"), Decimal("1"), Decimal("0")]
    sent = [line[-1] for line in result.upload_rows()]
    assert sent == ["20", "8.5", "18", "1", "0"]


def test_a_percent_tax_rate_keeps_its_checks_in_the_shown_units(tmp_path: Path) -> None:
    path = workbook(
        tmp_path, ["SKU", "Fiyat", "KDV %"], [["A", 10, 1.5], ["B", 10, 0.08525]], percent="KDV %"
    )
    messages = [f.message for f in checked(path).findings]
    assert messages == [
        "Tax rate “150%” must be between 0 and 100.",
        "Tax rate “8.525%” has more than 2 decimal places.",
    ]


def test_a_percent_cell_in_a_price_or_stock_column_is_an_error(tmp_path: Path) -> None:
    prices = workbook(tmp_path, ["SKU", "Fiyat"], [["A", 0.5]], percent="Fiyat")
    (finding,) = checked(prices).findings
    assert finding.message.startswith("Price “50%” is a percentage")
    stock = workbook(tmp_path, ["SKU", "Stok"], [["A", 1]], percent="Stok")
    (finding,) = checked(stock, "stock").findings
    assert finding.message.startswith("Stock “100%” is a percentage")


def test_a_plain_number_in_the_tax_column_stays_as_typed(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["SKU", "Fiyat", "KDV"])
    sheet.append(["A", 10, 18])
    sheet.append(["B", 10, 0.18])
    sheet["C3"].number_format = "0%"
    path = tmp_path / "mixed.xlsx"
    book.save(path)
    assert [row.values["tax_rate"] for row in checked(path).good_rows()] == [18, 18]


def test_the_preview_shows_the_same_percent_cells_as_the_full_read(tmp_path: Path) -> None:
    path = workbook(tmp_path, ["SKU", "Fiyat", "KDV %"], [["A", 10, 0.2]], percent="KDV %")
    with open_spreadsheet(path) as sheet:
        assert sheet.preview() == list(sheet.rows())


def test_the_preview_shows_percent_and_zero_padded_cells_as_the_sheet_does(
    tmp_path: Path,
) -> None:
    path = workbook(tmp_path, ["SKU", "Fiyat", "KDV %"], [[98, 10, 0.2], [198, 12, 0.085]], "KDV %")
    book = load_workbook(path)
    for cell in ("A2", "A3"):
        book.active[cell].number_format = "000000"  # type: ignore[index]
    book.save(path)
    sheet = open_spreadsheet(path)
    try:
        shown = [[cell_text(c) for c in row.cells] for row in sheet.preview()]
    finally:
        sheet.close()
    assert shown[1:] == [["000098", "10", "20%"], ["000198", "12", "8.5%"]]


def test_cells_written_without_their_positions_keep_their_formats(tmp_path: Path) -> None:
    # Some generators leave out r="C2" on cells (the spec allows it); formats still count.
    path = workbook(tmp_path, ["SKU", "Fiyat", "KDV %"], [[98, 10, 0.2], [198, 12, 0.085]], "KDV %")
    book = load_workbook(path)
    for cell in ("A2", "A3"):
        book.active[cell].number_format = "000000"  # type: ignore[index]
    book.save(path)
    stripped = tmp_path / "no-positions.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(stripped, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'(<c\b[^>]*?)\sr="[A-Z]+[0-9]+"', rb"\1", data)
            target.writestr(item, data)
    result = checked(stripped)
    assert result.findings == []
    assert list(result.upload_rows()) == [["000098", "10.00", "20"], ["000198", "12.00", "8.5"]]
