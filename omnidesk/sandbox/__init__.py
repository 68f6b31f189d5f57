"""A local Omnitron-compatible server for the demo and the tests.

It is an independent implementation of the API contract (omnitron-api.md): it
imports nothing from the rest of omnidesk, so the client's tests against it
check the client, not the client against itself.
"""

from .faults import Faults
from .server import SandboxServer

__all__ = ["Faults", "SandboxServer"]
