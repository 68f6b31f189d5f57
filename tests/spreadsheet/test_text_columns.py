"""Lines split into columns in C must read exactly as the csv module reads them."""

from __future__ import annotations

import io
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omnidesk.spreadsheet import open_spreadsheet, text_columns
from omnidesk.spreadsheet.text_columns import ColumnBatch, plain_pieces


def _batched_rows(path: Path, size: int) -> list[tuple[int, list[object]]]:
    with open_spreadsheet(path) as sheet:
        return [
            (number, list(cells))
            for numbers, batch in sheet.batches(size)
            for number, cells in zip(numbers, batch, strict=True)
        ]


def _rows(path: Path) -> list[tuple[int, list[object]]]:
    with open_spreadsheet(path) as sheet:
        return [(row.number, list(row.cells)) for row in sheet.rows()]


_CELL = st.sampled_from(["", "A1", "10,5", "x y", " pad ", '"q"', '"a;b"', "é", "1.234,50"])
_END = st.sampled_from(["\n", "\r\n", "\r"])


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.lists(_CELL, min_size=0, max_size=4), _END), min_size=1, max_size=30
    ),
    size=st.integers(1, 7),
    last_end=st.booleans(),
    block=st.sampled_from([1, 5, 16, 1 << 20]),
)
def test_batches_read_what_the_csv_module_reads(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[tuple[list[str], str]],
    size: int,
    last_end: bool,
    block: int,
) -> None:
    text = "sku;price\n" + "".join(";".join(cells) + end for cells, end in lines)
    if not last_end:
        text = text.rstrip("\r\n")
    path = tmp_path_factory.mktemp("columns") / "list.csv"
    path.write_text(text, encoding="utf-8", newline="")
    try:
        expected = _rows(path)
    except Exception as error:  # a refusal must be the same refusal
        with pytest.raises(type(error)), patch.object(text_columns, "_BLOCK", block):
            _batched_rows(path, size)
        return
    with patch.object(text_columns, "_BLOCK", block):  # blocks end mid-line, mid-"\r\n"
        assert _batched_rows(path, size) == expected


def test_plain_lines_come_as_columns_and_quotes_as_a_stream(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(text_columns, "_BLOCK", 16)
    text = "a;b\n1;2\r\n3;4\n" * 3 + '5;"six"\n7;8\n'
    pieces = list(plain_pieces(io.StringIO(text, newline=""), ";", 4))
    assert isinstance(pieces[0], ColumnBatch)
    assert pieces[0].columns == [["a", "1", "3", "a"], ["b", "2", "4", "b"]]
    assert list(pieces[0][1:3]) == [["1", "2"], ["3", "4"]]
    rest = pieces[-1]
    assert not isinstance(rest, ColumnBatch | list)
    assert "".join(rest).endswith('5;"six"\n7;8\n')


def test_a_batch_with_an_empty_row_is_left_to_the_csv_module() -> None:
    pieces = list(plain_pieces(io.StringIO("a;b\n;\n\n1;2\n", newline=""), ";", 10))
    assert pieces == [["a;b", ";", "", "1;2"]]
