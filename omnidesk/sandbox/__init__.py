"""A local Omnitron-compatible server for the demo and the tests.

It is an independent implementation of the API contract (omnitron-api.md): it
imports nothing from the rest of omnidesk, so the client's tests against it
check the client, not the client against itself.
"""

from .dialect import ALL_AT_ONCE, VARIANTS, Dialect
from .faults import Faults
from .server import LIMITED_USER, TWO_FACTOR_USER, SandboxServer

__all__ = [
    "ALL_AT_ONCE",
    "LIMITED_USER",
    "TWO_FACTOR_USER",
    "VARIANTS",
    "Dialect",
    "Faults",
    "SandboxServer",
]
