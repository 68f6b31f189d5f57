"""Reading what a server sends, whatever its variant: statuses, identities, decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from omnidesk.api import ImportState, ImportStatus, ProductPrice, StockList, UnexpectedResponse


@pytest.mark.parametrize(
    ("body", "state", "finished", "percent", "counted"),
    [
        ({"status": "SUCCESS", "created": 3}, ImportState.SUCCESS, True, 100, {"created"}),
        ({"status": "started"}, ImportState.PROGRESS, False, None, set()),
        ({"status": "RETRY", "progress": 140}, ImportState.PROGRESS, False, 100, set()),
        ({"status": "revoked"}, ImportState.FAILURE, True, None, set()),
        ({"status": "QUEUED", "processed": 5, "total": 20}, ImportState.UNKNOWN, False, 25,
         {"processed", "total"}),
        ({"status": 7, "total": "many"}, ImportState.UNKNOWN, False, None, set()),
        ({}, ImportState.UNKNOWN, False, None, set()),
    ],
)  # fmt: skip
def test_a_status_is_read_with_every_field_optional(
    body: dict[str, object],
    state: ImportState,
    finished: bool,
    percent: int | None,
    counted: set[str],
) -> None:
    status = ImportStatus.from_json(body, "the-key")
    assert status.cache_key == "the-key"
    assert status.state is state
    assert status.finished is finished
    assert status.percent == percent
    assert status.counted == counted
    assert status.total >= 0  # a number for everyone who adds it up, 0 when not said
    assert status.measurable is (finished or (status.known and percent is not None))


def test_identity_is_read_as_pk_or_id() -> None:
    stock_list = {
        "name": "A", "code": None, "is_auto_sync": True,
        "created_date": "2025-12-01T10:06:49.737Z", "modified_date": "2025-12-01T10:06:49.737Z",
    }  # fmt: skip
    assert StockList.from_json({"pk": 7, **stock_list}).pk == 7
    assert StockList.from_json({"id": 7, **stock_list}).pk == 7
    with pytest.raises(UnexpectedResponse, match="stock list"):
        StockList.from_json(stock_list)


def test_decimals_sent_as_numbers_keep_their_digits() -> None:
    row = {"pk": 1, "product": 3, "price_list": 1, "currency_type": "try"}
    for sent, kept in ((10, "10"), (10.5, "10.5"), (0.1, "0.1"), (1234567.89, "1234567.89")):
        price = ProductPrice.from_json({**row, "price": sent, "retail_price": sent})
        assert price.price == Decimal(kept)
        assert str(price.price) == kept  # never the float's binary expansion
        assert price.product_sku is None  # a v1 row: the client fills it in
