"""What an authenticator app shows: RFC 6238 codes, written here apart from the sandbox's
own, so that a test signing in with a code checks the sandbox too."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

# The sandbox's fixed secret for two-factor sign-ins, as its README gives it.
SANDBOX_SECRET = "OMNIDESKSANDBOX2"


def code(secret: str = SANDBOX_SECRET, at: float | None = None) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    start = digest[19] & 15
    value = int.from_bytes(digest[start : start + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def wrong_code(secret: str = SANDBOX_SECRET) -> str:
    """Six digits that are not the code now, nor of any step a server could still accept
    (one either side of its own now, which may be a step later than this one)."""
    near = {code(secret, time.time() + 30 * step) for step in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in near)
