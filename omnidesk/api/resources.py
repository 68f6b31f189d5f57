"""The client's resources: the lists of one kind (ListResource) and their rows
(ListContents), each asking Omnitron through its OmnitronClient."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack

from omnidesk import kinds
from omnidesk.i18n import _
from omnidesk.kinds import ListKind

from . import contract, polling
from .adapter import ordered_page
from .contract import API_PREFIX, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from .errors import UnexpectedResponse
from .list_filters import LIST_FIELDS, ListFilters, filter_params
from .models import (
    AnyContents,
    AnyList,
    ImportStatus,
    Page,
    PriceList,
    ProductPrice,
    ProductStock,
    StockList,
)
from .ordering import order_evidence, sort_locally
from .paging import PAGES_AT_ONCE, every_row, every_row_in_parallel
from .upload import FileUpload, ProgressCallback

if TYPE_CHECKING:
    from .client import OmnitronClient, Refusals

# Covariant: the lists of one kind are lists of any kind (ListResource[AnyList]).
L = TypeVar("L", bound=AnyList, covariant=True)
C = TypeVar("C", bound=AnyContents, covariant=True)


class ListResource(Generic[L]):
    """The lists of one kind: find, read, create, change, and import spreadsheets into."""

    def __init__(
        self,
        client: OmnitronClient,
        kind: ListKind,
        parse: Callable[[Any], L],
        refusals: Refusals,
    ) -> None:
        self._client = client
        self.kind = kind
        self.parse = parse  # the answer's JSON as a list of this kind
        entry = kinds.info(kind)
        self.fields = LIST_FIELDS | ({"currency"} if entry.has_currency else set())
        self.refusals = refusals  # what a 403 says, in its words
        self.noun_en = entry.noun_en

    @property
    def noun(self) -> str:
        """The kind's noun in the language spoken now ("price list")."""
        return kinds.info(self.kind).noun

    def _not_found(self) -> str:
        return _("That {noun} was not found on the server. It may have been deleted.").format(
            noun=self.noun
        )

    def _path(self, pk: int | None = None) -> str:
        base = f"{API_PREFIX}/{self.kind.value}/"
        return base if pk is None else f"{base}{pk}/"

    async def list(
        self,
        *,
        ordering: str | None = None,
        page: int = 1,
        limit: int = DEFAULT_PAGE_SIZE,
        **filters: Unpack[ListFilters],
    ) -> Page[L]:
        """One page of lists matching every given filter.

        In ``ordering`` when the server sorts; when it does not (V2) the page says so
        (``in_order`` False) and its rows are in the server's own order.
        """
        params: dict[str, Any] = {"page": page, "limit": limit}
        params |= filter_params(filters)

        def get(order: dict[str, str]) -> Awaitable[Any]:
            return self._client._request(
                "GET",
                self._path(),
                params=params | order,
                refused=_(self.refusals.see_lists),
            )

        return await ordered_page(
            get, self.parse, self._client.learned, ordering=ordering, page=page, limit=limit
        )

    async def iterate(
        self,
        *,
        ordering: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
        **filters: Unpack[ListFilters],
    ) -> AsyncIterator[L]:
        """Every list matching the filters, page after page, in ``ordering``: sorted here
        when the server could not (it has every row then)."""

        def fetch(page: int) -> Awaitable[Page[L]]:
            return self.list(ordering=ordering, page=page, limit=page_size, **filters)

        if not ordering:
            async for row in every_row(fetch):
                yield row
            return
        in_order = True

        def seen(page: Page[Any]) -> None:
            nonlocal in_order
            in_order = in_order and page.in_order

        rows = [row async for row in every_row(fetch, seen)]
        # Rows too few to show an order may be in a server's own one (V2) even when it was
        # not known yet not to sort: read whole, they are put in the order asked for here.
        if not in_order or order_evidence(rows, ordering) is None:
            rows = sort_locally(rows, ordering, lambda row: row.pk)
        for row in rows:
            yield row

    async def get(self, pk: int) -> L:
        body = await self._client._request(
            "GET",
            self._path(pk),
            not_found=self._not_found(),
            refused=_(self.refusals.see_list),
        )
        return self.parse(body)

    def _checked(self, fields: dict[str, Any]) -> dict[str, Any]:
        unknown = set(fields) - self.fields
        if unknown:
            raise TypeError(f"a {self.noun_en} has no field {', '.join(sorted(unknown))}")
        return fields

    async def create(self, **fields: Any) -> L:
        """POST a new list; sent once, never repeated after it may have reached the server."""
        body = await self._client._request(
            "POST",
            self._path(),
            json_body=self._checked(fields),
            refused=_(self.refusals.create),
        )
        return self.parse(body)

    async def update(self, pk: int, **changes: Any) -> L:
        """PATCH only the given fields."""
        body = await self._client._request(
            "PATCH",
            self._path(pk),
            json_body=self._checked(changes),
            not_found=self._not_found(),
            refused=_(self.refusals.change),
        )
        return self.parse(body)

    async def upload(
        self, pk: int, path: str | Path, on_progress: ProgressCallback | None = None
    ) -> str:
        """Send a spreadsheet for import; returns the cache key to follow the job with.

        Any 2xx answer with a cache key will do (V9: 200, 201 or 202).
        """
        upload = FileUpload(Path(path), on_progress=on_progress)
        body = await self._client._request(
            "POST",
            contract.import_path(self.kind, pk),
            content=upload.chunks,
            content_length=upload.length,
            headers=upload.headers,
            not_found=self._not_found(),
            refused=_(self.refusals.import_into),
        )
        if not isinstance(body, dict) or not isinstance(body.get("cache_key"), str):
            raise UnexpectedResponse(_("an upload answer without a cache key."))
        cache_key: str = body["cache_key"]
        return cache_key

    async def import_status(self, pk: int, cache_key: str) -> ImportStatus:
        body = await self._client._request(
            "GET",
            contract.import_path(self.kind, pk),
            params=contract.import_status_params(cache_key),
            not_found=_("That import was not found on the server. It may have been deleted."),
            refused=_(self.refusals.follow_imports),
        )
        # In a worker: a status may list a thousand refused rows or more, each read into
        # a row of its own (5-15 ms of a window's thread at every poll).
        return await asyncio.to_thread(ImportStatus.from_json, body, cache_key)

    def follow_import(
        self,
        pk: int,
        cache_key: str,
        *,
        first_interval: float = polling.FIRST_INTERVAL,
        max_interval: float = polling.LONGEST_INTERVAL,
        patience: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> AsyncIterator[ImportStatus]:
        """Each status of the job until it finishes (see ``polling.poll_import``)."""
        return polling.poll_import(
            lambda: self.import_status(pk, cache_key),
            sleep=self._client.sleep,
            first_interval=first_interval,
            max_interval=max_interval,
            patience=patience,
            clock=clock,
            noun=self.noun,
        )


# Named for readers and for type hints: the lists of each kind the client serves.
PriceLists = ListResource[PriceList]
StockLists = ListResource[StockList]


class ListContents(Generic[C]):
    """The rows of one list: a price list's prices or a stock list's stocks (read-only).

    Every row carries its SKU, wherever the server keeps it (skus.py).
    """

    def __init__(
        self,
        client: OmnitronClient,
        kind: ListKind,
        parse: Callable[[Any], C],
        refusals: Refusals,
    ) -> None:
        self._client = client
        self.kind = kind
        self.parse = parse  # one row's JSON as a price or a stock
        entry = kinds.info(kind)
        self.path = entry.contents_path
        self.list_param = entry.contents_list_param
        self.refusals = refusals  # what a 403 says, in its words

    async def list(
        self,
        list_pk: int,
        *,
        product_sku: str | None = None,
        page: int = 1,
        limit: int = DEFAULT_PAGE_SIZE,
    ) -> Page[C]:
        """One page of the list's rows; with ``product_sku``, the row of that product only.

        v1 has no SKU filter [doc]: the SKU is looked up in the catalogue and the rows
        filtered by its product pk.
        """
        params: dict[str, Any] = {self.list_param: list_pk, "page": page, "limit": limit}
        skus = self._client.skus
        if product_sku:
            product = await skus.product_pk(product_sku)
            if product is None:
                return Page.empty(page=page, limit=limit)
            params["product"] = product
        return await skus.page(
            f"/{self.path}/",
            params,
            self.parse,
            page=page,
            limit=limit,
            refused=_(self.refusals.see_contents),
            sku=product_sku or None,
        )

    async def iterate(
        self,
        list_pk: int,
        *,
        product_sku: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
        on_page: Callable[[Page[C]], None] | None = None,
        at_once: int = PAGES_AT_ONCE,
        on_note: Callable[[str], None] | None = None,
    ) -> AsyncIterator[C]:
        """Every row of the list, in the server's order; ``on_page`` hears of each page
        as it arrives (for a progress bar). Pages are read ``at_once`` at a time once the
        first told how many there are (paging.py); 1 reads them one after another.
        ``on_note`` hears why, if a parallel read had to be done again page after page.
        """

        def fetch(page: int) -> Awaitable[Page[C]]:
            return self.list(list_pk, product_sku=product_sku, page=page, limit=page_size)

        rows = (
            every_row(fetch, on_page)
            if at_once <= 1
            else every_row_in_parallel(fetch, _identity, on_page, at_once=at_once, on_note=on_note)
        )
        async for row in rows:
            yield row


def _identity(row: AnyContents) -> int:
    return row.identity


ProductPrices = ListContents[ProductPrice]
ProductStocks = ListContents[ProductStock]
