"""Why a file cannot be read, in words a merchandiser can act on.

Every exception here carries a complete sentence in ``str(error)``: the CLI prints
it as is and the import wizard shows it in a message box, so it must name the file
problem and, where possible, what to do about it.
"""

from __future__ import annotations


class SpreadsheetError(Exception):
    """A file that cannot be used at all (as opposed to rows with problems)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnsupportedFileType(SpreadsheetError):
    """The file is not a spreadsheet type OmniDesk reads."""


class UnreadableFile(SpreadsheetError):
    """The file is damaged, truncated, or not what its name says it is."""


class PasswordProtected(SpreadsheetError):
    """The workbook is encrypted; Excel must save it without a password first."""


class EmptyFile(SpreadsheetError):
    """The file, or the chosen sheet, holds no data at all."""


class HeaderOnly(SpreadsheetError):
    """There is a header row but not a single data row below it."""


class SheetNotFound(SpreadsheetError):
    """The sheet asked for does not exist; the message lists the ones that do."""


class UnsuitableOutput(SpreadsheetError):
    """A file OmniDesk was asked to save would replace the source or get a wrong name."""


class TooLarge(SpreadsheetError):
    """The file goes past one of the safety limits; the message names the limit."""

    def __init__(self, message: str, *, limit_name: str, limit: int) -> None:
        super().__init__(message)
        self.limit_name = limit_name
        self.limit = limit
