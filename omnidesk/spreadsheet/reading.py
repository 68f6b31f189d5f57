"""Opening a spreadsheet file of any supported kind and streaming its rows.

``open_spreadsheet`` decides what the file really is from its first bytes (an
ERP's ``.xls`` is often CSV or HTML inside), refuses what would hang or exhaust
memory before reading it, picks the sheet, and returns a ``Spreadsheet`` whose
``rows()`` yields ``SheetRow`` objects with the row numbers the office suite shows.
"""

from __future__ import annotations

import contextlib
import csv
import re
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import python_calamine

from .cells import CellValue, SheetRow
from .csv_text import TextFormat, detect_encoding, sniff_delimiter
from .errors import (
    EmptyFile,
    PasswordProtected,
    SheetNotFound,
    SpreadsheetError,
    TooLarge,
    UnreadableFile,
    UnsupportedFileType,
)
from .limits import DEFAULT_LIMITS, ReadLimits
from .xlsx_stream import CellPositionsUnknown, XlsxStream

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
SUPPORTED_SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES

PREVIEW_ROWS = 100

_ZIP_MAGIC = b"PK\x03\x04"
_SEP_DIRECTIVE = re.compile(r"\ufeff?sep=(.)\r?\n", re.IGNORECASE)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, slots=True)
class SheetInfo:
    name: str
    hidden: bool


class Spreadsheet(ABC):
    """An opened file with one chosen sheet (a CSV file has exactly one).

    Use it as a context manager, or call ``close()``.
    """

    path: Path
    file_type: str  # the format read, e.g. "xlsx" or "csv", whatever the name says
    sheets: tuple[SheetInfo, ...]
    sheet_name: str
    text_format: TextFormat | None = None  # encoding and delimiter, for text files only

    @abstractmethod
    def rows(self) -> Iterator[SheetRow]:
        """Non-empty rows in order; each call starts again from the top."""

    def preview(self, count: int = PREVIEW_ROWS) -> list[SheetRow]:
        """The first ``count`` non-empty rows, header included."""
        rows = self.rows()
        try:
            return list(islice(rows, count))
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()

    @abstractmethod
    def close(self) -> None:
        """Release the file; the sheet cannot be read afterwards."""

    def __enter__(self) -> Spreadsheet:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_spreadsheet(
    path: str | Path, sheet: str | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> Spreadsheet:
    """Open ``path`` for reading; raise a ``SpreadsheetError`` subclass if it cannot be used.

    ``sheet`` picks a sheet by name (case-insensitively); by default the first
    visible sheet with data is used.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise UnreadableFile(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{path} is a folder, not a spreadsheet file.") from None
    except OSError as error:
        raise UnreadableFile(f"{path.name} cannot be opened: {error.strerror}.") from None
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFileType(
            f"{path.name} is not a spreadsheet OmniDesk can read. Use one of: "
            + ", ".join(SUPPORTED_SUFFIXES)
            + "."
        )
    if size == 0:
        raise EmptyFile(f"{path.name} is empty (0 bytes).")
    if size > limits.max_file_bytes:
        raise TooLarge(
            f"{path.name} is {_megabytes(size)}; OmniDesk reads files up to "
            f"{_megabytes(limits.max_file_bytes)}. Split it into smaller files.",
            limit_name="max_file_bytes",
            limit=limits.max_file_bytes,
        )
    if head.startswith(_ZIP_MAGIC):
        members = _guard_zip(path, limits)
        file_type = _zip_workbook_kind(members, suffix)
        if file_type is None:
            raise UnreadableFile(
                f"{path.name} is a compressed file but not a spreadsheet (it may be a Word "
                "document or a .zip). Export the list from your spreadsheet program."
            )
        return _WorkbookSheet(path, sheet, limits, file_type)
    if head.startswith(_OLE_MAGIC):
        if _ole_is_encrypted(path):
            # Excel stores a password-protected .xlsx inside an OLE container.
            raise PasswordProtected(
                f"{path.name} is protected with a password. Open it in Excel, remove the "
                "password (File › Info › Protect Workbook), save, and try again."
            )
        # Old .xls files are often renamed .xlsx by hand; what counts is the content.
        return _WorkbookSheet(path, sheet, limits, "xls")
    if suffix in WORKBOOK_SUFFIXES:
        if _looks_like_html(path):
            raise UnreadableFile(
                f"{path.name} is a web page saved with a spreadsheet name, not a real "
                f"{suffix} file. Open it in Excel and save it as .xlsx."
            )
        if suffix in (".xlsx", ".xlsm", ".xlsb", ".ods"):
            raise UnreadableFile(
                f"{path.name} is damaged or is not really a {suffix} file. Open it in your "
                "spreadsheet program and save it again."
            )
        # ERPs routinely export delimited text named .xls; Excel opens it, so do we.
    elif _looks_like_html(path):  # a web admin's "export" saved as .csv
        raise UnreadableFile(
            f"{path.name} is a web page saved with a {suffix or 'text'} name, not a table "
            "of values. Open it in Excel and save it as .xlsx or .csv."
        )
    return _TextSheet(path, sheet, limits)


def _megabytes(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):,.0f} MB"
    if size >= 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size} bytes"


def _looks_like_html(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(1024).lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml"))


def _zip_workbook_kind(members: set[str], suffix: str) -> str | None:
    if "xl/workbook.xml" in members:
        return "xlsm" if suffix == ".xlsm" or "xl/vbaProject.bin" in members else "xlsx"
    if "xl/workbook.bin" in members:
        return "xlsb"
    if "content.xml" in members:
        return "ods"
    return None


def _ole_is_encrypted(path: Path) -> bool:
    """An encrypted OOXML file is an OLE container with an ``EncryptionInfo`` stream."""
    with path.open("rb") as handle:
        head = handle.read(256 * 1024)
    return "EncryptionInfo".encode("utf-16-le") in head


def _guard_zip(path: Path, limits: ReadLimits) -> set[str]:
    """Refuse decompression bombs before calamine unpacks anything; return the member names."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile(
            f"{path.name} is damaged (its compressed contents cannot be listed). Open it in "
            "your spreadsheet program and save it again."
        ) from None
    total = 0
    for member in members:
        total += member.file_size
        if (
            member.file_size > limits.ratio_checked_above_bytes
            and member.file_size > member.compress_size * limits.max_compression_ratio
        ):
            raise TooLarge(
                f"{path.name} unpacks to far more data than a spreadsheet holds "
                f"({member.filename} grows over {limits.max_compression_ratio} times); "
                "it may be a decompression bomb and was not opened.",
                limit_name="max_compression_ratio",
                limit=limits.max_compression_ratio,
            )
    if total > limits.max_uncompressed_bytes:
        raise TooLarge(
            f"{path.name} unpacks to {_megabytes(total)}; OmniDesk opens workbooks up to "
            f"{_megabytes(limits.max_uncompressed_bytes)} unpacked. Split it into smaller files.",
            limit_name="max_uncompressed_bytes",
            limit=limits.max_uncompressed_bytes,
        )
    return {member.filename for member in members}


