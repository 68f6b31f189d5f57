"""Connection profiles: which server, which user, and how careful to be there.

Profiles live in a small JSON file. Tokens never do: see secrets.py.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from omnidesk.i18n import N_, _

log = logging.getLogger(__name__)


class Environment(StrEnum):
    PRODUCTION = "production"
    STAGING = "staging"
    TEST = "test"
    DEMO = "demo"

    @property
    def label(self) -> str:
        return _(
            {
                Environment.PRODUCTION: N_("Production"),
                Environment.STAGING: N_("Staging"),
                Environment.TEST: N_("Test"),
                Environment.DEMO: N_("Demo"),
            }[self]
        )


@dataclass(frozen=True)
class Profile:
    name: str
    base_url: str
    username: str
    environment: Environment = Environment.PRODUCTION
    # A company's own certificate authority (a PEM file), trusted besides the system's
    # and certifi's for this server (api/tls.py). None: those two only.
    ca_file: str | None = None

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def insecure_warning(self) -> str | None:
        """Why this address is risky, or None. Plain http is fine on this machine only."""
        parts = urlsplit(self.base_url)
        # Only http:// is a choice to send in the clear. Without a scheme ("127.0.0.1:8000",
        # "localhost:8000" whose "scheme" is "localhost") nothing has been chosen yet,
        # and the address's own error already asks for the whole address.
        if parts.scheme.lower() != "http":
            return None
        host = parts.hostname or ""
        if host == "localhost" or _is_loopback(host):
            return None
        return _(
            "{address} is not encrypted (http://). Passwords and data can be read on the way. "
            "Use an https:// address."
        ).format(address=self.base_url)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# Omnitron's API paths, which people copy from its documentation or their browser; the
# client adds them to the server's address itself, so with them it would ask for
# /api/v1/api/v1/… and get "not found".
_API_PATH = re.compile(r"/api/[vi]1/*$", re.IGNORECASE)


def clean_base_url(text: str) -> str:
    """The address as typed, without spaces, trailing slashes or a trailing /api/v1 (/api/i1).

    Typed without a scheme, as people type addresses into a browser, it gets the one a
    browser would try: https://, or http:// for this machine (a local server).
    """
    address = _API_PATH.sub("", text.strip()).rstrip("/")
    if address and "://" not in address:
        host = urlsplit(f"//{address}").hostname or ""
        local = host == "localhost" or _is_loopback(host)
        address = f"{'http' if local else 'https'}://{address}"
    return address


def check_base_url(url: str) -> str | None:
    """A message if the address cannot be a server's base URL, else None."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return _("Enter the server's address, like https://acme.omnitron.example")
    if parts.username is not None or parts.password is not None:
        # It would be kept in the profiles file and shown in logs with the address.
        return _("Leave your username and password out of the address; enter them below.")
    try:
        port = parts.port  # raises for a port that is not a number up to 65535
    except ValueError:
        port = 0
    if port is not None and not 1 <= port <= 65535:
        return _("The port in the address (after “:”) must be a number from 1 to 65535.")
    return None


class ProfileStore:
    """The profiles file. A damaged file is set aside, not fatal."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> list[Profile]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return [
                Profile(
                    name=item["name"],
                    base_url=item["base_url"],
                    username=item["username"],
                    environment=Environment(item.get("environment", "production")),
                    ca_file=item.get("ca_file") if isinstance(item.get("ca_file"), str) else None,
                )
                for item in raw.get("profiles", [])
            ]
        except FileNotFoundError:
            return []
        except (ValueError, KeyError, TypeError, AttributeError):
            backup = self.path.with_suffix(".damaged.json")
            self.path.replace(backup)
            log.warning(_("profiles file was damaged; kept as {file}").format(file=backup))
            return []

    def save(self, profiles: list[Profile]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {"profiles": [asdict(profile) for profile in profiles]}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(body, indent=2, ensure_ascii=False), encoding="utf-8")
        temporary.replace(self.path)  # never a half-written file

    def remember(self, profile: Profile) -> None:
        """Add or replace the profile of that name, and put it first (the last used)."""
        others = [p for p in self.load() if p.name != profile.name]
        self.save([profile, *others])
