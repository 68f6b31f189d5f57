"""The first rows of an .xlsx sheet without unpacking the whole sheet.

python-calamine parses a sheet completely before handing out its first row,
which takes seconds on a million-row file. A preview needs a hundred rows, so
this reads the sheet's XML as a stream, and shared strings only as far as
those rows need them. Values follow calamine's conventions (floats for
numbers, ``date`` for whole-day dates, ``""`` for error cells) so the preview
shows what the check will see.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
from collections.abc import Generator, Iterator
from typing import IO
from xml.etree.ElementTree import Element, iterparse

from .cells import CellValue, PaddedNumberCell, PercentCell, SheetRow, UncalculatedFormula
from .xlsx_extent import (
    _REFERENCE,
    SheetExtent,
    column_index,
    holds_formulas,
    scanned_parts,
    scanned_size,
    sheet_extent,
)

__all__ = ["CellPositionsUnknown", "SheetExtent", "XlsxStream", "scanned_parts", "scanned_size"]

_BUILTIN_DATE_FORMATS = set(range(14, 23)) | {45, 46, 47}
_BUILTIN_DURATION_FORMATS = {46}
_BUILTIN_PERCENT_FORMATS = {9, 10}  # 0% and 0.00%
# Zeros only, at least two: a code format such as 000000. A lone 0 is a plain number.
_PADDED_FORMAT = re.compile(r"00+")
_CELL_REFERENCE = re.compile(rb'\sr="([A-Za-z]{1,3})(\d+)"')
# A cell holding a formula and nothing else, or an empty value: never calculated.
_UNCALCULATED = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?c\b([^>]*[^/>])>"
    rb"<(?:[A-Za-z_][\w.-]*:)?f\b(?:[^>]*/>|[^>]*>([^<]*)</(?:[A-Za-z_][\w.-]*:)?f>)"
    rb"(?:<(?:[A-Za-z_][\w.-]*:)?v\s*/>|<(?:[A-Za-z_][\w.-]*:)?v></(?:[A-Za-z_][\w.-]*:)?v>)?"
    rb"</(?:[A-Za-z_][\w.-]*:)?c>"
)
_EPOCH_1900 = datetime.datetime(1899, 12, 30)
_EPOCH_1904 = datetime.datetime(1904, 1, 1)
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Quoted text, escapes and [colour]/[$-locale] brackets do not make a format a date.
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]', re.IGNORECASE)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _unescape(text: str) -> str:
    """``xml.sax.saxutils.unescape``, without the 15 ms of urllib and email it imports."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class CellPositionsUnknown(Exception):
    """The sheet's formatted cells carry no ``r="B7"``: their columns need a full parse."""