def _calamine_failure(path: Path, error: BaseException) -> SpreadsheetError:
    if isinstance(error, python_calamine.PasswordError):
        return PasswordProtected(
            f"{path.name} is protected with a password. Save it without a password and try again."
        )
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return UnreadableFile(
        f"{path.name} is damaged or not a real spreadsheet ({detail[:120]}). "
        "Open it in your spreadsheet program and save it again."
    )


def _is_calamine_panic(error: BaseException) -> bool:
    # pyo3 turns a Rust panic into PanicException, which derives from BaseException
    # so that ``except Exception`` misses it; a corrupt file must not escape as one.
    return type(error).__name__ == "PanicException"


class _WorkbookSheet(Spreadsheet):
    """A sheet read by python-calamine (xlsx, xlsm, xlsb, xls, ods).

    calamine parses a sheet whole before its first row is available, so for
    .xlsx/.xlsm the sheet is chosen and previewed by streaming its XML
    (``XlsxStream``) and only ``rows()`` pays for the full parse.
    """

    def __init__(self, path: Path, sheet: str | None, limits: ReadLimits, file_type: str) -> None:
        self.path = path
        self._limits = limits
        self._loaded: python_calamine.CalamineSheet | None = None
        self._stream: XlsxStream | None = None
        self._archive: zipfile.ZipFile | None = None
        self._workbook: python_calamine.CalamineWorkbook | None = None
        self.file_type = file_type
        try:
            if self.file_type in ("xlsx", "xlsm"):
                self._open_stream()
            if self._stream is not None and self._stream.sheet_parts:
                # Opening with calamine already reads every shared string (half a second
                # per million); the stream knows the sheets without that.
                self.sheets = tuple(
                    SheetInfo(name, self._stream.hidden[name]) for name in self._stream.sheet_parts
                )
            else:
                with _calamine_errors(path):
                    self.sheets = tuple(
                        SheetInfo(m.name, m.visible != python_calamine.SheetVisibleEnum.Visible)
                        for m in self._calamine().sheets_metadata
                        if m.typ == python_calamine.SheetTypeEnum.WorkSheet
                    )
            if not self.sheets:
                raise EmptyFile(f"{path.name} has no worksheets, only charts or macros.")
            with _calamine_errors(path):
                self.sheet_name = self._choose(sheet)
        except BaseException:
            self.close()
            raise

    def _calamine(self) -> python_calamine.CalamineWorkbook:
        if self._workbook is None:
            named = self.path.suffix.lower().lstrip(".")
            if named == self.file_type or {named, self.file_type} <= {"xlsx", "xlsm"}:
                self._workbook = python_calamine.CalamineWorkbook.from_path(self.path)
            else:
                # calamine picks its parser by the file name; a misnamed file is handed
                # over as bytes so that it looks at the content instead.
                with self.path.open("rb") as handle:
                    self._workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        return self._workbook

    def _open_stream(self) -> None:
        try:
            self._archive = zipfile.ZipFile(self.path)
            self._stream = XlsxStream(self._archive)
        except Exception:
            # Odd but valid files still open through calamine, only without the fast preview.
            if self._stream is not None:
                self._stream.close()
            self._stream = None
            if self._archive is not None:
                self._archive.close()
                self._archive = None

    def _drop_stream(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def _streamed_rows(self, name: str) -> Generator[SheetRow] | None:
        if self._stream is None or name not in self._stream.sheet_parts:
            return None
        return self._stream.rows(name)

    def _has_data(self, name: str) -> bool:
        streamed = self._streamed_rows(name)
        if streamed is not None:
            try:
                return next(streamed, None) is not None
            except Exception:
                self._drop_stream()
            finally:
                streamed.close()  # releases the zip member, and with it the file
        sheet = self._calamine().get_sheet_by_name(name)
        return sheet.height > 0 and _has_values(sheet)

    def _choose(self, wanted: str | None) -> str:
        names = [info.name for info in self.sheets]
        if wanted is not None:
            match = next((n for n in names if n == wanted), None) or next(
                (n for n in names if n.casefold() == wanted.strip().casefold()), None
            )
            if match is None:
                raise SheetNotFound(
                    f"{self.path.name} has no sheet named “{wanted}”. Its sheets are: "
                    + ", ".join(f"“{n}”" for n in names)
                    + "."
                )
            if not self._has_data(match):
                raise EmptyFile(f"Sheet “{match}” in {self.path.name} is empty.")
            return match
        # Hidden sheets usually hold lookup lists, so a visible sheet with data wins.
        ordered = [i for i in self.sheets if not i.hidden] + [i for i in self.sheets if i.hidden]
        for info in ordered:
            if self._has_data(info.name):
                return info.name
        raise EmptyFile(f"{self.path.name} has no data in any of its sheets.")

    def _sheet(self) -> python_calamine.CalamineSheet:
        if self._loaded is not None:
            return self._loaded
        declared = self._declared_size()
        if declared is not None:
            self._check_size(*declared)
        with _calamine_errors(self.path):
            sheet = self._calamine().get_sheet_by_name(self.sheet_name)
        self._check_size(sheet.height, sheet.width)
        self._loaded = sheet
        return sheet

    def _declared_size(self) -> tuple[int, int] | None:
        if self._stream is None or self.sheet_name not in self._stream.sheet_parts:
            return None
        try:
            return self._stream.dimension(self.sheet_name)
        except Exception:
            return None

    def _check_size(self, height: int, width: int) -> None:
        limits = self._limits
        if height > limits.max_rows:
            raise TooLarge(
                f"Sheet “{self.sheet_name}” has {height:,} rows; OmniDesk checks up "
                f"to {limits.max_rows:,} rows at a time. Split it into smaller files.",
                limit_name="max_rows",
                limit=limits.max_rows,
            )
        if width > limits.max_columns:
            raise TooLarge(
                f"Sheet “{self.sheet_name}” has {width:,} columns; OmniDesk reads up "
                f"to {limits.max_columns:,} columns. Delete the unused columns and try again.",
                limit_name="max_columns",
                limit=limits.max_columns,
            )

    def rows(self) -> Iterator[SheetRow]:
        sheet = self._sheet()
        start = sheet.start
        # iter_rows begins at row 1 but at the first column holding data; padding
        # restores the office suite's column positions (C stays the third column).
        offset = start[1] if start else 0
        pad: list[CellValue] = [""] * offset
        formatted = self._formatted_cells()
        try:
            upcoming = next(formatted, None)
        except CellPositionsUnknown:
            # Calamine's values cannot be matched to their formats: parse it all instead,
            # slower but the same rows the preview shows.
            streamed = self._streamed_rows(self.sheet_name)
            assert streamed is not None
            with contextlib.closing(streamed):
                yield from streamed
            return
        with _calamine_errors(self.path), contextlib.closing(formatted):
            for number, cells in enumerate(sheet.iter_rows(), 1):
                if (cells and cells[0] != "") or cells.count("") != len(cells):
                    row = [*pad, *cells] if offset else cells
                    while upcoming is not None and upcoming[0] < number:
                        upcoming = next(formatted, None)
                    if upcoming is not None and upcoming[0] == number:
                        assert self._stream is not None
                        row = list(row)
                        while upcoming is not None and upcoming[0] == number:
                            _, column, style = upcoming
                            if column < len(row):
                                row[column] = self._stream.shown_as(style, row[column])
                            upcoming = next(formatted, None)
                    yield SheetRow(number, row)

    def _formatted_cells(self) -> Generator[tuple[int, int, int]]:
        """Percent and zero-padded cells (.xlsx only): calamine reads values, not formats."""
        if self._stream is not None and self.sheet_name in self._stream.sheet_parts:
            yield from self._stream.formatted_cells(self.sheet_name)

    def preview(self, count: int = PREVIEW_ROWS) -> list[SheetRow]:
        streamed = self._streamed_rows(self.sheet_name)
        if streamed is not None:
            try:
                return list(islice(streamed, count))
            except Exception:
                self._drop_stream()
            finally:
                streamed.close()
        return super().preview(count)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
        if self._archive is not None:
            self._archive.close()
        self._loaded = None
        if self._workbook is not None:
            with contextlib.suppress(python_calamine.WorkbookClosed):
                self._workbook.close()


@contextlib.contextmanager
def _calamine_errors(path: Path) -> Iterator[None]:
    """Turn whatever calamine raises on a broken file into an ``UnreadableFile``."""
    try:
        yield
    except SpreadsheetError:
        raise
    except Exception as error:
        raise _calamine_failure(path, error) from None
    except BaseException as error:
        if _is_calamine_panic(error):
            raise _calamine_failure(path, error) from None
        raise


def _has_values(sheet: python_calamine.CalamineSheet) -> bool:
    return any(cells.count("") != len(cells) for cells in islice(sheet.iter_rows(), 1000)) or (
        sheet.height > 1000
    )


class _TextSheet(Spreadsheet):
    """A delimited text file, decoded and split as it streams."""

    file_type = "csv"

    def __init__(self, path: Path, sheet: str | None, limits: ReadLimits) -> None:
        self.path = path
        self._limits = limits
        encoding = detect_encoding(path)
        with path.open(encoding=encoding, newline="", errors="replace") as handle:
            sample = handle.read(64 * 1024)
        if not sample.strip():
            raise EmptyFile(f"{path.name} holds no data, only blank lines.")
        preferred = "\t" if path.suffix.lower() == ".tsv" else ","
        directive = _SEP_DIRECTIVE.match(sample)
        # Excel writes “sep=;” as a first line for other locales, obeys it and hides it.
        self._skip_first_line = directive is not None
        delimiter = directive.group(1) if directive else sniff_delimiter(sample, preferred)
        self.text_format: TextFormat | None = TextFormat(encoding, delimiter)
        self.sheet_name = path.stem
        self.sheets: tuple[SheetInfo, ...] = (SheetInfo(self.sheet_name, False),)
        if sheet is not None and sheet.casefold() != self.sheet_name.casefold():
            raise SheetNotFound(
                f"{path.name} is a text file with a single sheet (“{self.sheet_name}”); "
                f"it has no sheet named “{sheet}”."
            )

    def rows(self) -> Iterator[SheetRow]:
        assert self.text_format is not None
        limits = self._limits
        number = 0
        try:
            with self.path.open(encoding=self.text_format.encoding, newline="") as handle:
                if self._skip_first_line:
                    handle.readline()
                reader = csv.reader(handle, delimiter=self.text_format.delimiter)
                for number, cells in enumerate(reader, 1):
                    if not cells:
                        continue
                    if len(cells) > limits.max_columns:
                        raise TooLarge(
                            f"Row {number} of {self.path.name} has {len(cells):,} columns; "
                            f"OmniDesk reads up to {limits.max_columns:,} columns.",
                            limit_name="max_columns",
                            limit=limits.max_columns,
                        )
                    if number > limits.max_rows:
                        raise TooLarge(
                            f"{self.path.name} has more than {limits.max_rows:,} rows, the most "
                            "OmniDesk checks at a time. Split it into smaller files.",
                            limit_name="max_rows",
                            limit=limits.max_rows,
                        )
                    if cells.count("") != len(cells):
                        yield SheetRow(number, cells)
        except UnicodeDecodeError:
            raise UnreadableFile(
                f"{self.path.name} changes its text encoding after row {number}. Save it again "
                "as “CSV UTF-8” and try again."
            ) from None
        except csv.Error as error:
            raise UnreadableFile(
                f"Row {number + 1} of {self.path.name} cannot be split into columns ({error}). "
                "A quote mark may be missing its partner."
            ) from None

    def close(self) -> None:
        """Nothing stays open between ``rows()`` calls."""
