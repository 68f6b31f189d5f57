"""What can go wrong talking to Omnitron, in words a merchandiser can act on.

Every exception's `str()` is a sentence fit for a message box. None of them ever
holds the token or request headers.
"""

from __future__ import annotations

from typing import Any

from omnidesk.i18n import _, n_, number

from .contract import NO_ERROR_CODE, error_code_key, is_error_code


class OmnitronError(Exception):
    """Base of every error the client raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationFailed(OmnitronError):
    """The server refused the data (400). Field errors belong under their fields."""

    def __init__(
        self,
        field_errors: dict[str, list[str]] | None = None,
        non_field_errors: list[str] | None = None,
        error_code: str | None = None,
    ) -> None:
        self.field_errors = field_errors or {}
        self.non_field_errors = non_field_errors or []
        self.error_code = error_code
        # Which key carried the code (V1): "error_code", "code", or "none"; for
        # `omnidesk doctor`, which tells a person which envelope their server speaks.
        self.envelope = NO_ERROR_CODE
        super().__init__(self._summary())

    def _summary(self) -> str:
        parts = list(self.non_field_errors)
        parts += [
            f"{field.replace('_', ' ')}: {' '.join(messages)}"
            for field, messages in self.field_errors.items()
        ]
        return " ".join(parts) or _("The server refused the data.")

    @classmethod
    def from_body(cls, body: Any) -> ValidationFailed:
        """Either envelope (V1): ``error_code`` or ``code``; every message a string or a list.

        ``{"name": [...], "code": "unique"}`` has an error code; ``{"code": [...]}`` is
        an error on the list's code field (see contract.is_error_code).
        """
        if not isinstance(body, dict):
            return cls(non_field_errors=[str(body)] if body else [])
        field_errors: dict[str, list[str]] = {}
        non_field: list[str] = []
        error_code = error_code_of(body)
        for key, value in body.items():
            if key == "error_code" or (key == "code" and is_error_code(value)):
                continue
            messages = _as_messages(value)
            if key in ("non_field_errors", "detail"):
                non_field += messages
            else:
                field_errors[key] = messages
        refused = cls(field_errors, non_field, error_code)
        refused.envelope = error_code_key(body)
        return refused


def error_code_of(body: Any) -> str | None:
    """The error code of either envelope (V1), or None."""
    key = error_code_key(body)
    return None if key == NO_ERROR_CODE else str(body[key])


def _as_messages(value: Any) -> list[str]:
    if isinstance(value, list):
        return [message for item in value for message in _as_messages(item)]
    if isinstance(value, dict):
        # Nested serializer errors: flatten as "inner: message".
        return [
            f"{key}: {message}" for key, inner in value.items() for message in _as_messages(inner)
        ]
    return [str(value)]


class AuthenticationRequired(OmnitronError):
    """401: no token, or the token is unknown or expired. Sign in again, then repeat."""

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__(_("Your session has ended. Sign in again to continue."))


class PermissionDenied(OmnitronError):
    """403: the account may not do this (authority groups). ``refused`` is the sentence
    saying what was refused ("Your account may not change this price list."), whole and
    translated by whoever knows what was asked (client.py); the server's ``detail`` is kept
    for the log."""

    def __init__(self, detail: str = "", refused: str | None = None) -> None:
        self.detail = detail
        self.refused = refused
        said = refused or _("Your account is not allowed to do this.")
        ask = _("Ask an Omnitron administrator for access.")
        super().__init__(f"{said} {ask}")


class TwoFactorRequired(OmnitronError):
    """The password was right and the account also needs its 6-digit code (TOTP, V5).

    Not a failure: the client waits for ``verify_code`` with the code the person reads
    from their authenticator app.
    """

    def __init__(self) -> None:
        super().__init__(
            _("This account also needs the 6-digit code from your authenticator app to sign in.")
        )


class CodeRefused(OmnitronError):
    """The server did not accept the 6-digit code: mistyped, or its 30 seconds are over."""

    def __init__(self, server_said: str = "") -> None:
        self.server_said = server_said
        super().__init__(
            _(
                "That code was not accepted: it may be mistyped or already expired. "
                "Enter the code your authenticator app shows now."
            )
        )


class NotFound(OmnitronError):
    """404. ``message`` is the whole sentence naming what is missing ("That price list was
    not found on the server. …"), from whoever knows what was asked (client.py)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message or _("That item was not found on the server. It may have been deleted.")
        )


