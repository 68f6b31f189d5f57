"""Which server a command talks to, as the command line gives it; light, for the parser.

The options themselves are added by parser.py (``_where``); connection.py finds the
server and signs in.
"""

from __future__ import annotations

from dataclasses import dataclass

# A token to use, for scheduled jobs on machines without a desktop keyring (it wins
# over the keyring's), and the password to sign in with when there is no token.
TOKEN_VARIABLE = "OMNIDESK_TOKEN"
PASSWORD_VARIABLE = "OMNIDESK_PASSWORD"


@dataclass(frozen=True)
class Where:
    profile: str | None = None  # None: the last profile used (unless server or demo)
    server: str | None = None
    username: str | None = None  # with server only
    demo: bool = False
