"""``omnidesk validate`` and ``omnidesk template``: spreadsheets checked or made offline."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from typing import TYPE_CHECKING

from omnidesk import kinds
from omnidesk.i18n import _

from .exit_codes import EXIT_FAILURE, EXIT_OK, EXIT_ROW_ERRORS
from .printer import check_summary, finding_line, too_large

if TYPE_CHECKING:
    from omnidesk.spreadsheet import CheckResult


def fail(message: str) -> int:
    print(f"omnidesk: {message}", file=sys.stderr)
    return EXIT_FAILURE


def cannot_save(path: object, error: OSError) -> str:
    return _("cannot save {path}: {why}.").format(path=path, why=error.strerror or error)


def validate(args: argparse.Namespace) -> int:
    from omnidesk.spreadsheet import SpreadsheetError, check_spreadsheet, open_spreadsheet

    def refuse(message: str) -> int:
        if args.json:
            # A script reading stdout learns why there is no result, not just that
            # the output is empty.
            print_json({"file": str(args.file), "error": message})
        return fail(message)

    try:
        if args.annotate is not None:
            # Only now: the writers bring openpyxl, which a plain check does without.
            from omnidesk.spreadsheet import check_output_path

            # Before the check, which can take a while on a big file.
            check_output_path(args.annotate, source=args.file)
        with open_spreadsheet(args.file, sheet=args.sheet) as sheet:
            others = [info.name for info in sheet.sheets if info.name != sheet.sheet_name]
            # The cyclic GC would walk the rows kept so far again and again (it doubled
            # the time of a million-row check); the window pauses it too, through
            # imports.pacing, which this command need not import (a quarter second).
            gc.disable()
            try:
                result = check_spreadsheet(sheet, kinds.from_word(args.kind))
            finally:
                # Frozen first: the rows kept are not garbage, and the first collection
                # after a re-enable would walk every one of them (30-90 ms at 300k rows).
                gc.freeze()
                gc.enable()
    except SpreadsheetError as error:
        return refuse(error.message)
    except MemoryError:
        return refuse(too_large(args.file))
    if args.annotate is not None:
        from omnidesk.spreadsheet import write_annotated_copy

        try:
            write_annotated_copy(args.file, result, args.annotate, sheet=result.sheet)
        except SpreadsheetError as error:
            return refuse(error.message)
        except OSError as error:
            return refuse(cannot_save(args.annotate, error))
    if args.json:
        print_json(result.to_json())
    else:
        _print_summary(result, others)
    return EXIT_OK if result.error_rows == 0 else EXIT_ROW_ERRORS


def print_json(data: dict[str, object]) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _print_summary(result: CheckResult, other_sheets: list[str]) -> None:
    out = sys.stdout
    print(
        _("{file} — sheet “{sheet}”, {noun}").format(
            file=result.file, sheet=result.sheet, noun=kinds.info(result.kind).noun
        ),
        file=out,
    )
    if other_sheets:
        names = ", ".join(f"“{name}”" for name in other_sheets)
        print("  " + _("other sheets (choose with --sheet): {names}").format(names=names), file=out)
    for header, field in result.mapping.as_dict().items():
        line = _("column {header} → {field}").format(
            header=f"{header!r:30}", field=field or _("(ignored)")
        )
        print(f"  {line}", file=out)
    for note in result.notes:
        print("  " + _("note: {note}").format(note=note), file=out)
    for finding in result.findings:
        print(finding_line(finding), file=out)
    print(check_summary(result), file=out)


def template(args: argparse.Namespace) -> int:
    from omnidesk.spreadsheet import SpreadsheetError, write_template

    try:
        write_template(kinds.from_word(args.kind), args.out)
    except SpreadsheetError as error:
        return fail(error.message)
    except OSError as error:
        return fail(cannot_save(args.out, error))
    print(
        _("Saved the {noun} template to {path}.").format(
            noun=kinds.info(kinds.from_word(args.kind)).noun, path=args.out
        )
    )
    return EXIT_OK
