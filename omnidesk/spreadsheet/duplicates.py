"""SKUs on more than one row: only the later row is uploaded, and both are warned of.

Two rows for one product would leave it to the order of the upload which value
counts; the check settles it the way a person reading the sheet top to bottom
would, and says so on both rows.
"""

from __future__ import annotations

import contextlib
from itertools import islice
from operator import lt

from omnidesk.i18n import _

from .check_result import GoodRows, StoredValue
from .findings import Warn


def replaced_rows(good: GoodRows, at: int, warn: Warn) -> set[int]:
    """Rows replaced by a later row with the same SKU (at position ``at``), warning on both.

    A set finds the repeated SKUs cheaply; only those are then traced to rows,
    so a million distinct SKUs cost one pass and no per-row bookkeeping.
    """
    skus = good.column(at)
    # Lists are often exported sorted by SKU: codes that only ever increase cannot
    # repeat, which one comparison a row says, in C and at a tenth of the set's cost.
    # A file in any other order is told apart at its first step down.
    with contextlib.suppress(TypeError):  # a column of codes is text; only text compares
        if all(map(lt, skus, islice(skus, 1, None))):  # type: ignore[arg-type]
            return set()
    if len(set(skus)) == len(skus):
        return set()
    seen: set[StoredValue] = set()
    repeated: set[StoredValue] = set()
    for sku in skus:
        if sku in seen:
            repeated.add(sku)
        else:
            seen.add(sku)
    del seen, skus
    replaced: set[int] = set()
    last_row: dict[str, int] = {}
    kept = _("SKU “{sku}” is also on row {row}; only this later row is uploaded.")
    dropped = _("SKU “{sku}” appears again on row {row}, which replaces this row.")
    for number, values in good:
        sku = values[at]
        if sku not in repeated:
            continue
        assert isinstance(sku, str)
        earlier = last_row.get(sku)
        if earlier is not None:
            replaced.add(earlier)
            warn(number, at, kept.format(sku=sku, row=earlier))
            warn(earlier, at, dropped.format(sku=sku, row=number))
        last_row[sku] = number
    return replaced
