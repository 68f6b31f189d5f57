"""OmnitronClient: everything the app and the command line ask of Omnitron.

async with OmnitronClient("https://acme.omnitron.example") as client:
    await client.login("ayse", "…")
    page = await client.price_lists.list(name="outlet")
    async for price in client.product_prices.iterate(page.results[0].pk):
        ...
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

import httpx

from . import contract
from .contract import API_PREFIX, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ListKind
from .errors import NotFound, SignInNotFound, UnexpectedResponse
from .models import (
    ImportStatus,
    Page,
    PriceList,
    Product,
    ProductPrice,
    ProductStock,
    StockList,
)
from .transport import RetryPolicy, Sleep, Transport
from .upload import FileUpload, ProgressCallback

DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=8.0)

T = TypeVar("T")
L = TypeVar("L", PriceList, StockList)
C = TypeVar("C", ProductPrice, ProductStock)


class _Secret:
    """Holds the token so that no repr, log line or traceback can show it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<token hidden>"


async def _every_row(
    fetch: Callable[[int], Awaitable[Page[T]]],
) -> AsyncIterator[T]:
    page_number = 1
    while True:
        page = await fetch(page_number)
        for row in page.results:
            yield row
        if not page.has_next or not page.results:
            return
        page_number += 1


class _ListResource(Generic[L]):
    kind: ListKind
    model: type[L]
    fields: frozenset[str]
    what: str

    def __init__(self, client: OmnitronClient) -> None:
        self._client = client

    def _path(self, pk: int | None = None) -> str:
        base = f"{API_PREFIX}/{self.kind.value}/"
        return base if pk is None else f"{base}{pk}/"

    async def list(
        self,
        *,
        name: str | None = None,
        code: str | None = None,
        code_exact: str | None = None,
        is_auto_sync: bool | None = None,
        created_after: date | datetime | None = None,
        created_before: date | datetime | None = None,
        ordering: str | None = None,
        page: int = 1,
        limit: int = DEFAULT_PAGE_SIZE,
    ) -> Page[L]:
        """One page of lists matching every given filter (name and code: contains)."""
        params: dict[str, Any] = {"page": page, "limit": limit}
        if name:
            params["name"] = name
        if code:
            params["code"] = code
        if code_exact is not None:
            params["code__exact"] = code_exact
        if is_auto_sync is not None:
            params["is_auto_sync"] = contract.boolean_param(is_auto_sync)
        params |= contract.created_date_params(created_after, created_before)
        params |= contract.ordering_param(ordering)
        body = await self._client._request("GET", self._path(), params=params)
        return Page.from_json(body, self.model.from_json, page=page, limit=limit)

    async def iterate(
        self,
        *,
        name: str | None = None,
        code: str | None = None,
        code_exact: str | None = None,
        is_auto_sync: bool | None = None,
        created_after: date | datetime | None = None,
        created_before: date | datetime | None = None,
        ordering: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> AsyncIterator[L]:
        """Every list matching the filters, page after page."""

        def fetch(page: int) -> Awaitable[Page[L]]:
            return self.list(
                name=name,
                code=code,
                code_exact=code_exact,
                is_auto_sync=is_auto_sync,
                created_after=created_after,
                created_before=created_before,
                ordering=ordering,
                page=page,
                limit=page_size,
            )

        async for row in _every_row(fetch):
            yield row

    async def get(self, pk: int) -> L:
        body = await self._client._request("GET", self._path(pk), what=self.what)
        return self.model.from_json(body)

    def _checked(self, fields: dict[str, Any]) -> dict[str, Any]:
        unknown = set(fields) - self.fields
        if unknown:
            raise TypeError(f"{self.what} has no field {', '.join(sorted(unknown))}")
        return fields

    async def create(self, **fields: Any) -> L:
        """POST a new list; sent once, never repeated after it may have reached the server."""
        body = await self._client._request("POST", self._path(), json_body=self._checked(fields))
        return self.model.from_json(body)

    async def update(self, pk: int, **changes: Any) -> L:
        """PATCH only the given fields."""
        body = await self._client._request(
            "PATCH", self._path(pk), json_body=self._checked(changes), what=self.what
        )
        return self.model.from_json(body)

    async def upload(
        self, pk: int, path: str | Path, on_progress: ProgressCallback | None = None
    ) -> str:
        """Send a spreadsheet for import; returns the cache key to follow the job with."""
        upload = FileUpload(Path(path), on_progress=on_progress)
        body = await self._client._request(
            "POST",
            contract.import_path(self.kind, pk),
            content=upload.chunks,
            headers=upload.headers,
            what=self.what,
        )
        if not isinstance(body, dict) or not isinstance(body.get("cache_key"), str):
            raise UnexpectedResponse("an upload answer without a cache key.")
        cache_key: str = body["cache_key"]
        return cache_key

    async def import_status(self, pk: int, cache_key: str) -> ImportStatus:
        body = await self._client._request(
            "GET",
            contract.import_path(self.kind, pk),
            params=contract.import_status_params(cache_key),
            what="That import",
        )
        return ImportStatus.from_json(body)

    async def follow_import(
        self,
        pk: int,
        cache_key: str,
        *,
        first_interval: float = 0.25,
        max_interval: float = 3.0,
        growth: float = 1.5,
    ) -> AsyncIterator[ImportStatus]:
        """Each status of the job until it finishes: polled often at first, then less."""
        interval = first_interval
        while True:
            status = await self.import_status(pk, cache_key)
            yield status
            if status.finished:
                return
            await self._client.sleep(interval)
            interval = min(max_interval, interval * growth)


class PriceLists(_ListResource[PriceList]):
    kind = ListKind.PRICE
    model = PriceList
    fields = frozenset({"name", "code", "is_auto_sync", "currency"})
    what = "That price list"


class StockLists(_ListResource[StockList]):
    kind = ListKind.STOCK
    model = StockList
    fields = frozenset({"name", "code", "is_auto_sync"})
    what = "That stock list"


class _ListContents(Generic[C]):
    """The rows of one list: a price list's prices or a stock list's stocks (read-only)."""

    path: str
    list_param: str
    model: Callable[[Any], C]

    def __init__(self, client: OmnitronClient) -> None:
        self._client = client

    async def list(
        self,
        list_pk: int,
        *,
        product_sku: str | None = None,
        page: int = 1,
        limit: int = DEFAULT_PAGE_SIZE,
    ) -> Page[C]:
        params: dict[str, Any] = {self.list_param: list_pk, "page": page, "limit": limit}
        if product_sku:
            params["product__sku"] = product_sku
        body = await self._client._request("GET", f"{API_PREFIX}/{self.path}/", params=params)
        return Page.from_json(body, self.model, page=page, limit=limit)

    async def iterate(
        self, list_pk: int, *, product_sku: str | None = None, page_size: int = MAX_PAGE_SIZE
    ) -> AsyncIterator[C]:
        async for row in _every_row(
            lambda page: self.list(list_pk, product_sku=product_sku, page=page, limit=page_size)
        ):
            yield row


class ProductPrices(_ListContents[ProductPrice]):
    """The prices in a price list."""

    path = "product_price"
    list_param = "price_list"
    model = ProductPrice.from_json


class ProductStocks(_ListContents[ProductStock]):
    """The stock counts in a stock list."""

    path = "product_stock"
    list_param = "stock_list"
    model = ProductStock.from_json


class Products:
    def __init__(self, client: OmnitronClient) -> None:
        self._client = client

    async def list(
        self, *, sku: str | None = None, page: int = 1, limit: int = DEFAULT_PAGE_SIZE
    ) -> Page[Product]:
        params: dict[str, Any] = {"page": page, "limit": limit}
        if sku:
            params["sku"] = sku
        body = await self._client._request("GET", f"{API_PREFIX}/products/", params=params)
        return Page.from_json(body, Product.from_json, page=page, limit=limit)


class OmnitronClient:
    """An async client for one Omnitron server. Use it as an async context manager."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        verify: bool | str = True,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        # Every wait (retry backoff, import polling) goes through `sleep`, so tests can
        # watch the pauses without patching asyncio for everybody.
        self.sleep = sleep
        self.base_url = base_url.rstrip("/")
        self._token = _Secret(token) if token else None
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=timeout,
            verify=verify,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "OmniDesk"},
        )
        self._transport = Transport(self._http, retry or RetryPolicy(), sleep=sleep)
        self.price_lists = PriceLists(self)
        self.stock_lists = StockLists(self)
        self.product_prices = ProductPrices(self)
        self.product_stocks = ProductStocks(self)
        self.products = Products(self)

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
    def signed_in(self) -> bool:
        return self._token is not None

    @property
    def token(self) -> str | None:
        """The token, for the keyring. Never log it."""
        return self._token.reveal() if self._token else None

    async def login(self, username: str, password: str) -> str:
        """Sign in; the token is kept for every later request and returned for the keyring."""
        try:
            body = await self._request(
                "POST",
                f"{API_PREFIX}/auth/login/",
                json_body={"username": username, "password": password},
                authenticated=False,
            )
        except (NotFound, UnexpectedResponse) as problem:
            # Omnitron always answers its sign-in, so a 404 (JSON or a web server's page)
            # means the address is not the server's root.
            if isinstance(problem, UnexpectedResponse) and problem.status != 404:
                raise
            raise SignInNotFound(self.base_url) from None
        if not isinstance(body, dict) or not isinstance(body.get("key"), str):
            raise UnexpectedResponse("a sign-in answer without a token.")
        self._token = _Secret(body["key"])
        return self._token.reveal()

    def sign_out(self) -> None:
        self._token = None

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
