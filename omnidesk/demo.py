"""The demo: a seeded local sandbox in the user data folder, signed in as the demo user.

Used by `omnidesk --demo` (the window) and `omnidesk import --demo` (headless).

The sandbox runs in a process of its own (`serve_demo`), started as soon as the command
line asks for the demo: it imports and starts on the other core while this process
imports Qt, and none of its work then takes this process's interpreter. The child
holds the demo folder, answers one JSON line when it listens, and stops when its
standard input closes, which it does when this process stops it or dies.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from omnidesk.api import OmnitronError
from omnidesk.i18n import N_, _
from omnidesk.settings import Environment, Profile
from omnidesk.settings.paths import data_dir, log_dir

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

# The first argument that makes `omnidesk` the demo's server (see omnidesk/__main__.py).
DEMO_SERVER_ARGUMENT = "--omnidesk-demo-server"
# In the log folder: what the demo's server says (a bug's traceback) goes there.
DEMO_SERVER_LOG = "demo-server.log"
# Seeding the first time takes a second or two; a child silent this long is stuck.
START_TIMEOUT = 60.0
# A stopped demo closes its database and frees the folder within this.
STOP_TIMEOUT = 10.0


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


class DemoCouldNotStart(OmnitronError):
    """The demo's server ended, or said nothing, before it listened: a bug, not the data."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            _("The demo server did not start ({detail}).").format(detail=detail or "?")
        )


class DemoServer:
    """The demo's server in a process of its own, started when this is made.

    `start()` waits until it listens and raises what the child met, as the window and
    the command line put it in words: DemoAlreadyRunning when another demo holds the
    folder, OSError when the data folder cannot be written, DemoCouldNotStart otherwise.
    """

    def __init__(self, *, reset: bool = False) -> None:
        self.profile: Profile | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._not_started: OSError | None = None
        child_log = _log_for_the_child()
        # Where this child's words begin: the log is appended to, as two demos may start
        # at once (the second refused) and neither may wipe what the other wrote.
        self._logged_from = child_log.tell() if not isinstance(child_log, int) else 0
        try:
            self._process = subprocess.Popen(
                _command(reset),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=child_log,
                **_apart_from_this_terminal(),
            )
        except OSError as problem:  # said by start(), where the caller expects a failure
            self._not_started = problem
        finally:
            if not isinstance(child_log, int):
                child_log.close()  # the child has its own copy

    def start(self) -> Profile:
        """Blocks until it listens (a quarter of a second; longer the first time, seeding).

        Again once started, it returns the same profile at once.
        """
        if self.profile is not None:
            return self.profile
        if self._process is None:
            raise self._not_started or DemoCouldNotStart(_("it was stopped"))
        # No timeout on a pipe's readline on every system: a child silent for too
        # long is killed instead, which ends the line.
        answered = threading.Event()
        process = self._process
        assert process.stdout is not None

        def kill_if_silent() -> None:
            if not answered.wait(START_TIMEOUT):
                process.kill()

        # daemon= said, and no join(): from a Qt worker (qasync's to_thread) either
        # would leave a dummy thread record behind (threading.current_thread()).
        threading.Thread(target=kill_if_silent, name="omnidesk-demo-watch", daemon=True).start()
        try:
            line = process.stdout.readline()
        finally:
            answered.set()
        try:
            answer = json.loads(line) if line.strip() else {}
        except ValueError:
            answer = {}
        if "url" not in answer:
            self.stop()
            raise _failure(answer, self._logged_from)
        self.profile = Profile("Demo", answer["url"], DEMO_USER, Environment.DEMO)
        return self.profile

    def stop(self) -> None:
        """Closes the child's input and waits until it has let go of the folder."""
        process, self._process = self._process, None
        self.profile = None
        if process is None:
            return
        with contextlib.suppress(OSError):  # it ended already: nobody reads the pipe
            assert process.stdin is not None
            process.stdin.close()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        finally:
            assert process.stdout is not None
            process.stdout.close()


def _command(reset: bool) -> list[str]:
    arguments = [DEMO_SERVER_ARGUMENT, *(["--reset"] if reset else [])]
    if getattr(sys, "frozen", False):  # a PyInstaller bundle has no -m
        return [sys.executable, *arguments]
    return [sys.executable, "-m", "omnidesk", *arguments]


def _log_for_the_child() -> IO[bytes] | int:
    """Where the child's own messages go: a file in the log folder, else nowhere.

    Not a pipe nobody reads, which would stop the child once full; not the terminal,
    where a person would see the server's words beside the window's.
    """
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return (folder / DEMO_SERVER_LOG).open("ab")
    except OSError:
        return subprocess.DEVNULL


def _apart_from_this_terminal() -> dict[str, Any]:
    # Ctrl+C in the terminal goes to the window, which then stops the demo itself;
    # reaching the child too, it would end the server under the window's last requests.
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW}
    return {"start_new_session": True}


def _failure(answer: dict[str, Any], logged_from: int) -> OmnitronError | OSError:
    if answer.get("refused") == "running":
        return DemoAlreadyRunning()
    if "storage" in answer:
        return OSError(answer.get("errno") or 0, answer["storage"])
    return DemoCouldNotStart(_last_logged_line(logged_from) or _("it ended without a word"))


def _last_logged_line(logged_from: int) -> str:
    """The last line the child logged: what it died of, in a traceback's last line."""
    with contextlib.suppress(OSError):
        with (log_dir() / DEMO_SERVER_LOG).open("rb") as log:
            log.seek(logged_from)
            lines = log.read().decode("utf-8", "replace").splitlines()
        return next((line.strip() for line in reversed(lines) if line.strip()), "")
    return ""


def serve_demo(argv: list[str]) -> int:
    """The child: holds the demo folder, serves it, and stops when its input closes."""
    from omnidesk.sandbox import Faults, SandboxServer

    try:
        lock = FolderLock(demo_lock_file())
    except DemoAlreadyRunning:
        return _answer({"refused": "running"})
    except OSError as problem:
        return _answer(_storage(problem))
    server = None
    try:
        try:
            database = demo_database()
            if "--reset" in argv and database.parent.exists():
                shutil.rmtree(database.parent)
            server = SandboxServer(
                database,
                port=DEMO_PORT,
                seed=True,
                username=DEMO_USER,
                password=DEMO_PASSWORD,
                faults=Faults(import_rows_per_second=DEMO_IMPORT_ROWS_PER_SECOND),
            )
            try:
                url = server.start()
            except OSError:  # the port is taken, or reserved: any port will do
                server.port = 0  # (a folder that cannot be written fails here again)
                url = server.start()
        except (OSError, sqlite3.Error) as problem:  # the data folder: read-only, full, a file
            return _answer(_storage(problem))
        _answer({"url": url})
        sys.stdin.buffer.read()  # until the window stops the demo, or ends
        return 0
    finally:
        if server is not None:
            server.stop()
        lock.release()


def _storage(problem: OSError | sqlite3.Error) -> dict[str, Any]:
    if isinstance(problem, OSError):
        return {"storage": problem.strerror or str(problem), "errno": problem.errno}
    return {"storage": str(problem)}


def _answer(answer: dict[str, Any]) -> int:
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
    return 0 if "url" in answer else 2
