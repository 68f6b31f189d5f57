"""The main window: environment banner, Price lists and Stock lists, and their contents."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
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
from omnidesk.api import ListKind, Retrying
from omnidesk.api.session import Session
from omnidesk.i18n import _, capitalized
from omnidesk.imports import GuardrailSettings, Journal
from omnidesk.imports.staged import StagedEdits
from omnidesk.settings import Environment, Profile
from omnidesk.settings.paths import log_dir
from omnidesk.settings.preferences import PreferencesStore
from omnidesk.spreadsheet import SpreadsheetError, write_template

from .about import open_folder, show_about
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
from .tasks import BackgroundTasks, settle
from .widgets import EnvironmentBanner, ask
from .window_imports import ImportsInTheWindow


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


class MainWindow(ImportsInTheWindow, QMainWindow):
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
        self.edits_notice.setObjectName("stagedBar")
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
            wizard.heard_retry(retrying)

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

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        self.import_action = QAction(
            _("&Import a spreadsheet…"), self, shortcut=QKeySequence("Ctrl+I")
        )
        self.import_action.triggered.connect(lambda: self.open_import())
        file_menu.addAction(self.import_action)
        export = QAction(_("&Export current view…"), self, shortcut=QKeySequence("Ctrl+E"))
        export.setObjectName("exportAction")
        export.setToolTip(_("Export the table you are in, as it shows (Ctrl+E)"))
        export.triggered.connect(self.export_focused)
        file_menu.addAction(export)
        templates = file_menu.addMenu(_("Save an import &template"))
        for entry in kinds.KINDS.values():
            action = QAction(_("For a {noun}…").format(noun=entry.noun), self)
            action.triggered.connect(lambda _=False, kind=entry.kind: self.ask_for_template(kind))
            templates.addAction(action)
        file_menu.addSeparator()
        if self.preferences is not None:
            preferences = QAction(_("&Preferences…"), self)
            preferences.triggered.connect(self.open_preferences)
            file_menu.addAction(preferences)
        if self.profile.environment is not Environment.DEMO:
            self.switch_action = QAction(_("&Sign out and switch server…"), self)
            self.switch_action.triggered.connect(self._switch_server)
            file_menu.addAction(self.switch_action)
        quit_action = QAction(
            _("&Quit"), self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit)
        )
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu(_("&View"))
        refresh = QAction(
            _("&Refresh"), self, shortcut=QKeySequence(QKeySequence.StandardKey.Refresh)
        )
        refresh.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+R")])
        refresh.triggered.connect(self._refresh)
        view_menu.addAction(refresh)
        find = QAction(_("&Filter"), self, shortcut=QKeySequence(QKeySequence.StandardKey.Find))
        find.triggered.connect(lambda: self._on_list_pane(ListPane.focus_filter))
        view_menu.addAction(find)
        for row in range(self.navigation.count()):
            label = f"&{self.navigation.item(row).text()}"
            go = QAction(label, self, shortcut=QKeySequence(f"Ctrl+{row + 1}"))
            go.triggered.connect(lambda _=False, r=row: self.navigation.setCurrentRow(r))
            view_menu.addAction(go)

        list_menu = self.menuBar().addMenu(_("&List"))
        self.new_action = QAction(
            _("&New…"), self, shortcut=QKeySequence(QKeySequence.StandardKey.New)
        )
        self.new_action.setToolTip(_("Create a list (Ctrl+N)"))
        self.new_action.triggered.connect(lambda: self._on_list_pane(ListPane.new_list))
        self.edit_action = QAction(_("&Edit…"), self, shortcut=QKeySequence("F2"))
        self.edit_action.setToolTip(_("Change the selected list (F2)"))
        self.edit_action.triggered.connect(lambda: self._on_list_pane(ListPane.edit_current))
        open_action = QAction(_("&Open contents"), self)
        open_action.triggered.connect(lambda: self._on_list_pane(ListPane.open_current))
        for action in (self.new_action, self.edit_action, open_action):
            list_menu.addAction(action)
        toolbar = self.addToolBar(_("Lists"))
        toolbar.setObjectName("listsToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.new_action)
        toolbar.addAction(self.edit_action)
        toolbar.addAction(refresh)
        toolbar.addAction(self.import_action)
        toolbar.addAction(export)
        for pane in self.panes.values():
            pane.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            pane.table.addActions([open_action, self.edit_action, self.new_action])

        help_menu = self.menuBar().addMenu(_("&Help"))
        keys = QAction(_("&Keyboard shortcuts"), self, shortcut=QKeySequence("F1"))
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)
        log_folder = QAction(_("Open &log folder"), self)
        log_folder.setToolTip(_("The log files to send with a problem report"))
        log_folder.triggered.connect(lambda: open_folder(log_dir()))
        help_menu.addAction(log_folder)
        help_menu.addSeparator()
        about = QAction(_("&About OmniDesk"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

        # Delete must never delete anything: say so instead of doing nothing silently.
        # An action of the window (no menu holds it), so Help ▸ Keyboard shortcuts lists it.
        delete = QAction(_("Say where lists are deleted (in Omnitron itself)"), self)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.triggered.connect(
            lambda: self.statusBar().showMessage(
                _("OmniDesk does not delete lists; that is done in Omnitron itself."), 5000
            )
        )
        self.addAction(delete)

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

    def export_focused(self) -> None:
        """Ctrl+E: the table that has the focus (a list's contents, or the lists)."""
        pane = self.current_pane()
        if pane is None:
            return
        focus = QApplication.focusWidget()
        contents = pane.contents
        if contents.current is not None and focus is not None and contents.isAncestorOf(focus):
            contents.export()
        else:
            pane.export()

    def ask_for_template(self, kind: ListKind) -> QFileDialog:
        """An empty import template of that kind, with its Instructions sheet."""
        entry = kinds.info(kind)
        dialog = QFileDialog(
            self,
            _("Save an import template"),
            capitalized(_("{noun} template.xlsx").format(noun=entry.noun)),
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([_("Excel workbook (*.xlsx)")])
        dialog.setDefaultSuffix("xlsx")
        dialog.fileSelected.connect(
            lambda path: self.tasks.start(self.save_template(kind, Path(path)))
        )
        self.file_dialog = dialog
        dialog.open()
        return dialog

    async def save_template(self, kind: ListKind, path: Path) -> bool:
        try:
            await asyncio.to_thread(write_template, kind, path)
        except SpreadsheetError as problem:
            self.statusBar().showMessage(problem.message, 10000)
            return False
        except OSError as problem:
            self.statusBar().showMessage(
                _("{name} could not be saved: {why}.").format(
                    name=path.name, why=problem.strerror or problem
                ),
                10000,
            )
            return False
        self.statusBar().showMessage(
            _("Saved {name}: fill it in and drop it here to import it.").format(name=path.name),
            10000,
        )
        return True

    def open_preferences(self) -> PreferencesDialog | None:
        if self.preferences is None:
            return None
        dialog = PreferencesDialog(self.preferences, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.destroyed.connect(lambda: setattr(self, "preferences_dialog", None))
        self.preferences_dialog = dialog
        dialog.open()
        return dialog

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

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self)
        dialog.finished.connect(dialog.deleteLater)
        self.shortcuts_dialog = dialog
        dialog.open()
        return dialog

    def _about(self) -> None:
        self.about_box = show_about(self)

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
