"""Files OmniDesk writes: the clean upload, an annotated copy, and empty templates.

The clean upload is what is actually sent to Omnitron, never the person's own
file: exactly the server's headers, decimal points, no thousands separators and
SKUs as text, so nothing depends on how a locale wrote the original.
"""

from __future__ import annotations

import csv
import warnings
import zipfile
from collections.abc import Callable, Iterable, Set
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from omnidesk.i18n import N_, _, n_, number
from omnidesk.kinds import ListKind, info

from .annotating import CannotStream, write_streamed_copy
from .cells import SheetRow
from .check_result import CheckResult
from .errors import UnreadableFile, UnsuitableOutput
from .findings import Finding, Severity
from .reading import open_spreadsheet
from .schema import ValueKind, schema_for

ERROR_FILL = PatternFill("solid", start_color="FFF4B6B6")
WARNING_FILL = PatternFill("solid", start_color="FFFFE699")
HEADER_FONT = Font(bold=True)
# The sheets OmniDesk adds, named in the person's language (_() them); nothing reads
# a workbook back by these names.
PROBLEMS_SHEET = N_("Problems")
INSTRUCTIONS_SHEET = N_("Instructions")
PAUSE_EVERY = 500
# Thousands of comment boxes make Excel sluggish; past this, cells are only coloured
# and the Problems sheet still lists everything.
MAX_COMMENTS = 5_000


# What makes a spreadsheet program read a CSV cell as a formula (OWASP's CSV injection
# list): a DDE payload such as =cmd|' /C calc'!A0 runs a program when the file is opened.
def cell_safe_text(text: str) -> str:
    """``text`` without the control characters an .xlsx cell cannot hold.

    openpyxl refuses them (XML 1.0 has no way to write them) and a CSV may carry
    them; every other character, tab and line breaks included, is kept.
    """
    return ILLEGAL_CHARACTERS_RE.sub("", text) if ILLEGAL_CHARACTERS_RE.search(text) else text


def text_cell(sheet: object, value: object) -> object:
    """A value for ``sheet.append`` in which text stays text, never a live formula.

    openpyxl makes any string starting with ``=`` a formula; a text cell holds it as
    typed instead. Control characters are dropped (see ``cell_safe_text``).
    """
    if not isinstance(value, str):
        return value
    text = cell_safe_text(value)
    if text.startswith("="):
        cell = WriteOnlyCell(sheet, text)
        cell.data_type = "s"
        return cell
    return text


def write_clean_upload(
    result: CheckResult,
    path: str | Path,
    *,
    skip_rows: Set[int] = frozenset(),
    written_rows: list[int] | None = None,
    pause: Callable[[], None] | None = None,
) -> int:
    """Write the usable rows as ``.xlsx`` or ``.csv`` (by suffix); return the rows written.

    ``skip_rows`` leaves sheet rows out (e.g. unchanged prices); ``written_rows``, if
    given, receives the sheet row of each line written, in order. ``pause``, if
    given, is called every ``PAUSE_EVERY`` rows (a worker thread lets the UI breathe).
    """
    path = Path(path)
    rows = result.numbered_upload_rows(skip_rows)
    count = 0
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(result.upload_fields)
            for number, texts in rows:
                writer.writerow(texts)
                count += 1
                if pause is not None and count % PAUSE_EVERY == 0:
                    pause()
                if written_rows is not None:
                    written_rows.append(number)
        return count
    workbook = Workbook(write_only=True)
    # In English whatever the language spoken: the upload is the server's file, not a person's.
    sheet = workbook.create_sheet(info(result.kind).noun_en.replace(" ", "_"))
    sheet.append(list(result.upload_fields))
    for clean in result.good_rows():
        if clean.row in skip_rows:
            continue
        # Decimal cells are written with their exact digits; SKUs stay strings.
        sheet.append([text_cell(sheet, clean.values[name]) for name in result.upload_fields])
        count += 1
        if pause is not None and count % PAUSE_EVERY == 0:
            pause()
        if written_rows is not None:
            written_rows.append(clean.row)
    workbook.save(path)
    return count


def check_output_path(out: str | Path, *, source: str | Path | None = None) -> None:
    """Refuse an output that would destroy the person's file or lie about its type.

    What OmniDesk saves is always an Excel workbook: under a ``.csv`` or ``.ods``
    name no program would open it, and saved over the source it would replace the
    very file the person asked to check. Raises :class:`UnsuitableOutput` before
    anything is written. An ``.xlsm`` source may be copied to an ``.xlsm`` because
    its macros are then kept (see ``write_annotated_copy``).
    """
    out = Path(out)
    if source is not None and _same_file(Path(source), out):
        raise UnsuitableOutput(
            _(
                "{name} is the file being checked; saving the copy there would replace it. "
                "Give the copy another name, e.g. “{example}”."
            ).format(name=out.name, example=_("{stem} (checked).xlsx").format(stem=out.stem))
        )
    suffix = out.suffix.lower()
    macro_copy = suffix == ".xlsm" and source is not None and Path(source).suffix.lower() == ".xlsm"
    if suffix != ".xlsx" and not macro_copy:
        raise UnsuitableOutput(
            _(
                "{name}: OmniDesk saves an Excel workbook, so the name must end in .xlsx "
                "(e.g. “{stem}.xlsx”)."
            ).format(name=out.name, stem=out.stem)
        )


