"""Where a command that talks to a server goes, and signing in there.

``--profile NAME`` (a profile saved by the app; the last one used by default),
``--server URL [--username NAME]`` (no profile), or ``--demo`` (the demo's own
sandbox, started for the command and stopped with it). Every command that talks
to a server (import, undo, export, lists, doctor) connects through here.

The token: ``OMNIDESK_TOKEN`` wins (a scheduled job's), else a profile's from the
keyring. Without one, or when the server refuses it, the command signs in with a
password read from ``OMNIDESK_PASSWORD`` or typed at a terminal, never from a flag;
a 6-digit code (V5) is typed at the terminal, or read as one line of standard input
when that is not a terminal, and never kept. A token a password gave is kept in the
keyring for a profile, as the window does, and nowhere for ``--server``. What the
client learns of a server is kept beside the profiles (settings/facts.py), as the
window keeps it. No Qt.

Here: where to go and with which token, found before any network; the signing in
itself is signing_in.py's.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from omnidesk.api import (
    OmnitronError,
)
from omnidesk.i18n import _
from omnidesk.settings import Environment, Profile, ProfileStore, TokenStore
from omnidesk.settings.logs import keep_out_of_logs
from omnidesk.settings.paths import profiles_file
from omnidesk.settings.profiles import check_base_url, clean_base_url

from .exit_codes import EXIT_FAILURE
from .where import PASSWORD_VARIABLE, TOKEN_VARIABLE, Where

__all__ = ["Connection", "Failed", "Where", "find_connection"]

# How the command signed in (SignedIn.how; `omnidesk doctor --json` gives it as is).
BY_TOKEN_VARIABLE = "token_variable"  # OMNIDESK_TOKEN
BY_SAVED_TOKEN = "saved_token"  # the keyring's, for a profile
BY_PASSWORD = "password"
BY_PASSWORD_AND_CODE = "password_and_code"  # and a 6-digit code (V5)
BY_DEMO = "demo"


class Failed(Exception):
    """The command ends here with this message on stderr and this exit code.

    ``cause``: the client's error it stands for, if any (`omnidesk doctor` tells a
    server that is not Omnitron from a refused password by it)."""

    def __init__(
        self, message: str, code: int = EXIT_FAILURE, cause: OmnitronError | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.cause = cause


@dataclass
class Connection:
    """Where to go and with which token; found before any network."""

    base_url: str  # "" for the demo, whose address is known once it runs
    username: str | None  # None: --server without --username (asked for if needed)
    where: str  # the server in words: “Acme”, http://…, the demo
    token: str | None
    token_from: str | None  # BY_TOKEN_VARIABLE or BY_SAVED_TOKEN
    profile: Profile | None = None  # a saved profile: a new token goes to its keyring entry
    ca_file: str | None = None
    insecure_warning: str | None = None
    demo: bool = False


def find_connection(where: Where, environ: Mapping[str, str] | None = None) -> Connection:
    """The server and token to use; raises Failed, before any network, when none fits."""
    env = os.environ if environ is None else environ
    if where.username is not None and where.server is None:
        raise Failed(_("--username goes with --server (a profile has its own username)."))
    if where.demo:
        from omnidesk.demo import DEMO_RUNNING, demo_is_running

        if demo_is_running():  # said now, not after the file's whole check
            raise Failed(_(DEMO_RUNNING))
        return Connection("", None, _("the demo"), None, None, demo=True)

    from_variable = env.get(TOKEN_VARIABLE) or None
    keep_out_of_logs(from_variable)
    if where.server is not None:
        url = clean_base_url(where.server)
        wrong = check_base_url(url)
        if wrong is not None:
            raise Failed(f"--server {where.server}: {wrong}")
        username = where.username or None
        transient = Profile(url, url, username or "", Environment.PRODUCTION)
        connection = Connection(
            url,
            username,
            url,
            from_variable,
            BY_TOKEN_VARIABLE if from_variable else None,
            insecure_warning=transient.insecure_warning,
        )
        return _can_sign_in(connection, env)

    profiles = ProfileStore(profiles_file()).load()
    if where.profile is not None:
        chosen = next((p for p in profiles if p.name == where.profile), None)
        if chosen is None:
            saved = ", ".join(f"“{p.name}”" for p in profiles) or _("none")
            raise Failed(
                _("there is no saved profile “{name}” (saved: {saved}).").format(
                    name=where.profile, saved=saved
                )
            )
    elif profiles:
        chosen = profiles[0]  # the last one used
    else:
        raise Failed(
            _(
                "no saved profile. Sign in once with the app (omnidesk), give a server "
                "with --server URL, or try --demo."
            )
        )
    token, token_from = from_variable, BY_TOKEN_VARIABLE if from_variable else None
    if token is None:
        with quiet("omnidesk.settings"):  # its "no keyring" warning is for the window
            token = TokenStore().get(chosen.name, chosen.username)
        keep_out_of_logs(token)
        token_from = BY_SAVED_TOKEN if token else None
    connection = Connection(
        chosen.base_url,
        chosen.username,
        f"“{chosen.name}”",
        token or None,
        token_from,
        profile=chosen,
        ca_file=chosen.ca_file,
        insecure_warning=chosen.insecure_warning,
    )
    return _can_sign_in(connection, env)


def _can_sign_in(connection: Connection, env: Mapping[str, str]) -> Connection:
    """The connection, if it has a token or a way to sign in; said now, before a file
    is checked for nothing."""
    if connection.token is not None:
        return connection
    typed = Console().terminal
    if not (env.get(PASSWORD_VARIABLE) or typed):
        raise Failed(no_password(connection.where))
    if connection.username is None and not typed:
        raise Failed(no_username(connection.base_url))
    return connection


def no_password(where: str) -> str:
    return _(
        "not signed in to {where}: there is no token ({token}) and no password. "
        "Set {password} (or {token}), run the command at a terminal to type the "
        "password, or sign in once with the app (omnidesk)."
    ).format(where=where, token=TOKEN_VARIABLE, password=PASSWORD_VARIABLE)


def no_username(server: str) -> str:
    return _(
        "signing in to {server} with a password needs a username: add --username NAME "
        "(or set {token} to a token)."
    ).format(server=server, token=TOKEN_VARIABLE)


@contextmanager
def quiet(logger_name: str) -> Iterator[None]:
    handler = logging.NullHandler()
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


class Console:
    """Whoever runs the command: at a terminal, or a job whose standard input is a pipe.

    Read at the time of asking, so that a test may hand the command its own stdin.
    """

    @property
    def terminal(self) -> bool:
        isatty = getattr(sys.stdin, "isatty", None)
        return bool(isatty and isatty())

    def password(self, prompt: str) -> str | None:
        """Typed without an echo; None without a terminal, where nobody can type one."""
        if not self.terminal:
            return None
        return getpass.getpass(prompt, stream=sys.stderr)

    def line(self, prompt: str) -> str | None:
        """A line typed at the terminal, or the next line of standard input; None at its end."""
        if self.terminal:
            print(prompt, end="", file=sys.stderr, flush=True)
        try:
            text = sys.stdin.readline()
        except (OSError, ValueError):  # no standard input at all, or a closed one
            return None
        return text.strip() or None
