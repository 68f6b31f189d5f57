"""What the client has learned about one server: which of the contract's variants it speaks.

Each fact starts unknown (None) and is learned from the server's own answers; the
client keeps them per server address through a FactsKeeper (the app's is a small
JSON file beside the profiles, settings/facts.py), so the next start does not have
to find out again. A fact that stops holding is learned again, never trusted over
what the server answers now.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Protocol

from . import contract


@dataclass(frozen=True)
class ServerFacts:
    # The ordering parameter the server honours (V2): "sort" or "ordering".
    ordering_word: str | None = None
    # False once neither word sorted the rows: the server answers in its own order.
    sorts: bool | None = None
    # The most rows it put on a page when asked for more (V4); None: no cap seen.
    page_cap: int | None = None
    # Where the rows' SKUs come from (V3): "v1", "i1" or "products".
    sku_source: str | None = None
    # What the objects' identity is called (V7): "pk" or "id".
    identity: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            name: value for name, value in dataclasses.asdict(self).items() if value is not None
        }

    @classmethod
    def from_json(cls, data: Any) -> ServerFacts:
        """Facts from a file; anything unreadable is simply not known."""
        if not isinstance(data, dict):
            return cls()
        word = data.get("ordering_word")
        cap = data.get("page_cap")
        source = data.get("sku_source")
        identity = data.get("identity")
        sorts = data.get("sorts")
        return cls(
            ordering_word=word if word in contract.ORDERING_WORDS else None,
            sorts=sorts if isinstance(sorts, bool) else None,
            page_cap=cap
            if isinstance(cap, int) and not isinstance(cap, bool) and cap > 0
            else None,
            sku_source=source
            if source in (contract.SKUS_FROM_V1, contract.SKUS_FROM_I1, contract.SKUS_FROM_PRODUCTS)
            else None,
            identity=identity if identity in contract.IDENTITY_KEYS else None,
        )


class FactsKeeper(Protocol):
    """Where a client's facts are kept between runs, by server address."""

    def load(self, server: str) -> ServerFacts | None: ...

    def save(self, server: str, facts: ServerFacts) -> None: ...


class Learned:
    """The facts of one server as the client goes: read at start, written when they change."""

    def __init__(self, server: str, keeper: FactsKeeper | None) -> None:
        self.server = server
        self.keeper = keeper
        self.facts = (keeper.load(server) if keeper is not None else None) or ServerFacts()

    def learn(self, **changes: Any) -> None:
        learned = dataclasses.replace(self.facts, **changes)
        if learned != self.facts:
            self.facts = learned
            if self.keeper is not None:
                self.keeper.save(self.server, learned)
