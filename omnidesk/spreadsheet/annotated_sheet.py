"""The checked sheet of the annotated copy, streamed with its marked cells restyled.

Only the rows with findings are parsed (``_marked_row``); every other byte of the
sheet is copied as it is. Part of the streamed annotated copy (``annotating.py``).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from itertools import pairwise

from openpyxl.utils import get_column_letter

from .annotated_styles import CannotStream, StyleSheet
from .findings import Finding, Severity
from .xlsx_extent import scanned_parts

# Elements a worksheet may hold after <legacyDrawing>, in the schema's order: the
# comments' drawing goes before the first of them.
_AFTER_LEGACY_DRAWING = re.compile(
    rb"<(?:legacyDrawingHF|drawingHF|picture|oleObjects|controls|webPublishItems|"
    rb"tableParts|extLst)\b|</worksheet>"
)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_CELL_REFERENCE = re.compile(rb'\sr="([A-Z]+)([0-9]+)"')
_STYLE = re.compile(rb'\ss="([0-9]+)"')
_SPANS = re.compile(rb'\sspans="[^"]*"')


def _column_index(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + byte - 64
    return index - 1


def cell_notes(findings: list[Finding]) -> dict[int, dict[int, list[Finding]]]:
    """Row → column → the findings to mark there, as ``writing._mark_findings`` groups them."""
    notes: dict[int, dict[int, list[Finding]]] = {}
    for finding in findings:
        column = 0 if finding.column_index is None else finding.column_index
        notes.setdefault(finding.row, {}).setdefault(column, []).append(finding)
    return notes


def _worst(findings: list[Finding]) -> Severity:
    return (
        Severity.ERROR if any(f.severity is Severity.ERROR for f in findings) else Severity.WARNING
    )


def _marked_row(
    row: bytes, number: int, marks: dict[int, list[Finding]], styles: StyleSheet
) -> bytes:
    """One ``<row>…</row>`` with its marked cells restyled, and added where they are missing."""
    head_end = row.index(b">") + 1
    head, body = row[:head_end], row[head_end:]
    if head.endswith(b"/>"):  # <row r="5"/>: no cells at all
        head, body = head[:-2] + b">", b"</row>"
    head = _SPANS.sub(b"", head)  # spans is a hint; the added cells may fall outside it
    closing = body.rindex(b"</row>")
    cells = body[:closing]
    out: list[bytes] = []
    found = _found_cells(cells, number, marks)
    if found is not None:
        at = 0
        for column, start, end in found:
            marked = cells[start:end]
            attributes = marked[: marked.index(b">")]
            style = styles.marked(_base_style(attributes), _worst(marks[column]))
            out += (cells[at:start], _restyled(marked, style))
            at = end
        out.append(cells[at:])
        return head + b"".join(out) + body[closing:]
    pending = sorted(marks)
    at = 0
    for cell in _CELL.finditer(cells):
        where = _CELL_REFERENCE.search(cell.group(1))
        if where is None:
            raise CannotStream("a cell without its position")
        column = _column_index(where.group(1))
        while pending and pending[0] < column:
            out.append(cells[at : cell.start()])
            at = cell.start()
            out.append(_empty_cell(pending.pop(0), number, marks, styles))
        text = cell.group(0)
        if pending and pending[0] == column:
            pending.pop(0)
            text = _restyled(text, styles.marked(_base_style(cell.group(1)), _worst(marks[column])))
        out.append(cells[at : cell.start()])
        out.append(text)
        at = cell.end()
    out.append(cells[at:])
    out.extend(_empty_cell(column, number, marks, styles) for column in pending)
    return head + b"".join(out) + body[closing:]


def _found_cells(
    cells: bytes, number: int, marks: dict[int, list[Finding]]
) -> list[tuple[int, int, int]] | None:
    """(column, start, end) of each marked cell, if each is where a plain search finds it.

    What the cell-by-cell reading of ``_marked_row`` would find, at a fraction of its
    cost, when every cell of the row names its place first (``<c r="E11"…``) and every
    marked cell is there; ``None`` sends the row the long way (missing cells are added).
    """
    if cells.count(b"<c") != cells.count(b'<c r="'):
        return None
    found = []
    for column in sorted(marks):
        start = cells.find(b'<c r="%s%d"' % (get_column_letter(column + 1).encode(), number))
        if start < 0:
            return None
        close = cells.index(b">", start)
        end = close + 1 if cells[close - 1] == 0x2F else cells.index(b"</c>", close) + 4
        found.append((column, start, end))
    return found if all(a[2] <= b[1] for a, b in pairwise(found)) else None


def _base_style(attributes: bytes) -> int:
    found = _STYLE.search(attributes)
    return int(found.group(1)) if found is not None else 0


def _restyled(cell: bytes, style: int) -> bytes:
    end = cell.index(b">")
    head = cell[:end]
    closing_slash = head.endswith(b"/")
    if closing_slash:
        head = head[:-1]
    if _STYLE.search(head):
        head = _STYLE.sub(b' s="%d"' % style, head, count=1)
    else:
        head += b' s="%d"' % style
    return head + (b"/" if closing_slash else b"") + cell[end:]


def _empty_cell(
    column: int, number: int, marks: dict[int, list[Finding]], styles: StyleSheet
) -> bytes:
    reference = f"{get_column_letter(column + 1)}{number}".encode()
    return b'<c r="%s" s="%d"/>' % (reference, styles.marked(0, _worst(marks[column])))


def rewritten_sheet(
    archive: zipfile.ZipFile,
    part: str,
    notes: dict[int, dict[int, list[Finding]]],
    styles: StyleSheet,
    drawing: bytes | None,
) -> Iterator[bytes]:
    """The sheet's XML with the notes' cells marked and ``drawing`` (a legacyDrawing) added."""
    wanted = sorted(notes)
    next_index = 0
    buffer = b""
    in_data = True
    for piece in scanned_parts(archive, part):
        buffer += piece
        if not in_data:
            continue  # the part after sheetData is small: handled whole, below
        position = 0
        out: list[bytes] = []
        end = buffer.find(b"</sheetData>")  # once a piece: searched per row, it cost seconds
        while True:
            if next_index < len(wanted):
                start = _find_row(buffer, wanted[next_index], position)
                if start is not None and (end < 0 or start[0] < end):
                    row_start, self_closing = start
                    row_end = (
                        buffer.index(b">", row_start) + 1
                        if self_closing
                        else buffer.find(b"</row>", row_start)
                    )
                    if row_end < 0:
                        break  # the row goes on in the next piece
                    if not self_closing:
                        row_end += len(b"</row>")
                    number = wanted[next_index]
                    out.append(buffer[position:row_start])
                    out.append(
                        _marked_row(buffer[row_start:row_end], number, notes[number], styles)
                    )
                    position = row_end
                    next_index += 1
                    continue
            if end >= 0:
                if next_index < len(wanted):
                    raise CannotStream(f"no row {wanted[next_index]} in the sheet")
                in_data = False
                break
            # No wanted row starts before the end of this piece: keep only a tail that
            # could hold the start of one.
            cut = buffer.rfind(b"<", position)
            cut = cut if cut >= 0 and buffer.find(b">", cut) < 0 else len(buffer)
            out.append(buffer[position:cut])
            position = cut
            break
        yield b"".join(out)
        buffer = buffer[position:]
    if in_data:
        raise CannotStream("no end of sheetData")
    if b"<legacyDrawing" in buffer or re.search(rb"<\w+:legacyDrawing", buffer):
        raise CannotStream("the sheet has comments of its own")
    if drawing is not None:
        after = _AFTER_LEGACY_DRAWING.search(buffer, buffer.find(b"</sheetData>"))
        assert after is not None
        buffer = buffer[: after.start()] + drawing + buffer[after.start() :]
    yield buffer


def _find_row(buffer: bytes, number: int, start: int) -> tuple[int, bool] | None:
    """Where row ``number`` starts in ``buffer``, and whether it is ``<row …/>``.

    Every office suite writes ``r`` first, which a plain search finds quickly; a
    regular expression (compiled per row, so only as the fallback) finds the rest.
    """
    at = buffer.find(b'<row r="%d"' % number, start)
    if at < 0:
        pattern = re.compile(rb'<row\b[^>]*?\sr="' + str(number).encode() + rb'"[^>]*?(/?)>')
        found = pattern.search(buffer, start)
        return None if found is None else (found.start(), bool(found.group(1)))
    close = buffer.find(b">", at)
    return at, close > 0 and buffer[close - 1] == 0x2F  # "/>"
