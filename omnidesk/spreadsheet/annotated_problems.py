"""The parts the annotated copy adds: the Problems sheet, the notes and their drawing.

Written as text, the same XML openpyxl writes. Part of the streamed annotated copy
(``annotating.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

from .annotated_styles import MAIN_NS, StyleSheet
from .check_result import CheckResult
from .findings import Finding, Severity

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xml_text(value: str) -> bytes:
    """``value`` as XML text; ``writing`` is imported late, as it imports this module's user."""
    # XML 1.0 has no way to write most control characters (openpyxl refuses them too).
    from .writing import cell_safe_text

    return escape(cell_safe_text(value), {'"': "&quot;"}).encode()


def problems_sheet(result: CheckResult, checked: str, styles: StyleSheet) -> Iterator[bytes]:
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
    ) % (MAIN_NS.encode(), REL_NS.encode(), last)

    def text(reference: str, value: str, style: int | None = None) -> bytes:
        styled = b"" if style is None else b' s="%d"' % style
        return b'<c r="%s" t="inlineStr"%s><is><t xml:space="preserve">%s</t></is></c>' % (
            reference.encode(),
            styled,
            xml_text(value),
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


def comments_parts(
    notes: dict[int, dict[int, list[Finding]]], limit: int
) -> tuple[bytes, bytes] | None:
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
        % MAIN_NS.encode()
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
