"""Converting and checking one cell at a time, column by column.

A ``ColumnChecker`` turns the cells of one mapped column into what the server
expects (a code as typed, a ``Decimal``-exact amount, a whole number, an allowed
choice) or into a sentence saying why it cannot. ``RowChecker`` (``row_checker.py``)
settles the everyday cells itself and asks a ``ColumnChecker`` about the rest.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from omnidesk.i18n import _, decimal_mark, number

from .cells import (
    CellValue,
    PaddedNumberCell,
    PercentCell,
    UncalculatedFormula,
    cell_text,
    float_text,
)
from .numbers import (
    DecimalStyle,
    DecimalStyleVote,
    NumberReading,
    plain_decimal,
    problem_message,
    read_number,
)
from .schema import CHOICE_ALIASES, Field, ValueKind

CENT = Decimal("0.01")
# Omnitron stores amounts as DecimalField(max_digits=12, decimal_places=2): at most 10
# digits before the point (the sandbox does the same). Below that, every amount with
# two places has at most 12 significant digits, which a float holds exactly.
_MAX_AMOUNT = Decimal(10) ** 10
_LARGEST_AMOUNT = 9_999_999_999.99
_MAX_WHOLE_DIGITS = 10
# What Excel writes for a long number it shows in scientific notation: always "E+".
# Codes such as 1E5 or 12E3456 (no sign) are real codes and pass.
_SCIENTIFIC = re.compile(r"[0-9](?:[.,][0-9]+)?[eE]\+[0-9]+")
_CACHE_LIMIT = 20_000
# Excel keeps 15 significant digits of a number: a code typed as a number with more
# has lost its last digits (they read as zeros) before OmniDesk ever sees it.
_EXCEL_EXACT_DIGITS_LIMIT = 1e15
_FLOAT_EXACT = Decimal(10) ** 12
# Whole numbers and amounts with one or two decimals mean the same under either
# convention; most cells of a real file look like this and skip the full parser.
SIMPLE_AMOUNT = re.compile(r"([0-9]+)(?:([.,])([0-9]{1,2}))?")
_STYLE_OF_MARK = {".": DecimalStyle.POINT, ",": DecimalStyle.COMMA}
# Which everyday cells of a column RowChecker settles without asking the converter
# (``ColumnChecker.fast``): plain text codes, amounts, whole numbers.
FAST_CODE, FAST_AMOUNT, FAST_WHOLE = "code", "amount", "whole"

# A converter turns a cell into one of these: (OK, value), (BAD, message), or
# (WAIT, reading) for a number whose meaning the column decides.
OK, BAD, WAIT = 0, 1, 2
# Any: the second item's type follows the first, and the hot loops unpack the pair
# in one step, which leaves mypy nothing to narrow it by.
Outcome = tuple[int, Any]
_EMPTY: Outcome = (OK, None)


def quoted(value: CellValue) -> str:
    """A cell as a message quotes it: in curly quotes, long ones cut short."""
    text = cell_text(value).strip()
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


class ColumnChecker:
    """Converts and checks the cells of one mapped column.

    ``convert`` remembers outcomes per distinct cell value (``cache``): price and
    stock files repeat the same few tax rates, currencies and quantities, and the
    check of a large file is dominated by them.
    """

    def __init__(self, spec: Field, index: int, header: str) -> None:
        self.spec = spec
        self.index = index
        self.header = header
        self.vote = DecimalStyleVote()
        self.cache: dict[CellValue, Outcome] = {}
        # Currencies whose sign (“$12”) appeared in this column; rows are then compared
        # with their currency. A set, not per text: a million “₺” prices must stay cheap.
        self.marks: set[str] = set()
        self.convert: Callable[[CellValue], Outcome] = {
            ValueKind.CODE: self._code,
            ValueKind.MONEY: self._number,
            ValueKind.PERCENT: self._number,
            ValueKind.WHOLE: self._number,
            ValueKind.CHOICE: self._choice,
            ValueKind.INFO: self._info,
        }[spec.type]
        self._aliases = CHOICE_ALIASES.get(spec.name, {})
        self.fast = {
            ValueKind.CODE: FAST_CODE,
            ValueKind.MONEY: FAST_AMOUNT,
            ValueKind.PERCENT: FAST_AMOUNT,
            ValueKind.WHOLE: FAST_WHOLE,
        }.get(spec.type)
        # Larger values take the Decimal path, which says they are too large.
        self.upper = float(spec.maximum) if spec.maximum is not None else _LARGEST_AMOUNT
        # Once per column, not per value: figures are written by babel, at some µs each.
        self._maximum = "" if spec.maximum is None else number(spec.maximum)
        self.decimal_mark = decimal_mark()

    def _remember(self, cell: CellValue, outcome: Outcome) -> Outcome:
        # True == 1 == 1.0 share a dict slot; booleans are never looked up or stored.
        if len(self.cache) < _CACHE_LIMIT and type(cell) is not bool:
            self.cache[cell] = outcome
        return outcome

    def _uncalculated(self, cell: UncalculatedFormula) -> Outcome:
        formula = f" (={cell.formula[:60]})" if cell.formula else ""
        return (
            BAD,
            _(
                "{label} is a formula{formula} that was never calculated: the file holds no "
                "value for it. Open the file in Excel, save it, and check it again."
            ).format(label=self.spec.label, formula=formula),
        )

    # -- codes --------------------------------------------------------------------------------
    def _code(self, cell: CellValue) -> Outcome:
        if type(cell) is str:
            text = cell.strip()
            if not text:
                return _EMPTY
            if not text.isascii():
                unseen = _unseen_in_code(self.spec.label, text)
                if unseen is not None:
                    return (BAD, unseen)
            if "\n" in text:
                # No code spans lines: in a CSV a quote mark missing its partner makes the
                # rows after it one long cell, and this is where they ended up.
                lines = text.count("\n") + 1
                return (
                    BAD,
                    _(
                        '{label} “{start}…” runs over {lines} lines: a quote mark (") in the '
                        "file is probably missing its partner, so the rows after it were read "
                        "into this cell. Fix the quote and save again."
                    ).format(label=self.spec.label, start=text.splitlines()[0], lines=lines),
                )
            if _SCIENTIFIC.fullmatch(text):
                return (
                    BAD,
                    _(
                        "{label} “{text}” was shortened by Excel into scientific notation and "
                        "the real code is lost. Format the column as Text, type the codes again "
                        "and save."
                    ).format(label=self.spec.label, text=text),
                )
            return (OK, text)
        if type(cell) is UncalculatedFormula:
            return self._uncalculated(cell)
        if isinstance(cell, bool):
            return (
                BAD,
                _("{label} is {value}, not a code.").format(
                    label=self.spec.label, value=quoted(cell)
                ),
            )
        if isinstance(cell, float):
            if abs(cell) >= _EXCEL_EXACT_DIGITS_LIMIT:
                return (
                    BAD,
                    _(
                        "{label} {value} has more digits than Excel keeps in a number (15), so "
                        "the real code is lost. Format the column as Text, type the codes again "
                        "and save."
                    ).format(label=self.spec.label, value=float_text(cell)),
                )
            if isinstance(cell, PaddedNumberCell):
                return (OK, cell.shown)  # 98 formatted 000000 is the code 000098, as shown
            return (OK, float_text(cell))
        if isinstance(cell, int):
            return (OK, str(cell))
        if isinstance(cell, datetime.date | datetime.datetime):
            return (
                BAD,
                _(
                    "{label} {value} was turned into a date by the spreadsheet program. Format "
                    "the column as Text and type the code again."
                ).format(label=self.spec.label, value=quoted(cell)),
            )
        if cell is None:
            return _EMPTY
        return (OK, cell_text(cell).strip() or None)

    # -- numbers ------------------------------------------------------------------------------
    def _number(self, cell: CellValue) -> Outcome:
        cell_type = type(cell)
        if isinstance(cell, PercentCell):
            return self._remember(cell, self._percent(cell))
        if cell_type is PaddedNumberCell:
            assert isinstance(cell, float)
            cell, cell_type = float(cell), float  # leading zeros mean nothing in an amount
        if cell_type is float:
            assert isinstance(cell, float)
            return self._remember(cell, self._float(cell))
        if cell_type is str:
            assert isinstance(cell, str)
            simple = SIMPLE_AMOUNT.fullmatch(cell)
            if simple is not None:
                outcome, style = self._simple_text(*simple.groups())
            else:
                outcome, style = self._read_text(cell)
            # Presence is all the vote needs, so a remembered text need not vote again.
            self.vote.add(style)
            return self._remember(cell, outcome)
        if cell_type is int:
            assert isinstance(cell, int)
            return self._remember(cell, self.validate(Decimal(cell), cell))
        if cell is None:
            return _EMPTY
        if type(cell) is UncalculatedFormula:
            return self._uncalculated(cell)
        if isinstance(cell, bool):
            sentence = _("{label} is {value}, not a number.")
        else:
            sentence = _("{label} {value} is a date or time, not a number.")
        return (BAD, sentence.format(label=self.spec.label, value=quoted(cell)))

    def _float(self, cell: float) -> Outcome:
        """Excel's numbers: the common case settled on the float, the rest via Decimal."""
        if 0.0 <= cell <= self.upper:
            if self.spec.type is ValueKind.WHOLE:
                if cell.is_integer():
                    return (OK, int(cell))
            else:
                # repr() is the shortest text giving this float back: the digits in the file.
                text = repr(cell)
                if "e" not in text and len(text) - text.index(".") <= 3:
                    return (OK, cell)
        return self.validate(Decimal(repr(cell)), cell)

    def _percent(self, cell: PercentCell) -> Outcome:
        """A cell formatted as %: Excel stores 0.085 and shows 8.5%; the rate is what it shows."""
        # Via the float's shortest text, so 0.085 becomes exactly 8.5, not 8.500000000000002.
        percent = Decimal(repr(float(cell))) * 100
        shown = format(percent, "f")
        if "." in shown:
            shown = shown.rstrip("0").rstrip(".")
        shown += "%"
        if self.spec.type is not ValueKind.PERCENT:
            if self.spec.type is ValueKind.MONEY:
                sentence = _(
                    "{label} {value} is a percentage (the cell is formatted as %), not an "
                    "amount. Give the cell a number format and type the value itself."
                )
            else:
                sentence = _(
                    "{label} {value} is a percentage (the cell is formatted as %), not a "
                    "quantity. Give the cell a number format and type the value itself."
                )
            return (BAD, sentence.format(label=self.spec.label, value=quoted(shown)))
        status, out = self.validate(percent, shown)
        if status == OK and isinstance(out, Decimal) and abs(out) < _FLOAT_EXACT:
            return (OK, float(out))  # checked to 2 places (see _simple_text)
        return (status, out)

    def _simple_text(
        self, whole: str, mark: str | None, fraction: str | None
    ) -> tuple[Outcome, DecimalStyle | None]:
        """``1234``, ``1234.5`` or ``1234,50``: one meaning whatever the convention."""
        style = None if mark is None else _STYLE_OF_MARK[mark]
        maximum = self.spec.maximum
        if len(whole) > _MAX_WHOLE_DIGITS or (maximum is not None and int(whole) > maximum):
            typed = whole if mark is None else f"{whole}{mark}{fraction}"
            return self.validate(Decimal(f"{whole}.{fraction or 0}"), typed), style
        if self.spec.type is ValueKind.WHOLE:
            if fraction is None or not fraction.strip("0"):
                return (OK, int(whole)), style
            return self.validate(Decimal(f"{whole}.{fraction}"), f"{whole}{mark}{fraction}"), style
        if maximum is not None and int(whole) == maximum and fraction and fraction.strip("0"):
            return self.validate(Decimal(f"{whole}.{fraction}"), f"{whole}{mark}{fraction}"), style
        # At most 2 places and 12 digits: a float gives these digits back exactly (repr),
        # and takes a third of the memory of text or a Decimal.
        return (OK, float(whole if fraction is None else f"{whole}.{fraction}")), style

    def _read_text(self, text: str) -> tuple[Outcome, DecimalStyle | None]:
        stripped = text.strip()
        if not stripped:
            return _EMPTY, None
        reading = read_number(stripped, percent_allowed=self.spec.type is ValueKind.PERCENT)
        if reading.currency is not None:
            self.marks.add(reading.currency)
        if reading.value is not None:
            status, out = self.validate(reading.value, stripped)
            if status == OK and isinstance(out, Decimal) and abs(out) < _FLOAT_EXACT:
                # Checked to 2 places, so the float keeps the digits (see _simple_text).
                return (OK, float(out)), reading.style
            return (status, out), reading.style
        if reading.ambiguous is not None:
            return (WAIT, reading), None
        assert reading.problem is not None
        return (BAD, problem_message(reading.problem, self.spec.label, stripped)), None

    def validate(self, value: Decimal, shown: CellValue) -> Outcome:
        spec = self.spec
        if not value.is_finite() or abs(value) >= _MAX_AMOUNT:
            return self._bad(
                _(
                    "{label} {value} is too large: at most {digits} digits before the "
                    "decimal point."
                ),
                shown,
            )
        if value < spec.minimum:
            return self._bad(_("{label} {value} cannot be negative."), shown)
        if spec.type is ValueKind.WHOLE:
            if value != value.to_integral_value():
                return self._bad(_("{label} {value} must be a whole number."), shown)
            if spec.maximum is not None and value > spec.maximum:
                return self._bad(_("{label} {value} is above the maximum {maximum}."), shown)
            return (OK, int(value))
        if spec.maximum is not None and value > spec.maximum:
            return self._bad(_("{label} {value} must be between 0 and {maximum}."), shown)
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2 and value != value.quantize(CENT):
            if isinstance(shown, float):
                sentence = _(
                    "{label} {value} has more than 2 decimal places. Excel may show it "
                    "rounded; round the value itself."
                )
            else:
                sentence = _("{label} {value} has more than 2 decimal places.")
            return self._bad(sentence, shown)
        return (OK, value)

    def _bad(self, sentence: str, shown: CellValue) -> Outcome:
        """A value ``validate`` refuses, said with the column's name, limit and the value.

        A number the spreadsheet holds as a number is quoted as the person's Excel shows
        it, with the language's decimal mark (10,999 in Türkiye); text as it was typed.
        """
        value = quoted(shown)
        if type(shown) is float and self.decimal_mark != ".":
            value = value.replace(".", self.decimal_mark)
        return (
            BAD,
            sentence.format(
                label=self.spec.label,
                value=value,
                maximum=self._maximum,
                digits=_MAX_WHOLE_DIGITS,
            ),
        )

    # -- choices and informational text -------------------------------------------------------
    def _choice(self, cell: CellValue) -> Outcome:
        if cell is None:
            return _EMPTY
        if type(cell) is UncalculatedFormula:
            return self._uncalculated(cell)
        raw = cell if isinstance(cell, str) else cell_text(cell)
        text = raw.strip().casefold()
        if not text:
            outcome: Outcome = _EMPTY
        elif text in self.spec.choices:
            outcome = (OK, text)
        elif text in self._aliases:
            outcome = (OK, self._aliases[text])
        else:
            choices = self.spec.choices
            if len(choices) > 8:
                sentence = _(
                    "{label} {value} is not allowed; use {choices} or one of {more} more "
                    "listed in the template."
                )
            else:
                sentence = _("{label} {value} is not allowed; use {choices}.")
            outcome = (
                BAD,
                sentence.format(
                    label=self.spec.label,
                    value=quoted(cell),
                    choices=", ".join(choices[:8]),
                    more=len(choices) - 8,
                ),
            )
        return self._remember(cell, outcome)

    def _info(self, cell: CellValue) -> Outcome:
        return (OK, cell_text(cell).strip() or None)


