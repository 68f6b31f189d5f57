import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from omnidesk.spreadsheet import (
    EmptyFile,
    PasswordProtected,
    ReadLimits,
    SheetNotFound,
    TooLarge,
    UnreadableFile,
    UnsupportedFileType,
    cell_text,
    open_spreadsheet,
)
from omnidesk.spreadsheet.cells import float_text

from .conftest import FIXTURES

TURKISH = "Stok Kodu;Ürün Adı;Fiyat\n000123;Çiğ köfte şişi ĞÜŞİÖÇ ığüşöç;1.234,50\n"
FRENCH = "code;nom;prix\n000123;Crème brûlée à l'été;3,50\n"


def texts(path: Path, **kwargs: object) -> list[tuple[int, list[str]]]:
    with open_spreadsheet(path, **kwargs) as sheet:  # type: ignore[arg-type]
        return [(row.number, [cell_text(c) for c in row.cells]) for row in sheet.rows()]


@pytest.mark.parametrize(
    ("encoding", "text", "label"),
    [
        ("utf-8", TURKISH, "UTF-8"),
        ("utf-8-sig", TURKISH, "UTF-8 (with BOM)"),
        ("utf-16", TURKISH, "UTF-16"),
        ("utf-16-le", TURKISH, "UTF-16"),
        ("cp1254", TURKISH, "Windows-1254 (Turkish)"),
        ("latin-1", FRENCH, "Latin-1"),
        ("cp1254", FRENCH.replace("prix", "prix €"), "Windows-1254 (Turkish)"),
    ],
)
def test_csv_encodings_are_detected(
    make_csv: Callable[..., Path], encoding: str, text: str, label: str
) -> None:
    path = make_csv(text, encoding=encoding)
    with open_spreadsheet(path) as sheet:
        assert sheet.text_format is not None
        assert sheet.text_format.encoding_label == label
        assert sheet.text_format.delimiter == ";"
        rows = [list(r.cells) for r in sheet.rows()]
    expected = [line.split(";") for line in text.splitlines()]
    assert rows == expected


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed_even_with_decimal_commas(
    make_csv: Callable[..., Path], delimiter: str
) -> None:
    lines = [["sku", "price", "name"], ["A1", '"10,50"', "x"], ["A2", '"3,25"', "y"]]
    if delimiter != ",":
        lines = [[cell.strip('"') for cell in line] for line in lines]
    path = make_csv("\n".join(delimiter.join(line) for line in lines) + "\n")
    assert [cells for _, cells in texts(path)][1] == ["A1", "10,50", "x"]


@pytest.mark.parametrize("line_end", ["\r", "\r\n", "\n"])
def test_lines_ending_in_cr_alone_are_split_like_any_other(
    make_csv: Callable[..., Path], line_end: str
) -> None:
    # Old Mac exports end lines with a bare CR.
    path = make_csv(line_end.join(["SKU;Fiyat", "000098;5", "000198;x"]) + line_end)
    with open_spreadsheet(path) as sheet:
        assert sheet.text_format is not None
        assert sheet.text_format.delimiter == ";"
    assert texts(path) == [(1, ["SKU", "Fiyat"]), (2, ["000098", "5"]), (3, ["000198", "x"])]


def test_quoted_newlines_keep_record_numbers(make_csv: Callable[..., Path]) -> None:
    path = make_csv('sku,name\nA1,"two\nlines"\n\nA2,plain\n')
    assert texts(path) == [(1, ["sku", "name"]), (2, ["A1", "two\nlines"]), (4, ["A2", "plain"])]


def test_csv_codes_stay_text(make_csv: Callable[..., Path]) -> None:
    path = make_csv("sku,price\n000123,1\n8690000000001234,2\n")
    assert [cells[0] for _, cells in texts(path)] == ["sku", "000123", "8690000000001234"]


