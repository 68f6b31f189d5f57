"""Workbook sheets (xlsx, xlsm, xlsb, xls, ods), read by python-calamine.

Also how whatever calamine raises on a broken file becomes an ``UnreadableFile``
or ``PasswordProtected`` with a sentence a person can act on.
"""

from __future__ import annotations

import contextlib
import threading
import zipfile
from collections.abc import Generator, Iterator, Sequence
from itertools import islice
from pathlib import Path

import python_calamine

from omnidesk.i18n import _, number

from .cells import CellValue, SheetRow, UncalculatedFormula
from .errors import (
    EmptyFile,
    PasswordProtected,
    SheetNotFound,
    SpreadsheetError,
    TooLarge,
    UnreadableFile,
)
from .limits import ReadLimits
from .probe import ProbeFailed, SheetSize, probe_workbook
from .sheet import PREVIEW_ROWS, Batch, SheetInfo, Spreadsheet
from .xlsx_extent import damaged
from .xlsx_stream import CellPositionsUnknown, XlsxStream, scanned_size


def _calamine_failure(path: Path, error: BaseException) -> SpreadsheetError:
    if isinstance(error, python_calamine.PasswordError):
        return PasswordProtected(
            _(
                "{name} is protected with a password. Save it without a password and try again."
            ).format(name=path.name)
        )
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return UnreadableFile(
        _(
            "{name} is damaged or not a real spreadsheet ({detail}). Open it in your "
            "spreadsheet program and save it again."
        ).format(name=path.name, detail=detail[:120])
    )


def _is_calamine_panic(error: BaseException) -> bool:
    # pyo3 turns a Rust panic into PanicException, which derives from BaseException
    # so that ``except Exception`` misses it; a corrupt file must not escape as one.
    return type(error).__name__ == "PanicException"


