"""Where a command that talks to a server goes, and signing in there.

A saved profile and its token from the keyring (the window signed in once), or the
demo's own sandbox, started for the command and stopped with it. ``omnidesk
import``, ``undo`` and ``export`` all connect through here. No Qt.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

from omnidesk.api import AuthenticationRequired, OmnitronClient, OmnitronError, Retrying
from omnidesk.api.session import Session
from omnidesk.i18n import _
from omnidesk.imports import ListNotFound
from omnidesk.settings import Profile, ProfileStore, TokenStore
from omnidesk.settings.logs import keep_out_of_logs
from omnidesk.settings.paths import profiles_file

from .exit_codes import EXIT_FAILURE
from .printer import Printer


class Failed(Exception):
    """The command ends here with this message on stderr and this exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Connection:
    """Where to go: a saved profile and its token, or the demo server."""

    profile: Profile | None  # None: the demo, started when needed
    token: str | None


@dataclass(frozen=True)
class SignedIn:
    session: Session
    username: str  # who the command acts as, for the journal's report
    where: str  # the server in words: “Acme”, the demo


def find_connection(profile_name: str | None, demo: bool) -> Connection:
    """The profile (or the demo) to use; raises Failed, before any network, when none fits."""
    if demo:
        from omnidesk.demo import DEMO_RUNNING, demo_is_running
        from omnidesk.i18n import _

        if demo_is_running():  # said now, not after the file's whole check
            raise Failed(_(DEMO_RUNNING))
        return Connection(None, None)

    profiles = ProfileStore(profiles_file()).load()
    if profile_name is not None:
        chosen = next((p for p in profiles if p.name == profile_name), None)
        if chosen is None:
            saved = ", ".join(f"“{p.name}”" for p in profiles) or _("none")
            raise Failed(
                _("there is no saved profile “{name}” (saved: {saved}).").format(
                    name=profile_name, saved=saved
                )
            )
    elif profiles:
        chosen = profiles[0]  # the last one used
    else:
        raise Failed(_("no saved profile. Sign in once with the app (omnidesk), or try --demo."))
    with _quiet("omnidesk.settings"):  # its "no keyring" warning is for the window
        token = TokenStore().get(chosen.name, chosen.username)
    keep_out_of_logs(token)
    if not token:
        raise Failed(
            _(
                "not signed in to “{name}” ({server}). Sign in once with the app (omnidesk); "
                "the command uses the saved sign-in."
            ).format(name=chosen.name, server=chosen.base_url)
        )
    return Connection(chosen, token)


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    handler = logging.NullHandler()
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


@asynccontextmanager
async def signed_in(connection: Connection, printer: Printer) -> AsyncIterator[SignedIn]:
    """A session on the server (the demo started first); what goes wrong with the
    server inside becomes Failed with a sentence, and the demo stops afterwards."""
    demo: Any = None
    try:
        if connection.profile is not None:
            profile = connection.profile
            client = OmnitronClient(
                profile.base_url, connection.token, ca_file=profile.ca_file, on_retry=_say(printer)
            )
            where = f"“{profile.name}”"
            if profile.insecure_warning:
                printer.problem(profile.insecure_warning)

            async def no_terminal() -> bool:
                return False  # nobody to type a password: say so and stop

            session = Session(client, no_terminal)
            username = connection.profile.username
        else:
            from omnidesk.demo import DemoServer

            try:
                demo = DemoServer()
            except OmnitronError as taken:  # another demo started since the early check
                raise Failed(str(taken)) from None
            profile = await asyncio.to_thread(demo.start)
            printer.line(
                _("Demo server at {server}, signed in as {user}.").format(
                    server=profile.base_url, user=profile.username
                )
            )
            client = OmnitronClient(profile.base_url, on_retry=_say(printer))
            where = _("the demo")
            username = profile.username
            session = Session(client, demo_sign_in(client))
        try:
            if demo is not None:
                await demo_sign_in(client)()
            yield SignedIn(session, username, where)
        except AuthenticationRequired:
            raise Failed(
                _(
                    "the saved sign-in for {where} was refused (it may have expired). "
                    "Sign in again with the app (omnidesk), then run this again."
                ).format(where=where)
            ) from None
        except ListNotFound as missing:
            raise Failed(missing.message) from None
        except OmnitronError as problem:
            raise Failed(str(problem)) from None
        finally:
            await client.aclose()
    finally:
        if demo is not None:
            await asyncio.to_thread(demo.stop)


def _say(printer: Printer) -> Callable[[Retrying], None]:
    """Tell the person when a request is sent again, so a pause is not taken for a hang."""
    return lambda retrying: printer.progress(retrying.message, force=True)


def demo_sign_in(client: OmnitronClient) -> Callable[[], Awaitable[bool]]:
    async def sign_in() -> bool:
        from omnidesk.demo import DEMO_PASSWORD, DEMO_USER

        await client.login(DEMO_USER, DEMO_PASSWORD)
        return True

    return sign_in
