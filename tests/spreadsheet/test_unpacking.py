"""A sheet's XML, unpacked by OmniDesk's own inflate (``xlsx_extent.scanned_parts``) for the
passes made before calamine reads it: the same bytes as zipfile's, and a damaged
member refused in words."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import UnreadableFile, check_spreadsheet, open_spreadsheet
from omnidesk.spreadsheet.xlsx_extent import scanned_parts
from tests.drills.hostile_files import _xlsx

SHEET = "xl/worksheets/sheet1.xml"
HEADER = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>product__sku</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>price</t></is></c></row>'
)


def _rows(count: int) -> bytes:
    # Random codes, so that the member deflates to many of the inflater's reads.
    rng = random.Random(4)
    return b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>SKU-%08x</t></is></c>'
        b'<c r="B%d"><v>%d.%02d</v></c></row>'
        % (n, n, rng.getrandbits(32), n, rng.randrange(1, 5000), rng.randrange(100))
        for n in range(2, count + 2)
    )


def _workbook(tmp_path: Path, rows: int = 20_000) -> Path:
    return _xlsx(tmp_path / "prices.xlsx", [HEADER, _rows(rows)], None)


def _restored(path: Path, compression: int) -> Path:
    """``path`` written again with every member stored with ``compression``."""
    copy = path.with_name(f"{path.stem}-{compression}.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    return copy


def test_the_pieces_are_the_bytes_zipfile_unpacks(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    for variant in (path, _restored(path, zipfile.ZIP_STORED), _restored(path, zipfile.ZIP_BZIP2)):
        with zipfile.ZipFile(variant) as archive:
            assert archive.getinfo(SHEET).compress_size > 4 * 65_536 or variant != path
            pieces = list(scanned_parts(archive, SHEET))
            assert len(pieces) > 1
            assert b"".join(pieces) == archive.read(SHEET)


def test_a_zip_with_bytes_before_it_is_unpacked_from_where_its_members_really_are(
    tmp_path: Path,
) -> None:
    # A self-extracting archive: zipfile finds the members past the prefix, and so
    # must the inflate that reads them directly.
    path = _workbook(tmp_path, rows=2_000)
    prefixed = tmp_path / "prefixed.zip"
    prefixed.write_bytes(b"#!not a zip\n" * 100 + path.read_bytes())
    with zipfile.ZipFile(prefixed) as archive:
        assert b"".join(scanned_parts(archive, SHEET)) == archive.read(SHEET)


def _damaged(path: Path, damage: bytes) -> Path:
    """``path`` with ``damage`` written over the middle of the sheet's compressed bytes."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    data = bytearray(path.read_bytes())
    header_end = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = header_end + info.compress_size // 2
    data[middle : middle + len(damage)] = damage
    damaged = path.with_name("damaged.xlsx")
    damaged.write_bytes(bytes(data))
    return damaged


@pytest.mark.parametrize("damage", [b"\x00" * 200, b"\xff" * 7, bytes(range(256))])
def test_a_damaged_sheet_is_refused_in_words(tmp_path: Path, damage: bytes) -> None:
    damaged = _damaged(_workbook(tmp_path), damage)
    with pytest.raises(UnreadableFile) as refused, open_spreadsheet(damaged) as sheet:
        check_spreadsheet(sheet, ListKind.PRICE)
    assert "damaged.xlsx is damaged or not a real spreadsheet" in refused.value.message
    assert "save it again" in refused.value.message
