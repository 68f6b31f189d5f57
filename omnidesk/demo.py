"""The demo: a seeded local sandbox in the user data folder, signed in as the demo user.

Used by `omnidesk --demo` (the window) and `omnidesk import --demo` (headless).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from omnidesk.api import OmnitronError
from omnidesk.i18n import N_, _
from omnidesk.settings import Environment, Profile
from omnidesk.settings.paths import data_dir

log = logging.getLogger(__name__)

DEMO_USER = "demo"
DEMO_PASSWORD = "demo"
# Slow enough that a demo import's progress bar is seen moving, fast enough to finish.
DEMO_IMPORT_ROWS_PER_SECOND = 400
# The same address every time when it is free, so the import journal recognises the
# demo server across restarts (it keys imports by server address).
DEMO_PORT = 47311

# Marked for the catalogue; said with _(DEMO_RUNNING), in the language spoken then.
DEMO_RUNNING = N_("Another OmniDesk demo is running on this computer; close it first.")


def demo_database() -> Path:
    return data_dir() / "demo" / "omnitron.sqlite3"


def demo_lock_file() -> Path:
    # Beside the demo folder, not in it: --demo-reset deletes the folder, and a lock
    # file deleted while held would let the next demo lock a new file of the same name.
    return data_dir() / "demo.lock"


class DemoAlreadyRunning(OmnitronError):
    """Another process holds the demo folder.

    An OmnitronError so that the window's start-up reports it as it reports a demo
    that could not sign in: one line on stderr, exit code 2.
    """

    def __init__(self) -> None:
        super().__init__(_(DEMO_RUNNING))


class FolderLock:
    """An exclusive lock on a lock file, held until `release()` or the process ends.

    The operating system lets go of it when the process dies, however it dies, so a
    crashed demo never leaves the next one locked out (a file that merely exists would).
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            held = _lock(self._fd)
        except BaseException:
            os.close(self._fd)
            raise
        if not held:
            os.close(self._fd)
            self._fd = None
            raise DemoAlreadyRunning

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:  # held by another handle (EACCES / EDEADLOCK)
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> bool:
        # flock, not lockf: its lock belongs to this open file, so a second DemoServer
        # in the same process is refused too (lockf locks are per process).
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as problem:  # a file system without locks: run unguarded
            log.warning(
                _("cannot lock the demo folder ({problem}); running without the guard").format(
                    problem=problem
                )
            )
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def demo_is_running() -> bool:
    """Whether another process holds the demo folder now (for refusing early)."""
    try:
        FolderLock(demo_lock_file()).release()
    except DemoAlreadyRunning:
        return True
    return False


class DemoServer:
    """Starts and stops the sandbox; the sandbox code is imported only when used.

    From construction to `stop()` it holds the demo folder: a second demo would
    otherwise delete this one's database (--demo-reset) or serve the same SQLite
    file from a second server. Raises DemoAlreadyRunning, having touched nothing.
    """

    def __init__(self, *, reset: bool = False) -> None:
        from omnidesk.sandbox import Faults, SandboxServer

        self._lock = FolderLock(demo_lock_file())
        try:
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
        except BaseException:
            self._lock.release()
            raise

    def start(self) -> Profile:
        """Blocks until it listens (about half a second; longer the first time, seeding)."""
        try:
            url = self.server.start()
        except OSError:  # the port is taken (by another program): any port will do
            self.server.port = 0
            url = self.server.start()
        return Profile("Demo", url, DEMO_USER, Environment.DEMO)

    def stop(self) -> None:
        try:
            self.server.stop()
        finally:
            self._lock.release()
