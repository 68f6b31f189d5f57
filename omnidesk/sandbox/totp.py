"""Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits).

What an authenticator app computes from the secret a person scanned; the sandbox
computes the same to check the code sent to /auth/totp/verify/.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

STEP_SECONDS = 30
DIGITS = 6
# One step either side, as most servers allow: a phone's clock a little off, or a code
# typed just as it changed, still counts. Older codes have expired.
ALLOWED_DRIFT = 1


def secret_bytes(secret: str) -> bytes:
    """A base32 secret as apps show it (any case, spaces, no padding) as its bytes."""
    cleaned = "".join(secret.split()).upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def code_at(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226's HOTP value for one counter (dynamic truncation of an HMAC-SHA1)."""
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def code_for(secret: str, moment: float | None = None) -> str:
    """The code an authenticator app shows at `moment` (now by default)."""
    at = time.time() if moment is None else moment
    return code_at(secret_bytes(secret), int(at // STEP_SECONDS))


def is_valid(secret: str, code: str, moment: float | None = None) -> bool:
    at = time.time() if moment is None else moment
    key = secret_bytes(secret)
    step = int(at // STEP_SECONDS)
    return any(
        hmac.compare_digest(code_at(key, step + drift), code)
        for drift in range(-ALLOWED_DRIFT, ALLOWED_DRIFT + 1)
    )
