"""The annotated copy of an .xlsx workbook, written as a stream instead of loaded whole.

openpyxl's load and save of a 100,000-row workbook took 38–48 s and 455 MB, to
change a few cells. Here every part of the zip is copied as it is except those
the notes touch: the checked sheet, streamed with the marked cells' style
changed (and empty marked cells added), its comments and their drawing; the
styles, gaining a fill per severity and a style per (the cell's own style,
severity); and the workbook, its relationships and content types, gaining the
Problems sheet. Everything else the person made (formats, widths, merged cells,
other sheets, macros) is in the copy byte for byte.

A workbook whose layout this does not follow (cells without positions, a sheet
with comments of its own, prefixed XML) raises ``CannotStream`` before anything
is written, and ``writing.write_annotated_copy`` has openpyxl copy it instead.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

from .check_result import CheckResult
from .findings import Finding, Severity
from .xlsx_stream import XlsxStream, scanned_parts

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_TYPE = _REL + "/worksheet"
_COMMENTS_TYPE = _REL + "/comments"
_VML_TYPE = _REL + "/vmlDrawing"
_WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_COMMENTS_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_VML_CONTENT = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STYLES_TYPE = _REL + "/styles"
# Relationship ids of the parts added: any name unique in its file will do.
_PROBLEMS_ID, _COMMENTS_ID, _DRAWING_ID, _STYLES_ID = (
    "rIdOmniDeskProblems",
    "rIdOmniDeskComments",
    "rIdOmniDeskDrawing",
    "rIdOmniDeskStyles",
)
_STYLES_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_DEFAULT_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<styleSheet xmlns="' + _MAIN.encode() + b'">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill>'
    b'<fill><patternFill patternType="gray125"/></fill></fills>'
    b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    b"</styleSheet>"
)
# Elements a worksheet may hold after <legacyDrawing>, in the schema's order: the
# comments' drawing goes before the first of them.
_AFTER_LEGACY_DRAWING = re.compile(
    rb"<(?:legacyDrawingHF|drawingHF|picture|oleObjects|controls|webPublishItems|"
    rb"tableParts|extLst)\b|</worksheet>"
)
_ROW_START = re.compile(rb'<row\b[^>]*?\sr="([0-9]+)"[^>]*?(/?)>')
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_CELL_REFERENCE = re.compile(rb'\sr="([A-Z]+)([0-9]+)"')
_STYLE = re.compile(rb'\ss="([0-9]+)"')
_SPANS = re.compile(rb'\sspans="[^"]*"')
_XF = re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.DOTALL)
# Big parts are packed quickly: the copy is for reading, and time is what it costs.
_QUICK_ABOVE = 1 << 20


class CannotStream(Exception):
    """The workbook's layout is not one this module follows; openpyxl copies it instead."""


