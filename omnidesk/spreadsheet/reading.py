"""Opening a spreadsheet file of any supported kind.

``open_spreadsheet`` decides what the file really is from its first bytes (an
ERP's ``.xls`` is often CSV or HTML inside), refuses what would hang or exhaust
memory before reading it, and hands it to the reader that fits: ``WorkbookSheet``
(``workbook.py``) or ``TextSheet`` (``text_file.py``). Either picks the sheet and
is a ``Spreadsheet`` whose ``rows()`` yields ``SheetRow`` objects with the row
numbers the office suite shows.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from omnidesk.i18n import _, number

from .errors import (
    EmptyFile,
    PasswordProtected,
    TooLarge,
    UnreadableFile,
    UnsupportedFileType,
)
from .limits import DEFAULT_LIMITS, ReadLimits
from .sheet import Spreadsheet
from .text_file import TextSheet

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
SUPPORTED_SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_spreadsheet(
    path: str | Path, sheet: str | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> Spreadsheet:
    """Open ``path`` for reading; raise a ``SpreadsheetError`` subclass if it cannot be used.

    ``sheet`` picks a sheet by name (case-insensitively); by default the first
    visible sheet with data is used.
    """
    path = Path(path)
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise UnreadableFile(_("{path} is a folder, not a spreadsheet file.").format(path=path))
        if not stat.S_ISREG(status.st_mode):
            # A named pipe or a device has no end to read to: opening one would wait for
            # a writer that may never come, and the check would hang.
            raise UnreadableFile(
                _(
                    "{name} is not a file saved on disk but a pipe or a device, which "
                    "OmniDesk cannot read to its end. Save the list as a file and open that."
                ).format(name=path.name)
            )
        size = status.st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise UnreadableFile(_("{path} does not exist.").format(path=path)) from None
    except IsADirectoryError:
        raise UnreadableFile(
            _("{path} is a folder, not a spreadsheet file.").format(path=path)
        ) from None
    except OSError as error:
        raise UnreadableFile(
            _("{name} cannot be opened: {reason}.").format(name=path.name, reason=error.strerror)
        ) from None
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFileType(
            _("{name} is not a spreadsheet OmniDesk can read. Use one of: {suffixes}.").format(
                name=path.name, suffixes=", ".join(SUPPORTED_SUFFIXES)
            )
        )
    if size == 0:
        raise EmptyFile(_("{name} is empty (0 bytes).").format(name=path.name))
    if size > limits.max_file_bytes:
        raise TooLarge(
            _(
                "{name} is {size}; OmniDesk reads files up to {limit}. Split it into smaller files."
            ).format(
                name=path.name, size=_megabytes(size), limit=_megabytes(limits.max_file_bytes)
            ),
            limit_name="max_file_bytes",
            limit=limits.max_file_bytes,
        )
    if head.startswith(_ZIP_MAGIC):
        members = _guard_zip(path, limits)
        file_type = _zip_workbook_kind(members, suffix)
        if file_type is None:
            raise UnreadableFile(
                _(
                    "{name} is a compressed file but not a spreadsheet (it may be a Word "
                    "document or a .zip). Export the list from your spreadsheet program."
                ).format(name=path.name)
            )
        return _workbook(path, sheet, limits, file_type)
    if head.startswith(_OLE_MAGIC):
        if _ole_is_encrypted(path):
            # Excel stores a password-protected .xlsx inside an OLE container.
            raise PasswordProtected(
                _(
                    "{name} is protected with a password. Open it in Excel, remove the "
                    "password (File › Info › Protect Workbook), save, and try again."
                ).format(name=path.name)
            )
        # Old .xls files are often renamed .xlsx by hand; what counts is the content.
        return _workbook(path, sheet, limits, "xls")
    if suffix in WORKBOOK_SUFFIXES:
        if _looks_like_html(path):
            raise UnreadableFile(
                _(
                    "{name} is a web page saved with a spreadsheet name, not a real {suffix} "
                    "file. Open it in Excel and save it as .xlsx."
                ).format(name=path.name, suffix=suffix)
            )
        if suffix in (".xlsx", ".xlsm", ".xlsb", ".ods"):
            raise UnreadableFile(
                _(
                    "{name} is damaged or is not really a {suffix} file. Open it in your "
                    "spreadsheet program and save it again."
                ).format(name=path.name, suffix=suffix)
            )
        # ERPs routinely export delimited text named .xls; Excel opens it, so do we.
    elif _looks_like_html(path):  # a web admin's "export" saved as .csv
        if suffix:
            sentence = _(
                "{name} is a web page saved with a {suffix} name, not a table of values. Open "
                "it in Excel and save it as .xlsx or .csv."
            )
        else:
            sentence = _(
                "{name} is a web page saved with a text file's name, not a table of values. "
                "Open it in Excel and save it as .xlsx or .csv."
            )
        raise UnreadableFile(sentence.format(name=path.name, suffix=suffix))
    return TextSheet(path, sheet, limits)


def _workbook(path: Path, sheet: str | None, limits: ReadLimits, file_type: str) -> Spreadsheet:
    # Imported here: python-calamine and the .xlsx stream are a fifth of the start of
    # ``omnidesk validate``, and a text file never needs them.
    from .workbook import WorkbookSheet

    return WorkbookSheet(path, sheet, limits, file_type)


def _megabytes(size: int) -> str:
    if size >= 1024 * 1024:
        return _("{number} MB").format(number=number(round(size / (1024 * 1024))))
    if size >= 1024:
        return _("{number} KB").format(number=number(round(size / 1024)))
    return _("{number} bytes").format(number=number(size))


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
            _(
                "{name} is damaged (its compressed contents cannot be listed). Open it in your "
                "spreadsheet program and save it again."
            ).format(name=path.name)
        ) from None
    total = 0
    for member in members:
        total += member.file_size
        if (
            member.file_size > limits.ratio_checked_above_bytes
            and member.file_size > member.compress_size * limits.max_compression_ratio
        ):
            raise TooLarge(
                _(
                    "{name} unpacks to far more data than a spreadsheet holds ({part} grows "
                    "over {ratio} times); it may be a decompression bomb and was not opened."
                ).format(
                    name=path.name,
                    part=member.filename,
                    ratio=number(limits.max_compression_ratio),
                ),
                limit_name="max_compression_ratio",
                limit=limits.max_compression_ratio,
            )
    if total > limits.max_uncompressed_bytes:
        raise TooLarge(
            _(
                "{name} unpacks to {size}; OmniDesk opens workbooks up to {limit} unpacked. "
                "Split it into smaller files."
            ).format(
                name=path.name,
                size=_megabytes(total),
                limit=_megabytes(limits.max_uncompressed_bytes),
            ),
            limit_name="max_uncompressed_bytes",
            limit=limits.max_uncompressed_bytes,
        )
    return {member.filename for member in members}
