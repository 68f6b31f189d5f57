"""Text a spreadsheet program would run as a formula, made text it only shows.

Apart from the writers (``writing``) because a CSV needs no openpyxl: the
window's export and the command line's error files escape through here without
importing it (a tenth of a second at start-up, #15).
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A negative number is a formula's first character too, and harmless: -5 stays a number.
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


def csv_safe(value: object) -> object:
    """``value`` as a CSV cell that a spreadsheet program shows and never evaluates.

    Text that a spreadsheet would take for a formula gets a leading single quote
    (OWASP's advice); every other value, plain negative numbers included, is unchanged.
    The one place for this, so every CSV OmniDesk writes for people (the window's
    export, a command line's error file) escapes alike. Not for the clean upload:
    Omnitron's importer reads text and would store the quote as part of the SKU.
    """
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value