def _unseen_in_code(label: str, text: str) -> str | None:
    """Why a code with characters no one sees, or digits not 0–9, is not the code it looks like.

    A right-to-left override (U+202E), a zero-width space or a soft hyphen is
    invisible in a spreadsheet yet part of the text: the SKU would not be the one in
    Omnitron. Arabic-Indic or full-width digits look like a code but are not 0–9.
    """
    unseen = [ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")]
    if unseen:
        names = ", ".join(
            dict.fromkeys(
                f"U+{ord(ch):04X} {unicodedata.name(ch, 'CONTROL CHARACTER')}" for ch in unseen
            )
        )
        visible = "".join(ch for ch in text if ch not in unseen)
        return _(
            "{label} “{visible}” holds invisible characters ({names}) that would make it "
            "differ from the SKU in Omnitron. Type the code again without them."
        ).format(label=label, visible=visible[:60], names=names)
    foreign = [ch for ch in text if ch.isdigit() and not ch.isascii()]
    if foreign:
        script = unicodedata.name(foreign[0], "").split(" DIGIT")[0].title() or "other"
        typed = "".join(str(unicodedata.digit(ch)) if ch in foreign else ch for ch in text)
        return _(
            "{label} “{text}” is written with {script} digits, not 0–9, so it would not match "
            "the SKU in Omnitron. Type it with 0–9 ({typed})."
        ).format(label=label, text=text[:60], script=script, typed=typed[:60])
    return None


def ambiguity_message(column: ColumnChecker, reading: NumberReading, shown: CellValue) -> str:
    assert reading.ambiguous is not None
    # The two meanings in the language's own way, so neither reads as the other: 1.234
    # is one thousand and more to a Turkish reader, one and a bit to an English one.
    mark = column.decimal_mark
    as_point, as_comma = (plain_decimal(v).replace(".", mark) for v in reading.ambiguous)
    if column.vote.conflicting:
        why = _(
            "{label} {value} could mean {point} or {comma}: values in this column use both a "
            "decimal comma and a decimal point."
        )
    else:
        why = _(
            "{label} {value} could mean {point} or {comma}: no other value in the column "
            "shows whether it uses a decimal comma or point."
        )
    if column.spec.type is ValueKind.WHOLE:
        advice = _("Write it without a thousands separator (e.g. {whole}).")
    else:
        advice = _("Write it without a thousands separator (e.g. {whole}) or with 2 decimals.")
    whole = as_comma if mark not in as_comma else as_point
    said = why.format(label=column.spec.label, value=quoted(shown), point=as_point, comma=as_comma)
    return f"{said} {advice.format(whole=whole)}"
