"""Files no one means to check: each gets a sentence, never a hang or a crash."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from omnidesk.cli import main
from omnidesk.spreadsheet import UnreadableFile, open_spreadsheet


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
