"""Two-factor sign-in (V5), refused actions (V6) and both error envelopes (V1), by the client."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from omnidesk.api import (
    AuthenticationRequired,
    CodeRefused,
    NotFound,
    OmnitronClient,
    PermissionDenied,
    TwoFactorRequired,
    ValidationFailed,
)
from omnidesk.sandbox import LIMITED_USER, TWO_FACTOR_USER, Dialect, Faults, SandboxServer
from tests import totp
from tests.names import unique

pytestmark = pytest.mark.asyncio


async def test_a_two_factor_sign_in_waits_for_the_code_and_never_keeps_it(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with OmnitronClient(sandbox.url) as client:
        with pytest.raises(TwoFactorRequired) as second_step:
            await client.login(TWO_FACTOR_USER, TWO_FACTOR_USER)
        assert str(second_step.value) == (
            "This account also needs the 6-digit code from your authenticator app to sign in."
        )
        assert client.waiting_for_code
        assert not client.signed_in
        with pytest.raises(CodeRefused) as refused:
            await client.verify_code(totp.wrong_code())
        assert str(refused.value) == (
            "That code was not accepted: it may be mistyped or already expired. "
            "Enter the code your authenticator app shows now."
        )
        with pytest.raises(CodeRefused):
            await client.verify_code(totp.code(at=time.time() - 120))  # its time is over
        with pytest.raises(CodeRefused):
            await client.verify_code("12 34")  # not six digits: not even sent
        assert client.waiting_for_code  # the person may type the next code
        good = totp.code()
        token = await client.verify_code(f" {good[:3]} {good[3:]} ")  # as apps show it
        assert client.signed_in
        assert not client.waiting_for_code
        assert (await client.price_lists.list()).count > 0
        shown = repr(client) + caplog.text + str(vars(client))
    assert token not in shown
    assert good not in shown


async def test_a_code_with_no_sign_in_waiting_is_a_mistake_of_the_caller(
    sandbox: SandboxServer,
) -> None:
    async with OmnitronClient(sandbox.url) as client:
        with pytest.raises(RuntimeError, match="call login"):
            await client.verify_code("123456")


async def test_signing_in_again_after_the_token_expired_asks_for_a_code_again(
    sandbox: SandboxServer, faults: Faults
) -> None:
    async with OmnitronClient(sandbox.url) as client:
        with pytest.raises(TwoFactorRequired):
            await client.login(TWO_FACTOR_USER, TWO_FACTOR_USER)
        await client.verify_code(totp.code())
        faults.token_ttl = 0.0  # every token has expired now
        with pytest.raises(AuthenticationRequired):
            await client.price_lists.list()
        faults.token_ttl = None
        with pytest.raises(TwoFactorRequired):
            await client.login(TWO_FACTOR_USER, TWO_FACTOR_USER)
        await client.verify_code(totp.code())
        assert (await client.price_lists.list()).count > 0


async def test_a_refused_action_is_named_and_nothing_changes(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    async with OmnitronClient(sandbox.url) as client:
        await client.login(LIMITED_USER, LIMITED_USER)
        before = await client.price_lists.get(1)  # reading is allowed
        with pytest.raises(PermissionDenied) as refused:
            await client.price_lists.update(1, currency="usd")
        assert str(refused.value) == (
            "Your account may not change this price list. Ask an Omnitron administrator for access."
        )
        assert refused.value.detail == "You do not have permission to perform this action."
        assert (await client.price_lists.get(1)) == before
        file = tmp_path / "stok.csv"
        file.write_text("product__sku,stock\n2015227,4\n", encoding="utf-8")
        with pytest.raises(PermissionDenied, match="may not import into this stock list"):
            await client.stock_lists.upload(1, file)
        own = await client.stock_lists.create(name=unique("Limited own"), is_auto_sync=False)
        assert (await client.stock_lists.update(own.pk, code="OWN")).code == "OWN"


@pytest.mark.parametrize("envelope", ["error_code", "code"])
async def test_errors_land_on_their_field_in_either_envelope(
    sandbox: SandboxServer, dialect: Dialect, envelope: str
) -> None:
    dialect.set(error_envelope=envelope)
    async with OmnitronClient(sandbox.url) as client:
        await client.login("demo", "demo")
        with pytest.raises(ValidationFailed) as rule:
            await client.price_lists.create(name=unique("Envelope"), is_auto_sync=True)
        assert rule.value.non_field_errors == [
            "PriceList code is required when is_auto_sync is True."
        ]
        assert rule.value.error_code == "product_price_300_2"
        assert rule.value.field_errors == {}
        with pytest.raises(ValidationFailed) as taken:
            await client.price_lists.create(name="Demo Price List")
        assert taken.value.field_errors == {"name": ["price list with this name already exists."]}
        code = unique("ENV").replace(" ", "")
        await client.price_lists.create(name=unique("Envelope"), code=code)
        with pytest.raises(ValidationFailed) as same_code:
            await client.price_lists.create(name=unique("Envelope"), code=code)
        # The list's own "code" field, not an error code, in both envelopes.
        assert same_code.value.field_errors == {
            "code": ["price list with this code already exists."]
        }
        with pytest.raises(NotFound, match="That price list was not found"):
            await client.price_lists.get(987654)
    async with OmnitronClient(sandbox.url) as anonymous:
        with pytest.raises(ValidationFailed) as bad_login:
            await anonymous.login("demo", "wrong")
        assert bad_login.value.non_field_errors == ["Unable to log in with provided credentials."]
