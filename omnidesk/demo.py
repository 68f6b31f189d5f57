"""The demo: a seeded local sandbox in the user data folder, signed in as the demo user.

Used by `omnidesk --demo` (the window) and `omnidesk import --demo` (headless).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from omnidesk.settings import Environment, Profile
from omnidesk.settings.paths import data_dir

DEMO_USER = "demo"
DEMO_PASSWORD = "demo"
# Slow enough that a demo import's progress bar is seen moving, fast enough to finish.
DEMO_IMPORT_ROWS_PER_SECOND = 400
# The same address every time when it is free, so the import journal recognises the
# demo server across restarts (it keys imports by server address).
DEMO_PORT = 47311


def demo_database() -> Path:
    return data_dir() / "demo" / "omnitron.sqlite3"


class DemoServer:
    """Starts and stops the sandbox; the sandbox code is imported only when used."""

    def __init__(self, *, reset: bool = False) -> None:
        from omnidesk.sandbox import Faults, SandboxServer

        database = demo_database()
        if reset and database.parent.exists():
            shutil.rmtree(database.parent)
        self.server = SandboxServer(
            database,
            port=DEMO_PORT,
            seed=True,
            username=DEMO_USER,
            password=DEMO_PASSWORD,
            faults=Faults(import_rows_per_second=DEMO_IMPORT_ROWS_PER_SECOND),
        )

    def start(self) -> Profile:
        """Blocks until it listens (about half a second; longer the first time, seeding)."""
        try:
            url = self.server.start()
        except OSError:  # the port is taken (another demo, another program): any port will do
            self.server.port = 0
            url = self.server.start()
        return Profile("Demo", url, DEMO_USER, Environment.DEMO)

    def stop(self) -> None:
        self.server.stop()
