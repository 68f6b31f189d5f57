"""The resources are found in a checkout, in a built wheel and in a frozen bundle."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import omnidesk
from omnidesk import resources
from omnidesk.resources import resource_dir, resource_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh_lookup() -> Iterator[None]:
    resource_dir.cache_clear()
    yield
    resource_dir.cache_clear()


def test_the_icon_is_found_in_the_checkout() -> None:
    icon = resource_path("icons", "omnidesk.svg")
    assert icon.is_file()
    # The editable install reads the checkout's own folder, not hatchling's snapshot.
    assert icon == ROOT / "resources" / "icons" / "omnidesk.svg"


def test_the_icon_is_a_small_self_contained_svg() -> None:
    text = resource_path("icons", "omnidesk.svg").read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg")
    assert len(text.encode()) < 4096
    for outside in ("href=", "<image", "<text", "http://www.w3.org/1999/xlink"):
        assert outside not in text


def test_a_frozen_bundle_looks_under_meipass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_lookup: None
) -> None:
    bundled = tmp_path / "omnidesk" / "_resources"
    (bundled / "icons").mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_dir() == bundled


def test_missing_resources_say_where_they_were_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_lookup: None
) -> None:
    monkeypatch.setattr(resources, "_PACKAGE", tmp_path / "site-packages" / "omnidesk")
    with pytest.raises(FileNotFoundError, match="site-packages"):
        resource_dir()


def test_a_built_wheel_carries_the_resources_where_an_install_finds_them(
    tmp_path: Path,
) -> None:
    # hatchling's own build hook, in-process: well under a second, no network.
    build = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from hatchling.build import build_wheel; print(build_wheel({str(tmp_path)!r}))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    wheel = tmp_path / build.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "omnidesk/_resources/icons/omnidesk.svg" in names
        installed = tmp_path / "site-packages"
        archive.extractall(installed)  # a pure-Python wheel installs by unpacking
    # Imported from the unpacked wheel, away from the checkout, the module finds them.
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import omnidesk.resources as r; print(r.resource_path('icons', 'omnidesk.svg'))",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(installed), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert Path(found.stdout.strip()) == installed / "omnidesk" / "_resources" / "icons" / (
        "omnidesk.svg"
    )
    assert omnidesk.__version__ in wheel.name