def _column_index(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + byte - 64
    return index - 1


def _text(value: str) -> bytes:
    # XML 1.0 has no way to write most control characters (openpyxl refuses them too).
    from .writing import cell_safe_text

    return escape(cell_safe_text(value), {'"': "&quot;"}).encode()


class _Styles:
    """styles.xml with a fill per severity and a style per (original style, severity)."""

    def __init__(self, xml: bytes) -> None:
        self.xml = xml
        cell_xfs = re.search(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", xml, re.DOTALL)
        fills = re.search(rb"<fills\b[^>]*>(.*?)</fills>", xml, re.DOTALL)
        fonts = re.search(rb"<fonts\b[^>]*>(.*?)</fonts>", xml, re.DOTALL)
        if cell_xfs is None or fills is None or fonts is None:
            raise CannotStream("styles without cellXfs, fills or fonts")
        self._xfs = _XF.findall(cell_xfs.group(1))
        self._first_new = len(self._xfs)
        fill_count = len(re.findall(rb"<fill\b[^>]*?(?:/>|>.*?</fill>)", fills.group(1), re.DOTALL))
        font_count = len(re.findall(rb"<font\b[^>]*?(?:/>|>.*?</font>)", fonts.group(1), re.DOTALL))
        self._fill_of = {Severity.ERROR: fill_count, Severity.WARNING: fill_count + 1}
        self._bold_font = font_count
        self._made: dict[tuple[int, Severity | None], int] = {}

    def marked(self, base: int, severity: Severity) -> int:
        """The style index of a cell of style ``base`` filled for ``severity``."""
        return self._style(base, severity, bold=False)

    def bold(self) -> int:
        return self._style(0, None, bold=True)

    def _style(self, base: int, severity: Severity | None, *, bold: bool) -> int:
        key = (base, severity)
        found = self._made.get(key)
        if found is not None:
            return found
        if base >= len(self._xfs) or base >= self._first_new:
            base = 0
        xf = self._xfs[base] if self._xfs else b'<xf numFmtId="0" fontId="0" fillId="0" />'
        if severity is not None:
            xf = _with_attribute(xf, b"fillId", str(self._fill_of[severity]).encode())
            xf = _with_attribute(xf, b"applyFill", b"1")
        if bold:
            xf = _with_attribute(xf, b"fontId", str(self._bold_font).encode())
            xf = _with_attribute(xf, b"applyFont", b"1")
        self._xfs.append(xf)
        self._made[key] = len(self._xfs) - 1
        return len(self._xfs) - 1

    def written(self) -> bytes:
        from .writing import ERROR_FILL, WARNING_FILL

        xml = self.xml
        fills = b"".join(
            b'<fill><patternFill patternType="solid"><fgColor rgb="%s"/><bgColor rgb="%s"/>'
            b"</patternFill></fill>" % (colour, colour)
            for colour in (
                str(ERROR_FILL.start_color.rgb).encode(),
                str(WARNING_FILL.start_color.rgb).encode(),
            )
        )
        xml = _appended(xml, b"fills", fills, 2)
        xml = _appended(xml, b"fonts", b'<font><b/><sz val="11"/><name val="Calibri"/></font>', 1)
        added = b"".join(self._xfs[self._first_new :])
        return _appended(xml, b"cellXfs", added, len(self._xfs) - self._first_new)


def _with_attribute(tag: bytes, name: bytes, value: bytes) -> bytes:
    """``tag`` (an ``<xf …>`` element) with ``name="value"``, replaced or added."""
    pattern = re.compile(rb"(\s" + name + rb'=")[^"]*(")')
    if pattern.search(tag.split(b">", 1)[0]):
        head, _, rest = tag.partition(b">")
        return pattern.sub(rb"\g<1>" + value + rb"\g<2>", head, count=1) + b">" + rest
    return b"<xf " + name + b'="' + value + b'"' + tag[3:]


def _appended(xml: bytes, element: bytes, children: bytes, added: int) -> bytes:
    """``xml`` with ``children`` at the end of ``<element>``, its count raised by ``added``."""
    opening = re.search(rb"<" + element + rb"\b([^>]*?)(/?)>", xml)
    assert opening is not None  # _Styles checked it is there
    attributes = opening.group(1)
    count = re.search(rb'\scount="([0-9]+)"', attributes)
    if count is not None:
        attributes = (
            attributes[: count.start(1)]
            + str(int(count.group(1)) + added).encode()
            + attributes[count.end(1) :]
        )
    head = b"<" + element + attributes + b">"
    if opening.group(2):  # <fills count="0"/>: empty
        return (
            xml[: opening.start()] + head + children + b"</" + element + b">" + xml[opening.end() :]
        )
    closing = xml.index(b"</" + element + b">", opening.end())
    return xml[: opening.start()] + head + xml[opening.end() : closing] + children + xml[closing:]


def _notes(findings: list[Finding]) -> dict[int, dict[int, list[Finding]]]:
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


def _marked_row(row: bytes, number: int, marks: dict[int, list[Finding]], styles: _Styles) -> bytes:
    """One ``<row>…</row>`` with its marked cells restyled, and added where they are missing."""
    head_end = row.index(b">") + 1
    head, body = row[:head_end], row[head_end:]
    if head.endswith(b"/>"):  # <row r="5"/>: no cells at all
        head, body = head[:-2] + b">", b"</row>"
    head = _SPANS.sub(b"", head)  # spans is a hint; the added cells may fall outside it
    closing = body.rindex(b"</row>")
    cells = body[:closing]
    out: list[bytes] = []
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
    column: int, number: int, marks: dict[int, list[Finding]], styles: _Styles
) -> bytes:
    reference = f"{get_column_letter(column + 1)}{number}".encode()
    return b'<c r="%s" s="%d"/>' % (reference, styles.marked(0, _worst(marks[column])))


def _rewritten_sheet(
    archive: zipfile.ZipFile,
    part: str,
    notes: dict[int, dict[int, list[Finding]]],
    styles: _Styles,
    drawing: bytes | None,
) -> Iterator[bytes]:
    """The sheet's XML with the notes' cells marked and ``drawing`` (a legacyDrawing) added."""
    wanted = sorted(notes)
    next_index = 0
    buffer = b""
    in_data = True
    with archive.open(part) as handle:
        for piece in scanned_parts(handle):
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


def _problems_sheet(result: CheckResult, checked: str, styles: _Styles) -> Iterator[bytes]:
    """The Problems sheet, as ``writing._add_problems_sheet`` lays it out, every cell text."""
    from .writing import cell_safe_text, note_word, problems_headings, problems_summary

    header, fills = (
        styles.bold(),
        {
            Severity.ERROR: styles.marked(0, Severity.ERROR),
            Severity.WARNING: styles.marked(0, Severity.WARNING),
        },
    )
    last = 2 + len(result.notes) + len(result.findings)
    yield (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="%s" xmlns:r="%s">'
        b'<dimension ref="A1:D%d"/>'
        b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        b'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        b'<sheetFormatPr defaultRowHeight="15"/>'
        b'<cols><col min="1" max="1" width="8" customWidth="1"/>'
        b'<col min="2" max="2" width="22" customWidth="1"/>'
        b'<col min="3" max="3" width="10" customWidth="1"/>'
        b'<col min="4" max="4" width="100" customWidth="1"/></cols><sheetData>'
    ) % (_MAIN.encode(), _REL.encode(), last)

    def text(reference: str, value: str, style: int | None = None) -> bytes:
        styled = b"" if style is None else b' s="%d"' % style
        return b'<c r="%s" t="inlineStr"%s><is><t xml:space="preserve">%s</t></is></c>' % (
            reference.encode(),
            styled,
            _text(value),
        )

    titles = problems_headings()
    yield (
        b'<row r="1">'
        + b"".join(text(f"{c}1", t, header) for c, t in zip("ABCD", titles, strict=True))
        + b"</row>"
    )
    yield b'<row r="2">' + text("D2", problems_summary(result)) + b"</row>"
    number = 2
    said = note_word()
    for note in result.notes:
        number += 1
        yield b'<row r="%d">%s%s</row>' % (
            number,
            text(f"C{number}", said),
            text(f"D{number}", note),
        )
    links: list[bytes] = []
    quoted = checked.replace("'", "''")
    chunk: list[bytes] = []
    for finding in result.findings:
        number += 1
        cells = [b'<c r="A%d"><v>%d</v></c>' % (number, finding.row)]
        if finding.column is not None:
            cells.append(text(f"B{number}", finding.column))
        cells.append(text(f"C{number}", finding.severity.word, fills[finding.severity]))
        cells.append(text(f"D{number}", finding.message))
        chunk.append(b'<row r="%d">%s</row>' % (number, b"".join(cells)))
        column = get_column_letter((finding.column_index or 0) + 1)
        location = cell_safe_text(f"'{quoted}'!{column}{finding.row}")
        links.append(
            b'<hyperlink ref="A%d" location="%s"/>'
            % (number, escape(location, {'"': "&quot;"}).encode())
        )
        if len(chunk) >= 1000:
            yield b"".join(chunk)
            chunk = []
    yield b"".join(chunk)
    yield b'</sheetData><autoFilter ref="A1:D%d"/>' % number
    if links:
        yield b"<hyperlinks>" + b"".join(links) + b"</hyperlinks>"
    yield (
        b'<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        b"</worksheet>"
    )


def _comments(notes: dict[int, dict[int, list[Finding]]], limit: int) -> tuple[bytes, bytes] | None:
    """The comments part and its VML drawing, for the first ``limit`` marked cells.

    The same XML openpyxl writes (``openpyxl.comments``), made as text: through its
    objects, 5,000 comments took half a second.
    """
    from .writing import cell_safe_text, comment_text

    comments: list[bytes] = []
    shapes: list[bytes] = []
    for row, columns in notes.items():
        for column, found in columns.items():
            if len(comments) >= limit:
                break
            text = comment_text(found)
            reference = f"{get_column_letter(column + 1)}{row}".encode()
            comments.append(
                b'<comment ref="%s" authorId="0"><text><t xml:space="preserve">%s</t></text>'
                b"</comment>" % (reference, escape(cell_safe_text(text)).encode())
            )
            shapes.append(_SHAPE % (1026 + len(shapes), 40 + 40 * len(found), row - 1, column))
    if not comments:
        return None
    part = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<comments xmlns="%s"><authors><author>OmniDesk</author></authors><commentList>'
        % _MAIN.encode()
        + b"".join(comments)
        + b"</commentList></comments>"
    )
    return part, _VML_START + b"".join(shapes) + b"</xml>"


