"""How the client meets a server's variants in ordering and paging (V2, V4, V7).

The rest of the client asks here for a page in an order; this module picks the
ordering word the server is known to honour, checks the rows that came back,
tries the other word if they are not in order, and says so on the page when no
word works. Page sizes and identity names are noted as facts as they are seen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from . import contract
from .facts import Learned
from .models import Page
from .ordering import order_evidence

T = TypeVar("T")
Get = Callable[[dict[str, str]], Awaitable[Any]]  # the request, given the ordering parameter


def ordering_words(learned: Learned) -> tuple[str, ...]:
    """The ordering parameters to try, the one known to work first.

    A server known not to sort is still asked once in the usual way, so that a
    server that learned to sort is noticed."""
    facts = learned.facts
    if facts.sorts is False:
        return contract.ORDERING_WORDS[:1]
    if facts.ordering_word in contract.ORDERING_WORDS:
        first = facts.ordering_word
        return (first, *(word for word in contract.ORDERING_WORDS if word != first))
    return contract.ORDERING_WORDS


async def ordered_page(
    get: Get,
    parse: Callable[[Any], T],
    learned: Learned,
    *,
    ordering: str | None,
    page: int,
    limit: int,
) -> Page[T]:
    """One page, in ``ordering`` if the server can give it; ``in_order`` False if not."""
    if not ordering:
        return read_page(await get({}), parse, learned, page=page, limit=limit)
    contract.check_ordering(ordering)
    first: Page[T] | None = None
    for word in ordering_words(learned):
        answer = read_page(await get({word: ordering}), parse, learned, page=page, limit=limit)
        answer = dataclasses.replace(answer, ordering=ordering)
        evidence = order_evidence(answer.results, ordering)
        if evidence is None:
            # Too few different values to tell. From a server known to sort, the rows are
            # in order; from one known not to, they are in its own order, which may put
            # an empty code where the order asked for would not (so they are sorted here).
            return dataclasses.replace(answer, in_order=learned.facts.sorts is not False)
        if evidence:
            learned.learn(ordering_word=word, sorts=True)
            return answer
        first = first or answer
    assert first is not None
    learned.learn(ordering_word=None, sorts=False)
    return dataclasses.replace(first, in_order=False)


def read_page(
    body: Any, parse: Callable[[Any], T], learned: Learned, *, page: int, limit: int
) -> Page[T]:
    """The page, with what it shows of the server noted: identity name, page cap."""
    answer = Page.from_json(body, parse, page=page, limit=limit)
    note_identity(learned, body["results"][0] if answer.results else None)
    note_page_size(learned, answer)
    return answer


def note_identity(learned: Learned, item: Any) -> None:
    key = contract.identity_key(item)
    if key is not None:
        learned.learn(identity=key)


def note_page_size(learned: Learned, page: Page[Any]) -> None:
    served = page.full_page_size
    if served is None:
        return
    cap = learned.facts.page_cap
    if served < page.limit:
        learned.learn(page_cap=served)  # asked for more, given this many (V4)
    elif cap is not None and served > cap:
        learned.learn(page_cap=None)  # it gave more than the cap: the cap is gone
