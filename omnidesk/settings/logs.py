"""The log file: what OmniDesk did and what went wrong, for whoever helps the person.

One rotating file per program in the user log folder (``paths.log_dir()``): the
window writes ``omnidesk.log``, ``omnidesk import`` writes ``import.log``. Two
files, not one shared: a program renaming a file the other holds open to rotate
it fails on Windows. Each keeps a few generations of a bounded size, so a
chatty DEBUG session cannot fill the disk.

Nothing secret reaches the file. Every line (its traceback included) passes a
redactor that blanks the tokens and passwords this process has handled (handed
to it with ``keep_out_of_logs``) and anything shaped like a credential:
an Authorization header, a "password" or "key" field, a password in an address.

``OMNIDESK_LOG_LEVEL=DEBUG`` (or INFO, WARNING…) says how much is written; INFO
by default.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path

from .paths import log_dir

LEVEL_VARIABLE = "OMNIDESK_LOG_LEVEL"
MAX_BYTES = 2_000_000
BACKUPS = 4  # omnidesk.log.1 … .4: at most 10 MB in all
HIDDEN = "[hidden]"
# A secret this short would blank innocent words of every line; the patterns below
# still catch it where it is written as a credential.
SHORTEST_SECRET = 4

LINE_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

# Where a credential shows itself by its neighbours, whatever its value: what stands
# before it is kept, the credential itself blanked, and what closes it kept.
_CREDENTIAL_SHAPES = (
    # Authorization: Token abc / 'authorization': 'Bearer abc' / (b'Authorization', b'Token abc')
    re.compile(
        r"(?i)(?P<before>authorization['\"]?\s*[:=,]\s*b?['\"]?\s*(?:token|bearer|basic)\s+)"
        r"[^\s'\",)]+"
    ),
    # "password": "…", password=…, 'key': '…', "token": "…"
    re.compile(
        r"(?i)(?P<before>['\"]?\b(?:password|passwd|key|token|access|refresh)\b['\"]?\s*[:=]"
        r"\s*b?['\"]?)[^\s'\",&})]+"
    ),
    # https://user:secret@host
    re.compile(r"(?P<before>//[^/\s:@]+:)[^@\s/]+(?=@)"),
)

_secrets: set[str] = set()
_log_file: Path | None = None


def keep_out_of_logs(secret: str | None) -> None:
    """A token or password this process now holds: never written, wherever it turns up."""
    if secret and len(secret) >= SHORTEST_SECRET:
        _secrets.add(secret)


def redact(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):  # a longer one may hold a shorter
        text = text.replace(secret, HIDDEN)
    for shape in _CREDENTIAL_SHAPES:
        text = shape.sub(lambda found: found.group("before") + HIDDEN, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats the whole record, traceback included, then blanks what is secret."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def chosen_level() -> int:
    name = os.environ.get(LEVEL_VARIABLE, "").strip().upper()
    level = logging.getLevelName(name) if name else logging.INFO
    return level if isinstance(level, int) else logging.INFO


def log_file() -> Path | None:
    """The file this process writes its log to; None before configure() or when it cannot."""
    return _log_file


def configure(file_name: str, *, echo_to_stderr: bool = False) -> Path | None:
    """Send this process's log to ``file_name`` in the log folder; returns that file.

    ``echo_to_stderr``: warnings and errors also go to the terminal, if there is one
    (a windowed build on Windows has none). A log folder that cannot be written is no
    reason not to start: the log then goes nowhere and None is returned.
    """
    global _log_file
    stop()
    root = logging.getLogger()
    formatter = RedactingFormatter(LINE_FORMAT)
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / file_name, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        _log_file = None
    else:
        _log_file = folder / file_name
        _add(root, handler, formatter)
    if echo_to_stderr and sys.stderr is not None:
        terminal = logging.StreamHandler(sys.stderr)
        terminal.setLevel(logging.WARNING)
        _add(root, terminal, formatter)
    root.setLevel(chosen_level())
    return _log_file


def _add(root: logging.Logger, handler: logging.Handler, formatter: logging.Formatter) -> None:
    handler.setFormatter(formatter)
    handler.set_name("omnidesk")  # ours, to be taken away again by stop()
    root.addHandler(handler)


def stop() -> None:
    """Close the handlers configure() added (a second configure, or the end of a test)."""
    global _log_file
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == "omnidesk"]:
        root.removeHandler(handler)
        handler.close()
    _log_file = None
