"""The composition root: the Qt application, the asyncio loop inside it, and what runs there.

`omnidesk` (the window) and `omnidesk --demo` (the window on a local sandbox,
signed in as the demo user) both start here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import platform
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import qasync
from PySide6.QtCore import qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from omnidesk import APP_DISPLAY_NAME, APP_ID, __version__
from omnidesk.api import OmnitronClient, OmnitronError
from omnidesk.api.session import Session
from omnidesk.cli.exit_codes import EXIT_FAILURE
from omnidesk.demo import DEMO_PASSWORD, DEMO_USER, DemoServer
from omnidesk.i18n import _, set_language
from omnidesk.imports import Journal
from omnidesk.imports.pacing import freeze_what_started
from omnidesk.resources import resource_path
from omnidesk.settings import Environment, Profile, ProfileStore, TokenStore, logs
from omnidesk.settings.facts import FactsStore
from omnidesk.settings.logs import keep_out_of_logs
from omnidesk.settings.paths import (
    data_dir,
    facts_file,
    journal_file,
    preferences_file,
    profiles_file,
)
from omnidesk.settings.preferences import PreferencesStore
from omnidesk.ui import style
from omnidesk.ui.crash import CrashReporter, describe
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.paged_model import LoadState
from omnidesk.ui.painting import paint_on_the_window_thread
from omnidesk.ui.sign_in import SignInDialog
from omnidesk.ui.single_instance import InstanceListener, hand_over
from omnidesk.ui.tasks import BackgroundTasks, settle
from omnidesk.ui.translations import install_qt_translations

log = logging.getLogger(__name__)

WINDOW_LOG = "omnidesk.log"  # in the log folder; the command line's is import.log


@dataclass
class Options:
    demo: bool = False
    demo_reset: bool = False
    open_files: tuple[Path, ...] = ()  # `omnidesk FILE…`: an import wizard on each
    # For start-up measurements and tests: say "ready in N ms" once the lists show,
    # and maybe quit then.
    report_ready: bool = False
    quit_when_ready: bool = False


class Application:
    def __init__(self, options: Options, demo: DemoServer | None = None) -> None:
        """`demo`: the demo's server, already starting (`omnidesk --demo`)."""
        self.options = options
        self.tasks = BackgroundTasks()
        self.tokens = TokenStore()
        self.profiles = ProfileStore(profiles_file())
        # What each server showed of its variants, so the next start need not find out.
        self.facts = FactsStore(facts_file())
        self.journal = Journal(journal_file())
        self.client: OmnitronClient | None = None
        self.demo = demo
        self.arrived: list[Path] = []  # files handed over by later starts, for the window
        self.window: MainWindow | None = None
        self.started = time.perf_counter()
        self._running: asyncio.Task[int] | None = None

    def stop(self) -> None:
        """Ctrl+C in the terminal, or the desktop session ending: close as the person would.

        Unfinished imports go on on the server; the journal offers them at the next start.
        """
        if self.window is not None and self.window.isVisible():
            self.window.close_without_asking()
        elif self._running is not None:
            self._running.cancel()  # still signing in or starting the demo

    async def run(self) -> int:
        self._running = asyncio.current_task()
        try:
            if self.options.demo:
                profile = await self._start_demo()
            else:
                signed_in = await self._sign_in_at_start()
                if signed_in is None:
                    return 0
                profile = signed_in
            while await self._show_window(profile):  # signed out to switch server
                await self.tasks.cancel_all()
                self.tokens.forget(profile.name, profile.username)
                signed_in = await self._sign_in_at_start()
                if signed_in is None:
                    return 0
                profile = signed_in
            return 0
        finally:
            await self.tasks.cancel_all()
            if self.client is not None:
                await self.client.aclose()
            self._stop_demo()
            self.journal.close()

    async def _start_demo(self) -> Profile:
        if self.demo is None:
            self.demo = DemoServer(reset=self.options.demo_reset)
        # Once started, the same server again (signed out of the demo, then back in).
        starting = asyncio.ensure_future(asyncio.to_thread(self.demo.start))
        try:
            profile = await asyncio.shield(starting)
        except asyncio.CancelledError:
            # Its worker is reading the server's answer: let it have it, so that the
            # clean-up after this stops a server whose answer nobody is still reading.
            with contextlib.suppress(Exception):
                await starting
            raise
        if self.client is not None:
            await self.client.aclose()
        self.client = OmnitronClient(profile.base_url, facts=self.facts, ca_file=profile.ca_file)
        await self.client.login(DEMO_USER, DEMO_PASSWORD)
        return profile

    def _stop_demo(self) -> None:
        if self.demo is not None:
            self.demo.stop()

    async def connect(self, profile: Profile, password: str, code: str | None = None) -> None:
        """Sign in to `profile`'s server (a new client if the server changed); keep the token.

        An account with two-factor sign-in raises TwoFactorRequired; the dialog then
        calls again with the person's code, which goes to the server and nowhere else.
        """
        keep_out_of_logs(password)
        if code is not None and self.client is not None and self.client.waiting_for_code:
            keep_out_of_logs(code)
            token = await self.client.verify_code(code)
        else:
            if self.client is None or self.client.base_url != profile.base_url.rstrip("/"):
                if self.client is not None:
                    await self.client.aclose()
                self.client = OmnitronClient(
                    profile.base_url, facts=self.facts, ca_file=profile.ca_file
                )
            token = await self.client.login(profile.username, password)
        keep_out_of_logs(token)
        if profile.environment is not Environment.DEMO:
            self.tokens.set(profile.name, profile.username, token)
            self.profiles.remember(profile)

    async def _sign_in_at_start(self) -> Profile | None:
        saved = self.profiles.load()
        if saved:
            last = saved[0]
            token = self.tokens.get(last.name, last.username)
            keep_out_of_logs(token)
            if token:
                # A stored token may have expired: the first request will say so, and
                # the sign-in dialog then opens by itself.
                self.client = OmnitronClient(
                    last.base_url, token, facts=self.facts, ca_file=last.ca_file
                )
                return last
        answered: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        dialog = SignInDialog(saved, self.connect, offer_demo=not saved)
        dialog.finished.connect(lambda result: settle(answered, result == 1))
        dialog.open()
        if not await answered:
            return None
        if dialog.demo_chosen:
            return await self._start_demo()
        return dialog.signed_in_profile

    async def _show_window(self, profile: Profile) -> bool:
        """Shows the window until it closes; True when the person signed out to switch."""
        assert self.client is not None
        session = Session(self.client, self._ask_to_sign_in)
        notices: tuple[str, ...] = ()
        if not self.tokens.persistent:
            notices = (_("No keyring: you will sign in again next time."),)
        window = MainWindow(
            profile,
            session,
            self.tasks,
            self.connect,
            self.journal,
            preferences=PreferencesStore(preferences_file()),
            notices=notices,
        )
        self.window = window
        closed = asyncio.Event()
        switching: list[bool] = []
        window.switch_server_requested.connect(lambda: switching.append(True))
        window.closing.connect(closed.set)
        window.show()
        window.start()
        freeze_what_started()
        for path in (*self.options.open_files, *self.arrived):
            window.open_import(path)
        self.arrived.clear()
        if self.options.report_ready or self.options.quit_when_ready:
            await self._report_when_ready(window)
        if self.options.quit_when_ready:
            window.close()
        await closed.wait()
        self.window = None  # a signal now has no window to close (see stop())
        window.deleteLater()  # with its menus and popups, before the loop stops
        return bool(switching)

    def receive_files(self, files: list[Path]) -> None:
        """A later start handed over its files (none: it wanted the window shown)."""
        window = self.window
        if window is None:  # still signing in: opened with the window
            self.arrived.extend(files)
            return
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()
        for path in files:
            window.open_import(path)

    async def _ask_to_sign_in(self) -> bool:
        assert self.window is not None
        return await self.window.ask_to_sign_in()

    async def _report_when_ready(self, window: MainWindow) -> None:
        pane = window.current_pane()
        assert pane is not None  # the window opens on the first kind's lists
        model = pane.model
        # Said the moment the rows arrive (the model's stateChanged), not at a poll after.
        changed = asyncio.Event()
        model.stateChanged.connect(changed.set)
        try:
            while not (model.state is LoadState.LOADED and model.rows):
                if model.state is LoadState.FAILED:
                    print(f"failed: {model.error}", flush=True)
                    return
                changed.clear()
                await changed.wait()
        finally:
            model.stateChanged.disconnect(changed.set)
        print(f"ready in {(time.perf_counter() - self.started) * 1000:.0f} ms", flush=True)


