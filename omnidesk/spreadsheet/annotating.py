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
from pathlib import Path

from .annotated_problems import REL_NS, comments_parts, problems_sheet, xml_text
from .annotated_sheet import cell_notes, rewritten_sheet
from .annotated_styles import DEFAULT_STYLES, CannotStream, StyleSheet
from .check_result import CheckResult
from .xlsx_stream import XlsxStream

__all__ = ["CannotStream", "write_streamed_copy"]

_REL = REL_NS
_WORKSHEET_TYPE = _REL + "/worksheet"
_COMMENTS_TYPE = _REL + "/comments"
_VML_TYPE = _REL + "/vmlDrawing"
_WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_COMMENTS_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_VML_CONTENT = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_STYLES_TYPE = _REL + "/styles"
# Relationship ids of the parts added: any name unique in its file will do.
_PROBLEMS_ID, _COMMENTS_ID, _DRAWING_ID, _STYLES_ID = (
    "rIdOmniDeskProblems",
    "rIdOmniDeskComments",
    "rIdOmniDeskDrawing",
    "rIdOmniDeskStyles",
)
_STYLES_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
# Big parts are packed quickly: the copy is for reading, and time is what it costs.
_QUICK_ABOVE = 1 << 20


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
        styles = StyleSheet(archive.read("xl/styles.xml") if had_styles else DEFAULT_STYLES)
        sheet_rels = posixpath.join(
            posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels"
        )
        own_rels = archive.read(sheet_rels) if sheet_rels in names else None
        if own_rels is not None and (b"/comments" in own_rels or b"/vmlDrawing" in own_rels):
            raise CannotStream("the sheet has comments of its own")

        notes = cell_notes(result.findings)
        comments = comments_parts(notes, MAX_COMMENTS)
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
            xml_text(title),
            max(ids, default=0) + 1,
            _PROBLEMS_ID.encode(),
        )

        folder = out.parent
        handle, temporary = tempfile.mkstemp(prefix=".omnidesk-", suffix=".xlsx", dir=folder)
        os.close(handle)
        try:
            with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
                with target.open(_info(part, archive), "w", force_zip64=True) as sheet:
                    for piece in rewritten_sheet(archive, part, notes, styles, drawing):
                        sheet.write(piece)
                with target.open(_info(problems_part), "w", force_zip64=True) as problems:
                    for piece in problems_sheet(result, sheet_name, styles):
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
