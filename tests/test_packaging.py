"""The desktop entry and the AppStream metadata agree with the app they describe."""

from __future__ import annotations

import configparser
import shlex
import tomllib
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
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


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
