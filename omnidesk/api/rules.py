"""The documented rules for a list's fields, checked before anything is sent.

The server still decides; these rules let a person see a mistake while typing
instead of after a round trip. Messages are for merchandisers, not for DRF.
"""

from __future__ import annotations

from dataclasses import dataclass

from omnidesk.i18n import _, number
from omnidesk.kinds import ListKind, info

from .contract import CURRENCIES

NAME_MAX_LENGTH = 64  # [doc]
CODE_MAX_LENGTH = 64  # [doc]


@dataclass(frozen=True)
class ListFields:
    name: str
    code: str  # "" means no code
    is_auto_sync: bool
    currency: str | None = None  # lists of a kind with a currency only

    def as_request(self, kind: ListKind) -> dict[str, object]:
        """The body for POST: every field, with an empty code sent as null."""
        body: dict[str, object] = {
            "name": self.name,
            "code": self.code or None,
            "is_auto_sync": self.is_auto_sync,
        }
        if info(kind).has_currency:
            body["currency"] = self.currency
        return body


def check_list_fields(kind: ListKind, fields: ListFields) -> dict[str, str]:
    """Problems by field name ("name", "code", "currency"); empty when all rules hold."""
    problems: dict[str, str] = {}
    if not fields.name.strip():
        problems["name"] = _("A name is required.")
    elif len(fields.name.strip()) > NAME_MAX_LENGTH:
        problems["name"] = _("At most {limit} characters; this name has {count}.").format(
            limit=number(NAME_MAX_LENGTH), count=number(len(fields.name.strip()))
        )
    code = fields.code.strip()
    if len(code) > CODE_MAX_LENGTH:
        problems["code"] = _("At most {limit} characters; this code has {count}.").format(
            limit=number(CODE_MAX_LENGTH), count=number(len(code))
        )
    elif fields.is_auto_sync and not code:
        problems["code"] = _(
            "Auto-sync needs a code: the code is the list's ID in the ERP, and "
            "it is how the ERP finds this list."
        )
    if info(kind).has_currency and fields.currency not in CURRENCIES:
        problems["currency"] = _("Choose a currency from the list.")
    return problems


def changed_fields(kind: ListKind, before: ListFields, after: ListFields) -> dict[str, object]:
    """The PATCH body: only what the person changed (empty: nothing to send)."""
    old, new = before.as_request(kind), after.as_request(kind)
    return {name: value for name, value in new.items() if old.get(name) != value}
