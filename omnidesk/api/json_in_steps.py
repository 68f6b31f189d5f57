"""Reading a large JSON answer without holding the interpreter for its whole length.

``json.loads`` is one call into C that keeps every other thread waiting until it
returns: the status of an import with 100,000 refused rows is 10 MB of JSON and
takes it 120 ms, during which the window cannot paint, even when the call is made
in a worker. ``loads_in_steps`` walks the answer's outer levels (the object, the
lists in it) itself and leaves each inner value, a refused row say, to the same C
scanner, one value per call: between two calls the window gets its turn. The
result is the same as ``json.loads``'s, value for value; malformed text raises the
same ``json.JSONDecodeError``.
"""

from __future__ import annotations

import json
import re
from typing import Any

# From this size an answer is read in steps, in a worker (transport.py): a page of a
# list (100 rows, about 40 KB) is read at once; a page of 1,000 products (about 200 KB,
# 15 ms for json.loads) or an import's status listing its refused rows, in steps.
IN_STEPS_FROM = 64 * 1024
# The levels walked here: the answer itself and the containers directly in it.
WALKED_LEVELS = 2

_SPACE = re.compile(r"[ \t\n\r]*")
_SCANNER = json.JSONDecoder()


def loads_in_steps(answer: bytes | str) -> Any:
    """``json.loads(answer)``, in one call into C per inner value."""
    if isinstance(answer, str):
        text = answer
        if text.startswith("\ufeff"):
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    else:  # as json.loads reads bytes: UTF-8, -16 or -32, a BOM or none
        text = answer.decode(json.detect_encoding(answer), "surrogatepass")
    value, at = _value(text, _skip(text, 0), 0)
    at = _skip(text, at)
    if at != len(text):
        raise json.JSONDecodeError("Extra data", text, at)
    return value


def _skip(text: str, at: int) -> int:
    match = _SPACE.match(text, at)
    return match.end() if match is not None else at


def _value(text: str, at: int, level: int) -> tuple[Any, int]:
    if level < WALKED_LEVELS:
        if text.startswith("{", at):
            return _object(text, at + 1, level + 1)
        if text.startswith("[", at):
            return _array(text, at + 1, level + 1)
    return _SCANNER.raw_decode(text, at)


def _array(text: str, at: int, level: int) -> tuple[list[Any], int]:
    values: list[Any] = []
    at = _skip(text, at)
    if text.startswith("]", at):
        return values, at + 1
    while True:
        value, at = _value(text, at, level)
        values.append(value)
        at, ended = _after_item(text, at, "]")
        if ended:
            return values, at


def _object(text: str, at: int, level: int) -> tuple[dict[str, Any], int]:
    values: dict[str, Any] = {}
    at = _skip(text, at)
    if text.startswith("}", at):
        return values, at + 1
    while True:
        if not text.startswith('"', at):
            raise json.JSONDecodeError(
                "Expecting property name enclosed in double quotes", text, at
            )
        key, at = _SCANNER.raw_decode(text, at)
        at = _skip(text, at)
        if not text.startswith(":", at):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, at)
        value, at = _value(text, _skip(text, at + 1), level)
        values[key] = value  # a key said twice keeps its last value, as json.loads does
        at, ended = _after_item(text, at, "}")
        if ended:
            return values, at


def _after_item(text: str, at: int, closing: str) -> tuple[int, bool]:
    """Past the comma before the next item, or past the container's end (True)."""
    at = _skip(text, at)
    if text.startswith(",", at):
        return _skip(text, at + 1), False
    if text.startswith(closing, at):
        return at + 1, True
    raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
