"""How far an .xlsx sheet's cells really reach, counted in its XML before calamine reads it.

calamine allocates a grid as large as a sheet's last row times its last column:
one cell at XFD1048576 would ask for hundreds of gigabytes and abort the process
(issue 14). ``sheet_extent`` finds the real reach from the cells themselves, in
unpacked pieces (``scanned_parts``) and mostly with one regular expression per
piece, so ``ReadLimits`` can refuse a sheet before calamine touches it.

The searches of a sheet's raw XML, here and in ``xlsx_stream`` and
``annotated_sheet`` (``scanned_parts``), unpack it with ISA-L's inflate
(``_Inflating``): two and a half times zlib's speed, and the zip's checksum, which
calamine checks anyway, left out. (The streamed preview parses the XML through
zipfile: it reads only a sheet's first rows.)
"""

from __future__ import annotations

import functools
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from isal import isal_zlib

_SCAN_CHUNK = 1 << 20
_COMPRESSED_CHUNK = 1 << 16
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, …, name length, extra length
# isal's stubs call it an instance ("error: Exception"); it is the class it raises.
_INFLATE_ERROR: type[Exception] = isal_zlib.error  # type: ignore[assignment]
_POSITIONED_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s>/])([^>]*)>")
_REFERENCE = re.compile(rb'\sr="([A-Za-z]*)([0-9]*)"')
_ROOT_PREFIX = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")


def _tag_prefix(first_piece: bytes) -> bytes:
    """The namespace prefix the sheet's tags carry (``x:`` in ``<x:c>``), or none."""
    root = _ROOT_PREFIX.search(first_piece)
    return root.group(1) + b":" if root is not None and root.group(1) else b""


def column_index(reference: str) -> int:
    """The 0-based column of a reference's letters: ``B7`` → 1."""
    index = 0
    for char in reference:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            index = index * 26 + ord(char) - 96
        else:
            break
    return index - 1


@dataclass(frozen=True, slots=True)
class SheetExtent:
    """How far a sheet's cells really reach, counted in its XML rather than declared.

    ``rows`` and ``columns`` bound the grid calamine will allocate (its last row and
    column holding a cell); ``unpacked`` is the XML's size in bytes. A scan stopped at
    a limit gives figures past that limit.
    """

    rows: int
    columns: int
    unpacked: int
    stopped: bool = False  # at a limit, before the end: the figures are only "more than"


class _Inflating:
    """A deflated zip member's bytes as they unpack, ``read`` as from ``ZipFile.open``.

    zipfile's own inflate (zlib's) took 45 ms of a 100,000-row sheet's 25 MB and its
    checksum 12 more, on every pass; ISA-L's takes 18 (issue 15).
    """

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        assert archive.filename is not None
        self._file = open(archive.filename, "rb")  # noqa: SIM115  # closed by close()
        try:
            self._file.seek(info.header_offset)
            header = self._file.read(_LOCAL_HEADER.size)
            if len(header) < _LOCAL_HEADER.size:
                raise zipfile.BadZipFile("truncated local file header")
            signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
            if signature != b"PK\x03\x04":
                raise zipfile.BadZipFile("bad magic number for file header")
            self._file.seek(name_length + extra_length, 1)
        except BaseException:
            self._file.close()
            raise
        self._compressed_left = info.compress_size
        self._inflater = isal_zlib.decompressobj(-15)  # raw deflate, as zip stores it
        self._pending = b""

    def read(self, size: int) -> bytes:
        """Up to ``size`` unpacked bytes; empty only at the end of the member."""
        inflater = self._inflater
        while not inflater.eof:
            if not self._pending:
                wanted = min(self._compressed_left, _COMPRESSED_CHUNK)
                self._pending = self._file.read(wanted) if wanted > 0 else b""
                if not self._pending:
                    raise EOFError("Compressed file ended before the end-of-stream marker")
                self._compressed_left -= len(self._pending)
            try:
                out = inflater.decompress(self._pending, size)
            except _INFLATE_ERROR as error:
                raise zipfile.BadZipFile(f"Bad compressed data: {error}") from None
            self._pending = inflater.unconsumed_tail
            if out:
                return out
        return b""

    def close(self) -> None:
        self._file.close()


def _opened(archive: zipfile.ZipFile, part: str) -> IO[bytes] | _Inflating:
    info = archive.getinfo(part)
    if (
        info.compress_type == zipfile.ZIP_DEFLATED
        and not info.flag_bits & 0x1  # encrypted: zipfile says so in words
        and archive.filename is not None
    ):
        return _Inflating(archive, info)
    return archive.open(info)  # stored, or a rarer compression: zipfile's own reading


