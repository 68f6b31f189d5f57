"""A seeded sandbox on a free loopback port, shared by the tests of this folder.

Tests that create lists give them unique names, so they do not depend on order.
Tests that turn a fault knob on get it turned off again by the `faults` fixture.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from omnidesk.sandbox import Faults, SandboxServer


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    with SandboxServer(
        tmp_path_factory.mktemp("sandbox") / "omnitron.sqlite3", seed=True
    ) as server:
        yield server


@pytest.fixture(scope="session")
def token(sandbox: SandboxServer) -> str:
    answer = httpx.post(
        f"{sandbox.url}/api/v1/auth/login/", json={"username": "demo", "password": "demo"}
    )
    assert answer.status_code == 200
    key: str = answer.json()["key"]
    return key


@pytest.fixture
def api(sandbox: SandboxServer, token: str) -> Iterator[httpx.Client]:
    """A signed-in HTTP client whose paths start after /api/v1."""
    with httpx.Client(
        base_url=f"{sandbox.url}/api/v1", headers={"Authorization": f"Token {token}"}
    ) as client:
        yield client


@pytest.fixture
def anonymous(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.url}/api/v1") as client:
        yield client


@pytest.fixture
def faults(sandbox: SandboxServer) -> Iterator[Faults]:
    """The running sandbox's fault knobs; all off again after the test."""
    yield sandbox.faults
    sandbox.faults.latency_ms = 0
    sandbox.faults.fail_rate = 0.0
    sandbox.faults.token_ttl = None
    sandbox.faults.import_rows_per_second = None
