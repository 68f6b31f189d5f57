"""Whatever bytes arrive, the answer is a result or a SpreadsheetError, never a crash."""

import zipfile
from io import BytesIO
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import SpreadsheetError, check_spreadsheet, open_spreadsheet

from .conftest import FIXTURES


def outcome(path: Path) -> str:
    try:
        with open_spreadsheet(path) as sheet:
            sheet.preview()
            result = check_spreadsheet(sheet, ListKind.PRICE)
    except SpreadsheetError as error:
        message = error.message
    else:
        assert result.rows == result.valid_rows + result.error_rows
        return "result"
    assert message.strip()
    assert "Traceback" not in message
    return "error"


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(
    data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".ods", ".txt"])
)
def test_any_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    outcome(path)


@SETTINGS
@given(
    text=st.text(max_size=400), encoding=st.sampled_from(["utf-8", "utf-16", "cp1254", "latin-1"])
)
def test_any_text_as_csv(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "input.csv"
    path.write_bytes(("sku;price\n" + text).encode(encoding, errors="replace"))
    assert outcome(path) in ("result", "error")


@SETTINGS
@given(cut=st.integers(min_value=0, max_value=10_000), flip=st.integers(min_value=0, max_value=255))
def test_damaged_workbooks(tmp_path: Path, cut: int, flip: int) -> None:
    original = (FIXTURES / "office_prices.xlsx").read_bytes()
    damaged = bytearray(original[: max(cut, 10)])
    damaged[min(cut, len(damaged) - 1)] ^= flip
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(damaged))
    outcome(path)


@SETTINGS
@given(member=st.binary(max_size=500))
def test_zip_with_nonsense_inside(tmp_path: Path, member: bytes) -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", member)
        archive.writestr("xl/workbook.xml", member)
    path = tmp_path / "odd.xlsx"
    path.write_bytes(buffer.getvalue())
    assert outcome(path) == "error"