def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons", "omnidesk.svg")))


def name_application(app: QApplication) -> None:
    """Names, icon and desktop entry: what the window manager and the task bar show."""
    app.setApplicationName("OmniDesk")
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setOrganizationName("OmniDesk")
    app.setWindowIcon(app_icon())
    # Wayland and most docks match windows to the installed .desktop entry by this name.
    app.setDesktopFileName(APP_ID)


def run_gui(options: Options, demo: DemoServer | None = None) -> int:
    """`demo`: the demo's server, started before Qt was imported (see cli._open_window)."""
    logs.configure(WINDOW_LOG, echo_to_stderr=True)
    paint_on_the_window_thread()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    log.info(
        "OmniDesk %s starting: Python %s, Qt %s, %s",
        __version__,
        platform.python_version(),
        qVersion(),
        platform.platform(),
    )
    name_application(app)
    # Before any widget exists: every sentence is looked up as its widget is built.
    language = set_language(PreferencesStore(preferences_file()).language())
    qt_words = install_qt_translations(app, language)
    log.info("speaking %s; Qt's own words %s", language, "too" if qt_words else "in English")
    unattended = options.report_ready or options.quit_when_ready
    # `omnidesk --demo` asks for the demo's own window; anything else goes to a running one.
    if not (unattended or options.demo) and hand_over(options.open_files):
        print(_("omnidesk: the OmniDesk window already open takes it from here."))
        return 0
    listener = InstanceListener()
    if not unattended:
        listener.listen()
    style.install(app)
    # The loop ends when Application.run() returns, after its clean-up (closing the
    # client, stopping the demo server); Qt quitting on its own would cut that short.
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    crashes = CrashReporter()
    crashes.install(loop)
    try:
        application = Application(options, demo)
        listener.filesArrived.connect(application.receive_files)
        _stop_on_signals(loop, application)
        with loop:
            return loop.run_until_complete(run_reporting(application, crashes))
    except OmnitronError as problem:  # the demo's own sign-in failed: say so and stop
        return _cannot_start(options, str(problem))
    except (OSError, sqlite3.Error) as problem:  # the data folder: read-only, full, a file
        return _cannot_start(options, _storage_problem(problem))
    except asyncio.CancelledError:  # stopped by a signal before the window opened
        print(_("omnidesk: stopped."), file=sys.stderr)
        return 130
    finally:
        crashes.uninstall()
        listener.close()  # the next start opens its own window, not knocks on a closed one


