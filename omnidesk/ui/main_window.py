"""The main window: environment banner, Price lists and Stock lists, and their contents."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from omnidesk import APP_DISPLAY_NAME, kinds
from omnidesk.api import Retrying
from omnidesk.api.session import Session
from omnidesk.i18n import _
from omnidesk.imports import GuardrailSettings, Journal
from omnidesk.imports.staged import StagedEdits
from omnidesk.settings import Environment, Profile
from omnidesk.settings.preferences import PreferencesStore

from .drop_zone import dropped_spreadsheet
from .import_report import ImportReportDialog
from .import_wizard import ImportWizard
from .imports_view import ImportsPane
from .list_pane import ListPane
from .memory import remember_columns, remember_geometry, restore_columns, restore_geometry
from .paged_model import LoadState
from .preferences_dialog import PreferencesDialog
from .shortcuts import ShortcutsDialog
from .sign_in import Connect, SignInDialog
from .style import named
from .tasks import BackgroundTasks, settle
from .widgets import EnvironmentBanner, ask
from .window_imports import ImportsInTheWindow
from .window_menus import MenusOfTheWindow


def window_title(profile: Profile) -> str:
    """Where the window is signed in, then the app's name: "Test — Acme staging — OmniDesk".

    The name comes last and is spelled as the application's display name, because
    X11, Wayland and Windows add that name after any title that does not already end
    with it; a title starting with it read "OmniDesk — Demo — Demo — OmniDesk".
    """
    environment = (
        _("PRODUCTION")
        if profile.environment is Environment.PRODUCTION
        else profile.environment.label
    )
    # A profile named after its environment ("Demo", "Staging") is said once.
    parts = [environment]
    if profile.name.casefold() != environment.casefold():
        parts.append(profile.name)
    return " — ".join([*parts, APP_DISPLAY_NAME])


class MainWindow(ImportsInTheWindow, MenusOfTheWindow, QMainWindow):
    closing = Signal()
    # The person signs out to go to another server: the app closes this window, forgets
    # the token, and asks where to sign in next.
    switch_server_requested = Signal()

    def __init__(
        self,
        profile: Profile,
        session: Session,
        tasks: BackgroundTasks,
        reconnect: Connect,
        journal: Journal,
        *,
        preferences: PreferencesStore | None = None,
        notices: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.journal = journal
        self.preferences = preferences
        self.wizards: list[ImportWizard] = []
        self.preferences_dialog: PreferencesDialog | None = None
        self.file_dialog: QFileDialog | None = None
        self.closing_question: QMessageBox | None = None
        self._close_confirmed = False
        self._closing = False
        self._switching = False
        self.question: QMessageBox | None = None
        self.about_box: QMessageBox | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.profile = profile
        self.session = session
        self.tasks = tasks
        self.reconnect = reconnect
        self.sign_in_dialog: SignInDialog | None = None
        self.setWindowTitle(window_title(profile))

        self.staged = StagedEdits(journal)  # what grids edited and did not send yet

        def guardrails() -> GuardrailSettings:
            return preferences.load() if preferences is not None else GuardrailSettings()

        # One page per kind of list, in the registry's order, then the Imports page.
        self.panes = {
            kind: ListPane(kind, session, tasks, self.staged, guardrails, profile=profile)
            for kind in kinds.KINDS
        }
        self.imports = ImportsPane(journal, session, tasks)
        self.imports.changed.connect(self._imports_changed)
        self.imports.reportRequested.connect(self.open_report)
        self.imports.followed_to_the_end.connect(self._followed_to_the_end)
        self.report_dialog: ImportReportDialog | None = None
        self.pages = QStackedWidget()
        for pane in self.panes.values():
            self.pages.addWidget(pane)
        self.pages.addWidget(self.imports)
        for pane in self.panes.values():
            pane.importRequested.connect(
                lambda path, target, kind=pane.kind: self.open_import(path, kind, target)
            )
            pane.dropRefused.connect(lambda reason: self.statusBar().showMessage(reason, 6000))
            pane.contents.reviewRequested.connect(self.open_made)
        self.setAcceptDrops(True)

        self.navigation = QListWidget()
        self.navigation.addItems(
            [pane.words.title for pane in self.panes.values()] + [_("Imports")]
        )
        self.navigation.setAccessibleName(_("Pages"))
        self.navigation.setFixedWidth(150)
        self.navigation.setIconSize(QSize(16, 16))
        self.navigation.currentRowChanged.connect(self._show_page)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.navigation)
        body.addWidget(self.pages, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(
            EnvironmentBanner(profile.environment, f"{profile.username} @ {profile.base_url}")
        )
        # Edits a grid kept from last time: named at the start (offer_staged_edits).
        self.edits_notice = QFrame()
        named(self.edits_notice, "stagedBar")
        self.edits_words = QLabel()
        self.edits_words.setObjectName("editsNotice")
        self.edits_words.setWordWrap(True)
        self.edits_show = QPushButton()
        self.edits_show.clicked.connect(self.show_staged_edits)
        notice_row = QHBoxLayout(self.edits_notice)
        notice_row.setContentsMargins(8, 3, 8, 3)
        notice_row.addWidget(self.edits_words, 1)
        notice_row.addWidget(self.edits_show)
        self.edits_notice.hide()
        layout.addWidget(self.edits_notice)
        inner = QWidget()
        inner.setLayout(body)
        layout.addWidget(inner, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.status = QLabel(
            _("Signed in as {user} at {server}").format(
                user=profile.username, server=profile.base_url
            )
        )
        self.statusBar().addWidget(self.status, 1)
        for notice in notices:
            self.statusBar().addPermanentWidget(QLabel(notice))
        self.navigation.setCurrentRow(0)
        self._restore_layout()
        # A request sent again is said, so that the pause before it is not taken for a hang.
        session.client.on_retry = self._heard_retry

    def _heard_retry(self, retrying: Retrying) -> None:
        if self._closing:
            return
        # Shown through the wait and a moment past it; the next message replaces it.
        self.statusBar().showMessage(retrying.message, round((retrying.wait + 4) * 1000))
        for wizard in self.wizards:
            wizard.sending.heard_retry(retrying)

    def _restore_layout(self) -> None:
        """Where the person left the window, its splitters and its columns (memory.py)."""
        if not restore_geometry("window", self):
            self._fit_to_screen()
        for pane in self.panes.values():
            pane.restore_layout()
        restore_columns("imports", self.imports.table.horizontalHeader())

    def _remember_layout(self) -> None:
        remember_geometry("window", self)
        for pane in self.panes.values():
            pane.remember_layout()
        remember_columns("imports", self.imports.table.horizontalHeader())

    def _fit_to_screen(self) -> None:
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        if available is None or available.width() >= 1440:
            self.resize(1360, 820)
            return
        # A laptop screen (1366×768 is common among merchandisers): use all of it.
        self.setGeometry(available)

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        self.pages.setCurrentIndex(row)
        pane = self.current_pane()
        if pane is None:
            self.imports.refresh()
        elif pane.model.rowCount() == 0 and pane.model.state is not LoadState.LOADING:
            pane.start()

    def show_imports(self) -> None:
        self.navigation.setCurrentRow(self.pages.indexOf(self.imports))

    def current_pane(self) -> ListPane | None:
        pane = self.pages.currentWidget()
        return pane if isinstance(pane, ListPane) else None

    def _on_list_pane(self, action: Callable[[ListPane], object]) -> None:
        pane = self.current_pane()
        if pane is not None:
            action(pane)

    def _refresh(self) -> None:
        pane = self.current_pane()
        if pane is None:
            self.imports.refresh()
        else:
            pane.refresh()

    def start(self) -> None:
        first = self.current_pane()
        if first is not None:
            first.start()
        self._offer_to_follow_unfinished()
        self.offer_staged_edits()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        path, reason = dropped_spreadsheet(event.mimeData())
        if path is None:
            self.statusBar().showMessage(reason, 6000)
            event.ignore()
            return
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path, _ = dropped_spreadsheet(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.open_import(path)

    async def ask_to_sign_in(self) -> bool:
        """Open the sign-in dialog for this server; True once signed in again."""
        answered: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        dialog = SignInDialog([], self.reconnect, expired=self.profile, parent=self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda result: settle(answered, result == 1))
        self.sign_in_dialog = dialog
        dialog.open()
        try:
            return await answered
        finally:
            self.sign_in_dialog = None
            dialog.deleteLater()

    def _switch_server(self) -> None:
        self._switching = True
        self.close()

    def unsaved_work(self) -> list[str]:
        """What closing the window now would cost, a sentence each."""
        lost = [
            _("The import of {file} you are preparing is thrown away.").format(
                file=wizard.path.name
            )
            for wizard in self.wizards
            if wizard.isVisible() and wizard.has_unsent_work and wizard.path is not None
        ]
        lost += [
            _("Sending {file} may be cut off (the Imports page will say what arrived).").format(
                file=wizard.path.name
            )
            for wizard in self.wizards
            if wizard.uploading and wizard.path is not None
        ]
        dialog = self.preferences_dialog
        if dialog is not None and dialog.isVisible() and dialog.has_changes():
            lost.append(_("The preferences you changed are thrown away."))
        return lost

    def close_without_asking(self) -> None:
        """Ctrl+C in a terminal, the session ending: nothing to ask, nobody to answer."""
        self._close_confirmed = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        lost = [] if self._close_confirmed else self.unsaved_work()
        if lost:
            event.ignore()
            self._ask_before_closing(lost)
            return
        self._closing = True  # a wizard let go now is not followed by this window any more
        if self.session.client.on_retry == self._heard_retry:
            self.session.client.on_retry = None  # the client may serve the next window
        for wizard in list(self.wizards):
            wizard.discard()  # asked above; its jobs end now, before the window takes it along
        self.imports.stop_following()  # the journal keeps them; the next start offers them
        self._remember_layout()
        if self._switching:
            self.switch_server_requested.emit()
        self.closing.emit()
        event.accept()

    def _ask_before_closing(self, lost: list[str]) -> None:
        def answered(close: bool) -> None:
            if close:
                self.close_without_asking()
            else:
                self._switching = False

        # One sentence a line, each whole: the language joins nothing.
        self.closing_question = ask(
            self,
            _("Close OmniDesk?"),
            "\n".join([_("If you close OmniDesk now:"), *(f"• {words}" for words in lost)]),
            go=(QMessageBox.StandardButton.Close, None),
            stay=(QMessageBox.StandardButton.Cancel, _("Keep working")),
            answered=answered,
        )
