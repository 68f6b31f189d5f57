import json
from collections.abc import Callable
from pathlib import Path

import pytest

from omnidesk import __version__
from omnidesk.cli import main


def test_validate_exit_codes(
    make_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["validate", str(make_csv("sku,price\nA,1\n", name="ok.csv")), "--kind", "price"]) == 0
    )
    bad = make_csv("sku,price\nA,x\n", name="bad.csv")
    assert main(["validate", str(bad), "--kind", "price"]) == 1
    out = capsys.readouterr().out
    assert "row 2, price: error: Price “x” is not a number." in out
    assert main(["validate", str(make_csv("", name="empty.csv")), "--kind", "price"]) == 2


def test_validate_json_shape(
    make_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_csv("SKU;Stok;Not\nA;1\nA;x\n", name="stock.csv")
    assert main(["validate", str(path), "--kind", "stock", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "file": str(path),
        "sheet": "stock",
        "kind": "stock",
        "rows": 2,
        "valid_rows": 1,
        "error_rows": 1,
        "warning_rows": 0,
        "columns": {"SKU": "product__sku", "Stok": "stock", "Not": None},
        "notes": [],
        "findings": [
            {
                "row": 3,
                "column": "Stok",
                "severity": "error",
                "message": "Stock “x” is not a number.",
            }
        ],
    }


def test_validate_json_carries_the_notes(
    make_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_csv("Fiyat listesi 2024\n\nSKU;Fiyat\nA;1\n", name="titled.csv")
    assert main(["validate", str(path), "--kind", "price", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["notes"] == ["Rows above row 3 were skipped; row 3 is the header."]


def test_validate_json_says_when_findings_were_cut_off(
    make_csv: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("omnidesk.spreadsheet.findings.MAX_FINDINGS", 2)
    path = make_csv("sku,price\nA,x\nB,x\nC,x\nD,x\n", name="bad.csv")
    assert main(["validate", str(path), "--kind", "price", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert len(data["findings"]) == 2
    assert data["notes"] == ["Only the first 2 problems are listed; 2 more were found."]


def test_validate_json_of_an_unreadable_file_is_an_error_object(
    make_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_csv("", name="empty.csv")
    assert main(["validate", str(path), "--kind", "price", "--json"]) == 2
    captured = capsys.readouterr()
    message = captured.err.removeprefix("omnidesk: ").strip()
    assert message
    assert json.loads(captured.out) == {"file": str(path), "error": message}


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"garbage", "x.xlsx"),
        (b"%PDF", "x.pdf"),
        (b"sku,price\n", "x.csv"),
        (b"PK\x03\x04", "x.ods"),
    ],
)
def test_unreadable_files_give_a_short_message_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["validate", str(path), "--kind", "price"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("omnidesk: ")
    assert 1 <= len(captured.err.strip().splitlines()) <= 2
    assert "Traceback" not in captured.err


def test_missing_sheet_names_the_sheets(capsys: pytest.CaptureFixture[str]) -> None:
    fixture = Path(__file__).parent / "fixtures" / "office_prices.xlsx"
    assert main(["validate", str(fixture), "--kind", "price", "--sheet", "Nope"]) == 2
    assert "“Fiyatlar”" in capsys.readouterr().err


def test_annotate_and_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "t.xlsx"
    assert main(["template", "--kind", "price", str(template)]) == 0
    annotated = tmp_path / "a.xlsx"
    assert main(["validate", str(template), "--kind", "price", "--annotate", str(annotated)]) == 0
    assert annotated.exists()
    assert "1 row: 1 usable" in capsys.readouterr().out


def test_annotate_refuses_to_replace_the_file_being_checked(
    make_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_csv("sku,price\nA,1\n", name="nums.csv")
    before = source.read_bytes()
    for out in (source, source.parent / "." / "nums.csv"):
        assert main(["validate", str(source), "--kind", "price", "--annotate", str(out)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "would replace it" in captured.err
        assert "nums (checked).xlsx" in captured.err
    assert source.read_bytes() == before


@pytest.mark.parametrize("name", ["out.ods", "ts.csv", "copy", "copy.xls"])
def test_annotate_and_template_refuse_a_name_that_is_not_xlsx(
    make_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str], name: str
) -> None:
    source = make_csv("sku,price\nA,1\n", name="nums.csv")
    out = source.parent / name
    assert main(["validate", str(source), "--kind", "price", "--annotate", str(out)]) == 2
    assert "must end in .xlsx" in capsys.readouterr().err
    assert main(["template", "--kind", "price", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "must end in .xlsx" in captured.err
    assert not out.exists()


def test_help_names_the_commands_and_version_prints(capsys: pytest.CaptureFixture[str]) -> None:
    # Without a command, `omnidesk` opens the window (tests/ui/test_startup.py).
    with pytest.raises(SystemExit) as helped:
        main(["--help"])
    assert helped.value.code == 0
    help_text = capsys.readouterr().out
    assert "validate" in help_text
    assert "--demo" in help_text
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_summary_names_the_sheet_used_and_the_others(capsys: pytest.CaptureFixture[str]) -> None:
    fixture = Path(__file__).parent / "fixtures" / "office_prices.ods"
    assert main(["validate", str(fixture), "--kind", "price"]) == 1
    out = capsys.readouterr().out
    assert "sheet “Fiyatlar”" in out
    assert "other sheets (choose with --sheet): “Lookup”, “Notes”" in out


def test_a_mistyped_command_is_refused_and_opens_no_window(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["validat", "prices.csv"])
    assert stopped.value.code == 2
    assert "invalid choice: 'validat'" in capsys.readouterr().err
