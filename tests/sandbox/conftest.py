"""Plain HTTP clients for the shared sandbox (its fixture is in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from omnidesk.sandbox import SandboxServer


@pytest.fixture(scope="session")
def token(sandbox: SandboxServer) -> str:
    answer = httpx.post(
        f"{sandbox.url}/api/v1/auth/login/", json={"username": "demo", "password": "demo"}
    )
    assert answer.status_code == 200
    key: str = answer.json()["key"]
    return key


def signed_in(sandbox: SandboxServer, token: str, prefix: str) -> httpx.Client:
    return httpx.Client(
        base_url=f"{sandbox.url}{prefix}", headers={"Authorization": f"Token {token}"}
    )


@pytest.fixture
def api(sandbox: SandboxServer, token: str) -> Iterator[httpx.Client]:
    """A signed-in HTTP client whose paths start after /api/v1."""
    with signed_in(sandbox, token, "/api/v1") as client:
        yield client


@pytest.fixture
def i1(sandbox: SandboxServer, token: str) -> Iterator[httpx.Client]:
    """The same, for /api/i1: the shape whose rows carry product_sku [doc]."""
    with signed_in(sandbox, token, "/api/i1") as client:
        yield client


@pytest.fixture
def anonymous(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.url}/api/v1") as client:
        yield client