class XlsxStream:
    """Streams rows of one worksheet of an .xlsx/.xlsm file."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        names = set(archive.namelist())
        self._names = names
        # Worksheets in workbook order (charts and macro sheets left out), and which are hidden.
        self.sheet_parts: dict[str, str] = {}
        self.hidden: dict[str, bool] = {}
        self.date1904 = False
        self._read_workbook()
        # Style index → what its format makes of a number, for the few formats that
        # change meaning: percentages (tax rates) and zero-padded codes (SKUs).
        self._percent_styles: set[int] = set()
        self._padded_styles: dict[int, int] = {}  # style index → digits shown
        self._date_styles, self._duration_styles = self._read_styles()
        # What calamine reads whole when it opens the workbook, before any sheet.
        self.string_parts = [part for part in ("xl/sharedStrings.xml",) if part in names]
        self._strings: list[str] = []
        self._string_source: Generator[str] | None = (
            self._iter_shared_strings() if "xl/sharedStrings.xml" in names else None
        )

    def _read_workbook(self) -> None:
        relations: dict[str, str] = {}
        worksheets: set[str] = set()
        if "xl/_rels/workbook.xml.rels" in self._names:
            with self._archive.open("xl/_rels/workbook.xml.rels") as handle:
                for _, element in iterparse(handle):
                    if _local(element.tag) == "Relationship":
                        target = element.get("Target", "")
                        if target.startswith("/"):
                            target = target.lstrip("/")
                        else:
                            target = posixpath.normpath(posixpath.join("xl", target))
                        relations[element.get("Id", "")] = target
                        if element.get("Type", "").endswith("/worksheet"):
                            worksheets.add(target)
        with self._archive.open("xl/workbook.xml") as handle:
            for _, element in iterparse(handle):
                tag = _local(element.tag)
                if tag == "workbookPr":
                    self.date1904 = element.get("date1904", "false").lower() in ("1", "true")
                elif tag == "sheet":
                    rel = element.get(f"{{{_REL_NS}}}id") or element.get("id") or ""
                    part = relations.get(rel)
                    if part is not None and part in worksheets and part in self._names:
                        name = element.get("name", "")
                        self.sheet_parts[name] = part
                        self.hidden[name] = element.get("state", "visible") != "visible"

    def _read_styles(self) -> tuple[set[int], set[int]]:
        if "xl/styles.xml" not in self._names:
            return set(), set()
        custom: dict[int, str] = {}
        formats: list[int] = []
        inside_cell_xfs = False
        with self._archive.open("xl/styles.xml") as handle:
            for event, element in iterparse(handle, events=("start", "end")):
                tag = _local(element.tag)
                if tag == "cellXfs":
                    inside_cell_xfs = event == "start"
                elif event == "end" and tag == "numFmt":
                    custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
                elif event == "end" and tag == "xf" and inside_cell_xfs:
                    formats.append(int(element.get("numFmtId", "0")))
        dates: set[int] = set()
        durations: set[int] = set()
        for index, format_id in enumerate(formats):
            code = custom.get(format_id)
            if code is None:
                if format_id in _BUILTIN_DURATION_FORMATS:
                    durations.add(index)
                elif format_id in _BUILTIN_DATE_FORMATS:
                    dates.add(index)
                elif format_id in _BUILTIN_PERCENT_FORMATS:
                    self._percent_styles.add(index)
                continue
            cleaned = _FORMAT_NOISE.sub("", code)
            # The first section is the one positive numbers (codes, rates) are shown with.
            positive = cleaned.split(";", 1)[0].strip()
            if "%" in positive:
                self._percent_styles.add(index)
            elif _PADDED_FORMAT.fullmatch(positive):
                self._padded_styles[index] = len(positive)
            elif re.search(r"\[(h|hh|m|mm|s|ss)\]", cleaned, re.IGNORECASE):
                durations.add(index)
            elif re.search(r"[dmyhs]", cleaned, re.IGNORECASE) and "General" not in code:
                dates.add(index)
        return dates, durations

    def close(self) -> None:
        """Stop reading shared strings; the archive itself belongs to the caller."""
        if self._string_source is not None:
            self._string_source.close()
            self._string_source = None

    def _iter_shared_strings(self) -> Generator[str]:
        with self._archive.open("xl/sharedStrings.xml") as handle:
            parts: list[str] = []
            phonetic = 0
            for event, element in iterparse(handle, events=("start", "end")):
                tag = _local(element.tag)
                if tag == "rPh":
                    phonetic += 1 if event == "start" else -1
                elif event == "end" and tag == "t" and not phonetic:
                    parts.append(element.text or "")
                elif event == "end" and tag == "si":
                    yield "".join(parts)
                    parts = []
                    element.clear()

    def _shared(self, index: int) -> str:
        while len(self._strings) <= index and self._string_source is not None:
            try:
                self._strings.append(next(self._string_source))
            except StopIteration:
                self.close()
        return self._strings[index] if index < len(self._strings) else ""

    def extent(
        self, sheet_name: str, *, max_bytes: int, max_rows: int, max_cells: int
    ) -> SheetExtent:
        """How far ``sheet_name``'s cells reach, read from the cells themselves
        (``xlsx_extent.sheet_extent``)."""
        return sheet_extent(
            self._archive,
            self.sheet_parts[sheet_name],
            max_bytes=max_bytes,
            max_rows=max_rows,
            max_cells=max_cells,
        )

    def holds_formulas(self, sheet_name: str) -> bool:
        """Whether any cell of ``sheet_name`` holds a formula (``xlsx_extent.holds_formulas``)."""
        return holds_formulas(self._archive, self.sheet_parts[sheet_name])

    def uncalculated_cells(self, sheet_name: str) -> dict[int, list[tuple[int, str]]]:
        """Row → (0-based column, formula) of the formula cells that hold no value.

        calamine reads them as empty, which the check would call a missing price.
        """
        found: dict[int, list[tuple[int, str]]] = {}
        for part in scanned_parts(self._archive, self.sheet_parts[sheet_name]):
            for cell in _UNCALCULATED.finditer(part):
                where = _REFERENCE.search(cell.group(1))
                if where is None or not where.group(1) or not where.group(2):
                    continue  # unplaced: only the streamed read can tell (it does)
                formula = _unescape((cell.group(2) or b"").decode("utf-8", "replace"))
                column = column_index(where.group(1).decode())
                found.setdefault(int(where.group(2)), []).append((column, formula))
        return found

    @property
    def has_telling_formats(self) -> bool:
        """Whether any style shows numbers as percentages or zero-padded codes."""
        return bool(self._percent_styles or self._padded_styles)

    def shown_as(self, style: int, value: CellValue) -> CellValue:
        """``value`` marked with what a percent or zero-padded format makes of it."""
        if not isinstance(value, int | float) or isinstance(value, bool):
            return value
        if style in self._percent_styles:
            return PercentCell(value)
        digits = self._padded_styles.get(style)
        if digits is not None:
            return PaddedNumberCell(value, digits)
        return value

    def formatted_cells(self, sheet_name: str) -> Generator[tuple[int, int, int]]:
        """(row, 0-based column, style) of the cells with a percent or zero-padded format.

        In sheet order, for merging into calamine's rows, which carry no formats. A
        regular expression over the raw XML finds them without parsing every cell, so
        files without such formats cost nothing and files with them little.
        """
        special = self._percent_styles | set(self._padded_styles)
        if not special:
            return
        styles = b"|".join(str(index).encode() for index in sorted(special))
        # (?=\s): the space after "c" must stay for "\ss=", as in <c s="2"> with no r="…".
        tag = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c(?=\s)[^>]*?\ss="(' + styles + rb')"[^>]*>')
        first = True
        for text in scanned_parts(self._archive, self.sheet_parts[sheet_name]):
            for found in tag.finditer(text):
                where = _CELL_REFERENCE.search(found.group(0))
                if where is not None:
                    column = column_index(where.group(1).decode())
                    yield int(where.group(2)), column, int(found.group(1))
                elif first:
                    # The spec lets cells leave out their position (some generators
                    # do): then only a full parse can tell where a format applies.
                    raise CellPositionsUnknown
                first = False

    def rows(self, sheet_name: str) -> Generator[SheetRow]:
        """Non-empty rows of ``sheet_name`` as they are parsed."""
        with self._archive.open(self.sheet_parts[sheet_name]) as handle:
            yield from self._rows(handle)

    def _rows(self, handle: IO[bytes]) -> Iterator[SheetRow]:
        number = 0
        cells: list[CellValue] = []
        column = -1
        for _, element in iterparse(handle, events=("end",)):
            tag = _local(element.tag)
            if tag == "c":
                reference = element.get("r")
                column = column_index(reference) if reference else column + 1
                value = self._cell_value(element)
                if value != "":
                    while len(cells) < column:
                        cells.append("")
                    cells.append(value)
                element.clear()
            elif tag == "row":
                given = element.get("r")
                number = int(given) if given and given.isdigit() else number + 1
                if cells:
                    yield SheetRow(number, cells)
                cells, column = [], -1
                element.clear()

    def _cell_value(self, element: Element) -> CellValue:
        cell_type = element.get("t", "n")  # Excel's t attribute
        raw = formula = None
        inline: list[str] = []
        for child in element:
            tag = _local(child.tag)
            if tag == "v":
                raw = child.text
            elif tag == "is":
                inline.extend(t.text or "" for t in child.iter() if _local(t.tag) == "t")
            elif tag == "f":
                formula = child.text or ""
        if cell_type == "inlineStr":
            return "".join(inline)
        if raw is None:
            return "" if formula is None else UncalculatedFormula(formula)
        if cell_type == "s":
            return self._shared(int(raw)) if raw.strip().isdigit() else ""
        if cell_type == "str":
            return raw
        if cell_type == "b":
            return raw.strip() in ("1", "true")
        if cell_type == "e":
            return ""
        if cell_type == "d":
            try:
                return datetime.datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        try:
            number = float(raw)
        except ValueError:
            return raw
        style = element.get("s")
        if style is not None and style.isdigit():
            index = int(style)
            if index in self._date_styles:
                return self._date(number)
            if index in self._duration_styles:
                return datetime.timedelta(days=number)
            return self.shown_as(index, number)
        return number

    def _date(self, serial: float) -> CellValue:
        epoch = _EPOCH_1904 if self.date1904 else _EPOCH_1900
        if serial < 1 and not self.date1904:
            seconds = round(serial * 86_400)
            if 0 <= seconds < 86_400:
                return datetime.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
            return serial
        if not self.date1904 and serial < 61:
            serial += 1  # Excel counts a 29 February 1900 that never was
        try:
            moment = epoch + datetime.timedelta(days=serial)
        except OverflowError:
            return serial
        moment = (moment + datetime.timedelta(microseconds=500_000)).replace(microsecond=0)
        if moment.time() == datetime.time(0):
            return moment.date()
        return moment
