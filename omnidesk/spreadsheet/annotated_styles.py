"""The annotated copy's styles.xml: a fill per severity, a style per (cell style, severity).

Part of the streamed annotated copy (``annotating.py``): the marked cells keep
their own style (number format, font, borders) and gain the severity's fill.
"""

from __future__ import annotations

import re

from .findings import Severity

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


class CannotStream(Exception):
    """The workbook's layout is not one this module follows; openpyxl copies it instead."""


DEFAULT_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<styleSheet xmlns="' + MAIN_NS.encode() + b'">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill>'
    b'<fill><patternFill patternType="gray125"/></fill></fills>'
    b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    b"</styleSheet>"
)
_XF = re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.DOTALL)


class StyleSheet:
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
    assert opening is not None  # StyleSheet checked it is there
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