class WorkbookSheet(Spreadsheet):
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
        self._sizes: dict[str, SheetSize] | None = None
        self._formulas = False  # the chosen sheet holds formulas (see _read_sheet)
        self.file_type = file_type
        try:
            if self.file_type in ("xlsx", "xlsm"):
                self._open_stream()
            if self._stream is None or not self._stream.sheet_parts:
                # Nothing but calamine can measure these sheets, and calamine may abort
                # the process on one that is too large: it measures them in another.
                self._sizes = self._probe()
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
                raise EmptyFile(
                    _("{name} has no worksheets, only charts or macros.").format(name=path.name)
                )
            with _calamine_errors(path):
                self.sheet_name = self._choose(sheet)
        except BaseException:
            self.close()
            raise

    def _probe(self) -> dict[str, SheetSize]:
        limits = self._limits
        try:
            sizes = probe_workbook(
                self.path,
                self.file_type,
                memory=limits.probe_memory_bytes,
                seconds=limits.probe_seconds,
            )
        except ProbeFailed as failure:
            if failure.reason == "calamine":
                if failure.password:
                    raise _calamine_failure(self.path, python_calamine.PasswordError()) from None
                raise _calamine_failure(self.path, Exception(failure.detail)) from None
            if failure.reason == "time":
                raise TooLarge(
                    _(
                        "{name} took more than {seconds} seconds to open, far longer than a "
                        "price or stock list needs, so OmniDesk stopped. Open it in your "
                        "spreadsheet program, delete what is not the list, and save it as .xlsx."
                    ).format(name=self.path.name, seconds=number(round(limits.probe_seconds))),
                    limit_name="probe_seconds",
                    limit=int(limits.probe_seconds),
                ) from None
            raise TooLarge(
                _(
                    "{name} needs more than {memory} of memory to open: its sheets reach far "
                    "past their data, or repeat cells millions of times. OmniDesk did not open "
                    "it. Open it in your spreadsheet program, delete the empty rows and columns "
                    "after the list, and save it as .xlsx."
                ).format(name=self.path.name, memory=_gigabytes(limits.probe_memory_bytes)),
                limit_name="probe_memory_bytes",
                limit=limits.probe_memory_bytes,
            ) from None
        return {size.name: size for size in sizes}

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

    def _open_quietly(self, opened: threading.Event) -> None:
        """``_calamine()`` for a worker, then ``opened`` set. What it raises is left for
        the caller to meet again: ``_sheet`` opens once more where errors are put in words."""
        try:
            with contextlib.suppress(BaseException):  # a calamine panic included
                self._calamine()
        finally:
            opened.set()

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
        if self._sizes is not None and name in self._sizes:
            return self._sizes[name].has_values
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
                    _("{name} has no sheet named “{wanted}”. Its sheets are: {sheets}.").format(
                        name=self.path.name,
                        wanted=wanted,
                        sheets=", ".join(f"“{n}”" for n in names),
                    )
                )
            if not self._has_data(match):
                raise EmptyFile(
                    _("Sheet “{sheet}” in {name} is empty.").format(
                        sheet=match, name=self.path.name
                    )
                )
            return match
        # Hidden sheets usually hold lookup lists, so a visible sheet with data wins.
        ordered = [i for i in self.sheets if not i.hidden] + [i for i in self.sheets if i.hidden]
        for info in ordered:
            if self._has_data(info.name):
                return info.name
        raise EmptyFile(_("{name} has no data in any of its sheets.").format(name=self.path.name))

    def _sheet(self) -> python_calamine.CalamineSheet:
        if self._loaded is not None:
            return self._loaded
        if self._sizes is None and (
            self._stream is None or self.sheet_name not in self._stream.sheet_parts
        ):
            self._sizes = self._probe()  # the stream gave up on an odd file: measure it apart
        if self._sizes is not None:
            measured = self._sizes.get(self.sheet_name)
            if measured is not None:
                self._check_size(measured.height, measured.width)
        else:
            self._check_real_size()
        sheet = self._read_sheet()
        self._check_size(sheet.height, sheet.width)
        self._loaded = sheet
        return sheet

    def _read_sheet(self) -> python_calamine.CalamineSheet:
        """calamine's read of the chosen sheet, and meanwhile (.xlsx) whether it holds
        formulas.

        calamine reads without the GIL, 0.4 s for 100,000 rows, so the search for
        formulas, a pass of Python over the sheet's XML, is made beside it in a
        worker rather than before it: 20 ms of the check that way (issue 15).
        """
        stream = self._stream
        if stream is None or self.sheet_name not in stream.sheet_parts:
            with _calamine_errors(self.path):
                return self._calamine().get_sheet_by_name(self.sheet_name)
        found: list[bool | Exception] = []
        searched = threading.Event()

        def search() -> None:
            try:
                found.append(stream.holds_formulas(self.sheet_name))
            except Exception as error:  # met again below, on this thread
                found.append(error)
            finally:
                searched.set()

        # daemon= and no join(), as in _check_real_size.
        threading.Thread(target=search, name="formulas", daemon=True).start()
        try:
            with _calamine_errors(self.path):
                sheet = self._calamine().get_sheet_by_name(self.sheet_name)
        finally:
            searched.wait()
        outcome = found[0]
        if isinstance(outcome, Exception):
            raise _calamine_failure(self.path, outcome)
        self._formulas = outcome
        return sheet

    def _check_real_size(self) -> None:
        """Refuse what calamine would take too much memory for, measured in the XML itself.

        Not ``<dimension>``, which may say A1:B2 over 800 MB of cells, and not the zip's
        own sizes, which may say anything: the bytes as they unpack and the cells'
        own positions.
        """
        limits = self._limits
        assert self._stream is not None
        assert self._archive is not None
        for part in self._stream.string_parts:
            self._check_unpacked(
                part, scanned_size(self._archive, part, limits.max_unpacked_part_bytes)
            )
        # Opening reads the shared strings (measured just now) and the styles, never a
        # sheet's cells: calamine does it in a worker, mostly without the GIL, while
        # the sheet is measured here; a tenth of a second a 100,000-row check saved.
        opened = threading.Event()
        # daemon= given and no join(): either would have ``threading`` look up the
        # thread this runs on, and the window's workers are Qt's, which it would then
        # keep a record of for as long as they live.
        threading.Thread(
            target=self._open_quietly, args=(opened,), name="calamine-open", daemon=True
        ).start()
        try:
            extent = self._stream.extent(
                self.sheet_name,
                max_bytes=limits.max_unpacked_part_bytes,
                max_rows=limits.max_rows,
                max_cells=limits.max_cells,
            )
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise _calamine_failure(self.path, error) from None
        finally:
            opened.wait()
        part = self._stream.sheet_parts[self.sheet_name]
        self._check_unpacked(part, extent.unpacked)
        try:
            if extent.stopped:
                raise TooLarge(
                    _(
                        "Sheet “{sheet}” has more than {limit} rows; OmniDesk checks up to "
                        "{limit} rows at a time. Split it into smaller files."
                    ).format(sheet=self.sheet_name, limit=number(limits.max_rows)),
                    limit_name="max_rows",
                    limit=limits.max_rows,
                )
            self._check_size(extent.rows, extent.columns)
        except TooLarge:
            # Cells a billion rows down may be a damaged part's nonsense: say which.
            if damaged(self._archive, part, limits.max_unpacked_part_bytes):
                damage = _("its sheet “{sheet}” is damaged").format(sheet=self.sheet_name)
                raise _calamine_failure(self.path, zipfile.BadZipFile(damage)) from None
            raise

    def _check_unpacked(self, part: str, unpacked: int) -> None:
        limit = self._limits.max_unpacked_part_bytes
        if unpacked > limit:
            raise TooLarge(
                _(
                    "{name} unpacks to more than {limit} in {part} alone, far more than a "
                    "price or stock list holds; it may be a decompression bomb and was not "
                    "opened. Open it in your spreadsheet program and save it again."
                ).format(name=self.path.name, limit=_gigabytes(limit), part=part),
                limit_name="max_unpacked_part_bytes",
                limit=limit,
            )

    def _check_size(self, height: int, width: int) -> None:
        limits = self._limits
        if height > limits.max_rows:
            raise TooLarge(
                _(
                    "Sheet “{sheet}” has {rows} rows; OmniDesk checks up to {limit} rows at a "
                    "time. Split it into smaller files."
                ).format(sheet=self.sheet_name, rows=number(height), limit=number(limits.max_rows)),
                limit_name="max_rows",
                limit=limits.max_rows,
            )
        if width > limits.max_columns:
            raise TooLarge(
                _(
                    "Sheet “{sheet}” has {columns} columns; OmniDesk reads up to {limit} "
                    "columns. Delete the unused columns and try again."
                ).format(
                    sheet=self.sheet_name, columns=number(width), limit=number(limits.max_columns)
                ),
                limit_name="max_columns",
                limit=limits.max_columns,
            )
        if height * width > limits.max_cells:
            raise TooLarge(
                _(
                    "Sheet “{sheet}” reaches row {rows} and column {columns}: {cells} cells "
                    "from the first to the last, and OmniDesk reads up to {limit}. Most of them "
                    "are probably empty: delete the rows and columns after the list and save "
                    "again."
                ).format(
                    sheet=self.sheet_name,
                    rows=number(height),
                    columns=number(width),
                    cells=number(height * width),
                    limit=number(limits.max_cells),
                ),
                limit_name="max_cells",
                limit=limits.max_cells,
            )

    def rows(self) -> Iterator[SheetRow]:
        sheet = self._sheet()
        start = sheet.start
        # iter_rows begins at row 1 but at the first column holding data; padding
        # restores the office suite's column positions (C stays the third column).
        offset = start[1] if start else 0
        pad: list[CellValue] = [""] * offset
        uncalculated = (
            self._stream.uncalculated_cells(self.sheet_name)
            if self._formulas and self._stream is not None
            else {}
        )
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
        cells: Sequence[CellValue]
        row: Sequence[CellValue]
        with _calamine_errors(self.path), contextlib.closing(formatted):
            for number, cells in enumerate(sheet.iter_rows(), 1):
                if uncalculated and number in uncalculated:
                    cells = _with_formulas([*pad, *cells], uncalculated.pop(number))[offset:]
                if (cells and cells[0] != "") or cells.count("") != len(cells):
                    row = [*pad, *cells] if offset else cells
                    while upcoming is not None and upcoming[0] < number:
                        upcoming = next(formatted, None)
                    if upcoming is not None and upcoming[0] == number:
                        assert self._stream is not None
                        shown = list(row)
                        while upcoming is not None and upcoming[0] == number:
                            _, column, style = upcoming
                            if column < len(shown):
                                shown[column] = self._stream.shown_as(style, shown[column])
                            upcoming = next(formatted, None)
                        row = shown
                    yield SheetRow(number, row)

    def batches(self, size: int) -> Iterator[Batch]:
        """calamine's rows as they come, ``size`` at a time, when they need no mending.

        A sheet whose data starts in column A, with no percent or zero-padded formats
        and no formulas never calculated, is what calamine gives: its rows are handed
        on as calamine makes them. Any other takes ``rows()``, which mends them.
        """
        sheet = self._sheet()
        start = sheet.start
        formats = self._stream is not None and self._stream.has_telling_formats
        if (start and start[1]) or formats or self._formulas:
            yield from super().batches(size)
            return
        empty = [""] * sheet.width
        number = 0
        with _calamine_errors(self.path):
            rows = sheet.iter_rows()
            while chunk := list(islice(rows, size)):
                first, number = number + 1, number + len(chunk)
                if empty not in chunk:  # rows are all the sheet's width: one C comparison each
                    yield range(first, number + 1), chunk
                else:
                    kept = [(n, c) for n, c in enumerate(chunk, first) if c.count("") != len(c)]
                    yield [n for n, _ in kept], [c for _, c in kept]

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


def _with_formulas(row: list[CellValue], formulas: list[tuple[int, str]]) -> list[CellValue]:
    """``row`` with its never-calculated formula cells marked where calamine saw nothing."""
    for column, formula in formulas:
        if column >= len(row):
            row.extend([""] * (column + 1 - len(row)))
        if row[column] == "":
            row[column] = UncalculatedFormula(formula)
    return row


def _gigabytes(size: int) -> str:
    if size >= 1 << 30:
        return _("{number} GB").format(number=number(round(size / (1024 * 1024 * 1024))))
    return _("{number} MB").format(number=number(size >> 20))


def _has_values(sheet: python_calamine.CalamineSheet) -> bool:
    return any(cells.count("") != len(cells) for cells in islice(sheet.iter_rows(), 1000)) or (
        sheet.height > 1000
    )
