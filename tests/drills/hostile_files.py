"""Small generators of hostile spreadsheet files: tiny on disk, enormous if believed.

Each returns the path it wrote. They are what a fault drill found to crash or
exhaust the reader (issue 14, item 1), rebuilt from scratch so the tests need no
committed binaries.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

# The package's boilerplate parts, as the benchmarks' large files have them.
from tests.benchmarks._inputs import _CONTENT_TYPES as _WITH_STRINGS
from tests.benchmarks._inputs import _ROOT_RELS, _WORKBOOK, _WORKBOOK_RELS

FIXTURES = Path(__file__).parents[1] / "spreadsheet" / "fixtures"

# No shared strings here: every text is an inline string.
_CONTENT_TYPES = _WITH_STRINGS.replace(
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>',
    "",
)
_SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _xlsx(path: Path, sheet_parts: list[bytes], dimension: str | None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START)
            if dimension is not None:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for part in sheet_parts:
                sheet.write(part)
            sheet.write(b"</sheetData></worksheet>")
    return path


def far_cell_xlsx(path: Path) -> Path:
    """One cell, at the very last place a sheet has (XFD1048576), and a modest ``<dimension>``."""
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>sku</t></is></c></row>'
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return _xlsx(path, [row, far], "A1")


def zip_bomb_xlsx(path: Path, megabytes: int = 800) -> Path:
    """``megabytes`` of real cells (two a row) that deflate about 290 times, ``<dimension>`` A1:B2.

    Under both caps a zip's own headers declare (the unpacked size, the compression
    ratio). Written without compressing 800 MB: deflate output after a full flush
    does not depend on what came before, so one compressed block is repeated.
    """
    row = b'<row><c t="inlineStr"><is><t>A</t></is></c><c><v>1</v></c></row>'
    block = row * ((1 << 20) // len(row))
    count = max(1, megabytes * 1024 * 1024 // len(block))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = _SHEET_START + b'<dimension ref="A1:B2"/><sheetData>'
    tail = b"</sheetData></worksheet>"
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(tail) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * count + len(tail)
    members = [
        _Member.of("[Content_Types].xml", _CONTENT_TYPES.encode()),
        _Member.of("_rels/.rels", _ROOT_RELS.encode()),
        _Member.of("xl/workbook.xml", _WORKBOOK.encode()),
        _Member.of("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.encode()),
        _Member("xl/worksheets/sheet1.xml", [first, *([repeated] * count), last], crc, size),
    ]
    _write_zip(path, members)
    return path


class _Member:
    def __init__(self, name: str, chunks: list[bytes], crc: int, size: int) -> None:
        self.name, self.chunks, self.crc, self.size = name.encode(), chunks, crc, size

    @classmethod
    def of(cls, name: str, data: bytes) -> _Member:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = compressor.compress(data) + compressor.flush()
        return cls(name, [packed], zlib.crc32(data), len(data))


def _write_zip(path: Path, members: list[_Member]) -> None:
    directory = b""
    with path.open("wb") as out:
        for member in members:
            offset = out.tell()
            packed = sum(len(chunk) for chunk in member.chunks)
            fields = (20, 0, 8, 0, 0, member.crc, packed, member.size, len(member.name), 0)
            out.write(b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + member.name)
            for chunk in member.chunks:
                out.write(chunk)
            directory += (
                b"PK\x01\x02"
                + struct.pack("<HH", 20, 20)
                + struct.pack("<HHHHIIIHHHHHII", 0, 8, 0, 0, member.crc, packed, member.size,
                              len(member.name), 0, 0, 0, 0, 0, offset)
                + member.name
            )  # fmt: skip
        start = out.tell()
        out.write(directory)
        end = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(directory), start, 0)
        out.write(b"PK\x05\x06" + end)


def far_cell_xls(path: Path, row: int = 65535, column: int = 255) -> Path:
    """The office-suite .xls fixture with one of its text cells moved to IV65536.

    ``row`` and ``column`` count from 0, as the file stores them.
    """
    data = bytearray((FIXTURES / "office_prices.xls").read_bytes())
    # A LABELSST record (0x00FD, 10 bytes): row, column, format, string index.
    at = data.find(struct.pack("<HH", 0x00FD, 10))
    assert at >= 0
    struct.pack_into("<HH", data, at + 4, row, column)
    path.write_bytes(bytes(data))
    return path


_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def repeated_cells_ods(path: Path, rows: int = 1_048_576, columns: int = 1024) -> Path:
    """One value cell, repeated ``columns`` times across and ``rows`` times down."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>"
        '<table:table table:name="Sheet1">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>sku</text:p>'
        "</table:table-cell></table:table-row>"
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}" '
        'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        archive.writestr("content.xml", content)
    return path
