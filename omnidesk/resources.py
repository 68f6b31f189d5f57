"""Where the app's resources (icons, templates, translations) are, however it was installed.

The files live in the repository's top-level ``resources/``. A wheel carries them
inside the package as ``omnidesk/_resources`` (pyproject's force-include), and the
PyInstaller bundle puts them at that same place under ``sys._MEIPASS``. An editable
install (``pip install -e .``, as the README runs it) imports the package from the
checkout, where only the top-level folder exists: hatchling also copies a snapshot
into site-packages, but nothing reads it, so an edited icon shows without reinstalling.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _candidates() -> list[Path]:
    places = []
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller's boot loader when frozen
    if bundle is not None:
        places.append(Path(bundle) / "omnidesk" / "_resources")
    places.append(_PACKAGE / "_resources")  # installed from a wheel
    if (_PACKAGE.parent / "pyproject.toml").is_file():  # a checkout (editable install)
        places.append(_PACKAGE.parent / "resources")
    return places


@cache
def resource_dir() -> Path:
    """The folder holding the resources; FileNotFoundError names where it looked."""
    places = _candidates()
    for place in places:
        if place.is_dir():
            return place
    # Imported here: the translations are among the resources, and i18n imports this module.
    from omnidesk.i18n import _

    raise FileNotFoundError(
        _("OmniDesk's resources are missing; looked in {places}").format(
            places=", ".join(map(str, places))
        )
    )


def resource_path(*parts: str) -> Path:
    """A file or folder under the resources, e.g. ``resource_path("icons", "omnidesk.svg")``."""
    return resource_dir().joinpath(*parts)
