"""`omnidesk export`: a list's contents as a file that `omnidesk import` takes back unchanged.

The same columns as the window's export (the import's own, omnidesk/imports/exporting.py),
every row in the server's order, amounts as real numbers in a workbook; a CSV split
and punctuated the way the Excel of the person's locale reads it, unless told.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from omnidesk import kinds
from omnidesk.i18n import _, n_, number
from omnidesk.imports import find_list
from omnidesk.imports.exporting import DECIMAL_COMMA_CSV, DECIMAL_POINT_CSV, export_list

from .connection import Connection, Failed, Where, find_connection
from .exit_codes import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK
from .printer import Printer, csv_style
from .signing_in import signed_in

CSV_STYLES = {"semicolon": DECIMAL_COMMA_CSV, "comma": DECIMAL_POINT_CSV}


@dataclass(frozen=True)
class ExportOptions:
    kind: str  # kinds.WORDS
    list_ref: str
    out: Path
    where: Where = field(default_factory=Where)
    csv: str | None = None  # a key of CSV_STYLES; None: as the locale's Excel reads one


def run_export(options: ExportOptions, printer: Printer | None = None) -> int:
    printer = printer or Printer()
    try:
        suffix = options.out.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise Failed(
                _("{name}: the file's name must end in .xlsx or .csv.").format(
                    name=options.out.name
                )
            )
        connection = find_connection(options.where)
        return asyncio.run(_export(options, connection, printer))
    except Failed as failed:
        printer.problem(failed.message)
        return failed.code
    except KeyboardInterrupt:
        printer.problem(_("stopped; the file may be incomplete."))
        return EXIT_INTERRUPTED
    except OSError as error:
        printer.problem(
            _("cannot save {path}: {why}.").format(path=options.out, why=error.strerror or error)
        )
        return EXIT_FAILURE


async def _export(options: ExportOptions, connection: Connection, printer: Printer) -> int:
    kind = kinds.from_word(options.kind)
    style = CSV_STYLES[options.csv] if options.csv else csv_style()
    async with signed_in(connection, printer) as signed:
        target = await find_list(signed.session, kind, options.list_ref)
        written = await signed.session.run(
            lambda client: export_list(client, kind, target.pk, options.out, style)
        )
    printer.line(
        n_("Exported {count} row of {noun} “{name}” to {path}.",
           "Exported {count} rows of {noun} “{name}” to {path}.", written
        ).format(count=number(written), noun=target.noun, name=target.name, path=options.out)
    )  # fmt: skip
    return EXIT_OK
