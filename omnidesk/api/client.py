"""OmnitronClient: everything the app and the command line ask of Omnitron.

async with OmnitronClient("https://acme.omnitron.example") as client:
    await client.login("ayse", "…")
    page = await client.price_lists.list(name="outlet")
    async for price in client.product_prices.iterate(page.results[0].pk):
        ...
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, Unpack

import httpx

from omnidesk import kinds
from omnidesk.i18n import N_, _
from omnidesk.kinds import ListKind

from . import contract, polling
from .adapter import ordered_page
from .catalogue import Catalogue, Products
from .contract import API_PREFIX, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from .errors import (
    CodeRefused,
    NotFound,
    SignInNotFound,
    TwoFactorRequired,
    UnexpectedResponse,
    ValidationFailed,
)
from .facts import FactsKeeper, Learned, ServerFacts
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
from .skus import SkuFinder
from .tls import ssl_context
from .transport import DEADLINE, OnRetry, RetryPolicy, Sleep, Transport
from .upload import FileUpload, ProgressCallback

DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=8.0)

T = TypeVar("T")
# Covariant: the lists of one kind are lists of any kind (ListResource[AnyList]).
L = TypeVar("L", bound=AnyList, covariant=True)
C = TypeVar("C", bound=AnyContents, covariant=True)


class _Secret:
    """Holds the token so that no repr, log line or traceback can show it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<token hidden>"


@dataclass(frozen=True)
class Refusals:
    """What a 403 says the account may not do, one kind's lists at a time. Whole sentences
    (marked here, translated when said): a language may need the list's name in another
    case after each verb ("fiyat listesini değiştirme"), which a {noun} could not give."""

    see_lists: str
    see_list: str
    create: str
    change: str
    import_into: str
    follow_imports: str
    see_contents: str


REFUSALS: dict[ListKind, Refusals] = {
    ListKind.PRICE: Refusals(
        see_lists=N_("Your account may not see price lists."),
        see_list=N_("Your account may not see this price list."),
        create=N_("Your account may not create price lists."),
        change=N_("Your account may not change this price list."),
        import_into=N_("Your account may not import into this price list."),
        follow_imports=N_("Your account may not follow imports into this price list."),
        see_contents=N_("Your account may not see the prices of this price list."),
    ),
    ListKind.STOCK: Refusals(
        see_lists=N_("Your account may not see stock lists."),
        see_list=N_("Your account may not see this stock list."),
        create=N_("Your account may not create stock lists."),
        change=N_("Your account may not change this stock list."),
        import_into=N_("Your account may not import into this stock list."),
        follow_imports=N_("Your account may not follow imports into this stock list."),
        see_contents=N_("Your account may not see the stock rows of this stock list."),
    ),
}


class ListResource(Generic[L]):
    """The lists of one kind: find, read, create, change, and import spreadsheets into."""

    def __init__(self, client: OmnitronClient, kind: ListKind, parse: Callable[[Any], L]) -> None:
        self._client = client
        self.kind = kind
        self.parse = parse  # the answer's JSON as a list of this kind
        entry = kinds.info(kind)
        self.fields = LIST_FIELDS | ({"currency"} if entry.has_currency else set())
        self.refusals = REFUSALS[kind]
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
        return ImportStatus.from_json(body, cache_key)

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

    def __init__(self, client: OmnitronClient, kind: ListKind, parse: Callable[[Any], C]) -> None:
        self._client = client
        self.kind = kind
        self.parse = parse  # one row's JSON as a price or a stock
        entry = kinds.info(kind)
        self.path = entry.contents_path
        self.list_param = entry.contents_list_param
        self.refusals = REFUSALS[kind]

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


