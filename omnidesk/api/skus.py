"""Every product price and stock the client returns carries its SKU (V3).

v1 rows name their product by pk, not by SKU [doc]. The SKU comes from, in turn:
the v1 row itself (a server that adds it), the i1 row of the same pk (i1 carries
``product_sku`` [doc]; asked for alongside the v1 page, so it costs no extra
wait), or the catalogue, ``/products/?pk__in=…`` in batches. Which one answers
is a fact of the server (facts.py); SKUs found are kept for the client's life.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from omnidesk.i18n import _

from . import contract
from .adapter import note_page_size
from .catalogue import look_up_refused
from .contract import API_PREFIX, I1_PREFIX, PRODUCTS_PATH
from .errors import (
    AuthenticationRequired,
    NotFound,
    PermissionDenied,
    UnexpectedResponse,
)
from .facts import Learned
from .models import AnyContents, Page, Product

C = TypeVar("C", bound=AnyContents)
Request = Callable[..., Awaitable[Any]]  # OmnitronClient._request

# What an i1 that is not there, or not open to this account, answers: v1 alone then.
I1_UNAVAILABLE = (NotFound, UnexpectedResponse, PermissionDenied, AuthenticationRequired)


class SkuFinder:
    def __init__(self, request: Request, learned: Learned) -> None:
        self._request = request
        self.learned = learned
        self._sku_of: dict[int, str] = {}  # product pk → SKU
        self._pk_of: dict[str, int] = {}  # SKU → product pk

    def remember(self, products: Iterable[Product]) -> None:
        for product in products:
            self._sku_of[product.pk] = product.sku
            self._pk_of[product.sku] = product.pk

    async def product_pk(self, sku: str) -> int | None:
        """The pk of the product with exactly this SKU, or None if the catalogue has none."""
        if sku in self._pk_of:
            return self._pk_of[sku]
        body = await self._request(
            "GET", PRODUCTS_PATH, params={"sku": sku, "limit": 10}, refused=look_up_refused()
        )
        page = Page.from_json(body, Product.from_json, page=1, limit=10)
        # A server whose sku filter means "contains" answers more: only the exact one counts.
        self.remember(page.results)
        return self._pk_of.get(sku)

    async def page(
        self,
        path: str,
        params: dict[str, Any],
        parse: Callable[[Any], C],
        *,
        page: int,
        limit: int,
        refused: str,
        sku: str | None = None,
    ) -> Page[C]:
        """One page of v1 rows at ``path`` (after /api/v1), each with its SKU.

        ``sku``: the page is of that product only (filtered by its pk), so its rows
        need no lookup.
        """
        source = self.learned.facts.sku_source
        ask_i1 = sku is None and source not in (contract.SKUS_FROM_V1, contract.SKUS_FROM_PRODUCTS)
        v1 = self._request("GET", f"{API_PREFIX}{path}", params=params, refused=refused)
        if ask_i1:
            i1 = self._request("GET", f"{I1_PREFIX}{path}", params=params, refused=refused)
            body, from_i1 = await asyncio.gather(v1, i1, return_exceptions=True)
            if isinstance(body, BaseException):
                raise body
        else:
            body, from_i1 = await v1, None
        result = Page.from_json(body, parse, page=page, limit=limit)
        note_page_size(self.learned, result)
        rows = result.results
        if sku is not None:
            return dataclasses.replace(result, results=[_with_sku(row, sku) for row in rows])
        if rows and all(row.product_sku for row in rows):
            self.learned.learn(sku_source=contract.SKUS_FROM_V1)
            return result
        if source == contract.SKUS_FROM_V1 and rows:
            self.learned.learn(sku_source=None)  # the v1 rows stopped carrying SKUs
        if from_i1 is not None:
            rows = self._from_i1(rows, from_i1)
        rows = await self._from_catalogue(rows)
        return dataclasses.replace(result, results=rows)

    def _from_i1(self, rows: list[C], answer: Any) -> list[C]:
        if isinstance(answer, I1_UNAVAILABLE):
            self.learned.learn(sku_source=contract.SKUS_FROM_PRODUCTS)
            return rows
        if isinstance(answer, BaseException):
            return rows  # a passing failure (503, a lost connection): the catalogue, this once
        skus = _i1_skus(answer)
        if rows and not skus:
            self.learned.learn(sku_source=contract.SKUS_FROM_PRODUCTS)  # i1 without SKUs
            return rows
        if skus:
            self.learned.learn(sku_source=contract.SKUS_FROM_I1)
        return [_with_sku(row, skus[row.identity]) if row.identity in skus else row for row in rows]

    async def _from_catalogue(self, rows: list[C]) -> list[C]:
        wanted = {row.product for row in rows if not row.product_sku and row.product is not None}
        await self.look_up(wanted - self._sku_of.keys())
        return [
            _with_sku(row, self._sku_of[row.product])
            if not row.product_sku and row.product in self._sku_of
            else row
            for row in rows
        ]

    async def look_up(self, product_pks: Iterable[int]) -> None:
        """Learn the SKUs of these products: by pk__in in batches, a few at once."""
        wanted = sorted(set(product_pks))
        if not wanted:
            return
        gate = asyncio.Semaphore(contract.LOOKUPS_AT_ONCE)
        size = contract.PRODUCTS_PER_LOOKUP

        async def batch(pks: list[int]) -> None:
            async with gate:
                await self._batch(pks)

        await asyncio.gather(*(batch(wanted[at : at + size]) for at in range(0, len(wanted), size)))
        missing = [pk for pk in wanted if pk not in self._sku_of]
        if missing:  # a server that ignores pk__in: one by one, the catalogue's detail
            await asyncio.gather(*(self._one(pk, gate) for pk in missing))

    async def _batch(self, pks: list[int]) -> None:
        number = 1
        while True:
            params = {"pk__in": ",".join(map(str, pks)), "limit": len(pks), "page": number}
            body = await self._request(
                "GET", PRODUCTS_PATH, params=params, refused=look_up_refused()
            )
            page = Page.from_json(body, Product.from_json, page=number, limit=len(pks))
            self.remember(page.results)
            # More products than asked for: the filter was ignored; walking them all
            # would read the whole catalogue.
            if page.count > len(pks) or not page.has_next or not page.results:
                return
            number += 1  # a page cap under the batch size (V4)

    async def _one(self, pk: int, gate: asyncio.Semaphore) -> None:
        async with gate:
            try:
                body = await self._request(
                    "GET",
                    f"{PRODUCTS_PATH}{pk}/",
                    not_found=_(
                        "That product was not found on the server. It may have been deleted."
                    ),
                    refused=look_up_refused(),
                )
            except NotFound:
                return  # gone from the catalogue: the row shows its product pk
        self.remember([Product.from_json(body)])


def _i1_skus(answer: Any) -> dict[int, str]:
    """Row pk → SKU from an i1 page; rows without either are left out."""
    results = answer.get("results") if isinstance(answer, dict) else None
    skus: dict[int, str] = {}
    for item in results if isinstance(results, list) else ():
        try:
            pk = contract.identity_of(item)
        except (KeyError, TypeError, ValueError):
            continue
        sku = item.get("product_sku")
        if sku not in (None, ""):
            skus[pk] = str(sku)
    return skus


def _with_sku(row: C, sku: str) -> C:
    # What dataclasses.replace gives, without its checks: for 100,000 rows of a list,
    # a second of the comparison's time.
    copied: C = object.__new__(type(row))
    vars(copied).update(vars(row), product_sku=sku)
    return copied
