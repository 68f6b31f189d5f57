"""What an import tells afterwards: its report for the journal, every row that did not make
it by the file's own rows and headers, and the findings for the annotated workbook."""

from __future__ import annotations

import dataclasses

from omnidesk.i18n import _
from omnidesk.spreadsheet import SKU_FIELD, CheckResult, Finding, Severity

from .diff import ImportDiff
from .journal import ChangeRecord, ImportReport, ReportRow
from .pacing import politely
from .workflow import ImportOutcome, RowProblem, UploadPlan


def report_of(
    result: CheckResult, diff: ImportDiff | None, plan: UploadPlan, username: str
) -> ImportReport:
    """What the journal keeps of this import before it goes: who sent it, what they
    confirmed, what the check held back, and each sent row's values before and after."""
    mapping = result.mapping
    headers = {
        field: mapping.headers[index]
        for index, field in mapping.field_of.items()
        if index < len(mapping.headers)
    }
    sent = set(plan.row_map)
    return ImportReport(
        username=username,
        confirmed=tuple((g.key, g.message, g.rows) for g in diff.guardrails) if diff else (),
        held_back=tuple(
            ReportRow(f.row, f.field, f.message)
            for f in result.findings
            if f.severity is Severity.ERROR
        ),
        headers=headers,
        header_row=result.header_row,
        sheet=result.sheet,
        changes=tuple(
            ChangeRecord(
                change.row,
                change.sku,
                {k: _text(v) for k, v in change.old.items() if v is not None},
                {k: _text(v) for k, v in change.new.items() if v is not None},
            )
            for change in politely(diff.changes if diff else ())
            if change.row in sent
        ),
        replaced=tuple(
            ReportRow(change.row, SKU_FIELD, change.finding or "")
            for change in (diff.replaced if diff else ())
            if change.row in sent
        ),
    )


def refused_rows(result: CheckResult | None, outcome: ImportOutcome) -> list[RowProblem]:
    """The server's refusals and the rows the check kept back, in sheet order, each
    under the column name the person's own file uses."""
    # The server's own words (English, whatever the app speaks), said to be the server's.
    problems = [
        RowProblem(
            p.row,
            header_for(result, p.column),
            _("Refused by the server: {message}").format(message=p.message),
        )
        for p in outcome.problems
        if p.row is not None
    ]
    if result is not None:
        problems += [
            RowProblem(f.row, f.column, _("Not sent: {problem}").format(problem=f.message))
            for f in result.findings
            if f.severity is Severity.ERROR
        ]
    return sorted(problems, key=lambda p: p.row or 0)


def catalogue_findings(result: CheckResult, diff: ImportDiff | None) -> list[Finding]:
    """What the catalogue said of the file's SKUs, on each row's SKU cell: a SKU it has
    in another spelling ("did you mean 018299?"), a SKU sent as the catalogue's."""
    if diff is None:
        return []
    column = result.mapping.column_of(SKU_FIELD)
    return [
        Finding(
            change.row,
            header_for(result, SKU_FIELD),
            Severity.WARNING,
            change.finding or "",
            field=SKU_FIELD,
            column_index=column,
        )
        for change in (*diff.near_misses, *diff.replaced)
    ]


def annotated(
    result: CheckResult, outcome: ImportOutcome | None, diff: ImportDiff | None = None
) -> CheckResult:
    """The check's findings, plus what the catalogue said of the SKUs (``diff``) and the
    server's refusals when given: for the workbook."""
    catalogue = catalogue_findings(result, diff)
    if outcome is None and not catalogue:
        return result
    extra = catalogue + [
        Finding(
            problem.row,
            header_for(result, problem.column),
            Severity.ERROR,
            _("The server refused this row: {problem}").format(problem=problem.message),
            field=problem.column,
            column_index=result.mapping.column_of(problem.column) if problem.column else None,
        )
        for problem in (outcome.problems if outcome is not None else ())
        if problem.row is not None
    ]
    findings = sorted(
        [*result.findings, *extra],
        key=lambda f: (f.row, -1 if f.column_index is None else f.column_index),
    )
    return dataclasses.replace(result, findings=findings)


def header_for(result: CheckResult | None, field: str | None) -> str | None:
    """The person's own header for a server column, or the column's name if there is none."""
    if result is None or field is None:
        return field
    index = result.mapping.column_of(field)
    headers = result.mapping.headers
    return headers[index] if index is not None and index < len(headers) else field


def _text(value: object) -> str:
    # Decimal's own text keeps every digit; a float would have been written as a Decimal.
    return str(value)
