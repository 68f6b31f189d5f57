"""Signing in where a command goes (connection.py found where, and with which token).

A token refused, or none, signs in with a password from ``OMNIDESK_PASSWORD`` or typed at
a terminal (and a 6-digit code typed, or read from standard input); a token a password
gave is kept in the keyring for a profile. ``signed_in`` gives the command its session:
the demo started first when asked for, the server's troubles said as a Failed.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from omnidesk.api import (
    AuthenticationRequired,
    CodeRefused,
    FactsKeeper,
    OmnitronClient,
    OmnitronError,
    Retrying,
    TwoFactorRequired,
    ValidationFailed,
)
from omnidesk.api.session import Session
from omnidesk.i18n import _
from omnidesk.imports import ListNotFound
from omnidesk.settings import TokenStore
from omnidesk.settings.facts import FactsStore
from omnidesk.settings.logs import keep_out_of_logs
from omnidesk.settings.paths import facts_file

from .connection import (
    BY_DEMO,
    BY_PASSWORD,
    BY_PASSWORD_AND_CODE,
    BY_SAVED_TOKEN,
    BY_TOKEN_VARIABLE,
    Connection,
    Console,
    Failed,
    no_password,
    no_username,
    quiet,
)
from .printer import Printer
from .where import PASSWORD_VARIABLE, TOKEN_VARIABLE

# Codes typed at a terminal: a mistyped one, or one typed as it expired, may be typed again.
CODE_TRIES_AT_A_TERMINAL = 3
# A token refused this soon after a password gave it is not worth another sign-in: the
# server refuses fresh tokens, and signing in again would only go round in circles.
FRESH_TOKEN_SECONDS = 2.0


@dataclass
class SignedIn:
    session: Session
    username: str  # who the command acts as, for the journal's report
    where: str  # the server in words: “Acme”, the demo
    how: str = BY_SAVED_TOKEN  # BY_…: the last way the command signed in
    two_factor: bool | None = None  # None: no password sign-in, so not seen


class SignIn:
    """Signing in with a password (and a code), first or again when a token is refused."""

    def __init__(
        self,
        client: OmnitronClient,
        connection: Connection,
        printer: Printer,
        console: Console,
        environ: Mapping[str, str],
    ) -> None:
        self.client = client
        self.connection = connection
        self.printer = printer
        self.console = console
        self.environ = environ
        self.username = connection.username
        self.signed: SignedIn | None = None  # told how, once the session exists
        self.how: str | None = connection.token_from
        self.two_factor: bool | None = None
        self._signed_at: float | None = None

    @property
    def possible(self) -> bool:
        """Whether a password can be had here: from the environment, or typed."""
        typed = self.console.terminal
        return bool(self.environ.get(PASSWORD_VARIABLE)) or typed

    async def again(self) -> bool:
        """The Session's way back in after a refused token: True once signed in."""
        fresh = self._signed_at is not None and (
            time.monotonic() - self._signed_at < FRESH_TOKEN_SECONDS
        )
        if fresh or not self.possible:
            return False
        if self.how == BY_TOKEN_VARIABLE:
            said = _("{where} refused the token in {variable}; signing in with the password.")
        elif self.how == BY_SAVED_TOKEN:
            said = _("{where} refused the saved sign-in; signing in with the password.")
        else:
            said = ""
        if said:
            self.printer.line(said.format(where=self.connection.where, variable=TOKEN_VARIABLE))
        await self.first()
        return True

    async def first(self) -> None:
        connection = self.connection
        username = self.username or self._ask_username()
        password = self.environ.get(PASSWORD_VARIABLE) or self.console.password(
            _("Password for {username} at {server}: ").format(
                username=username, server=self.client.base_url
            )
        )
        if not password:
            raise Failed(no_password(connection.where))
        keep_out_of_logs(password)
        two_factor = False
        try:
            token = await self.client.login(username, password)
        except TwoFactorRequired:
            two_factor = True
            token = await self._second_step()
        except ValidationFailed as refused:
            raise Failed(
                _(
                    "{where} did not accept the username {username} with that password. It "
                    "said: {said} Check both; {password} holds the password."
                ).format(
                    where=connection.where,
                    username=username,
                    said=str(refused),
                    password=PASSWORD_VARIABLE,
                ),
                cause=refused,
            ) from None
        keep_out_of_logs(token)
        self.username = username
        self.how = BY_PASSWORD_AND_CODE if two_factor else BY_PASSWORD
        self.two_factor = two_factor
        self._signed_at = time.monotonic()
        if self.signed is not None:
            self.signed.username, self.signed.how = username, self.how
            self.signed.two_factor = two_factor
        self._keep(token, username)

    def _ask_username(self) -> str:
        typed = (
            self.console.line(_("Username at {server}: ").format(server=self.client.base_url))
            if self.console.terminal
            else None
        )
        if not typed:
            raise Failed(no_username(self.client.base_url))
        return typed

    async def _second_step(self) -> str:
        where = self.connection.where
        tries = CODE_TRIES_AT_A_TERMINAL if self.console.terminal else 1
        for attempt in range(1, tries + 1):
            code = self.console.line(_("6-digit code from your authenticator app: "))
            if not code:
                raise Failed(
                    _(
                        "{where} also wants the 6-digit code from the authenticator app. "
                        "Type it at a terminal, or give it as one line on standard input "
                        "(for example: oathtool --totp -b SECRET | omnidesk …)."
                    ).format(where=where)
                )
            keep_out_of_logs(code)
            try:
                return await self.client.verify_code(code)
            except CodeRefused as refused:
                if attempt == tries:
                    raise Failed(
                        _(
                            "{where} did not accept the 6-digit code: it may be mistyped or "
                            "already expired. Run the command again with the code the "
                            "authenticator app shows now."
                        ).format(where=where),
                        cause=refused,
                    ) from None
                self.printer.problem(str(refused))
        raise AssertionError("unreachable")

    def _keep(self, token: str, username: str) -> None:
        profile = self.connection.profile
        if profile is None:
            if not self.connection.demo:
                self.printer.line(
                    _(
                        "Signed in to {server} as {username}. Nothing is kept: the sign-in "
                        "lasts for this command only."
                    ).format(server=self.client.base_url, username=username)
                )
            return
        tokens = TokenStore()
        with quiet("omnidesk.settings"):
            tokens.set(profile.name, profile.username, token)
        if tokens.persistent:
            said = _(
                "Signed in to {where} as {username}; the sign-in is kept in the keyring "
                "for the next command and the app."
            )
        else:
            said = _(
                "Signed in to {where} as {username}; there is no keyring here, so the "
                "sign-in lasts for this command only."
            )
        self.printer.line(said.format(where=self.connection.where, username=username))


