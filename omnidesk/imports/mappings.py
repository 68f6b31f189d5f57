"""A person's column choices, kept between files by whoever keeps them (settings/mappings.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from omnidesk.i18n import _


class MappingMemory(Protocol):
    """Where a person's column choices are kept between files (settings/mappings.py)."""

    def get(self, kind: str, headers: Sequence[str]) -> dict[str, str | None] | None: ...
    def remember(
        self, kind: str, headers: Sequence[str], chosen: dict[str, str | None]
    ) -> None: ...
    def forget(self, kind: str, headers: Sequence[str]) -> None: ...


def remembered_words(remembered: dict[str, str | None]) -> str:
    """'Columns mapped as you mapped this header before: İndirimli Fiyat → price.'"""
    not_imported = _("not imported")
    pairs = ", ".join(f"{header} → {field or not_imported}" for header, field in remembered.items())
    return _("Columns mapped as you mapped this header before: {pairs}.").format(pairs=pairs)