def test_xlsx_numbers_typed_as_codes_read_as_their_digits(
    make_xlsx: Callable[..., Path],
) -> None:
    path = make_xlsx([["sku"], [2015227], [2015227.0], ["000123"], [8690000000001], [12.5]])
    assert [cells[0] for _, cells in texts(path)] == [
        "sku",
        "2015227",
        "2015227",
        "000123",
        "8690000000001",
        "12.5",
    ]


def test_huge_floats_are_never_written_in_scientific_notation() -> None:
    assert float_text(1.234567890123457e19) == "12345678901234570000"
    assert "e" not in float_text(1e-7).lower()


def test_row_numbers_are_the_sheets_own(make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([[None], ["sku", "price"], [None, None], ["A1", 1]])
    assert [number for number, _ in texts(path)] == [2, 4]


def test_office_suite_fixtures_read_alike() -> None:
    expected = [
        (1, "Kasım fiyatları"),
        (2, "Stok Kodu"),
        (3, "2015227"),
        (4, "000123"),
        (5, "8690000000001"),
        (6, "ABC-1"),
    ]
    for suffix in ("xlsx", "xls", "ods"):
        path = FIXTURES / f"office_prices.{suffix}"
        with open_spreadsheet(path) as sheet:
            # The hidden first sheet holds a lookup table; the visible one is meant.
            assert sheet.sheet_name == "Fiyatlar", suffix
            assert [s.name for s in sheet.sheets] == ["Lookup", "Fiyatlar", "Notes"]
            rows = list(sheet.rows())
        assert [(r.number, cell_text(r.cells[0])) for r in rows] == expected, suffix
        assert rows[3].cells[2] == 21, suffix  # the formula's value, not its text
        assert cell_text(rows[2].cells[4]) == "2026-11-01", suffix


def test_a_sheet_can_be_chosen_and_a_wrong_name_lists_the_others() -> None:
    path = FIXTURES / "office_prices.xlsx"
    with open_spreadsheet(path, sheet="lookup") as sheet:
        assert sheet.sheet_name == "Lookup"
    with pytest.raises(SheetNotFound, match="“Fiyatlar”"):
        open_spreadsheet(path, sheet="Prices")
    with pytest.raises(EmptyFile, match="Notes"):
        open_spreadsheet(path, sheet="Notes")


def test_preview_comes_before_a_broken_end(make_csv: Callable[..., Path]) -> None:
    # Streaming: the first rows are usable although the file breaks much later.
    good = "".join(f"A{i},{i}\n" for i in range(5000))
    path = make_csv("sku,price\n" + good + '"never closed,1\n' + "x" * 200_000)
    with open_spreadsheet(path) as sheet:
        assert len(sheet.preview()) == 100
        with pytest.raises(UnreadableFile, match="quote"):
            list(sheet.rows())


def test_utf8_file_that_changes_encoding_late_is_read_as_single_byte(
    make_csv: Callable[..., Path], tmp_path: Path
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(("sku,name\n" + "A,b\n" * 300_000).encode() + "Z,ş\n".encode("cp1254"))
    with open_spreadsheet(path) as sheet:
        assert sheet.text_format is not None
        assert sheet.text_format.encoding == "cp1254"
        assert list(sheet.rows())[-1].cells == ["Z", "ş"]


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_with(member: str) -> bytes:
    from io import BytesIO

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "<w/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "error", "words"),
    [
        ("list.pdf", b"%PDF-1.4", UnsupportedFileType, "not a spreadsheet"),
        ("list.xlsx", b"PK\x03\x04 truncated", UnreadableFile, "damaged"),
        ("list.xlsx", b"hello, world\n", UnreadableFile, "not really a .xlsx"),
        ("list.xls", b"<html><table><tr><td>1</td></tr></table>", UnreadableFile, "web page"),
        ("list.csv", b"<!DOCTYPE html>\n<html><body>Fiyat</body></html>", UnreadableFile, "web"),
        ("list.xlsx", _OLE + bytes(600), UnreadableFile, "damaged"),
        ("list.xlsx", _OLE + "EncryptionInfo".encode("utf-16-le"), PasswordProtected, "password"),
        ("list.zip.xlsx", _zip_with("word/document.xml"), UnreadableFile, "not a spreadsheet"),
        ("list.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), UnreadableFile, "damaged"),
        ("list.csv", b"", EmptyFile, "empty"),
        ("list.csv", b"\n\n  \n", EmptyFile, "no data"),
        ("list.csv", b"\x00\x01\x02\x03\xff" * 50, UnreadableFile, "not a text file"),
        ("list.csv", b"PK\x03\x04", UnreadableFile, "damaged"),
    ],
)
def test_bad_files_get_a_specific_error(
    tmp_path: Path, name: str, content: bytes, error: type[Exception], words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error, match=words), open_spreadsheet(path) as sheet:
        list(sheet.rows())


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="does not exist"):
        open_spreadsheet(tmp_path / "nope.xlsx")
    with pytest.raises(UnreadableFile, match="folder"):
        open_spreadsheet(tmp_path)


def test_an_erp_csv_named_xls_is_read(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("sku;price\nA1;10,50\n", encoding="utf-8")
    assert texts(path)[1][1] == ["A1", "10,50"]


def test_decompression_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 5_000_000)
    limits = ReadLimits(ratio_checked_above_bytes=1_000_000, max_compression_ratio=100)
    with pytest.raises(TooLarge, match="100 times") as caught:
        open_spreadsheet(path, limits=limits)
    assert caught.value.limit_name == "max_compression_ratio"
    with pytest.raises(TooLarge, match=r"unpacks to 5 MB; .* up to 1 MB"):
        open_spreadsheet(path, limits=ReadLimits(max_uncompressed_bytes=1024 * 1024))


def test_row_column_and_size_limits_name_the_limit(
    make_xlsx: Callable[..., Path], make_csv: Callable[..., Path]
) -> None:
    book = make_xlsx([["sku", "price", "x"], *([["A", 1, 2]] * 20)])
    with open_spreadsheet(book, limits=ReadLimits(max_rows=10)) as sheet:
        assert len(sheet.preview(5)) == 5  # the limit guards the full read, not a glance
        with pytest.raises(TooLarge, match="up to 10 rows"):
            list(sheet.rows())
    with (
        pytest.raises(TooLarge, match="up to 2 columns"),
        open_spreadsheet(book, limits=ReadLimits(max_columns=2)) as sheet,
    ):
        list(sheet.rows())
    text = make_csv("sku,price\n" + "A,1\n" * 20)
    with (
        pytest.raises(TooLarge, match="more than 10 rows"),
        open_spreadsheet(text, limits=ReadLimits(max_rows=10)) as sheet,
    ):
        list(sheet.rows())
    with pytest.raises(TooLarge, match="up to 10 bytes"):
        open_spreadsheet(text, limits=ReadLimits(max_file_bytes=10))


def _varied_workbook(path: Path) -> None:
    import datetime

    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["C3"] = "sku"
    sheet["D3"] = "price"
    sheet["E3"] = "when"
    sheet.append([None, None, 2015227, 10.5, datetime.date(2026, 1, 2)])
    sheet.append([None, None, "000123", "1.234,50", datetime.datetime(2026, 1, 2, 9, 30)])
    sheet.append(
        [None, None, CellRichText([TextBlock(InlineFont(b=True), "AB"), "-1"]), True, None]
    )
    sheet.append([None, None, 8690000000001, -0.5, datetime.time(3, 4)])
    sheet["F5"] = 45000
    sheet["F5"].number_format = "dd.mm.yyyy"
    book.save(path)


def test_preview_streams_the_same_values_the_full_read_gives(tmp_path: Path) -> None:
    path = tmp_path / "varied.xlsx"
    _varied_workbook(path)
    for candidate in (path, FIXTURES / "office_prices.xlsx"):
        with open_spreadsheet(candidate) as sheet:
            preview = sheet.preview()
            full = list(sheet.rows())
        assert [r.number for r in preview] == [r.number for r in full]
        for quick, whole in zip(preview, full, strict=True):
            width = max(len(quick.cells), len(whole.cells))
            assert [quick.cell(i) or "" for i in range(width)] == [
                whole.cell(i) or "" for i in range(width)
            ]


def test_data_that_starts_in_column_c_keeps_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "varied.xlsx"
    _varied_workbook(path)
    with open_spreadsheet(path) as sheet:
        rows = list(sheet.rows())
    assert rows[0].number == 3
    assert rows[0].cells[2:5] == ["sku", "price", "when"]
    assert cell_text(rows[1].cells[2]) == "2015227"


def test_a_sheet_is_measured_by_its_cells_not_by_what_it_declares(
    make_xlsx: Callable[..., Path], tmp_path: Path
) -> None:
    small = make_xlsx([["sku", "price"], ["A", 1]])
    declared = tmp_path / "declared.xlsx"
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(declared, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b'<dimension ref="A1:B2" />', b'<dimension ref="A1:B9000000" />'
                )
                assert b"B9000000" in data
            target.writestr(item, data)
    # calamine's grid follows the cells, so a <dimension> of 9,000,000 rows over two
    # rows costs nothing (issue 14 asks for the real size); the far-reaching cells
    # that do cost memory are refused in tests/spreadsheet/test_hostile_files.py.
    with open_spreadsheet(declared) as sheet:
        assert len(sheet.preview()) == 2
        assert [row.number for row in sheet.rows()] == [1, 2]


@pytest.mark.parametrize("real", ["xlsx", "xls", "ods"])
@pytest.mark.parametrize("named", [".xlsx", ".xls", ".csv"])
def test_misnamed_workbooks_are_read_by_their_content(
    tmp_path: Path, real: str, named: str
) -> None:
    path = tmp_path / f"export{named}"
    path.write_bytes((FIXTURES / f"office_prices.{real}").read_bytes())
    with open_spreadsheet(path) as sheet:
        assert sheet.file_type == real
        assert sheet.sheet_name == "Fiyatlar"
        assert cell_text(list(sheet.rows())[2].cells[0]) == "2015227"


def test_excel_sep_directive_sets_the_delimiter_and_is_not_a_row(
    make_csv: Callable[..., Path],
) -> None:
    path = make_csv("sep=;\nsku;price\nA1;10,50\n")
    assert texts(path) == [(1, ["sku", "price"]), (2, ["A1", "10,50"])]


def test_preview_agrees_with_the_full_read_for_1904_dates(tmp_path: Path) -> None:
    import datetime

    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    assert sheet is not None
    sheet.append(["sku", "when"])
    sheet.append(["A", datetime.date(2026, 11, 26)])
    sheet.append(["B", datetime.datetime(2026, 11, 26, 9, 30)])
    path = tmp_path / "mac.xlsx"
    book.save(path)
    with open_spreadsheet(path) as opened:
        preview = [list(r.cells) for r in opened.preview()]
        full = [list(r.cells) for r in opened.rows()]
    assert preview == full
    assert full[1][1] == datetime.date(2026, 11, 26)


def test_broken_sheet_xml_is_a_clear_error(make_xlsx: Callable[..., Path], tmp_path: Path) -> None:
    good = make_xlsx([["sku", "price"], ["A", 1]])
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    with pytest.raises(UnreadableFile, match="damaged"):
        texts(broken)


def test_semicolon_file_whose_every_data_row_has_a_decimal_comma(
    make_csv: Callable[..., Path],
) -> None:
    # Turkish Excel's CSV: every data row also splits in two on its decimal comma.
    rows = ["SKU;Fiyat"] + [f"{1000 + n};{n},50" for n in range(300)]
    path = make_csv("\n".join(rows) + "\n", "tr.csv", "cp1254")
    with open_spreadsheet(path) as sheet:
        assert sheet.text_format is not None
        assert sheet.text_format.delimiter == ";"
        assert sheet.preview(2)[1].cells == ["1000", "0,50"]
