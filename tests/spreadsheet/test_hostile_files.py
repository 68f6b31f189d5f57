"""Files no one means to check: each gets a sentence, never a hang or a crash."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

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
