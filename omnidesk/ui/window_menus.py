"""The main window's menus and toolbar, and what their items open that is the window's
own: an export of the table in focus, an import template, the preferences, the keyboard
shortcuts, About."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QListWidget, QMessageBox

from omnidesk import kinds, spreadsheet
from omnidesk.api import ListKind
from omnidesk.i18n import _, capitalized
from omnidesk.imports import ImportTarget
from omnidesk.settings import Environment, Profile
from omnidesk.settings.paths import log_dir
from omnidesk.settings.preferences import PreferencesStore
from omnidesk.spreadsheet import SpreadsheetError

from .about import open_folder, show_about
from .import_wizard import ImportWizard
from .list_pane import ListPane
from .preferences_dialog import PreferencesDialog
from .shortcuts import ShortcutsDialog
from .tasks import BackgroundTasks

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    _Window = QMainWindow  # what this is mixed into, for the type checker
else:
    _Window = object


class MenusOfTheWindow(_Window):
    """Mixed into MainWindow, whose attributes these are."""

    tasks: BackgroundTasks
    preferences: PreferencesStore | None
    profile: Profile
    panes: dict[ListKind, ListPane]
    navigation: QListWidget
    file_dialog: QFileDialog | None
    preferences_dialog: PreferencesDialog | None
    shortcuts_dialog: ShortcutsDialog | None
    about_box: QMessageBox | None

    if TYPE_CHECKING:

        def open_import(
            self,
            path: Path | None = None,
            kind: ListKind | None = None,
            target: ImportTarget | None = None,
        ) -> ImportWizard: ...
        def current_pane(self) -> ListPane | None: ...
        def _on_list_pane(self, action: Callable[[ListPane], object]) -> None: ...
        def _refresh(self) -> None: ...
        def _switch_server(self) -> None: ...

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
            await asyncio.to_thread(spreadsheet.write_template, kind, path)
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

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self)
        dialog.finished.connect(dialog.deleteLater)
        self.shortcuts_dialog = dialog
        dialog.open()
        return dialog

    def _about(self) -> None:
        self.about_box = show_about(self)
