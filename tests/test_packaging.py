"""The desktop entry and the AppStream metadata agree with the app they describe."""

from __future__ import annotations

import configparser
import runpy
import shlex
import sys
import tomllib
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import omnidesk
from omnidesk import APP_ID
from omnidesk.resources import resource_path
from omnidesk.spreadsheet import SUPPORTED_SUFFIXES

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DESKTOP_FILE = PACKAGING / f"{APP_ID}.desktop"
METAINFO_FILE = PACKAGING / f"{APP_ID}.metainfo.xml"

# The registered (shared-mime-info) type of each extension the app reads. An extension
# the app learns to read fails the test below until it is named here and in MimeType.
MIME_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    ".xls": "application/vnd.ms-excel",
    ".xlsb": "application/vnd.ms-excel.sheet.binary.macroEnabled.12",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
}
# Read when dropped, but not claimed: text/plain would put OmniDesk in the "Open with"
# menu of every text file.
NOT_CLAIMED = {".txt"}


@pytest.fixture(scope="module")
def pyproject() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]


@pytest.fixture(scope="module")
def entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    assert parser.sections() == ["Desktop Entry", "Desktop Action demo"]
    return parser["Desktop Entry"]


@pytest.fixture(scope="module")
def demo_action() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Action demo"]


@pytest.fixture(scope="module")
def metainfo() -> ET.Element:
    return ET.parse(METAINFO_FILE).getroot()


def listed(value: str) -> list[str]:
    """A desktop-entry list: semicolon-separated, with a trailing semicolon."""
    assert value.endswith(";"), value
    return value[:-1].split(";")


def test_the_desktop_entry_is_a_windowed_application(entry: configparser.SectionProxy) -> None:
    assert entry["Type"] == "Application"
    assert entry["Name"] == "OmniDesk"
    assert entry["Terminal"] == "false"
    assert entry["GenericName"]
    assert entry["Comment"]
    assert {"Office", "Finance"} <= set(listed(entry["Categories"]))
    assert {"fiyat", "stok"} <= set(listed(entry["Keywords"]))


def test_exec_runs_a_declared_console_script_with_the_files(
    entry: configparser.SectionProxy, pyproject: dict[str, object]
) -> None:
    command, *arguments = shlex.split(entry["Exec"])
    scripts = pyproject["scripts"]
    assert isinstance(scripts, dict)
    assert command in scripts
    assert scripts[command] == "omnidesk.cli:main"
    assert arguments == ["%F"]  # the files to open; `omnidesk FILE…` opens each in the wizard
    assert entry["TryExec"] == command


def test_the_entry_offers_the_demo_as_an_action(
    entry: configparser.SectionProxy, demo_action: configparser.SectionProxy
) -> None:
    # The menu's right-click (and GNOME's dash) offers "Try the demo": no account needed.
    assert listed(entry["Actions"]) == ["demo"]
    assert shlex.split(demo_action["Exec"]) == ["omnidesk", "--demo"]
    assert demo_action["Name"]
    assert demo_action["Name[tr]"]


def test_the_icon_is_named_by_the_app_id_and_exists(entry: configparser.SectionProxy) -> None:
    assert entry["Icon"] == APP_ID
    assert resource_path("icons", "omnidesk.svg").is_file()


def test_mime_types_cover_what_the_app_reads(entry: configparser.SectionProxy) -> None:
    claimed = set(SUPPORTED_SUFFIXES) - NOT_CLAIMED
    unnamed = claimed - MIME_TYPES.keys()
    assert not unnamed, f"the app reads {sorted(unnamed)}: name their MIME types here"
    assert NOT_CLAIMED.issubset(SUPPORTED_SUFFIXES)  # an exception for something still read
    declared = listed(entry["MimeType"])
    assert len(declared) == len(set(declared))
    assert set(declared) == {MIME_TYPES[suffix] for suffix in claimed}


def test_the_metainfo_describes_this_app(
    metainfo: ET.Element, pyproject: dict[str, object]
) -> None:
    assert metainfo.tag == "component"
    assert metainfo.get("type") == "desktop-application"
    assert metainfo.findtext("id") == APP_ID == DESKTOP_FILE.stem
    launchable = metainfo.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP_FILE.name
    assert metainfo.findtext("metadata_license") == "CC0-1.0"
    assert metainfo.findtext("project_license") == pyproject["license"]
    assert metainfo.findtext("name") == "OmniDesk"
    assert [b.text for b in metainfo.iterfind("provides/binary")] == ["omnidesk"]
    scripts = pyproject["scripts"]
    assert isinstance(scripts, dict)
    assert "omnidesk" in scripts
    content_rating = metainfo.find("content_rating")
    assert content_rating is not None
    assert content_rating.get("type") == "oars-1.1"


def test_the_newest_release_is_this_version(
    metainfo: ET.Element, pyproject: dict[str, object]
) -> None:
    releases = metainfo.findall("releases/release")
    assert releases, "no <release> in the metainfo"
    newest = releases[0]  # AppStream lists releases newest first
    assert newest.get("version") == pyproject["version"] == omnidesk.__version__
    assert newest.get("date")


