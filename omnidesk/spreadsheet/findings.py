"""What a check reports: one ``Finding`` per problem, and the cap on how many are kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from omnidesk.i18n import N_, _, capitalized, number

# A wrongly mapped column makes every row fail; listing a million findings would
# cost hundreds of megabytes and help nobody. Counts stay exact beyond this.
MAX_FINDINGS = 100_000


class Severity(StrEnum):
    """The value ("error", "warning") is data: JSON, the journal and the code compare it.
    ``word`` and ``heading`` say it in the person's language."""

    ERROR = "error"  # the row cannot be uploaded
    WARNING = "warning"  # the row is uploaded, but the person should look at it

    @property
    def word(self) -> str:
        """ "error", "warning" in the language spoken now (the Problems sheet's column)."""
        return _(_SEVERITY_WORDS[self])

    @property
    def heading(self) -> str:
        """ "Error", "Warning" in the language spoken now (a cell's comment starts with it)."""
        return capitalized(self.word)


_SEVERITY_WORDS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning")}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, placed where the office suite shows it.

    ``row`` is the sheet's 1-based row number; ``column`` the header as written in
    the file (``None`` for a problem with the whole row or file); ``column_index``
    the 0-based column, for highlighting the cell. ``message`` is the one sentence, in
    the language spoken when the check ran; the rest (severity, field) is data and
    stays the same in every language.
    """

    row: int
    column: str | None
    severity: Severity
    message: str
    field: str | None = None
    column_index: int | None = None

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "row": self.row,
            "column": self.column,
            "severity": str(self.severity),
            "message": self.message,
        }


Message = str | Callable[[], str]
"""A finding's sentence, or what makes it: a sentence that costs more than a lookup (an
amount written the language's way) is only made for a finding that is listed."""

Warn = Callable[[int, int, Message], None]
"""How the checker's parts warn of a usable row: (sheet row, position of the value, message).

The position is the value's place in the checked row; ``RowChecker`` knows the column.
"""


class FindingList:
    """Findings in the order they are found: the first ``MAX_FINDINGS``, and a count of the rest."""

    __slots__ = ("left_out", "listed")

    def __init__(self) -> None:
        self.listed: list[Finding] = []
        self.left_out = 0

    def add(
        self,
        row: int,
        column: str | None,
        severity: Severity,
        message: Message,
        field: str | None = None,
        column_index: int | None = None,
    ) -> None:
        # Past the cap not even the Finding is made: a file that fails on every row
        # must not pay for a million objects (or sentences) nobody will see.
        if len(self.listed) >= MAX_FINDINGS:
            self.left_out += 1
            return
        if not isinstance(message, str):
            message = message()
        self.listed.append(Finding(row, column, severity, message, field, column_index))

    def cut_off_note(self) -> str | None:
        """The sentence that says the list is incomplete, if it is."""
        if not self.left_out:
            return None
        return _("Only the first {listed} problems are listed; {more} more were found.").format(
            listed=number(MAX_FINDINGS), more=number(self.left_out)
        )
