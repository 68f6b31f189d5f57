"""What the person must say yes to before a file goes: row errors, guardrails, a repeat."""

from __future__ import annotations

from dataclasses import dataclass

from omnidesk.spreadsheet import CheckResult, Severity

from .diff import ImportDiff
from .journal import ImportRecord
from .targets import ImportTarget


@dataclass(frozen=True)
class Blocker:
    """Something the person must say yes to before the file goes.

    ``key`` is ``row_errors`` (only the good rows would be sent), ``guardrail:<key>``
    (imports/guardrails.py) or ``sent_before`` (this very file went to this list).
    """

    key: str
    message: str
    rows: tuple[int, ...] = ()


def blockers_of(
    result: CheckResult | None,
    diff: ImportDiff | None,
    target: ImportTarget | None,
    earlier: ImportRecord | None,
) -> list[Blocker]:
    """Everything the person must confirm, in the order they meet it."""
    found: list[Blocker] = []
    if result is not None and result.error_rows:
        rows = tuple(sorted({f.row for f in result.findings if f.severity is Severity.ERROR}))
        found.append(
            Blocker(
                "row_errors",
                f"{_count(result.error_rows, 'row has', 'rows have')} errors; only the "
                f"{_count(result.valid_rows, 'good row', 'good rows')} would be sent.",
                rows,
            )
        )
    if diff is not None:
        found += [
            Blocker(f"guardrail:{guardrail.key}", guardrail.message, guardrail.rows)
            for guardrail in diff.guardrails
        ]
    if earlier is not None and target is not None:
        found.append(
            Blocker(
                "sent_before",
                f"This very file went to {target.noun} “{target.name}” on "
                f"{earlier.started_at:%Y-%m-%d %H:%M} UTC ({earlier.state.value}).",
            )
        )
    return found


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"
