"""The build compiles the translation catalogues: .po (in git) into .mo (never in git).

Runs for every build of the package, the editable install of the README's
commands included, so a checkout always speaks the catalogues it holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po_path in Path(self.root, "resources", "locale").glob("*/LC_MESSAGES/*.po"):
            with po_path.open("rb") as source:
                catalog = read_po(source)
            with po_path.with_suffix(".mo").open("wb") as compiled:
                write_mo(compiled, catalog, use_fuzzy=False)
