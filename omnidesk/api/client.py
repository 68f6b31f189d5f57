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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from omnidesk.i18n import N_, _
from omnidesk.kinds import ListKind

from . import contract
from .catalogue import Catalogue, Products
from .errors import (
    CodeRefused,
    NotFound,
    SignInNotFound,
    TwoFactorRequired,
    UnexpectedResponse,
    ValidationFailed,
)
from .facts import FactsKeeper, Learned, ServerFacts
from .models import (
    AnyContents,
    AnyList,
    PriceList,
    ProductPrice,
    ProductStock,
    StockList,
)
from .paging import PAGES_AT_ONCE
from .resources import ListContents, ListResource
from .skus import SkuFinder
from .tls import ssl_context
from .transport import DEADLINE, OnRetry, RetryPolicy, Sleep, Transport

DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=8.0)


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


class _Secret:
    """Holds the token so that no repr, log line or traceback can show it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<token hidden>"


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
            verify=ssl_context(ca_file, url=self.base_url) if verify is True else verify,
            # Pages read in parallel (each with its i1 twin) keep their connections.
            limits=httpx.Limits(max_keepalive_connections=4 * PAGES_AT_ONCE),
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "OmniDesk"},
        )
        self._transport = Transport(
            self._http, retry or RetryPolicy(), sleep=sleep, deadline=deadline
        )
        self._transport.on_retry = on_retry
        self.price_lists = ListResource(
            self, ListKind.PRICE, PriceList.from_json, REFUSALS[ListKind.PRICE]
        )
        self.stock_lists = ListResource(
            self, ListKind.STOCK, StockList.from_json, REFUSALS[ListKind.STOCK]
        )
        self.product_prices = ListContents(
            self, ListKind.PRICE, ProductPrice.from_json, REFUSALS[ListKind.PRICE]
        )
        self.product_stocks = ListContents(
            self, ListKind.STOCK, ProductStock.from_json, REFUSALS[ListKind.STOCK]
        )
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
