"""The dependency floors of pyproject.toml, put to the test: do they really work?

    python3 packaging/check_floors.py [PYTEST ARGS…]      (default: tests/spreadsheet)

Makes a fresh virtual environment (in a temporary folder, removed afterwards),
installs every runtime dependency at exactly its floor (``>=0.3.2`` becomes
``==0.3.2``; PySide6, pinned by a range for a Qt bug, takes the newest of its
range), the test tools at their newest, and runs the tests on the checkout.
Exit status: pytest's. CI-able as it is: it needs only python3 and the package
index pip is set up for. Kept out of the normal suite, which it would slow by a
minute or so (the venv and the installs).

Found this way: python-calamine 0.3.0 and 0.3.1 call a damaged workbook empty
(needs >=0.3.2), openpyxl before 3.1.4 cannot read the rich text the tests write
(needs >=3.1.4).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A floor that is a range for a reason of its own: installed within its range, not at its floor.
NOT_AT_FLOOR = {"pyside6-essentials"}
TEST_TOOLS = ["pytest", "pytest-qt", "pytest-timeout", "pytest-asyncio", "hypothesis", "trustme"]


def floors() -> list[str]:
    """Each runtime dependency as ``name==floor`` (or as written, for NOT_AT_FLOOR)."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        dependencies = tomllib.load(file)["project"]["dependencies"]
    pinned = []
    for requirement in dependencies:
        name = re.split(r"[<>=!~ ;\[]", requirement, maxsplit=1)[0]
        floor = re.search(r">=\s*([^,; ]+)", requirement)
        if name.lower() in NOT_AT_FLOOR or floor is None:
            pinned.append(requirement)
        else:
            pinned.append(f"{name}=={floor.group(1)}")
    return pinned


def main(arguments: list[str]) -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="omnidesk-floors-") as folder:
        env = Path(folder) / "venv"
        venv.create(env, with_pip=True)
        python = env / ("Scripts" if sys.platform == "win32" else "bin") / "python"
        wanted = floors()
        print("installing the floors:", " ".join(wanted), flush=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", *wanted, *TEST_TOOLS], check=True
        )
        installed = subprocess.run(
            [str(python), "-m", "pip", "freeze"], check=True, capture_output=True, text=True
        ).stdout
        print(installed, end="", flush=True)
        # The checkout itself, uninstalled: pytest imports omnidesk from the repository.
        tests = arguments or ["tests/spreadsheet"]
        ran = subprocess.run(
            [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
            cwd=ROOT,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "VIRTUAL_ENV": str(env)},
        )
    print(f"floors check: exit {ran.returncode} in {time.monotonic() - started:.0f} s")
    return ran.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
