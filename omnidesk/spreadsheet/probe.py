"""Measuring a workbook in a process of its own before this process reads it.

python-calamine allocates a sheet as a grid from its first cell to its last, and
for .xls, .xlsb and .ods nothing cheaper than calamine can say where the last cell
is: a 5 KB .xls with one cell at IV65536 asks for 16 million places, an .ods can
repeat one cell a billion times, and a Rust allocation that fails aborts the whole
process, window included. So the workbook is first opened here, in a child with
a memory and time limit, which reports each worksheet's height and width; a file
that needs more than the limit kills only the child and is refused in words.

Run as ``python …/probe.py PATH FILE_TYPE MEMORY``: it imports nothing of OmniDesk, so
the child starts in a tenth of a second (the frozen app runs its own executable with
``PROBE_ARGUMENT`` first; see ``omnidesk/__main__.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROBE_ARGUMENT = "--omnidesk-probe-workbook"


@dataclass(frozen=True, slots=True)
class SheetSize:
    name: str
    hidden: bool
    height: int
    width: int
    has_values: bool


class ProbeFailed(Exception):
    """The child could not measure the file: ``reason`` is "memory", "time" or "calamine"."""

    def __init__(self, reason: str, detail: str = "", password: bool = False) -> None:
        super().__init__(reason, detail)
        self.reason, self.detail, self.password = reason, detail, password


def _command(path: Path, file_type: str, memory: int) -> list[str]:
    arguments = [str(path), file_type, str(memory)]
    if getattr(sys, "frozen", False):  # a PyInstaller bundle has no -m
        return [sys.executable, PROBE_ARGUMENT, *arguments]
    # The file itself, not -m: the package would import openpyxl and the checker first.
    return [sys.executable, str(Path(__file__)), *arguments]


def probe_workbook(path: Path, file_type: str, *, memory: int, seconds: float) -> list[SheetSize]:
    """Each worksheet's size, measured by calamine in a child limited to ``memory`` bytes."""
    try:
        done = subprocess.run(
            _command(path, file_type, memory),
            capture_output=True,
            timeout=seconds,
            stdin=subprocess.DEVNULL,
            # The child reads the same file the same way whatever the parent's locale.
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
    except subprocess.TimeoutExpired:
        raise ProbeFailed("time") from None
    if done.returncode != 0:
        # Killed by the kernel, aborted by Rust (SIGABRT) or a MemoryError: out of room.
        raise ProbeFailed("memory", done.stderr.decode("utf-8", "replace")[-500:])
    answer = json.loads(done.stdout.decode("utf-8"))
    if "error" in answer:
        raise ProbeFailed("calamine", answer["error"], password=answer.get("password", False))
    return [SheetSize(*entry) for entry in answer["sheets"]]


def _limit_memory(memory: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the child still keeps an abort away from the window
        return
    # RLIMIT_DATA counts what malloc takes (heap and anonymous maps) but not the
    # libraries mapped in; RLIMIT_AS is the fallback where it is not enforced.
    for name in ("RLIMIT_DATA", "RLIMIT_AS"):
        limit = getattr(resource, name, None)
        if limit is not None:
            try:
                resource.setrlimit(limit, (memory, memory))
                return
            except (ValueError, OSError):
                continue


def _measure(path: Path, file_type: str) -> dict[str, object]:
    import python_calamine

    named = path.suffix.lower().lstrip(".")
    try:
        if named == file_type or {named, file_type} <= {"xlsx", "xlsm"}:
            workbook = python_calamine.CalamineWorkbook.from_path(path)
        else:
            with path.open("rb") as handle:
                workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            has_values = False
            if sheet.height:
                for count, cells in enumerate(sheet.iter_rows()):
                    if cells.count("") != len(cells):
                        has_values = True
                        break
                    if count >= 1000:
                        has_values = True  # as WorkbookSheet._has_values decides
                        break
            hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
            sheets.append([meta.name, hidden, sheet.height, sheet.width, has_values])
            del sheet
        return {"sheets": sheets}
    except Exception as error:
        return {
            "error": str(error).strip() or type(error).__name__,
            "password": isinstance(error, python_calamine.PasswordError),
        }
    except BaseException as error:  # pyo3's PanicException: a Rust panic on a corrupt file
        if type(error).__name__ == "PanicException":
            return {"error": str(error).strip() or "PanicException"}
        raise


def main(argv: list[str]) -> int:
    path, file_type, memory = Path(argv[0]), argv[1], int(argv[2])
    _limit_memory(memory)
    answer = _measure(path, file_type)
    sys.stdout.write(json.dumps(answer, ensure_ascii=True))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
