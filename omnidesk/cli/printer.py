"""Lines of text for a terminal or a log file: progress, findings, sizes and durations."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from omnidesk.i18n import _, n_, number

if TYPE_CHECKING:  # the window starts through this package: nothing heavy until needed
    from omnidesk.imports.exporting import CsvStyle
    from omnidesk.spreadsheet import CheckResult, Finding

# Without a terminal (a log file, a scheduled job) progress is a plain line this often.
PLAIN_PROGRESS_EVERY = 3.0


@dataclass
class Printer:
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    clock: Callable[[], float] = time.monotonic
    _drawn: int = 0  # length of the progress line on screen (terminal only)
    _last_plain: float | None = None

    @property
    def tty(self) -> bool:
        isatty = getattr(self.out, "isatty", None)
        return bool(isatty and isatty())

    def line(self, text: str = "") -> None:
        self.finish_progress()
        print(text, file=self.out, flush=True)

    def problem(self, text: str) -> None:
        self.finish_progress()
        self.out.flush()
        print(f"omnidesk: {text}", file=self.err, flush=True)

    def progress(self, text: str, *, force: bool = False) -> None:
        """Redrawn in place on a terminal; otherwise a plain line every few seconds."""
        if self.tty:
            padding = " " * max(0, self._drawn - len(text))
            self.out.write(f"\r{text}{padding}")
            self.out.flush()
            self._drawn = len(text)
            return
        now = self.clock()
        if force or self._last_plain is None or now - self._last_plain >= PLAIN_PROGRESS_EVERY:
            self._last_plain = now
            print(text, file=self.out, flush=True)

    def finish_progress(self) -> None:
        if self._drawn:
            self.out.write("\n")
            self.out.flush()
            self._drawn = 0
        self._last_plain = None


def finding_line(finding: Finding) -> str:
    """``row 4, Fiyat: error: Price “abc” is not a number.``"""
    from omnidesk.spreadsheet import Severity

    error = finding.severity is Severity.ERROR
    if finding.column and error:
        line = _("row {row}, {column}: error: {message}")
    elif finding.column:
        line = _("row {row}, {column}: warning: {message}")
    elif error:
        line = _("row {row}: error: {message}")
    else:
        line = _("row {row}: warning: {message}")
    return line.format(row=finding.row, column=finding.column, message=finding.message)


def check_summary(result: CheckResult, *, checked: bool = False) -> str:
    """``3 rows: 2 usable (1 with warnings), 1 with errors.``; with ``checked``, the
    sentence that says the check is done: ``Checked 3 rows: …``."""
    if checked:
        sentence = n_(
            "Checked {rows} row: {usable} usable ({warnings} with warnings), {errors} with errors.",
            "Checked {rows} rows: {usable} usable ({warnings} with warnings), {errors} with "
            "errors.",
            result.rows,
        )
    else:
        sentence = n_(
            "{rows} row: {usable} usable ({warnings} with warnings), {errors} with errors.",
            "{rows} rows: {usable} usable ({warnings} with warnings), {errors} with errors.",
            result.rows,
        )
    return sentence.format(
        rows=number(result.rows),
        usable=number(result.valid_rows),
        warnings=number(result.warning_rows),
        errors=number(result.error_rows),
    )


def too_large(path: Path) -> str:
    """A file whose check ran out of memory, in words."""
    return _("{file} is too large to check in the memory available.").format(file=path.name)


def size(byte_count: int) -> str:
    if byte_count < 1024:
        return f"{number(byte_count)} B"
    if byte_count < 1024 * 1024:
        return f"{number(round(byte_count / 1024))} KB"
    return f"{number(round(byte_count / (1024 * 1024), 1))} MB"


def duration(seconds: float) -> str:
    if seconds < 60:
        return _("about {seconds} s").format(seconds=number(max(1, round(seconds))))
    if seconds < 3600:
        return _("about {minutes} min").format(minutes=number(round(seconds / 60)))
    return _("about {hours} h").format(hours=number(round(seconds / 3600, 1)))


# Languages whose numbers take a decimal comma: Excel under them reads a CSV split by ";".
DECIMAL_COMMA_LANGUAGES = frozenset(
    "tr de fr es it pt nl ru pl cs da fi sv nb nn no el hu ro uk az id bg hr sk sl lt lv et".split()  # noqa: SIM905
)


def csv_style() -> CsvStyle:
    """The CSV the person's spreadsheet program opens correctly, by the locale's language."""
    from omnidesk.imports.exporting import DECIMAL_POINT_CSV, csv_style_for

    for variable in ("LC_ALL", "LC_NUMERIC", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return csv_style_for("," if code in DECIMAL_COMMA_LANGUAGES else ".")
    return DECIMAL_POINT_CSV
