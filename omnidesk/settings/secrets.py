"""Tokens in the OS keyring; in memory for the session when there is no keyring."""

from __future__ import annotations

import contextlib
import logging

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from omnidesk.i18n import _

log = logging.getLogger(__name__)

SERVICE = "OmniDesk"


class TokenStore:
    """Keeps one token per (profile, username). Never writes a token to a plain file."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend
        self._memory: dict[str, str] = {}
        # False once the keyring has failed: the person is told tokens last for this session.
        self.persistent = True

    def _keyring(self) -> KeyringBackend:
        return self._backend or keyring.get_keyring()

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
        except (KeyringError, RuntimeError, OSError) as problem:
            self._give_up_on_keyring(problem)
            return None

    def set(self, profile_name: str, username: str, token: str) -> None:
        key = self._key(profile_name, username)
        self._memory[key] = token
        if not self.persistent:
            return
        try:
            self._keyring().set_password(SERVICE, key, token)
        except (KeyringError, RuntimeError, OSError) as problem:
            self._give_up_on_keyring(problem)

    def forget(self, profile_name: str, username: str) -> None:
        key = self._key(profile_name, username)
        self._memory.pop(key, None)
        if not self.persistent:
            return
        # Nothing stored, or no keyring: either way it is gone.
        with contextlib.suppress(KeyringError, RuntimeError, OSError):
            self._keyring().delete_password(SERVICE, key)

    def _give_up_on_keyring(self, problem: Exception) -> None:
        # The problem's class, never its text: some backends echo what they were given.
        log.warning(
            _("no usable keyring ({problem}); tokens are kept for this session only").format(
                problem=type(problem).__name__
            )
        )
        self.persistent = False
