"""What the person must say yes to before a file goes: row errors, guardrails, a repeat."""

from __future__ import annotations

from dataclasses import dataclass

from omnidesk.i18n import _, n_, number
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
                n_(
                    "{errors} row has errors; only the {good} good rows would be sent.",
                    "{errors} rows have errors; only the {good} good rows would be sent.",
                    result.error_rows,
                ).format(errors=number(result.error_rows), good=number(result.valid_rows)),
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
                _("This very file went to {noun} “{name}” on {when} UTC ({state}).").format(
                    noun=target.noun,
                    name=target.name,
                    when=f"{earlier.started_at:%Y-%m-%d %H:%M}",
                    state=earlier.state.words,
                ),
            )
        )
    return found
