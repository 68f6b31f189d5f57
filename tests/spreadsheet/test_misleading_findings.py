"""Findings that say what is really wrong (issue 14, item 4)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import UnreadableFile, check_spreadsheet, open_spreadsheet

from .checks import check, messages


def test_a_formula_never_calculated_is_named_as_such_not_as_missing(tmp_path: Path) -> None:
    # openpyxl (and many exports) store formulas without their values.
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["sku", "price", "retail_price"])
    sheet.append(["A", "=2*3", 7])
    sheet.append(["B", 5, "=B3*2"])
    sheet.append(['=LOWER("C")', 5, None])
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    with open_spreadsheet(path) as opened:
        preview = opened.preview()
        rows = list(opened.rows())
        result = check_spreadsheet(opened, ListKind.PRICE)

    # The same cells, streamed for the preview or read by calamine (which pads rows).
    def trimmed(cells: list[object]) -> list[object]:
        return cells[: max(i + 1 for i, cell in enumerate(cells) if cell != "")]

    assert [list(r.cells) for r in preview] == [trimmed(list(r.cells)) for r in rows]
    found = messages(result)
    assert [(row, column) for row, column, _, _ in found] == [
        (2, "price"),
        (3, "retail_price"),
        (4, "sku"),
    ]
    assert found[0][3] == (
        "Price is a formula (=2*3) that was never calculated: the file holds no value for it. "
        "Open the file in Excel, save it, and check it again."
    )
    assert all("missing" not in message for *_, message in found)


def test_a_cell_too_long_is_said_to_be_long_not_a_lost_quote(
    make_csv: Callable[..., Path],
) -> None:
    path = make_csv("sku;price\nA;1\nB;" + "x" * 1_000_000 + "\nC;2\n", name="long.csv")
    with open_spreadsheet(path) as sheet, pytest.raises(UnreadableFile) as refused:
        list(sheet.rows())
    assert "Row 3 of long.csv has a cell of more than 131,072 characters" in refused.value.message
    assert "quote" not in refused.value.message
    # A quote mark that lost its partner still says so.
    lines = "".join(f"C{i};3\n" for i in range(20_000))
    path = make_csv('sku;price\nA;1\n"B;2\n' + lines, name="quote.csv")
    with open_spreadsheet(path) as sheet, pytest.raises(UnreadableFile, match="quote mark"):
        list(sheet.rows())


@pytest.mark.parametrize(
    ("sku", "named"),
    [
        ("ABC\u202e123", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066ABC-1\u2069", "U+2066 LEFT-TO-RIGHT ISOLATE, U+2069 POP DIRECTIONAL ISOLATE"),
        ("AB\u200bC", "U+200B ZERO WIDTH SPACE"),
        ("A\u00adB", "U+00AD SOFT HYPHEN"),
        ("\ufeffSKU1", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ],
)
def test_a_sku_with_invisible_characters_is_refused_in_words(sku: str, named: str) -> None:
    for cells in ([sku, "5"], [sku, 5.0]):  # a CSV's text and a workbook's number
        result = check("price", ["sku", "price"], cells)
        ((row, column, severity, message),) = messages(result)
        assert (row, column, severity) == (2, "sku", "error")
        assert f"({named})" in message
        assert "would make it differ from the SKU in Omnitron" in message


def test_a_sku_in_arabic_indic_digits_is_refused_and_turkish_letters_are_not() -> None:
    result = check(
        "price", ["sku", "price"], ["١٢٣٤", "5"], ["۱۲۳", "5"], ["ÇORAP-ĞÜŞİÖ", "5"], ["١٢E+٣", "5"]
    )
    found = messages(result)
    assert found[0][3] == (
        "SKU “١٢٣٤” is written with Arabic-Indic digits, not 0–9, so it would not match the SKU "
        "in Omnitron. Type it with 0–9 (1234)."
    )
    assert "Extended Arabic-Indic digits" in found[1][3]
    assert [row for row, *_ in found] == [2, 3, 5]
    assert result.valid_rows == 1