# What run_gui says in words itself; anything else escaping Application.run() is a bug.
FORESEEN = (OmnitronError, OSError, sqlite3.Error, asyncio.CancelledError)


async def run_reporting(application: Application, crashes: CrashReporter) -> int:
    """Runs the app; a bug that stops it (while starting, say) is shown before it ends."""
    try:
        return await application.run()
    except FORESEEN:
        raise
    except Exception as bug:
        options = application.options
        if options.report_ready or options.quit_when_ready:  # runs nobody watches
            log.error("OmniDesk stopped on an unexpected error", exc_info=bug)
            print(
                _("omnidesk: unexpected error: {error}").format(error=describe(bug)),
                file=sys.stderr,
            )
            return EXIT_FAILURE
        dialog = crashes.report(bug, "while starting or closing", fatal=True)
        if dialog is not None:
            closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            dialog.finished.connect(lambda _result: settle(closed, None))
            await closed
        return EXIT_FAILURE


def _storage_problem(problem: OSError | sqlite3.Error) -> str:
    reason = problem.strerror if isinstance(problem, OSError) and problem.strerror else problem
    return _(
        "OmniDesk cannot keep its data in {folder} ({reason}). Make sure that "
        "folder can be written to and the disk is not full, then start OmniDesk again."
    ).format(folder=data_dir(), reason=reason)


def _cannot_start(options: Options, message: str) -> int:
    """Says why in words: on stderr, and in a box for whoever started it from a menu."""
    print(f"omnidesk: {message}", file=sys.stderr)
    if not (options.report_ready or options.quit_when_ready):  # runs nobody watches
        QMessageBox.critical(None, _("OmniDesk cannot start"), message)
    return EXIT_FAILURE


def _stop_on_signals(loop: asyncio.AbstractEventLoop, application: Application) -> None:
    # Python sees a signal only when Python code runs, and a Qt loop at rest runs none:
    # the asyncio loop's wake-up pipe delivers it at once instead.
    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: no such thing
            loop.add_signal_handler(number, application.stop)