def _same_file(source: Path, out: Path) -> bool:
    if source.resolve() == out.resolve():
        return True
    try:  # hard links, or a case-insensitive disk where Prices.csv is prices.csv
        return source.samefile(out)
    except OSError:  # the output does not exist yet: it cannot be the source
        return False


def write_annotated_copy(
    source: str | Path, result: CheckResult, out: str | Path, *, sheet: str | None = None
) -> None:
    """Save ``source`` with problem cells coloured and commented, plus a Problems sheet.

    An ``.xlsx``/``.xlsm`` is copied part by part with only the marked cells, the
    styles and the workbook's list of sheets rewritten (``annotating``), so it keeps
    everything, in seconds; one whose layout that does not follow keeps what
    openpyxl can keep (formats, widths, other sheets). Other formats become an
    ``.xlsx`` with the same content.
    """
    source, out = Path(source), Path(out)
    check_output_path(out, source=source)
    with open_spreadsheet(source, sheet=sheet or result.sheet) as opened:
        sheet_name = opened.sheet_name
        # Macros stay only in an .xlsm copy; an .xlsx one is openpyxl's to make.
        keeps_kind = opened.file_type == "xlsx" or out.suffix.lower() == ".xlsm"
        if opened.file_type in ("xlsx", "xlsm") and keeps_kind:
            try:
                write_streamed_copy(source, sheet_name, result, out)
                return
            except (CannotStream, zipfile.BadZipFile, KeyError, ValueError):
                pass  # a layout the stream does not follow: openpyxl copies it, slowly
        if opened.file_type in ("xlsx", "xlsm"):
            workbook = _load_for_editing(source, keep_vba=out.suffix.lower() == ".xlsm")
            found = workbook[sheet_name] if sheet_name in workbook.sheetnames else None
            target = found if isinstance(found, Worksheet) else workbook.active
            assert isinstance(target, Worksheet)
        else:
            workbook = Workbook()
            target = workbook.active
            assert isinstance(target, Worksheet)
            target.title = _safe_title(sheet_name)
            _copy_rows(target, opened.rows())
    _mark_findings(target, result.findings)
    _add_problems_sheet(workbook, target.title, result)
    workbook.save(out)


def _load_for_editing(source: Path, *, keep_vba: bool) -> Workbook:
    try:
        with warnings.catch_warnings(), source.open("rb") as handle:
            # openpyxl warns about features it drops (some extensions); the copy is
            # still faithful where it matters, and warnings would only clutter the CLI.
            # A file object, not the path: openpyxl refuses names it does not expect.
            warnings.simplefilter("ignore")
            return load_workbook(handle, keep_vba=keep_vba)
    except Exception as error:  # openpyxl raises many types for odd files
        raise UnreadableFile(
            _("{name} could be checked but not copied with notes ({error}).").format(
                name=source.name, error=error
            )
        ) from None


