"""Extract the sentences to translate, and bring the catalogues up to date with them.

    .venv/bin/python tools/messages.py          # omnidesk.pot, and each .po updated
    .venv/bin/python tools/messages.py --check  # exit 1 if a .po lacks a translation

The build compiles each .po into its .mo with compile_catalogues() (hatch_build.py), and
the test suite does again for a .po edited since (tests/conftest.py).

The same extraction serves tests/i18n: what this script sees is what the test checks.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "resources" / "locale"
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None}


def extracted() -> Catalog:
    """Every sentence of omnidesk/ that goes through _(), n_() or N_() (not the sandbox's:
    it speaks Omnitron's English, on purpose)."""
    catalog = Catalog(project="OmniDesk", charset="utf-8")
    found: Iterator[tuple[str, int, str | tuple[str, ...], list[str], str | None]]
    found = extract_from_dir(
        str(ROOT / "omnidesk"),
        method_map=[("sandbox/**.py", "ignore"), ("**.py", "python")],
        keywords=KEYWORDS,
    )
    for filename, line, message, comments, context in found:
        catalog.add(message, locations=[(filename, line)], auto_comments=comments, context=context)
    return catalog


def catalogues() -> dict[str, Path]:
    return {path.parts[-3]: path for path in LOCALE.glob("*/LC_MESSAGES/omnidesk.po")}


def update() -> None:
    template = extracted()
    with (LOCALE / "omnidesk.pot").open("wb") as out:
        write_po(out, template, omit_header=False, no_location=True, sort_output=True)
    for language, path in catalogues().items():
        with path.open("rb") as source:
            catalog = read_po(source, locale=language)
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as out:
            write_po(out, catalog, no_location=True, sort_output=True, ignore_obsolete=True)


def compile_catalogues(root: Path = ROOT, *, stale_only: bool = False) -> list[Path]:
    """Each .po under ``root``'s resources compiled into its .mo (only those older than
    their .po when ``stale_only``); returns the .mo files written."""
    written = []
    for po_path in (root / "resources" / "locale").glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if stale_only and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source)
        with mo_path.open("wb") as compiled:
            write_mo(compiled, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


def missing(language: str) -> list[str]:
    """The sentences the catalogue of ``language`` does not translate yet."""
    with catalogues()[language].open("rb") as source:
        catalog = read_po(source, locale=language)
    absent = []
    for message in extracted():
        if not message.id:
            continue
        translated = catalog.get(message.id)
        strings = translated.string if translated is not None else None
        values = strings if isinstance(strings, tuple) else (strings,)
        if translated is None or translated.fuzzy or not all(values):
            absent.append(message.id if isinstance(message.id, str) else message.id[0])
    return absent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        gaps = {language: missing(language) for language in catalogues()}
        for language, absent in gaps.items():
            for message in absent:
                print(f"{language}: not translated: {message}")
        return 1 if any(gaps.values()) else 0
    update()
    return 0


if __name__ == "__main__":
    sys.exit(main())
