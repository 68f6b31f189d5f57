"""The build compiles the translation catalogues: .po (in git) into .mo (never in git).

Runs for every build of the package, the editable install of the README's
commands included, so a checkout always speaks the catalogues it holds.

The editable install also compiles the package's bytecode, as pip does for an
installed wheel: where Python may not write it (PYTHONDONTWRITEBYTECODE, a
read-only checkout), every start would otherwise compile all of OmniDesk again,
a third of a second before the window (#15). A source edited afterwards is
simply compiled in memory until the next install.
"""

from __future__ import annotations

import compileall
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        sys.path.insert(0, str(Path(self.root, "tools")))
        try:
            from messages import compile_catalogues  # the one recipe, shared with the tests
        finally:
            sys.path.pop(0)
        compile_catalogues(Path(self.root))
        if version == "editable":
            compileall.compile_dir(Path(self.root, "omnidesk"), quiet=1)