def scanned_parts(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The unpacked bytes of ``archive``'s member ``part``, in pieces that never cut a
    tag in two."""
    handle = _opened(archive, part)
    try:
        yield from _pieces(handle)
    finally:
        handle.close()


def _pieces(handle: IO[bytes] | _Inflating) -> Iterator[bytes]:
    left = b""
    while True:
        chunk = handle.read(_SCAN_CHUNK)
        text = left + chunk if left else chunk
        if not chunk:
            if text:
                yield text
            return
        cut = text.rfind(b"<")
        if cut < 0 or text.find(b">", cut) >= 0:
            # No tag begins here, or the last one is complete: nothing to carry over,
            # so a part never outgrows a chunk and a tag (a run of text cannot pile up).
            yield text
            left = b""
        else:
            yield text[:cut]
            # A tag longer than a chunk is no tag a spreadsheet writes; calamine will
            # refuse the file, and carrying it over would grow without bound.
            left = text[cut:] if len(text) - cut <= _SCAN_CHUNK else b""


def _rows_allowed(rows: int) -> int:
    """The largest row ``_unexpected_cell`` lets by unread: under twice ``rows``."""
    digits = str(max(rows, 1))
    return (int(digits[0]) + 1) * int(10 ** (len(digits) - 1)) - 1


@functools.lru_cache(maxsize=64)
def _unexpected_cell_pattern(
    cell_tag: bytes, letters: frozenset[bytes], rows: int
) -> re.Pattern[bytes]:
    names: list[bytes] = list(letters)
    digits = str(max(rows, 1))
    first, width = digits[0], len(digits)
    known = sorted(names, key=len, reverse=True)  # longest first: AB before A
    if all(len(name) == 1 for name in known):
        columns = b"[" + b"".join(known) + b"]"
    else:
        columns = b"(?:" + b"|".join(known) + b")"
    # The longest rows first: they are most of a piece's cells, and tried after the
    # shorter ones each cost a backtrack through every digit (twice the search's time).
    shorter = f"|[0-9]{{1,{width - 1}}}" if width > 1 else ""
    allowed = f'(?:[0-{first}][0-9]{{{width - 1}}}{shorter})"'.encode()
    return re.compile(re.escape(cell_tag) + rb'(?!\sr="' + columns + allowed + rb")")


def _unexpected_cell(cell_tag: bytes, letters: set[bytes], rows: int) -> re.Pattern[bytes]:
    """A cell whose ``r=`` is not first (``<c>`` has none), or names a column not in
    ``letters`` or a row past ``_rows_allowed(rows)``: what an orderly sheet's next
    piece does not hold. (``<col>`` and the like match too; they are read, and pass.)"""
    # Rounded to the bound, so a pattern serves many pieces.
    return _unexpected_cell_pattern(cell_tag, frozenset(letters), _rows_allowed(rows))


@functools.lru_cache(maxsize=8)
def _placed_cell(cell_tag: bytes) -> re.Pattern[bytes]:
    return re.compile(re.escape(cell_tag) + rb'\b[^>]*?\sr="([A-Za-z]+)([0-9]+)"[^>]*?(/?)>')


def _last_row_with_value(part: bytes, cell_tag: bytes) -> int:
    """The row of the last cell in ``part`` that is not a styled empty ``<c …/>``.

    Excel writes those for a formatted row at the very bottom of a sheet; calamine
    ignores them, and so must the bound.
    """
    end = len(part)
    for _ in range(1000):
        last = part.rfind(cell_tag + b' r="', 0, end)
        if last < 0:
            return 0
        close = part.find(b">", last)
        if close > 0 and part[close - 1] != 0x2F:  # not "/>"
            found = _REFERENCE.match(part, last + len(cell_tag))
            return int(found.group(2)) if found is not None and found.group(2) else 0
        end = last
    return 0  # a piece of empty cells: the bound's pattern sends any far one to be read


def _counted(handle: IO[bytes] | _Inflating, stop_after: int) -> int:
    """The bytes ``handle`` gives, read to its end or to a little past ``stop_after``."""
    size = 0
    while size <= stop_after and (chunk := handle.read(_SCAN_CHUNK * 4)):
        size += len(chunk)
    return size


def scanned_size(archive: zipfile.ZipFile, sheet_part: str, stop_after: int) -> int:
    """The bytes ``part`` really unpacks to, counted up to a little past ``stop_after``."""
    handle = _opened(archive, sheet_part)
    try:
        return _counted(handle, stop_after)
    finally:
        handle.close()


def damaged(archive: zipfile.ZipFile, part: str, stop_after: int) -> bool:
    """Whether ``part`` fails to unpack, or unpacks to bytes its checksum disowns.

    A damaged deflate stream can unpack to nonsense for a while before its inflate
    notices: nonsense the scan may read as cells a billion rows down. Read by
    zipfile, which checks the checksum at the end, up to ``stop_after`` bytes
    (past them, what is too large is too large).
    """
    try:
        with archive.open(part) as handle:
            _counted(handle, stop_after)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        return True
    return False


def sheet_extent(
    archive: zipfile.ZipFile, sheet_part: str, *, max_bytes: int, max_rows: int, max_cells: int
) -> SheetExtent:
    """How far the cells of the sheet ``sheet_part`` reach, read from the cells themselves.

    ``<dimension>`` may say A1 while a cell sits at XFD1048576. Sheets are written
    in order, so each unpacked piece is searched, in one pass of a regular
    expression, only for a cell that breaks the order seen so far: a column not
    met before, a row well past the piece's last cell, a cell without its place.
    A piece with one has its references read one by one; a sheet whose cells leave
    out their places gets an exact count of its own. Stops early, with figures
    past the limit, once ``max_bytes`` are unpacked or ``max_rows`` rows are seen.
    """
    rows = bound = unpacked = row_tags = 0
    letters: set[bytes] = set()
    unplaced = False
    prefix = b""
    for number, part in enumerate(scanned_parts(archive, sheet_part)):
        unpacked += len(part)
        if number == 0:
            prefix = _tag_prefix(part)
        cell_tag = b"<" + prefix + b"c"
        if unplaced:
            # Counted exactly below; meanwhile only the limits are watched.
            row_tags += part.count(b"<" + prefix + b"row")
            if unpacked > max_bytes or row_tags > max_rows:
                return SheetExtent(max(rows, row_tags), 0, unpacked, stopped=True)
            continue
        rows = max(rows, _last_row_with_value(part, cell_tag))
        if unpacked > max_bytes or rows > max_rows:
            return SheetExtent(rows, 0, unpacked, stopped=True)
        if letters and _unexpected_cell(cell_tag, letters, rows).search(part) is None:
            bound = max(bound, _rows_allowed(rows))
            continue
        references = _placed_cell(cell_tag).findall(part)
        if len(references) != part.count(cell_tag + b" ") + part.count(cell_tag + b">"):
            unplaced = True  # a cell without r="…": see _exact_extent
            row_tags = part.count(b"<" + prefix + b"row")
        # <c r="Z900" s="3"/> holds nothing; calamine skips it. Gathered in C, in the
        # file's order: the first piece alone holds some 30,000 references, and a
        # loop of Python over a set of them took 20-25 ms, these 5-8.
        placed = [found for found in references if not found[2]]
        if placed:
            found_letters, digits, _ = zip(*placed, strict=True)
            letters.update(found_letters)
            rows = max(rows, max(map(int, digits)))
        bound = max(bound, rows)
    columns = max((column_index(c.decode()) + 1 for c in letters), default=0)
    if unplaced:
        rows, columns = _exact_extent(archive, sheet_part)
    elif bound * columns > max_cells >= rows * columns:
        rows = _last_row(archive, sheet_part, cell_tag)  # the quick bound is not enough
    return SheetExtent(rows, columns, unpacked)


def holds_formulas(archive: zipfile.ZipFile, sheet_part: str) -> bool:
    """Whether any cell of the sheet ``sheet_part`` holds a formula.

    "</f": a formula's text ends so, and its last byte is rare in a sheet, which
    keeps the search quick; a shared formula's first cell has one. (A conditional
    format's ``</formula>`` counts too: then only the search for formulas never
    calculated, ``XlsxStream.uncalculated_cells``, is made in vain.)
    """
    closing = b""
    for part in scanned_parts(archive, sheet_part):
        if not closing:
            closing = b"</" + _tag_prefix(part) + b"f"
        if closing in part:
            return True
    return False


def _last_row(archive: zipfile.ZipFile, sheet_part: str, cell_tag: bytes) -> int:
    rows = 0
    for part in scanned_parts(archive, sheet_part):
        found = set(_placed_cell(cell_tag).findall(part))
        rows = max(rows, max((int(digits) for _, digits, e in found if not e), default=0))
    return rows


def _exact_extent(archive: zipfile.ZipFile, sheet_part: str) -> tuple[int, int]:
    """The last row and column of a cell with a value, placed as calamine places it.

    A cell without ``r=`` follows the one before it, a row without ``r=`` the row
    before it; a cell with no value (a styled empty cell, ``<c s="3"/>``) does not
    count. Python-speed, for the few sheets the quick bound cannot settle.
    """
    last_row = last_column = 0
    row = column = 0
    for part in scanned_parts(archive, sheet_part):
        for found in _POSITIONED_TAG.finditer(part):
            attributes = found.group(2)
            where = _REFERENCE.search(attributes)
            if found.group(1) == b"row":
                row = int(where.group(2)) if where and where.group(2) else row + 1
                column = 0
                continue
            if where is not None and where.group(1):
                column = column_index(where.group(1).decode()) + 1
                if where.group(2):
                    row = int(where.group(2))
            else:
                column += 1
            if not attributes.endswith(b"/"):  # <c …/> holds nothing
                last_row, last_column = max(last_row, row), max(last_column, column)
    return last_row, last_column
