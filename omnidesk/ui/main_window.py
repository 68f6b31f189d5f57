"""The main window: environment banner, Price lists and Stock lists, and their contents."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from omnidesk import __version__
from omnidesk.api import ListKind
from omnidesk.api.session import Session
from omnidesk.settings import Environment, Profile

from .list_pane import ListPane
from .sign_in import Connect, SignInDialog
from .tasks import BackgroundTasks, settle
from .widgets import EnvironmentBanner


def window_title(profile: Profile) -> str:
    if profile.environment is Environment.PRODUCTION:
        return f"OmniDesk — PRODUCTION — {profile.name}"
    return f"OmniDesk — {profile.environment.label} — {profile.name}"


class MainWindow(QMainWindow):
    closing = Signal()

    def __init__(
        self,
        profile: Profile,
        session: Session,
        tasks: BackgroundTasks,
        reconnect: Connect,
        *,
        notices: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.profile = profile
        self.session = session
        self.tasks = tasks
        self.reconnect = reconnect
        self.sign_in_dialog: SignInDialog | None = None
        self.setWindowTitle(window_title(profile))
        self._fit_to_screen()

        self.price_lists = ListPane(ListKind.PRICE, session, tasks)
        self.stock_lists = ListPane(ListKind.STOCK, session, tasks)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.price_lists)
        self.pages.addWidget(self.stock_lists)

        self.navigation = QListWidget()
        self.navigation.addItems(["Price lists", "Stock lists"])
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
        inner = QWidget()
        inner.setLayout(body)
        layout.addWidget(inner, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.status = QLabel(f"Signed in as {profile.username} at {profile.base_url}")
        self.statusBar().addWidget(self.status, 1)
        for notice in notices:
            self.statusBar().addPermanentWidget(QLabel(notice))
        self.navigation.setCurrentRow(0)

    def _fit_to_screen(self) -> None:
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        if available is None or available.width() >= 1440:
            self.resize(1360, 820)
            return
        # A laptop screen (1366×768 is common among merchandisers): use all of it.
        self.setGeometry(available)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        export = QAction("&Export current view…", self, shortcut=QKeySequence("Ctrl+E"))
        export.triggered.connect(lambda: self.current_pane().export())
        file_menu.addAction(export)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu("&View")
        refresh = QAction("&Refresh", self, shortcut=QKeySequence(QKeySequence.StandardKey.Refresh))
        refresh.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+R")])
        refresh.triggered.connect(lambda: self.current_pane().refresh())
        view_menu.addAction(refresh)
        find = QAction("&Filter", self, shortcut=QKeySequence(QKeySequence.StandardKey.Find))
        find.triggered.connect(lambda: self.current_pane().focus_filter())
        view_menu.addAction(find)
        for number, (label, row) in enumerate((("&Price lists", 0), ("&Stock lists", 1)), start=1):
            go = QAction(label, self, shortcut=QKeySequence(f"Ctrl+{number}"))
            go.triggered.connect(lambda _=False, r=row: self.navigation.setCurrentRow(r))
            view_menu.addAction(go)

        list_menu = self.menuBar().addMenu("&List")
        self.new_action = QAction(
            "&New…", self, shortcut=QKeySequence(QKeySequence.StandardKey.New)
        )
        self.new_action.setToolTip("Create a list (Ctrl+N)")
        self.new_action.triggered.connect(lambda: self.current_pane().new_list())
        self.edit_action = QAction("&Edit…", self, shortcut=QKeySequence("F2"))
        self.edit_action.setToolTip("Change the selected list (F2)")
        self.edit_action.triggered.connect(lambda: self.current_pane().edit_current())
        open_action = QAction("&Open contents", self)
        open_action.triggered.connect(lambda: self.current_pane().open_current())
        for action in (self.new_action, self.edit_action, open_action):
            list_menu.addAction(action)
        toolbar = self.addToolBar("Lists")
        toolbar.setObjectName("listsToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.new_action)
        toolbar.addAction(self.edit_action)
        toolbar.addAction(refresh)
        toolbar.addAction(export)
        for pane in (self.price_lists, self.stock_lists):
            pane.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            pane.table.addActions([open_action, self.edit_action, self.new_action])

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About OmniDesk", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

        # Delete must never delete anything: say so instead of doing nothing silently.
        delete = QShortcut(QKeySequence.StandardKey.Delete, self)
        delete.activated.connect(
            lambda: self.statusBar().showMessage(
                "OmniDesk does not delete lists; that is done in Omnitron itself.", 5000
            )
        )

    def _show_page(self, row: int) -> None:
        if row >= 0:
            self.pages.setCurrentIndex(row)
            pane = self.current_pane()
            if pane.model.rowCount() == 0 and pane.model.state.value != "loading":
                pane.start()

    def current_pane(self) -> ListPane:
        pane = self.pages.currentWidget()
        assert isinstance(pane, ListPane)
        return pane

    def start(self) -> None:
        self.price_lists.start()

    def _about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "About OmniDesk",
            f"OmniDesk {__version__}\nPrice lists and stock lists for Omnitron.",
            parent=self,
        )
        box.open()

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

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        event.accept()