_VML_START = (
    b'<xml xmlns:v="urn:schemas-microsoft-com:vml"'
    b' xmlns:o="urn:schemas-microsoft-com:office:office"'
    b' xmlns:x="urn:schemas-microsoft-com:office:excel">'
    b'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout>'
    b'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"'
    b' path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    b'<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)
# A hidden note box by its cell (id, height in pixels, 0-based row and column).
_SHAPE = (
    b'<v:shape id="_x0000_s%04d" type="#_x0000_t202" style="position:absolute;'
    b" margin-left:59.25pt;margin-top:1.5pt;width:320px;height:%dpx;z-index:1;"
    b'visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
    b'<v:fill color2="#ffffe1"/><v:shadow color="black" obscured="t"/>'
    b'<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
    b'<div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note">'
    b"<x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>"
    b"<x:Row>%d</x:Row><x:Column>%d</x:Column></x:ClientData></v:shape>"
)


def _relationships(xml: bytes | None, added: list[tuple[str, str, str]]) -> bytes:
    entries = b"".join(
        b'<Relationship Id="%s" Type="%s" Target="%s"/>' % (i.encode(), t.encode(), target.encode())
        for i, t, target in added
    )
    if xml is None:
        return (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + entries
            + b"</Relationships>"
        )
    if b"</Relationships>" not in xml:
        raise CannotStream("relationships in an unexpected form")
    return xml.replace(b"</Relationships>", entries + b"</Relationships>", 1)


