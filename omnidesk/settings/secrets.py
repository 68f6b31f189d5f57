"""Tokens in the OS keyring; in memory for the session when there is no keyring."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from omnidesk.i18n import _

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "OmniDesk"


def _keyring_problems() -> tuple[type[Exception], ...]:
    """What a keyring raises when it cannot keep a token."""
    from keyring.errors import KeyringError

    return (KeyringError, RuntimeError, OSError)


class TokenStore:
    """Keeps one token per (profile, username). Never writes a token to a plain file."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend
        self._memory: dict[str, str] = {}
        # False once the keyring has failed: the person is told tokens last for this session.
        self.persistent = True

    def _keyring(self) -> KeyringBackend:
        if self._backend is not None:
            return self._backend
        # Imported when first asked: finding the desktop's keyring imports a few dozen
        # modules (30 ms), which the demo, keeping no token, never needs (#15).
        import keyring

        return keyring.get_keyring()

    @staticmethod
    def _key(profile_name: str, username: str) -> str:
        return f"{profile_name}:{username}"

    def get(self, profile_name: str, username: str) -> str | None:
        key = self._key(profile_name, username)
        if key in self._memory:
            return self._memory[key]
        if not self.persistent:
            return None
        try:
            return self._keyring().get_password(SERVICE, key)
        except _keyring_problems() as problem:
            self._give_up_on_keyring(problem)
            return None

    def set(self, profile_name: str, username: str, token: str) -> None:
        key = self._key(profile_name, username)
        self._memory[key] = token
        if not self.persistent:
            return
        try:
            self._keyring().set_password(SERVICE, key, token)
        except _keyring_problems() as problem:
            self._give_up_on_keyring(problem)

    def forget(self, profile_name: str, username: str) -> None:
        key = self._key(profile_name, username)
        self._memory.pop(key, None)
        if not self.persistent:
            return
        # Nothing stored, or no keyring: either way it is gone.
        with contextlib.suppress(*_keyring_problems()):
            self._keyring().delete_password(SERVICE, key)

    def _give_up_on_keyring(self, problem: Exception) -> None:
        # The problem's class, never its text: some backends echo what they were given.
        log.warning(
            _("no usable keyring ({problem}); tokens are kept for this session only").format(
                problem=type(problem).__name__
            )
        )
        self.persistent = False
