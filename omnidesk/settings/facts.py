"""What the client learned about each server, kept beside the profiles (servers.json).

Only the variants a server speaks (its ordering word, page cap, where SKUs come
from, what identity is called): nothing about a person, never a token. A missing
or damaged file means starting from nothing, which costs a request or two to
learn again, so it is never worth an error.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from omnidesk.api.facts import ServerFacts
from omnidesk.i18n import _

log = logging.getLogger(__name__)


class FactsStore:
    """A FactsKeeper (omnidesk.api.facts) on a JSON file, by server address."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, object]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            servers = raw["servers"]
            if not isinstance(servers, dict):
                raise TypeError(servers)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError):
            log.warning(
                _("server facts file {file} is unreadable; learning again").format(file=self.path)
            )
            return {}
        return servers

    def load(self, server: str) -> ServerFacts | None:
        known = self._read().get(server.rstrip("/"))
        return ServerFacts.from_json(known) if known is not None else None

    def save(self, server: str, facts: ServerFacts) -> None:
        servers = self._read()
        servers[server.rstrip("/")] = facts.to_json()
        temporary = self.path.with_suffix(".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps({"servers": servers}, indent=2), encoding="utf-8")
            temporary.replace(self.path)  # never a half-written file
        except OSError as problem:
            # A read-only settings folder costs only the relearning next time.
            log.warning(
                _("cannot keep server facts in {file} ({reason})").format(
                    file=self.path, reason=problem.strerror
                )
            )
