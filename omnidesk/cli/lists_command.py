"""`omnidesk lists`: every list of a kind on the server, filtered and in the order asked for.

Every page is read (api/client.py ``ListResource.iterate``); the client checks the
rows came back in the order asked for and sorts them itself when the server did
not (api/ordering.py), so the order printed is the one asked for on every server.
People get an aligned table; ``--json`` prints one array with the API's own field
names, for scripts.
"""

from __future__ import annotations

import asyncio
import json
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from omnidesk import kinds
from omnidesk.api import AnyList
from omnidesk.i18n import _, n_

from .connection import Failed, Where, find_connection
from .exit_codes import EXIT_INTERRUPTED, EXIT_OK
from .printer import Printer
from .signing_in import signed_in


@dataclass(frozen=True)
class ListsOptions:
    kind: str  # kinds.WORDS
    name: str | None = None  # contains, any case [doc]
    code: str | None = None  # contains [doc]
    sort: str | None = None  # "name", "-created_date"… (contract.ORDERING_FIELDS)
    where: Where = field(default_factory=Where)
    json: bool = False


def run_lists(options: ListsOptions, printer: Printer | None = None) -> int:
    """The whole command; its exit code. The lists go to stdout, everything else to stderr."""
    # Sign-in lines and problems on stderr: stdout holds the table or the JSON alone.
    printer = printer or Printer(out=sys.stderr)
    try:
        connection = find_connection(options.where)
        rows = asyncio.run(_read(options, connection, printer))
    except Failed as failed:
        printer.problem(failed.message)
        return failed.code
    except KeyboardInterrupt:
        printer.problem(_("stopped."))
        return EXIT_INTERRUPTED
    kind = kinds.from_word(options.kind)
    if options.json:
        print(json.dumps([list_json(row) for row in rows], ensure_ascii=False, indent=2))
    elif rows:
        print("\n".join(table(rows)))
    noun = kinds.info(kind)
    printer.line(
        n_("{count} {noun}.", "{count} {plural}.", len(rows)).format(
            count=f"{len(rows):,}", noun=noun.noun, plural=noun.plural
        )
    )
    return EXIT_OK


async def _read(options: ListsOptions, connection: Any, printer: Printer) -> list[AnyList]:
    kind = kinds.from_word(options.kind)
    filters: dict[str, Any] = {}
    if options.name:
        filters["name"] = options.name
    if options.code:
        filters["code"] = options.code
    async with signed_in(connection, printer) as signed:

        async def every(client: Any) -> list[AnyList]:
            resource = client.lists(kind)
            return [row async for row in resource.iterate(ordering=options.sort, **filters)]

        rows: list[AnyList] = await signed.session.run(every)
        if options.sort and signed.session.client.facts.sorts is False:
            printer.line(
                _("The server does not sort lists; OmniDesk sorted them after reading every page.")
            )
    return rows


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def list_json(row: AnyList) -> dict[str, Any]:
    """One list for --json: the API's own field names, dates as ISO-8601 UTC."""
    body: dict[str, Any] = {"pk": row.pk, "name": row.name, "code": row.code}
    if kinds.info(row.kind).has_currency:
        body["currency"] = row.currency
    body |= {
        "is_auto_sync": row.is_auto_sync,
        "created_date": _when(row.created_date),
        "modified_date": _when(row.modified_date),
    }
    return body


def table(rows: list[AnyList]) -> list[str]:
    """The lists as lines of aligned columns (pk, name, code, currency, auto-sync, created)."""
    has_currency = any(kinds.info(row.kind).has_currency for row in rows)
    headings = [_("pk"), _("name"), _("code")]
    if has_currency:
        headings.append(_("currency"))
    headings += [_("auto-sync"), _("created (UTC)")]
    lines = [headings]
    for row in rows:
        cells = [str(row.pk), row.name, row.code or "–"]
        if has_currency:
            cells.append((row.currency or "").upper())
        cells += [
            _("yes") if row.is_auto_sync else _("no"),
            f"{row.created_date.astimezone(UTC):%Y-%m-%d %H:%M}",
        ]
        lines.append(cells)
    widths = [max(_width(line[column]) for line in lines) for column in range(len(headings))]
    right = {0}  # the pk, a number
    return [
        "  ".join(
            _pad(cell, widths[column], right=column in right) for column, cell in enumerate(line)
        ).rstrip()
        for line in lines
    ]


def _width(text: str) -> int:
    """Columns a terminal gives the text: wide letters two, combining marks none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _pad(text: str, width: int, *, right: bool) -> str:
    padding = " " * (width - _width(text))
    return padding + text if right else text + padding