def _refused(sign_in: SignIn) -> str:
    """What to do when the token is refused and no password can be had here."""
    where = sign_in.connection.where
    if sign_in.how == BY_TOKEN_VARIABLE:
        return _(
            "{where} refused the token in {token} (it may have expired). Set {token} to a "
            "new token, or leave it unset and sign in with a password ({password}, or typed "
            "at a terminal)."
        ).format(where=where, token=TOKEN_VARIABLE, password=PASSWORD_VARIABLE)
    if sign_in.how == BY_SAVED_TOKEN:
        return _(
            "the saved sign-in for {where} was refused (it may have expired). Sign in again "
            "with the app (omnidesk), or set {password}, then run this again."
        ).format(where=where, password=PASSWORD_VARIABLE)
    return _(
        "{where} refused the token it had just given. Try again; if it keeps happening, "
        "tell your Omnitron administrator."
    ).format(where=where)


@asynccontextmanager
async def signed_in(
    connection: Connection,
    printer: Printer,
    *,
    facts: FactsKeeper | None = None,
    console: Console | None = None,
    environ: Mapping[str, str] | None = None,
) -> AsyncIterator[SignedIn]:
    """A session on the server (the demo started first, signed in first when there is
    no token); what goes wrong with the server inside becomes Failed with a sentence,
    and the demo stops afterwards. ``facts``: where what the client learns is kept (by
    default the file the window keeps it in)."""
    demo: Any = None
    env = dict(os.environ if environ is None else environ)
    keeper = FactsStore(facts_file()) if facts is None else facts
    try:
        base_url = connection.base_url
        if connection.demo:
            from omnidesk.demo import DemoServer

            demo = DemoServer()
            try:
                profile = await asyncio.to_thread(demo.start)
            except OmnitronError as taken:  # another demo started since the early check
                raise Failed(str(taken)) from None
            base_url = profile.base_url
            printer.line(
                _("Demo server at {url}, signed in as {username}.").format(
                    url=base_url, username=profile.username
                )
            )
        elif connection.insecure_warning:
            printer.problem(connection.insecure_warning)
        client = OmnitronClient(
            base_url,
            connection.token,
            ca_file=connection.ca_file,
            on_retry=_say(printer),
            facts=keeper,
        )
        sign_in = SignIn(client, connection, printer, console or Console(), env)
        try:
            if connection.demo:
                from omnidesk.demo import DEMO_PASSWORD, DEMO_USER

                await client.login(DEMO_USER, DEMO_PASSWORD)
                sign_in.username, sign_in.how, sign_in.two_factor = DEMO_USER, BY_DEMO, False
            elif connection.token is None:
                await sign_in.first()
            session = Session(client, _demo_again(client) if connection.demo else sign_in.again)
            signed = SignedIn(
                session,
                sign_in.username or "",
                connection.where,
                sign_in.how or BY_SAVED_TOKEN,
                sign_in.two_factor,
            )
            sign_in.signed = signed
            yield signed
        except AuthenticationRequired as refused:
            raise Failed(_refused(sign_in), cause=refused) from None
        except ListNotFound as missing:
            raise Failed(missing.message) from None
        except OmnitronError as problem:
            raise Failed(str(problem), cause=problem) from None
        finally:
            await client.aclose()
    finally:
        if demo is not None:
            await asyncio.to_thread(demo.stop)


def _say(printer: Printer) -> Callable[[Retrying], None]:
    """Tell the person when a request is sent again, so a pause is not taken for a hang."""
    return lambda retrying: printer.progress(retrying.message, force=True)


def _demo_again(client: OmnitronClient) -> Callable[[], Any]:
    async def sign_in() -> bool:
        from omnidesk.demo import DEMO_PASSWORD, DEMO_USER

        await client.login(DEMO_USER, DEMO_PASSWORD)
        return True

    return sign_in