class SignInNotFound(NotFound):
    """404 from the sign-in address: not an Omnitron server's root, often one ending in /api/…

    "Not found … may have been deleted" would send the person looking for a lost
    account; what is wrong is the address.
    """

    def __init__(self, base_url: str) -> None:
        OmnitronError.__init__(
            self,
            _(
                "No Omnitron sign-in answers at {address}. Give the server's address "
                "without /api/…, like https://acme.omnitron.example"
            ).format(address=base_url),
        )


class ServerError(OmnitronError):
    """5xx (or 429 after waiting): the server failed, not the person's data."""

    def __init__(self, status: int, excerpt: str = "") -> None:
        self.status = status
        if status == 429:
            text = _("The server is busy and asked us to slow down. Try again in a minute.")
        elif status in (502, 503, 504):
            text = _(
                "The server is temporarily unavailable (HTTP {status}). Try again in a moment."
            ).format(status=status)
        else:
            text = _(
                "The server had a problem (HTTP {status}). Try again; if it keeps "
                "happening, tell your Omnitron administrator."
            ).format(status=status)
        if excerpt:
            text += " " + _("It said: {excerpt}").format(excerpt=excerpt)
        super().__init__(text)


class ServerUnreachable(OmnitronError):
    """No answer: DNS, refused connection, timeout, TLS."""

    def __init__(self, message: str, *, maybe_applied: bool = False) -> None:
        # True when a change was sent but its answer never came: it may have been saved.
        self.maybe_applied = maybe_applied
        super().__init__(message)


class ImportStatusUnclear(OmnitronError):
    """Following stopped: for too long the server's answers about the job did not say
    how it is going (a status word the client does not know, or no progress figure)."""

    def __init__(self, noun: str, word: str, minutes: float) -> None:
        self.word = word
        count = round(minutes)
        if word and minutes >= 2:
            text = n_(
                "OmniDesk cannot tell how this import is going: the server's answers (it says "
                "“{word}”) are not ones it understands, so it stopped following after {count} "
                "minute. Check the {noun} in Omnitron to see whether the changes arrived.",
                "OmniDesk cannot tell how this import is going: the server's answers (it says "
                "“{word}”) are not ones it understands, so it stopped following after {count} "
                "minutes. Check the {noun} in Omnitron to see whether the changes arrived.",
                count,
            )
        elif word:
            text = _(
                "OmniDesk cannot tell how this import is going: the server's answers (it says "
                "“{word}”) are not ones it understands, so it stopped following after a while. "
                "Check the {noun} in Omnitron to see whether the changes arrived."
            )
        elif minutes >= 2:
            text = n_(
                "OmniDesk cannot tell how this import is going: the server's answers are not "
                "ones it understands, so it stopped following after {count} minute. Check the "
                "{noun} in Omnitron to see whether the changes arrived.",
                "OmniDesk cannot tell how this import is going: the server's answers are not "
                "ones it understands, so it stopped following after {count} minutes. Check the "
                "{noun} in Omnitron to see whether the changes arrived.",
                count,
            )
        else:
            text = _(
                "OmniDesk cannot tell how this import is going: the server's answers are not "
                "ones it understands, so it stopped following after a while. Check the {noun} "
                "in Omnitron to see whether the changes arrived."
            )
        super().__init__(text.format(word=word, count=number(count), noun=noun))


class UnexpectedResponse(OmnitronError):
    """The server answered something we do not understand (HTML, broken JSON, wrong shape)."""

    def __init__(self, what: str, status: int | None = None) -> None:
        """``what``: what came, in words ending with their full stop ("a page without a
        count of results.")."""
        self.status = status
        text = (
            _("The server answered with something unexpected (HTTP {status}): {what}")
            if status
            else _("The server answered with something unexpected: {what}")
        )
        super().__init__(text.format(status=status, what=what))


class PagingBroken(OmnitronError):
    """Asked for the next page, the server (or a cache before it) sent one already seen:
    the rest of the rows cannot be read, and what was read is not the whole."""

    def __init__(self, page: int) -> None:
        self.page = page
        super().__init__(
            _(
                "The server sent the same rows again when asked for page {page}, so the rest "
                "cannot be read: a cache or proxy between you and the server may be ignoring "
                "the page number. Nothing was compared or changed; ask your Omnitron "
                "administrator to check it."
            ).format(page=page)
        )
