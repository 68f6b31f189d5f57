"""The annotated copy of an .xlsx, streamed part by part, says what openpyxl's copy says.

``annotating.write_streamed_copy`` is compared with openpyxl's load-and-save on the
same workbooks and findings: the same sheets, values, fills, comments and Problems
sheet, and everything of the person's own (formats, widths, merges) kept.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.workbook.workbook import Workbook as LoadedWorkbook

from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import check_spreadsheet, open_spreadsheet, write_annotated_copy, writing
from omnidesk.spreadsheet.annotating import CannotStream, write_streamed_copy

from .conftest import FIXTURES


def checked(path: Path, sheet: str | None = None):  # type: ignore[no-untyped-def]
    with open_spreadsheet(path, sheet=sheet) as opened:
        return check_spreadsheet(opened, ListKind.PRICE)


def summary(path: Path) -> dict[str, object]:
    """What a person sees in a workbook: per sheet, every cell's value, fill and comment."""
    book: LoadedWorkbook = load_workbook(path)
    seen: dict[str, object] = {"sheets": book.sheetnames}
    for sheet in book.worksheets:
        cells = {}
        for row in sheet.iter_rows():
            for cell in row:
                fill = cell.fill.start_color.rgb if cell.fill.fill_type == "solid" else None
                comment = cell.comment.text if cell.comment is not None else None
                if cell.value is not None or fill or comment:
                    cells[cell.coordinate] = (cell.value, fill, comment, cell.number_format)
        # openpyxl writes a link within the workbook as a target "#'Sheet'!B3", the
        # stream as Excel does, a location: either way the cell the link leads to.
        links = {
            c.coordinate: c.hyperlink.location or (c.hyperlink.target or "").lstrip("#")
            for r in sheet.iter_rows()
            for c in r
            if c.hyperlink
        }
        seen[sheet.title] = (
            cells,
            links,
            sorted(str(r) for r in sheet.merged_cells.ranges),
            {k: d.width for k, d in sheet.column_dimensions.items() if d.width},
            sheet.sheet_state,
            sheet.freeze_panes,
        )
    return seen


def both_copies(source: Path, tmp_path: Path, sheet: str | None = None) -> tuple[Path, Path]:
    result = checked(source, sheet)
    streamed, loaded = tmp_path / "streamed.xlsx", tmp_path / "loaded.xlsx"
    write_streamed_copy(source, result.sheet, result, streamed)
    book = writing._load_for_editing(source, keep_vba=False)
    target = book[result.sheet]
    writing._mark_findings(target, result.findings)  # type: ignore[arg-type]
    writing._add_problems_sheet(book, target.title, result)
    book.save(loaded)
    return streamed, loaded


def random_workbook(path: Path, seed: int) -> Path:
    rng = random.Random(seed)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Fiyatlar"
    sheet.append(["Stok Kodu", "Fiyat", "Piyasa Fiyatı", "KDV", "Not"])
    for number in range(2, rng.randint(5, 60)):
        row = [
            rng.choice([f"S{number}", f"S{number % 5}", None, "=1+1", " x ", 12.0]),
            rng.choice([1.5, -2, "abc", None, 10, 1234.567, "1.234,5", 0]),
            rng.choice([None, 0.5, 99, "x"]),
            rng.choice([None, 20, 120, "%8"]),
            rng.choice([None, "note"]),
        ]
        sheet.append(row)
        if rng.random() < 0.3:
            sheet.cell(row=number, column=2).number_format = "#,##0.00"
    sheet.column_dimensions["B"].width = rng.choice([9, 20, 33])
    if rng.random() < 0.5:
        sheet.merge_cells("E1:F1")
    book.create_sheet("Lookup").append(["keep", "me"])
    book.save(path)
    return path


@pytest.mark.parametrize("seed", range(25))
def test_the_streamed_copy_shows_what_openpyxls_copy_shows(tmp_path: Path, seed: int) -> None:
    source = random_workbook(tmp_path / "random.xlsx", seed)
    streamed, loaded = both_copies(source, tmp_path)
    assert summary(streamed) == summary(loaded)


def test_office_suite_workbooks_stream_alike(tmp_path: Path) -> None:
    streamed, loaded = both_copies(FIXTURES / "office_prices.xlsx", tmp_path)
    assert summary(streamed) == summary(loaded)
    # Parts the notes do not touch are in the copy exactly as they were.
    with (
        zipfile.ZipFile(FIXTURES / "office_prices.xlsx") as before,
        zipfile.ZipFile(streamed) as after,
    ):
        for name in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "docProps/app.xml"):
            assert after.read(name) == before.read(name)


def test_write_annotated_copy_streams_instead_of_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_loading(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl loaded the whole workbook")

    monkeypatch.setattr(writing, "_load_for_editing", no_loading)
    source = random_workbook(tmp_path / "mine.xlsx", 1)
    write_annotated_copy(source, checked(source), tmp_path / "checked.xlsx")
    assert load_workbook(tmp_path / "checked.xlsx").sheetnames[-1] == "Problems"


def test_a_sheet_with_comments_of_its_own_is_copied_by_openpyxl(tmp_path: Path) -> None:
    source = random_workbook(tmp_path / "commented.xlsx", 2)
    book = load_workbook(source)
    book["Fiyatlar"]["A1"].comment = Comment("the person's own", "Ayşe")
    book.save(source)
    result = checked(source)
    with pytest.raises(CannotStream):
        write_streamed_copy(source, result.sheet, result, tmp_path / "streamed.xlsx")
    out = tmp_path / "checked.xlsx"
    write_annotated_copy(source, result, out)
    copy = load_workbook(out)
    assert copy["Fiyatlar"]["A1"].comment.text.startswith("the person's own")
    assert copy.sheetnames[-1] == "Problems"
    assert not list(tmp_path.glob(".omnidesk-*"))  # no half-written file left behind


def test_a_workbook_without_styles_gets_excels_defaults(tmp_path: Path) -> None:
    from tests.benchmarks._inputs import PRICE_HEADER, write_xlsx

    source = tmp_path / "generated.xlsx"
    write_xlsx(source, PRICE_HEADER, iter([["A", "x", "l", "try", -1, 2, 20]]))
    result = checked(source)
    write_streamed_copy(source, result.sheet, result, tmp_path / "checked.xlsx")
    copy = load_workbook(tmp_path / "checked.xlsx")
    assert copy["Sheet1"]["E2"].fill.start_color.rgb == writing.ERROR_FILL.start_color.rgb
    assert "cannot be negative" in copy["Sheet1"]["E2"].comment.text
