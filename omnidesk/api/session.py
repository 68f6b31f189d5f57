"""A client plus the way back in: when the token expires, ask the person, then carry on.

The UI supplies `ask_to_sign_in` (it opens the sign-in dialog and answers True once
signed in, False if the person gave up). Several calls failing at once share one
dialog. A refused request (401) was not carried out, so repeating it is safe.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from .client import OmnitronClient
from .errors import AuthenticationRequired

T = TypeVar("T")

AskToSignIn = Callable[[], Awaitable[bool]]


class Session:
    def __init__(self, client: OmnitronClient, ask_to_sign_in: AskToSignIn) -> None:
        self.client = client
        self.ask_to_sign_in = ask_to_sign_in
        self._sign_in: asyncio.Future[bool] | None = None

    async def run(self, operation: Callable[[OmnitronClient], Awaitable[T]]) -> T:
        """The operation's result; after an expired token, the same operation once signed in."""
        while True:
            token_used = self.client.token
            try:
                return await operation(self.client)
            except AuthenticationRequired:
                if self.client.token != token_used and self.client.signed_in:
                    continue  # another call signed in meanwhile
                if not await self._signed_in_again():
                    raise

    async def _signed_in_again(self) -> bool:
        if self._sign_in is None or self._sign_in.done():
            self._sign_in = asyncio.ensure_future(self.ask_to_sign_in())
        # Shielded: one caller being cancelled must not close the dialog for the others.
        return await asyncio.shield(self._sign_in)
