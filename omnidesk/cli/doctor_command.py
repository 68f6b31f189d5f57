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

from omnidesk.api import ServerError, ServerFacts, SignInNotFound, UnexpectedResponse
from omnidesk.api.facts import FactsKeeper
from omnidesk.api.survey import NotOmnitron, survey
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
    Where,
    find_connection,
)
from .doctor_findings import PROBLEM, Finding, findings, status_words
from .exit_codes import EXIT_CANNOT_WORK, EXIT_INTERRUPTED, EXIT_OK
from .printer import Printer
from .signing_in import signed_in
from .where import TOKEN_VARIABLE


@dataclass(frozen=True)
class DoctorOptions:
    where: Where = field(default_factory=Where)
    json: bool = False


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
    words = status_words()
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