class OmnitronClient:
    """An async client for one Omnitron server. Use it as an async context manager."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        verify: bool | str | ssl.SSLContext = True,
        ca_file: str | Path | None = None,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        facts: FactsKeeper | None = None,
        on_retry: OnRetry | None = None,
        deadline: float = DEADLINE,
    ) -> None:
        """``verify`` True trusts the system's authorities, certifi's and ``ca_file``'s
        (tls.py); ``on_retry`` hears of each request sent again, to say "retrying";
        ``deadline`` bounds each call, all its attempts and waits included."""
        # Every wait (retry backoff, import polling) goes through `sleep`, so tests can
        # watch the pauses without patching asyncio for everybody.
        self.sleep = sleep
        self.base_url = base_url.rstrip("/")
        self._token = _Secret(token) if token else None
        self._waiting_for_code: _Secret | None = None  # a sign-in's temp_token (V5)
        # What this server has shown of itself, kept by `facts` between runs.
        self.learned = Learned(self.base_url, facts)
        self.skus = SkuFinder(self._request, self.learned)
        # Every SKU a file brings, looked up in as few requests as can be (catalogue.py).
        self.catalogue = Catalogue(self._request, self.skus.remember)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=timeout,
            verify=ssl_context(ca_file) if verify is True else verify,
            # Pages read in parallel (each with its i1 twin) keep their connections.
            limits=httpx.Limits(max_keepalive_connections=4 * PAGES_AT_ONCE),
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "OmniDesk"},
        )
        self._transport = Transport(
            self._http, retry or RetryPolicy(), sleep=sleep, deadline=deadline
        )
        self._transport.on_retry = on_retry
        self.price_lists = ListResource(self, ListKind.PRICE, PriceList.from_json)
        self.stock_lists = ListResource(self, ListKind.STOCK, StockList.from_json)
        self.product_prices = ListContents(self, ListKind.PRICE, ProductPrice.from_json)
        self.product_stocks = ListContents(self, ListKind.STOCK, ProductStock.from_json)
        self.products = Products(self._request, self.learned)
        lists: tuple[ListResource[AnyList], ...] = (self.price_lists, self.stock_lists)
        self._lists = {resource.kind: resource for resource in lists}
        contents: tuple[ListContents[AnyContents], ...] = (self.product_prices, self.product_stocks)
        self._contents = {resource.kind: resource for resource in contents}

    def lists(self, kind: ListKind) -> ListResource[AnyList]:
        """The lists of that kind; KeyError for a kind the registry does not have."""
        return self._lists[kind]

    def contents(self, kind: ListKind) -> ListContents[AnyContents]:
        """The rows (prices or stocks) of lists of that kind."""
        return self._contents[kind]

    def __repr__(self) -> str:
        state = "signed in" if self._token else "signed out"
        return f"OmnitronClient({self.base_url!r}, {state})"

    async def __aenter__(self) -> OmnitronClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def on_retry(self) -> OnRetry | None:
        """Told of each request about to be sent again (Retrying.message says so in words)."""
        return self._transport.on_retry

    @on_retry.setter
    def on_retry(self, listener: OnRetry | None) -> None:
        self._transport.on_retry = listener

    @property
    def signed_in(self) -> bool:
        return self._token is not None

    @property
    def facts(self) -> ServerFacts:
        """What the client has learned of the server's variants so far."""
        return self.learned.facts

    @property
    def waiting_for_code(self) -> bool:
        """Whether a sign-in is waiting for the person's 6-digit code (verify_code)."""
        return self._waiting_for_code is not None

    @property
    def token(self) -> str | None:
        """The token, for the keyring. Never log it."""
        return self._token.reveal() if self._token else None

    async def login(self, username: str, password: str) -> str:
        """Sign in; the token is kept for every later request and returned for the keyring.

        An account with two-factor sign-in (V5) raises TwoFactorRequired: ask the person
        for the code and give it to ``verify_code``.
        """
        self._waiting_for_code = None
        try:
            body = await self._request(
                "POST",
                contract.LOGIN_PATH,
                json_body={"username": username, "password": password},
                authenticated=False,
                changes=False,  # a lost answer to a sign-in saved nothing
            )
        except (NotFound, UnexpectedResponse) as problem:
            # Omnitron always answers its sign-in, so a 404 (JSON or a web server's page)
            # means the address is not the server's root.
            if isinstance(problem, UnexpectedResponse) and problem.status != 404:
                raise
            raise SignInNotFound(self.base_url) from None
        if isinstance(body, dict) and isinstance(body.get("key"), str):
            return self._keep(body["key"])
        if isinstance(body, dict) and isinstance(body.get("temp_token"), str):
            self._waiting_for_code = _Secret(body["temp_token"])
            raise TwoFactorRequired
        raise UnexpectedResponse(_("a sign-in answer without a token."))

    async def verify_code(self, code: str) -> str:
        """The second step of a two-factor sign-in: the code, which is never kept.

        A refused code raises CodeRefused and the sign-in still waits for a code, so
        the person can type the next one; signing in again starts over.
        """
        waiting = self._waiting_for_code
        if waiting is None:
            raise RuntimeError("no sign-in is waiting for a code; call login() first")
        digits = "".join(code.split())
        if len(digits) != contract.TOTP_DIGITS or not digits.isdigit():
            raise CodeRefused()
        try:
            body = await self._request(
                "POST",
                contract.TOTP_VERIFY_PATH,
                json_body={"temp_token": waiting.reveal(), "token": digits},
                authenticated=False,
                changes=False,
            )
        except ValidationFailed as refused:
            raise CodeRefused(str(refused)) from None
        if not isinstance(body, dict) or not isinstance(body.get("key"), str):
            raise UnexpectedResponse(_("a sign-in answer without a token."))
        self._waiting_for_code = None
        return self._keep(body["key"])

    def _keep(self, key: str) -> str:
        self._token = _Secret(key)
        return key

    def sign_out(self) -> None:
        self._token = None
        self._waiting_for_code = None

    async def _request(
        self,
        method: str,
        path: str,
        *,
        authenticated: bool = True,
        headers: dict[str, str] | None = None,
        **options: Any,
    ) -> Any:
        all_headers = dict(headers or {})
        if authenticated and self._token is not None:
            all_headers["Authorization"] = f"Token {self._token.reveal()}"
        return await self._transport.request(method, path, headers=all_headers, **options)
