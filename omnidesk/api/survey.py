"""What a server shows of itself to reads alone: which of the contract's variants it speaks.

`omnidesk doctor` asks this of a server a customer is about to use. Every request is
a GET; nothing on the server changes. What the client learns anyway as it reads
(the ordering word and whether the server sorts, a page-size cap, what identity is
called, where SKUs come from: adapter.py, skus.py) is taken from its facts, not
found out a second time; what it has no need to remember (the error envelope, how
amounts are written) is seen here, on the answers themselves.

A server whose answers are not Omnitron's at all (a web page, a JSON API of another
shape, no price lists where Omnitron keeps them) raises NotOmnitron.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omnidesk.i18n import _
from omnidesk.kinds import ListKind

from . import contract
from .client import OmnitronClient
from .contract import API_PREFIX, MAX_PAGE_SIZE
from .errors import NotFound, OmnitronError, PermissionDenied, UnexpectedResponse, ValidationFailed
from .facts import ServerFacts
from .models import AnyList

# The order the lists are asked for: a server that ignores it answers by pk, oldest
# first, which the newest-first order asked for shows at once with two lists.
SURVEY_ORDERING = "-created_date"
# Lists whose contents are tried, in turn, until one has rows.
LISTS_TRIED = 5
ROWS_READ = 100
# A filter value no server can take: what it answers shows its error envelope (V1).
BAD_FILTER = {"created_date__gte": "not-a-date"}


class NotOmnitron(OmnitronError):
    """The server answered, but not as Omnitron does; the message says what it answered."""


@dataclass(frozen=True)
class ListsSeen:
    kind: ListKind
    count: int | None  # None: the account may not see them
    refused: str | None = None  # why not, in the client's sentence


@dataclass(frozen=True)
class Survey:
    facts: ServerFacts  # what the client learned on the way (ordering, page cap, SKUs…)
    lists: tuple[ListsSeen, ...]
    # What the lists' objects call their identity (V7), and the rows'.
    lists_identity: str | None
    rows_identity: str | None
    # "error_code", "code", "none" (a refusal with no code), or None: nothing was refused.
    envelope: str | None
    decimals: str | None  # contract.DECIMALS_AS_STRINGS / _NUMBERS; None: no amount read
    rows_read: int  # contents rows read, of one list
    rows_without_sku: int  # of those, how many no source could name the SKU of
    rows_problem: str | None  # why the rows could not be read, when they could not
    catalogue: int | None  # products in the catalogue; None: it did not answer
    catalogue_problem: str | None  # why it did not
    # The rows a page held when more pages followed (the page size really served).
    page_served: int | None
    page_asked: int = MAX_PAGE_SIZE


async def survey(client: OmnitronClient) -> Survey:
    """Read what is needed to tell the server's variants; NotOmnitron if it is not one."""
    seen: list[ListsSeen] = []
    lists: dict[ListKind, list[AnyList]] = {}
    for kind in ListKind:
        try:
            page = await client.lists(kind).list(ordering=SURVEY_ORDERING, limit=MAX_PAGE_SIZE)
        except PermissionDenied as refused:
            seen.append(ListsSeen(kind, None, str(refused)))
            continue
        except (NotFound, UnexpectedResponse) as problem:
            raise NotOmnitron(_not_lists(kind, problem)) from None
        lists[kind] = list(page.results)
        seen.append(ListsSeen(kind, page.count))
    lists_identity = client.facts.identity
    envelope = await _envelope(client)
    rows = await _contents(client, lists)
    catalogue, catalogue_problem, served = await _catalogue(client)
    return Survey(
        facts=client.facts,
        lists=tuple(seen),
        lists_identity=lists_identity,
        rows_identity=rows.identity,
        envelope=envelope,
        decimals=rows.decimals,
        rows_read=rows.read,
        rows_without_sku=rows.without_sku,
        rows_problem=rows.problem,
        catalogue=catalogue,
        catalogue_problem=catalogue_problem,
        page_served=served,
    )


def _not_lists(kind: ListKind, problem: OmnitronError) -> str:
    if isinstance(problem, NotFound):
        return _nothing_at(f"{API_PREFIX}/{kind.value}/")
    return str(problem)


def _nothing_at(path: str) -> str:
    return _("Nothing answers at {path}, where Omnitron has it.").format(path=path)


async def _envelope(client: OmnitronClient) -> str | None:
    try:
        lists = client.lists(next(iter(ListKind)))  # any kind's lists show the envelope
        await client._request(
            "GET",
            f"{API_PREFIX}/{lists.kind.value}/",
            params={**BAD_FILTER, "limit": 1},
            refused=_(lists.refusals.see_lists),
        )
    except ValidationFailed as refused:
        return refused.envelope
    except OmnitronError:
        return None  # refused otherwise (403, …): the envelope of a 400 is not seen
    return None  # the filter was ignored


@dataclass(frozen=True)
class _Rows:
    read: int = 0
    without_sku: int = 0
    identity: str | None = None
    decimals: str | None = None
    problem: str | None = None


async def _contents(client: OmnitronClient, lists: dict[ListKind, list[AnyList]]) -> _Rows:
    """The first rows of the first list that has some: prices first, for their amounts."""
    for kind in ListKind:
        contents = client.contents(kind)
        for row_list in sorted(lists.get(kind, ()), key=lambda found: found.pk)[:LISTS_TRIED]:
            try:
                page = await contents.list(row_list.pk, limit=ROWS_READ)
                if not page.results:
                    continue
                raw = await client._request(
                    "GET",
                    f"{API_PREFIX}/{contents.path}/",
                    params={contents.list_param: row_list.pk, "limit": ROWS_READ},
                    refused=_(contents.refusals.see_contents),
                )
            except PermissionDenied:
                break  # this account may not see this kind's contents: the other kind
            except NotFound:
                continue  # deleted meanwhile
            except (UnexpectedResponse, ValidationFailed) as problem:
                return _Rows(problem=str(problem))
            items = raw.get("results") if isinstance(raw, dict) else None
            items = items if isinstance(items, list) else []
            return _Rows(
                read=len(page.results),
                without_sku=sum(1 for row in page.results if not row.product_sku),
                identity=contract.identity_key(items[0]) if items else None,
                decimals=_decimals(items),  # None for rows without a price
            )
    return _Rows()


def _decimals(items: list[Any]) -> str | None:
    for item in items:
        spelling = contract.decimal_spelling(item.get("price") if isinstance(item, dict) else None)
        if spelling is not None:
            return spelling
    return None


async def _catalogue(client: OmnitronClient) -> tuple[int | None, str | None, int | None]:
    """How many products the catalogue has, and the size of a page it serves when asked
    for the largest (V4: capped or not)."""
    try:
        page = await client.products.list(limit=MAX_PAGE_SIZE)
    except NotFound:
        return None, _nothing_at(contract.PRODUCTS_PATH), None
    except (UnexpectedResponse, PermissionDenied) as problem:
        return None, str(problem), None
    return page.count, None, page.full_page_size
