"""Column mappings a person chose, remembered per header: the next file like it reads the same.

A small JSON file beside the preferences. A header is known by its cells, normalised
as the column matching normalises them ("İndirimli Fiyat" and "indirimli fiyat" are
one header), and by the kind of list: the same columns mean other things in a
stock file. A damaged file is set aside, as the profiles file is.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from omnidesk.i18n import _

log = logging.getLogger(__name__)

_FOLD = str.maketrans("İIıŞşĞğÜüÖöÇç", "iiissgguuoocc")
_NOT_ALNUM = re.compile(r"[\W_]+")
MAX_REMEMBERED = 200  # headers; the oldest go first


def header_key(kind: str, headers: Sequence[str]) -> str:
    cells = [_NOT_ALNUM.sub("", header.translate(_FOLD).casefold()) for header in headers]
    return kind + ":" + "|".join(cells)


class MappingStore:
    """header → {column header: server field or None}, for each kind of list."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, dict[str, str | None]]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            mappings = raw["mappings"]
            if not isinstance(mappings, dict):
                raise TypeError(mappings)
            return {
                str(key): {str(h): (None if f is None else str(f)) for h, f in value.items()}
                for key, value in mappings.items()
            }
        except FileNotFoundError:
            return {}
        except (ValueError, KeyError, TypeError, AttributeError):
            backup = self.path.with_suffix(".damaged.json")
            self.path.replace(backup)
            log.warning(_("mappings file was damaged; kept as {file}").format(file=backup))
            return {}

    def _save(self, mappings: dict[str, dict[str, str | None]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        body = {"mappings": dict(list(mappings.items())[-MAX_REMEMBERED:])}
        temporary.write_text(json.dumps(body, indent=2, ensure_ascii=False), encoding="utf-8")
        temporary.replace(self.path)

    def get(self, kind: str, headers: Sequence[str]) -> dict[str, str | None] | None:
        return self._load().get(header_key(kind, headers))

    def remember(self, kind: str, headers: Sequence[str], chosen: dict[str, str | None]) -> None:
        mappings = self._load()
        key = header_key(kind, headers)
        mappings.pop(key, None)  # to the end: the latest kept longest
        mappings[key] = chosen
        self._save(mappings)

    def forget(self, kind: str, headers: Sequence[str]) -> None:
        mappings = self._load()
        if mappings.pop(header_key(kind, headers), None) is not None:
            self._save(mappings)
