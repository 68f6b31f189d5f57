"""How the benchmarks write their figures: min–median–max, as issue 15 asks them."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def spread(values: Sequence[float], unit: str = " s", *, digits: int = 2, scale: float = 1) -> str:
    """``values`` (times ``scale``) as min–median–max with ``digits`` decimals, then ``unit``."""
    low, middle, high = (scale * v for v in (min(values), statistics.median(values), max(values)))
    return f"{low:.{digits}f}–{middle:.{digits}f}–{high:.{digits}f}{unit}"
