"""Checking rows given as lists, for the tests that read the findings."""

from __future__ import annotations

from omnidesk.kinds import from_word
from omnidesk.spreadsheet import CheckResult, SheetRow, check_rows


def check(
    kind: str, *rows: list[object], mapping: dict[str | int, str | None] | None = None
) -> CheckResult:
    sheet_rows = [SheetRow(number, row) for number, row in enumerate(rows, 1)]  # type: ignore[arg-type]
    return check_rows(sheet_rows, from_word(kind), mapping=mapping)


def messages(result: CheckResult) -> list[tuple[int, str | None, str, str]]:
    return [(f.row, f.column, str(f.severity), f.message) for f in result.findings]