# -- the PyInstaller spec, run with PyInstaller's build steps recorded instead of done ----------


class Built:
    """What the spec asked PyInstaller to build: each step's name and keyword arguments."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, tuple[object, ...], dict[str, object]]] = []

    def step(self, name: str) -> object:
        def record(*args: object, **kwargs: object) -> object:
            self.steps.append((name, args, kwargs))
            return types.SimpleNamespace(scripts=[], binaries=[], datas=[], pure=[], name=name)

        return record

    def named(self, name: str) -> list[dict[str, object]]:
        return [kwargs for step, _, kwargs in self.steps if step == name]


@pytest.fixture(autouse=True)
def _the_suites_qt_application(qapp: object) -> None:
    """The spec draws the icons with Qt: the suite's QApplication first, or icons.py would
    make a QGuiApplication the window tests after these could not use."""


def build_for(platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Built:
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda package: [package]  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setattr(sys, "platform", platform)
    built = Built()
    spec = PACKAGING / "omnidesk.spec"
    namespace = {name: built.step(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    namespace |= {"SPECPATH": str(PACKAGING), "workpath": str(tmp_path)}
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), namespace)
    return built


def test_windows_gets_a_windowed_exe_its_console_twin_and_the_icon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build_for("win32", tmp_path, monkeypatch)
    exes = {str(kw["name"]): kw for kw in built.named("EXE")}
    assert exes["omnidesk"]["console"] is False
    assert exes["omnidesk-cli"]["console"] is True  # so `omnidesk-cli validate …` prints
    assert (
        exes["omnidesk"]["icon"]
        == exes["omnidesk-cli"]["icon"]
        == str(tmp_path / "icons" / "omnidesk.ico")
    )
    (collected,) = [args for step, args, _ in built.steps if step == "COLLECT"]
    assert len([a for a in collected if getattr(a, "name", "") == "EXE"]) == 2  # one folder
    assert built.named("BUNDLE") == []


def test_macos_gets_an_app_bundle_with_the_icon_and_the_app_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build_for("darwin", tmp_path, monkeypatch)
    assert [str(kw["name"]) for kw in built.named("EXE")] == ["omnidesk"]
    (bundle,) = built.named("BUNDLE")
    assert bundle["name"] == "OmniDesk.app"
    assert bundle["bundle_identifier"] == APP_ID
    assert bundle["version"] == omnidesk.__version__
    assert bundle["icon"] == str(tmp_path / "icons" / "omnidesk.icns")
    plist = bundle["info_plist"]
    assert isinstance(plist, dict)
    (documents,) = plist["CFBundleDocumentTypes"]
    assert "org.openxmlformats.spreadsheetml.sheet" in documents["LSItemContentTypes"]


def test_linux_gets_one_executable_and_the_desktop_entrys_icon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build_for("linux", tmp_path, monkeypatch)
    (exe,) = built.named("EXE")
    assert exe["icon"] is None
    assert built.named("BUNDLE") == []


def test_the_icons_are_drawn_from_the_svg_at_every_size(tmp_path: Path) -> None:
    from PySide6.QtGui import QImageReader

    icons = runpy.run_path(str(PACKAGING / "icons.py"))
    ico, icns = icons["build"](tmp_path)
    for path, sizes in ((ico, icons["ICO_SIZES"]), (icns, [s for _, s in icons["ICNS_TYPES"]])):
        reader = QImageReader(str(path))  # Qt's own .ico and .icns readers
        read = []
        for number in range(reader.imageCount()):
            reader.jumpToImage(number)
            read.append(reader.read().width())
        assert sorted(read) == sorted(sizes), path.name


def test_the_metainfo_names_a_developer_a_homepage_and_screenshots_that_exist(
    metainfo: ET.Element,
) -> None:
    assert metainfo.findtext("developer/name")
    urls = {url.get("type"): url.text for url in metainfo.iterfind("url")}
    assert urls["homepage"] == omnidesk.HOMEPAGE  # what Help ▸ About says
    images = [image.text or "" for image in metainfo.iterfind("screenshots/screenshot/image")]
    assert images
    for image in images:
        # Served from the repository's docs/screenshots/, made by packaging/screenshots.py.
        assert image.startswith(
            f"{omnidesk.HOMEPAGE.replace('github.com', 'raw.githubusercontent.com')}/main/"
        )
        assert (ROOT / image.split("/main/", 1)[1]).is_file(), image
    default = metainfo.find("screenshots/screenshot[@type='default']")
    assert default is not None


def test_the_constraints_pin_every_dependency_within_pyprojects_ranges(
    pyproject: dict[str, object],
) -> None:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins: dict[str, str] = {}
    for line in (PACKAGING / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version.strip()
    dependencies = pyproject["dependencies"]
    optional = pyproject["optional-dependencies"]
    assert isinstance(dependencies, list)
    assert isinstance(optional, dict)
    for text in [*dependencies, *optional["packaging"]]:
        wanted = Requirement(text)
        pinned = pins.get(canonicalize_name(wanted.name))
        assert pinned is not None, f"{wanted.name} has no pinned version"
        assert wanted.specifier.contains(pinned), f"{wanted.name}=={pinned} is not {wanted}"