def _safe_title(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")
    return cleaned[:31] or "Sheet1"


def _copy_rows(target: Worksheet, rows: Iterable[SheetRow]) -> None:
    for row in rows:
        for index, value in enumerate(row.cells):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                cell = target.cell(row=row.number, column=index + 1, value=cell_safe_text(value))
                # Text from a CSV stays text: 000123 must not become 123, =A1 no formula.
                cell.data_type = "s"
                cell.number_format = "@"
            else:
                target.cell(row=row.number, column=index + 1, value=value)


def _mark_findings(target: Worksheet, findings: list[Finding]) -> None:
    notes: dict[tuple[int, int], list[Finding]] = {}
    for finding in findings:
        column = 0 if finding.column_index is None else finding.column_index
        notes.setdefault((finding.row, column), []).append(finding)
    for written, ((row, column), cell_findings) in enumerate(notes.items()):
        cell = target.cell(row=row, column=column + 1)
        worst = min(cell_findings, key=lambda f: f.severity is not Severity.ERROR)
        cell.fill = ERROR_FILL if worst.severity is Severity.ERROR else WARNING_FILL
        if written < MAX_COMMENTS:
            text = comment_text(cell_findings)
            comment = Comment(cell_safe_text(text), "OmniDesk")
            comment.width, comment.height = 320, 40 + 40 * len(cell_findings)
            cell.comment = comment


def comment_text(findings: Iterable[Finding]) -> str:
    """What a marked cell's comment says: "Error: …", a line per finding."""
    return "\n".join(
        _("{severity}: {message}").format(severity=f.severity.heading, message=f.message)
        for f in findings
    )


def problems_title(taken: Iterable[str]) -> str:
    """The Problems sheet's name, numbered past the names ``taken`` already."""
    names = set(taken)
    first = _(PROBLEMS_SHEET)
    title, suffix = first, 2
    while title in names:
        title, suffix = f"{first} {suffix}", suffix + 1
    return title


def problems_headings() -> list[str]:
    """The Problems sheet's column titles."""
    return [_("Row"), _("Column"), _("Severity"), _("Problem")]


def problems_summary(result: CheckResult) -> str:
    """The Problems sheet's first line: the counts of the check."""
    return n_(
        "{rows} row: {usable} usable ({warned} with warnings), {failed} with errors.",
        "{rows} rows: {usable} usable ({warned} with warnings), {failed} with errors.",
        result.rows,
    ).format(
        rows=number(result.rows),
        usable=number(result.valid_rows),
        warned=number(result.warning_rows),
        failed=number(result.error_rows),
    )


def note_word() -> str:
    """What the Problems sheet's Severity column says of a note."""
    return _("note")


def _add_problems_sheet(workbook: Workbook, checked: str, result: CheckResult) -> None:
    sheet = workbook.create_sheet(problems_title(workbook.sheetnames))
    sheet.append(problems_headings())
    for cell in sheet[1]:
        cell.font = HEADER_FONT
    sheet.append([None, None, None, problems_summary(result)])
    note = note_word()
    for text in result.notes:
        _append_as_text(sheet, [None, None, note, text])
    quoted = checked.replace("'", "''")
    for finding in result.findings:
        # The column is the file's own header and the message quotes its cells: both
        # are the file's text, which must not become formulas here.
        _append_as_text(
            sheet, [finding.row, finding.column, finding.severity.word, finding.message]
        )
        link = sheet.cell(row=sheet.max_row, column=1)
        column = get_column_letter((finding.column_index or 0) + 1)
        link.hyperlink = f"#'{quoted}'!{column}{finding.row}"
        fill = ERROR_FILL if finding.severity is Severity.ERROR else WARNING_FILL
        sheet.cell(row=sheet.max_row, column=3).fill = fill
    for letter, width in zip("ABCD", (8, 22, 10, 100), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:D{sheet.max_row}"


def _append_as_text(sheet: Worksheet, values: list[object]) -> None:
    sheet.append([cell_safe_text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":  # openpyxl took text starting with = for a formula
            cell.data_type = "s"


def write_template(kind: ListKind, path: str | Path) -> None:
    """An ``.xlsx`` with the server's headers, one example row and an Instructions sheet."""
    check_output_path(path)
    schema = schema_for(kind)
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = info(kind).contents_title
    sheet.append([f.name for f in schema.fields])
    example: list[object] = []
    for f in schema.fields:
        if f.type is ValueKind.MONEY or f.type is ValueKind.PERCENT:
            example.append(Decimal(f.example))
        elif f.type is ValueKind.WHOLE:
            example.append(int(f.example))
        else:
            example.append(f.example)
    sheet.append(example)
    for index, f in enumerate(schema.fields, 1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index)
        header.font = HEADER_FONT
        sheet.column_dimensions[letter].width = max(14, len(f.name) + 4)
        if f.type is ValueKind.CODE:
            # Text format keeps leading zeros and long codes as typed.
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
        elif f.type is ValueKind.MONEY:
            sheet.cell(row=2, column=index).number_format = "0.00"
        if f.choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(f.choices) + '"')
            rule.error = _("Use one of: {choices}").format(choices=", ".join(f.choices))
            rule.add(f"{letter}2:{letter}100000")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(_(INSTRUCTIONS_SHEET))
    guide.append([_("How to fill in this {noun} template").format(noun=schema.label)])
    guide["A1"].font = Font(bold=True, size=13)
    guide.append(
        [
            _(
                "Fill one row per product on the first sheet, keep the first row as it is, "
                "and delete the example row. Columns marked optional may be left empty or "
                "deleted."
            )
        ]
    )
    guide.append([])
    guide.append([_("Column"), _("Required"), _("What to enter"), _("Example")])
    for cell in guide[4]:
        cell.font = HEADER_FONT
    required, optional = _("yes"), _("optional")
    for f in schema.fields:
        # The column's name is the server's, as the first sheet's header: it is what the
        # import reads back, in every language.
        guide.append([f.name, required if f.required else optional, f.help, f.example])
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 90
    guide.column_dimensions["D"].width = 20
    for row in guide.iter_rows(min_row=5):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(path)
