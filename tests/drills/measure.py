"""Running ``omnidesk validate`` in a process of its own and measuring what it cost."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# The child prints its own peak (VmHWM) and its children's (a reading process of its
# own, if OmniDesk started one) as it exits, however the command ended.
_SCRIPT = """
import atexit, resource, sys
def peaks():
    own = next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stderr.write(f"\\n@peaks {own} {children}\\n")
atexit.register(peaks)
from omnidesk.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
raise SystemExit(code)
"""


@dataclass(frozen=True)
class Cost:
    exit: int
    seconds: float
    peak_mb: float  # the largest of the command's own peak and its children's
    output: str
    errors: str

    def row(self, name: str) -> str:
        return f"{name} | {self.exit} | {self.seconds:.2f} s | {self.peak_mb:.0f} MB"


def validate_cost(path: Path, *args: str, kind: str = "price", timeout: float = 120) -> Cost:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", _SCRIPT, "validate", str(path), "--kind", kind, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "LANGUAGE": "en"},
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    seconds = time.perf_counter() - started
    errors = err.decode(errors="replace")
    peak = 0.0
    for line in errors.splitlines():
        if line.startswith("@peaks "):
            peak = max(int(n) for n in line.split()[1:]) / 1024
    return Cost(process.returncode, seconds, peak, out.decode(errors="replace"), errors)
