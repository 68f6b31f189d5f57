"""Signing in as the app would, for tests of the command line: a profile, and its token."""

from __future__ import annotations

import httpx
from keyring.backend import KeyringBackend

from omnidesk.settings import Environment, Profile, ProfileStore, TokenStore
from omnidesk.settings.paths import profiles_file


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def sign_in_profile(url: str, name: str = "Sandbox") -> Profile:
    """What the app leaves behind after signing in once: a profile and its token."""
    profile = Profile(name, url, "demo", Environment.TEST)
    token = httpx.post(
        f"{url}/api/v1/auth/login/", json={"username": "demo", "password": "demo"}
    ).json()["key"]
    TokenStore().set(profile.name, profile.username, token)
    ProfileStore(profiles_file()).remember(profile)
    return profile
