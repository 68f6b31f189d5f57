"""Files no one means to check: each gets a sentence, never a hang or a crash."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from omnidesk.cli import main
from omnidesk.spreadsheet import ReadLimits, TooLarge, UnreadableFile, open_spreadsheet


@pytest.mark.timeout(20)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_is_refused_in_words_not_waited_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = tmp_path / "prices.csv"
    os.mkfifo(pipe)
    with pytest.raises(UnreadableFile, match="not a file saved on disk"):
        open_spreadsheet(pipe)
    assert main(["validate", str(pipe), "--kind", "price", "--json"]) == 2
    assert "pipe" in json.loads(capsys.readouterr().out)["error"]


def test_control_characters_in_a_csv_still_give_an_annotated_copy(
    make_csv: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every C0 control character but NUL (a binary file), tab, line feed and carriage
    # return (openpyxl cannot write them into a cell), in a name, a code and a bad price.
    controls = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r")
    source = make_csv(
        f"sku;name;price\nA1;Ça{controls}ğ\tı;5\nB{controls}2;x;y{controls}\n", name="c.csv"
    )
    out = tmp_path / "checked.xlsx"
    code = main(["validate", str(source), "--kind", "price", "--json", "--annotate", str(out)])
    assert code == 1
    data = json.loads(capsys.readouterr().out)
    assert data["error_rows"] == 1  # row 3's price
    sheet = load_workbook(out)["c"]
    # The copy keeps every other character, tab included.
    assert sheet["B2"].value == "Çağ\tı"
    assert sheet["A3"].value == "B2"
    assert sheet["C3"].comment is not None


def _sheet_xml(tmp_path: Path, name: str, rows: bytes) -> Path:
    from tests.drills.hostile_files import _xlsx

    return _xlsx(tmp_path / name, [rows], "A1")


HEADER = b'<row r="1"><c r="A1" t="inlineStr"><is><t>sku</t></is></c></row>'
SMALL = ReadLimits(max_cells=5_000)


@pytest.mark.parametrize(
    "cells",
    [
        # A far cell, under a <dimension> of A1.
        b'<row r="200"><c r="Z200"><v>1</v></c></row>',
        # A cell whose own reference is far below its row's number: calamine follows the cell.
        b'<row r="2"><c r="B2"><v>1</v></c><c r="Z2"><v>1</v></c><c r="A9000"><v>1</v></c></row>',
        # Cells without positions, placed one after another across a wide row.
        b"<row>" + b"<c><v>1</v></c>" * 300 + b"</row>" + b"<row><c><v>1</v></c></row>" * 30,
        # Positions out of order, the far one written first.
        b'<row r="3000"><c r="C3000"><v>1</v></c></row><row r="2"><c r="B2"><v>1</v></c></row>',
    ],
)
def test_a_sheet_is_measured_by_its_cells_before_calamine_reads_it(
    tmp_path: Path, cells: bytes
) -> None:
    path = _sheet_xml(tmp_path, "far.xlsx", HEADER + cells)
    with open_spreadsheet(path, limits=SMALL) as sheet, pytest.raises(TooLarge) as refused:
        next(sheet.rows())
    assert refused.value.limit_name == "max_cells"
    assert "delete the rows and columns after the list" in refused.value.message


def test_styled_empty_cells_far_away_do_not_count(tmp_path: Path) -> None:
    # Excel writes <c r="Z900" s="3"/> for a formatted empty cell; calamine skips it.
    far = b'<row r="900"><c r="Z900" s="1"/></row>'
    path = _sheet_xml(tmp_path, "styled.xlsx", HEADER + far)
    with open_spreadsheet(path, limits=SMALL) as sheet:
        assert [row.number for row in sheet.rows()] == [1]


def test_a_zip_bomb_under_its_declared_sizes_is_refused_while_unpacking(tmp_path: Path) -> None:
    from tests.drills.hostile_files import zip_bomb_xlsx

    path = zip_bomb_xlsx(tmp_path / "bomb.xlsx", megabytes=40)
    rows = ReadLimits(max_rows=100_000)
    with open_spreadsheet(path, limits=rows) as sheet, pytest.raises(TooLarge, match="more than"):
        next(sheet.rows())
    unpacked = ReadLimits(max_unpacked_part_bytes=10_000_000)
    with open_spreadsheet(path, limits=unpacked) as sheet, pytest.raises(TooLarge, match="bomb"):
        next(sheet.rows())


def test_workbooks_calamine_alone_can_measure_are_measured_in_a_process_of_their_own(
    tmp_path: Path,
) -> None:
    from tests.drills.hostile_files import far_cell_xls

    path = far_cell_xls(tmp_path / "far.xls")
    # The probe's child dies of its memory limit; this process only reads its answer.
    with pytest.raises(TooLarge, match="needs more than 1 GB of memory"):
        open_spreadsheet(path)
    # Measured in the child, refused here before calamine reads a cell in this process.
    # (The cell moved is on the hidden sheet; the visible one still opens.)
    path = far_cell_xls(tmp_path / "wide.xls", row=999, column=99)
    with open_spreadsheet(path, limits=SMALL) as sheet:
        assert len(list(sheet.rows())) == 6
    sheet = open_spreadsheet(path, sheet="Lookup", limits=SMALL)
    with sheet, pytest.raises(TooLarge, match="reaches row 1,000 and column 100"):
        next(sheet.rows())
