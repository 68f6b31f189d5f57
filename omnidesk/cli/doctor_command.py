"""`omnidesk doctor`: what a server speaks, and whether OmniDesk can work with it.

What a new customer runs first, and sends us when something is off. It signs in
(connection.py) and reads, never writes (api/survey.py), then says for each of the
contract's variants (V1–V10, omnitron-api.md) what the server showed — the primary
column, the alternative OmniDesk copes with, or nothing a read can show — and, for
anything OmniDesk cannot work with, why. Exit 0 when it can work with the server, 1
otherwise (a server that is not Omnitron, or does not answer, included); 2 when the
command could not start (no such profile, no password to sign in with).

The facts the client keeps of a server (settings/facts.py) are not read here, only
written: the doctor tells what the server shows now, and the window and the other
commands then start from that.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import textwrap
from dataclasses import asdict, dataclass, field
from typing import Any

from omnidesk import kinds
from omnidesk.api import ServerError, ServerFacts, SignInNotFound, UnexpectedResponse, contract
from omnidesk.api.facts import FactsKeeper
from omnidesk.api.survey import NotOmnitron, Survey, survey
from omnidesk.i18n import _, n_
from omnidesk.settings.facts import FactsStore
from omnidesk.settings.paths import facts_file

from .connection import (
    BY_DEMO,
    BY_PASSWORD,
    BY_PASSWORD_AND_CODE,
    BY_TOKEN_VARIABLE,
    Connection,
    Failed,
    SignedIn,
    Where,
    find_connection,
    signed_in,
)
from .exit_codes import EXIT_CANNOT_WORK, EXIT_INTERRUPTED, EXIT_OK
from .printer import Printer
from .where import TOKEN_VARIABLE

# What a finding says of the server (the JSON's "status").
PRIMARY = "primary"  # the contract's primary column
VARIANT = "variant"  # an alternative of the contract's table: OmniDesk copes with it
LIMITED = "limited"  # OmniDesk works, with something less (a kind it may not see…)
NOT_SEEN = "not_seen"  # no read can show it
PROBLEM = "problem"  # OmniDesk cannot work with this


def _status_words() -> dict[str, str]:
    return {
        PRIMARY: _("usual"),
        VARIANT: _("variant"),
        LIMITED: _("limited"),
        NOT_SEEN: _("not seen"),
        PROBLEM: _("PROBLEM"),
    }


@dataclass(frozen=True)
class DoctorOptions:
    where: Where = field(default_factory=Where)
    json: bool = False


@dataclass(frozen=True)
class Finding:
    variant: str | None  # "V1" … "V10" of the contract's table; None: outside it
    topic: str  # an English key: "error_envelope", "ordering", …
    status: str  # PRIMARY, VARIANT, LIMITED, NOT_SEEN or PROBLEM
    seen: Any  # what was seen, as a plain value ("code", 50, true), or None
    message: str


@dataclass
class Report:
    server: str
    username: str | None = None
    signed_in_with: str | None = None
    omnitron: bool | None = None  # False: the server answers, but not as Omnitron
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # why the server could not be examined

    @property
    def works(self) -> bool:
        return self.error is None and all(f.status != PROBLEM for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "username": self.username,
            "signed_in_with": self.signed_in_with,
            "omnitron": self.omnitron,
            "works": self.works,
            "findings": [asdict(finding) for finding in self.findings],
            "error": self.error,
        }


class Relearning:
    """The facts file, but nothing read from it: a fact kept from an earlier run must not
    stand in for what the server shows now. What is learned is written, as always."""

    def __init__(self, keeper: FactsKeeper) -> None:
        self.keeper = keeper

    def load(self, server: str) -> ServerFacts | None:
        return None

    def save(self, server: str, facts: ServerFacts) -> None:
        self.keeper.save(server, facts)


def run_doctor(options: DoctorOptions, printer: Printer | None = None) -> int:
    # With --json, stdout is the JSON's alone.
    printer = printer or (Printer(out=sys.stderr) if options.json else Printer())
    try:
        connection = find_connection(options.where)
    except Failed as failed:  # nothing tried yet: no such profile, no password
        printer.problem(failed.message)
        if options.json:
            _print_json(Report(options.where.server or "", error=failed.message))
        return failed.code
    try:
        report = asyncio.run(examine(connection, printer))
    except KeyboardInterrupt:
        printer.problem(_("stopped."))
        return EXIT_INTERRUPTED
    if options.json:
        _print_json(report)
    else:
        show(report, printer)
    return EXIT_OK if report.works else EXIT_CANNOT_WORK


async def examine(connection: Connection, printer: Printer) -> Report:
    report = Report(connection.base_url or connection.where)
    keeper = Relearning(FactsStore(facts_file()))
    try:
        async with signed_in(connection, printer, facts=keeper) as signed:
            report.server = signed.session.client.base_url
            found = await signed.session.run(survey)
            report.username = signed.username or None
            report.signed_in_with = signed.how
            report.omnitron = True
            report.findings = findings(found, signed)
    except Failed as failed:
        cause = failed.cause
        if isinstance(cause, NotOmnitron | UnexpectedResponse | SignInNotFound) or (
            # "Not implemented": a web server that takes no POST, where Omnitron signs in.
            isinstance(cause, ServerError) and cause.status == 501
        ):
            report.omnitron = False
            report.error = _(
                "{server} does not answer as Omnitron does, so OmniDesk cannot work with it. {why}"
            ).format(server=report.server, why=_sentence(failed.message))
        else:  # nothing answers, the password was refused…: said as the other commands say it
            report.error = failed.message
    return report


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _print_json(report: Report) -> None:
    print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))


# -- what was seen, in sentences -----------------------------------------------------------------


def findings(found: Survey, signed: SignedIn) -> list[Finding]:
    return [
        *_lists(found),
        _envelope(found),
        _ordering(found.facts),
        _skus(found),
        _page_size(found),
        _sign_in(signed),
        _permissions(found),
        _identity(found),
        _decimals(found),
        Finding(
            "V9",
            "upload_answer",
            NOT_SEEN,
            None,
            _(
                "What the server answers to an upload (200, 201 or 202) can only be seen by "
                "importing a file; OmniDesk follows any 2xx answer that carries a cache_key."
            ),
        ),
        Finding(
            "V10",
            "import_status",
            NOT_SEEN,
            None,
            _(
                "How the server reports an import's progress cannot be seen without an "
                "import. The status by cache_key is OmniDesk's own guess ([ours] in the API "
                "contract): a status it does not understand gets a progress bar without "
                "figures and, after {minutes} minutes, a sentence asking to check the list in "
                "Omnitron."
            ).format(minutes=f"{contract.UNCLEAR_STATUS_PATIENCE / 60:.0f}"),
        ),
        _catalogue(found),
    ]


def _lists(found: Survey) -> list[Finding]:
    seen = []
    readable = [lists for lists in found.lists if lists.count is not None]
    for lists in found.lists:
        entry = kinds.info(lists.kind)
        if lists.count is None:
            status = LIMITED if readable else PROBLEM
            message = lists.refused or ""
        else:
            status = PRIMARY
            message = n_(
                "{count} {noun} can be seen.", "{count} {plural} can be seen.", lists.count
            ).format(count=f"{lists.count:,}", noun=entry.noun, plural=entry.plural)
        seen.append(Finding(None, f"{lists.kind.value}s", status, lists.count, message))
    return seen


def _envelope(found: Survey) -> Finding:
    both = _("OmniDesk reads both envelopes.")
    if found.envelope == "code":
        status, message = (
            VARIANT,
            _(
                "Errors carry their code as “code”, with every message in a list (V1's "
                "alternative)."
            ),
        )
    elif found.envelope == "error_code":
        status, message = (
            PRIMARY,
            _("Errors carry their code as “error_code”, the contract's primary envelope."),
        )
    elif found.envelope == contract.NO_ERROR_CODE:
        status, message = (
            PRIMARY,
            _(
                "A wrong filter value was refused with the field's message and no error code, "
                "as the primary envelope refuses a field."
            ),
        )
    else:
        status, message = (
            NOT_SEEN,
            _(
                "A wrong filter value was not refused, so the error envelope cannot be seen "
                "without changing something."
            ),
        )
    return Finding("V1", "error_envelope", status, found.envelope, f"{message} {both}")


def _ordering(facts: ServerFacts) -> Finding:
    if facts.sorts is False:
        return Finding(
            "V2",
            "ordering",
            VARIANT,
            "ignored",
            _(
                "The server does not sort lists: with sort= and with ordering= the rows came "
                "back in its own order (V2's alternative). OmniDesk sorts them itself after "
                "reading every page."
            ),
        )
    if facts.ordering_word == "ordering":
        return Finding(
            "V2",
            "ordering",
            VARIANT,
            "ordering",
            _(
                "Lists are sorted with ordering=, not sort= (V2's alternative); OmniDesk asks "
                "with ordering= here."
            ),
        )
    if facts.ordering_word == "sort":
        return Finding(
            "V2",
            "ordering",
            PRIMARY,
            "sort",
            _("Lists are sorted with sort=, checked on the rows that came back."),
        )
    return Finding(
        "V2",
        "ordering",
        NOT_SEEN,
        None,
        _(
            "There are too few lists to tell whether the server sorts them; OmniDesk checks "
            "the order of every answer anyway."
        ),
    )


def _skus(found: Survey) -> Finding:
    source = found.facts.sku_source
    if found.rows_problem is not None:
        return Finding(
            "V3",
            "skus",
            PROBLEM,
            None,
            _("The rows of a list cannot be read: {why}").format(why=found.rows_problem),
        )
    if found.rows_read == 0:
        return Finding(
            "V3",
            "skus",
            NOT_SEEN,
            None,
            _("No list has rows yet, so where the rows' SKUs come from cannot be seen."),
        )
    if found.rows_without_sku:
        return Finding(
            "V3",
            "skus",
            PROBLEM,
            source,
            n_(
                "{count} of {total} row read has no SKU: neither /api/i1/ nor the catalogue "
                "names its product. OmniDesk cannot compare a file with such a list.",
                "{count} of {total} rows read have no SKU: neither /api/i1/ nor the catalogue "
                "names their products. OmniDesk cannot compare a file with such a list.",
                found.rows_without_sku,
            ).format(count=f"{found.rows_without_sku:,}", total=f"{found.rows_read:,}"),
        )
    if source == contract.SKUS_FROM_PRODUCTS:
        return Finding(
            "V3",
            "skus",
            VARIANT,
            source,
            _(
                "/api/i1/ gives no SKUs here, so they come from the catalogue "
                "(/api/v1/products/), in batches (V3's alternative)."
            ),
        )
    if source == contract.SKUS_FROM_V1:
        return Finding(
            "V3",
            "skus",
            VARIANT,
            source,
            _("The v1 rows carry their SKUs themselves; OmniDesk uses them."),
        )
    return Finding(
        "V3",
        "skus",
        PRIMARY,
        source,
        _(
            "Rows name their product by pk, and their SKUs come from /api/i1/, the contract's "
            "primary."
        ),
    )


def _page_size(found: Survey) -> Finding:
    cap = found.facts.page_cap
    if cap is not None:
        return Finding(
            "V4",
            "page_size",
            VARIANT,
            cap,
            n_(
                "Pages hold at most {count} row, whatever is asked for (V4's alternative); "
                "OmniDesk reads more pages.",
                "Pages hold at most {count} rows, whatever is asked for (V4's alternative); "
                "OmniDesk reads more pages.",
                cap,
            ).format(count=f"{cap:,}"),
        )
    if found.page_served is not None and found.page_served >= found.page_asked:
        return Finding(
            "V4",
            "page_size",
            PRIMARY,
            None,
            _("Pages of {count} rows were served as asked.").format(count=f"{found.page_asked:,}"),
        )
    return Finding(
        "V4",
        "page_size",
        NOT_SEEN,
        None,
        _(
            "No answer was long enough to show a cap on page sizes; OmniDesk takes whatever "
            "page size the server gives."
        ),
    )


def _sign_in(signed: SignedIn) -> Finding:
    if signed.two_factor:
        return Finding(
            "V5",
            "sign_in",
            VARIANT,
            "two_steps",
            _(
                "This account signs in in two steps, with a 6-digit code after the password "
                "(V5's alternative); OmniDesk asks for the code and never keeps it."
            ),
        )
    if signed.two_factor is False:
        return Finding(
            "V5",
            "sign_in",
            PRIMARY,
            "token_at_once",
            _("The password gave a token at once, with no 6-digit code."),
        )
    if signed.how == BY_TOKEN_VARIABLE:
        said = _(
            "Signed in with the token in {variable}, so whether the account needs a 6-digit "
            "code was not seen."
        )
    else:
        said = _(
            "Signed in with the saved sign-in, so whether the account needs a 6-digit code "
            "was not seen."
        )
    return Finding("V5", "sign_in", NOT_SEEN, None, said.format(variable=TOKEN_VARIABLE))


def _permissions(found: Survey) -> Finding:
    return Finding(
        "V6",
        "permissions",
        NOT_SEEN,
        None,
        _(
            "Which lists this account may change cannot be seen without changing one. A "
            "refused change is said in a sentence that names it, and nothing typed is lost."
        ),
    )


def _identity(found: Survey) -> Finding:
    lists = found.lists_identity
    if lists is None:
        return Finding(
            "V7",
            "identity",
            NOT_SEEN,
            None,
            _("No list was read, so what objects' identity is called cannot be seen."),
        )
    if found.rows_identity is not None:
        message = _("Lists are identified by “{lists}”, their rows by “{rows}”.").format(
            lists=lists, rows=found.rows_identity
        )
    else:
        message = _("Lists are identified by “{lists}”.").format(lists=lists)
    if lists == "id":
        message += " " + _("That is V7's alternative; OmniDesk reads pk or id on every object.")
    else:
        message += " " + _("OmniDesk reads pk or id on every object.")
    return Finding("V7", "identity", VARIANT if lists == "id" else PRIMARY, lists, message)


def _decimals(found: Survey) -> Finding:
    if found.decimals == contract.DECIMALS_AS_NUMBERS:
        return Finding(
            "V8",
            "decimals",
            VARIANT,
            found.decimals,
            _(
                "Amounts come as JSON numbers (10, 10.5), not strings (V8's alternative); "
                "OmniDesk reads them as exact decimals, never through floating point."
            ),
        )
    if found.decimals == contract.DECIMALS_AS_STRINGS:
        return Finding(
            "V8",
            "decimals",
            PRIMARY,
            found.decimals,
            _("Amounts come as strings (“10.00”), the contract's primary."),
        )
    return Finding(
        "V8",
        "decimals",
        NOT_SEEN,
        None,
        _("No price was read, so how amounts are written cannot be seen."),
    )


def _catalogue(found: Survey) -> Finding:
    if found.catalogue is None:
        return Finding(
            None,
            "catalogue",
            LIMITED,
            None,
            _(
                "The catalogue does not answer: {why} OmniDesk cannot tell before an import "
                "which SKUs of a file the server lacks; the server refuses those rows itself."
            ).format(why=found.catalogue_problem or ""),
        )
    return Finding(
        None,
        "catalogue",
        PRIMARY,
        found.catalogue,
        n_(
            "The catalogue has {count} product.",
            "The catalogue has {count} products.",
            found.catalogue,
        ).format(count=f"{found.catalogue:,}"),
    )


# -- for people ----------------------------------------------------------------------------------


def _how(how: str | None) -> str:
    return {
        BY_PASSWORD: _("with a password"),
        BY_PASSWORD_AND_CODE: _("with a password and a 6-digit code"),
        BY_TOKEN_VARIABLE: _("with the token in {variable}").format(variable=TOKEN_VARIABLE),
        BY_DEMO: _("the demo's own account"),
    }.get(how or "", _("with the saved sign-in"))


def show(report: Report, printer: Printer) -> None:
    if report.error is not None:
        printer.problem(report.error)
        return
    who = report.username or _("an account the token names")
    printer.line(
        _("{server} speaks Omnitron's API; signed in as {username} ({how}).").format(
            server=report.server, username=who, how=_how(report.signed_in_with)
        )
    )
    words = _status_words()
    status_width = max(len(words[f.status]) for f in report.findings)
    label_width = max(len(f.variant or "") for f in report.findings)
    # At a terminal each sentence wraps under itself; in a file (what is sent to us) it
    # stays on one line.
    columns = shutil.get_terminal_size().columns if printer.tty else 0
    for finding in report.findings:
        label = (finding.variant or "").ljust(label_width)
        status = words[finding.status].ljust(status_width)
        lead = f"  {label}  {status}  "
        if columns > len(lead) + 20:
            text = textwrap.fill(
                finding.message,
                width=columns - 1,
                initial_indent=lead,
                subsequent_indent=" " * len(lead),
            )
        else:
            text = lead + finding.message
        printer.line(text)
    problems = sum(1 for f in report.findings if f.status == PROBLEM)
    if problems:
        printer.line(
            n_(
                "OmniDesk cannot work with this server: {count} problem above.",
                "OmniDesk cannot work with this server: {count} problems above.",
                problems,
            ).format(count=problems)
        )
    else:
        printer.line(_("OmniDesk can work with this server."))