def _relative(target: str, source: str) -> str:
    """``target``'s path as a relationship of ``source`` names it."""
    return posixpath.relpath(target, posixpath.dirname(source))


def _free_name(names: set[str], pattern: str) -> str:
    number = 1
    while pattern.format(number) in names:
        number += 1
    return pattern.format(number)


def write_streamed_copy(source: Path, sheet_name: str, result: CheckResult, out: Path) -> None:
    """The annotated copy of an .xlsx/.xlsm ``source``; ``CannotStream`` if it cannot be."""
    from .writing import MAX_COMMENTS, problems_title

    with zipfile.ZipFile(source) as archive:
        names = set(archive.namelist())
        stream = XlsxStream(archive)
        try:
            part = stream.sheet_parts[sheet_name]
        finally:
            stream.close()
        for required in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
            if required not in names:
                raise CannotStream(f"no {required}")
        workbook = archive.read("xl/workbook.xml")
        if b"<sheets>" not in workbook and b"<sheets " not in workbook:
            raise CannotStream("a workbook with prefixed elements")
        workbook_rels = archive.read("xl/_rels/workbook.xml.rels")
        had_styles = "xl/styles.xml" in names
        if not had_styles and b"/styles" in workbook_rels:
            raise CannotStream("styles kept somewhere else")
        # Files written by programs may have no styles at all: they get Excel's defaults.
        styles = _Styles(archive.read("xl/styles.xml") if had_styles else _DEFAULT_STYLES)
        sheet_rels = posixpath.join(
            posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels"
        )
        own_rels = archive.read(sheet_rels) if sheet_rels in names else None
        if own_rels is not None and (b"/comments" in own_rels or b"/vmlDrawing" in own_rels):
            raise CannotStream("the sheet has comments of its own")

        notes = _notes(result.findings)
        comments = _comments(notes, MAX_COMMENTS)
        comments_part = _free_name(names, "xl/comments{}.xml")
        drawing_part = _free_name(names, "xl/drawings/commentsDrawing{}.vml")
        drawing = None
        if comments is not None:
            drawing = b'<legacyDrawing xmlns:r="%s" r:id="%s"/>' % (
                _REL.encode(),
                _DRAWING_ID.encode(),
            )
        problems_part = _free_name(names, "xl/worksheets/sheet{}.xml")
        taken = {m.decode() for m in re.findall(rb'<sheet\b[^>]*?\sname="([^"]*)"', workbook)}
        title = problems_title(taken)
        ids = [int(i) for i in re.findall(rb'<sheet\b[^>]*?\ssheetId="([0-9]+)"', workbook)]
        problems_entry = b'<sheet xmlns:r="%s" name="%s" sheetId="%d" r:id="%s"/>' % (
            _REL.encode(),
            _text(title),
            max(ids, default=0) + 1,
            _PROBLEMS_ID.encode(),
        )

        folder = out.parent
        handle, temporary = tempfile.mkstemp(prefix=".omnidesk-", suffix=".xlsx", dir=folder)
        os.close(handle)
        try:
            with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
                with target.open(_info(part, archive), "w", force_zip64=True) as sheet:
                    for piece in _rewritten_sheet(archive, part, notes, styles, drawing):
                        sheet.write(piece)
                with target.open(_info(problems_part), "w", force_zip64=True) as problems:
                    for piece in _problems_sheet(result, sheet_name, styles):
                        problems.write(piece)
                target.writestr(_info("xl/styles.xml"), styles.written())
                target.writestr(
                    _info("xl/workbook.xml"),
                    re.sub(rb"</sheets>", problems_entry + b"</sheets>", workbook, count=1),
                )
                workbook_links = [(_PROBLEMS_ID, _WORKSHEET_TYPE, problems_part[len("xl/") :])]
                overrides = [(problems_part, _WORKSHEET_CONTENT)]
                if not had_styles:
                    workbook_links.append((_STYLES_ID, _STYLES_TYPE, "styles.xml"))
                    overrides.append(("xl/styles.xml", _STYLES_CONTENT))
                target.writestr(
                    _info("xl/_rels/workbook.xml.rels"),
                    _relationships(workbook_rels, workbook_links),
                )
                if comments is not None:
                    comments_xml, vml = comments
                    target.writestr(_info(comments_part), comments_xml)
                    target.writestr(_info(drawing_part), vml)
                    target.writestr(
                        _info(sheet_rels),
                        _relationships(
                            own_rels,
                            [
                                (
                                    _COMMENTS_ID,
                                    _COMMENTS_TYPE,
                                    _relative(comments_part, part),
                                ),
                                (_DRAWING_ID, _VML_TYPE, _relative(drawing_part, part)),
                            ],
                        ),
                    )
                    overrides.append((comments_part, _COMMENTS_CONTENT))
                target.writestr(
                    _info("[Content_Types].xml"),
                    _content_types(
                        archive.read("[Content_Types].xml"), overrides, vml=comments is not None
                    ),
                )
                changed = {
                    part,
                    "xl/styles.xml",
                    "xl/workbook.xml",
                    "xl/_rels/workbook.xml.rels",
                    "[Content_Types].xml",
                }
                if comments is not None:
                    changed.add(sheet_rels)
                for item in archive.infolist():
                    if item.filename not in changed:
                        _copy(archive, item, target)
            os.replace(temporary, out)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _info(name: str, archive: zipfile.ZipFile | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    size = archive.getinfo(name).file_size if archive is not None else 0
    _pack_level(info, 1 if size > _QUICK_ABOVE else 6)
    return info


def _pack_level(info: zipfile.ZipInfo, level: int) -> None:
    # compress_level since Python 3.13, _compresslevel before it.
    name = "compress_level" if hasattr(zipfile.ZipInfo, "compress_level") else "_compresslevel"
    setattr(info, name, level)


def _copy(archive: zipfile.ZipFile, item: zipfile.ZipInfo, target: zipfile.ZipFile) -> None:
    copied = zipfile.ZipInfo(item.filename, date_time=item.date_time)
    copied.compress_type = item.compress_type
    copied.external_attr = item.external_attr
    if item.compress_type == zipfile.ZIP_DEFLATED:
        _pack_level(copied, 1 if item.file_size > _QUICK_ABOVE else 6)
    with archive.open(item) as source, target.open(copied, "w", force_zip64=True) as out:
        while chunk := source.read(1 << 20):
            out.write(chunk)


def _content_types(xml: bytes, overrides: list[tuple[str, str]], *, vml: bool) -> bytes:
    if b"</Types>" not in xml:
        raise CannotStream("content types in an unexpected form")
    added = b"".join(
        b'<Override PartName="/%s" ContentType="%s"/>' % (name.encode(), kind.encode())
        for name, kind in overrides
    )
    if vml and not re.search(rb'<Default\b[^>]*Extension="vml"', xml):
        added += b'<Default Extension="vml" ContentType="%s"/>' % _VML_CONTENT.encode()
    return xml.replace(b"</Types>", added + b"</Types>", 1)
