"""What the window remembers between runs: size and place, splitters, columns, last folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient
from omnidesk.api.session import Session
from omnidesk.imports import Journal
from omnidesk.kinds import ListKind
from omnidesk.sandbox import SandboxServer
from omnidesk.settings import Environment, Profile
from omnidesk.settings.paths import ui_state_file
from omnidesk.ui.main_window import MainWindow
from omnidesk.ui.paged_model import LoadState
from omnidesk.ui.tasks import BackgroundTasks

Opener = Callable[[], MainWindow]


@pytest.fixture
def open_window(
    qtbot: QtBot,
    sandbox: SandboxServer,
    client: OmnitronClient,
    tasks: BackgroundTasks,
    tmp_path: Path,
) -> Opener:
    """A window as the app opens it at each start: same profile, same folders."""
    profile = Profile("Sandbox", sandbox.url, "demo", Environment.TEST)

    async def reconnect(chosen: Profile, password: str) -> None:
        await client.login(chosen.username, password)

    def opened() -> MainWindow:
        session = Session(client, lambda: window.ask_to_sign_in())
        window = MainWindow(profile, session, tasks, reconnect, Journal(tmp_path / "j.sqlite3"))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.start()
        pane = window.panes[ListKind.PRICE]
        qtbot.waitUntil(lambda: pane.model.state is LoadState.LOADED and pane.model.rowCount() > 0)
        return window

    return opened


def test_a_window_closed_and_opened_again_is_as_it_was_left(
    qtbot: QtBot, open_window: Opener
) -> None:
    first = open_window()
    # The offscreen screen is 800 wide and the window needs 798 of it, its frame 2 more
    # each side: the one place where Qt's restore need not move it back onto the screen.
    first.setGeometry(QRect(2, 45, first.minimumWidth(), 500))
    pane = first.panes[ListKind.PRICE]
    pane.contents.show_list(pane.model.row(0))
    qtbot.waitUntil(pane.contents.isVisible)
    split = pane.split
    qtbot.waitUntil(lambda: sum(split.sizes()) + split.handleWidth() == split.height())
    split.setSizes([150, 250])
    qtbot.waitUntil(lambda: sum(split.sizes()) + split.handleWidth() == split.height())
    handle_at = split.handle(1).y()  # where the person left the line between the two
    header = pane.table.horizontalHeader()
    header.resizeSection(1, 222)
    header.moveSection(2, 0)  # Currency first
    contents_header = pane.contents.table.horizontalHeader()
    contents_header.resizeSection(0, 199)
    imports_header = first.imports.table.horizontalHeader()
    imports_header.resizeSection(1, 333)
    geometry = first.geometry()
    first.close()
    assert ui_state_file().is_file()

    again = open_window()
    assert again.geometry() == geometry
    pane = again.panes[ListKind.PRICE]
    header = pane.table.horizontalHeader()
    assert header.sectionSize(1) == 222
    assert header.visualIndex(2) == 0
    assert header.sortIndicatorSection() == 0  # still sorted by name, as the list is
    assert pane.contents.table.horizontalHeader().sectionSize(0) == 199
    assert again.imports.table.horizontalHeader().sectionSize(1) == 333
    pane.contents.show_list(pane.model.row(0))
    qtbot.waitUntil(pane.contents.isVisible)
    qtbot.waitUntil(lambda: pane.split.handle(1).y() == handle_at)  # once laid out
    again.close()


def test_columns_saved_by_another_version_are_not_forced_on_this_one(
    qtbot: QtBot, open_window: Opener
) -> None:
    first = open_window()
    first.panes[ListKind.PRICE].table.horizontalHeader().resizeSection(1, 222)
    first.close()
    text = ui_state_file().read_text(encoding="utf-8")
    # As if the list had other columns when it was saved.
    ui_state_file().write_text(text.replace("Name\\tCode", "Name\\tERP code"), encoding="utf-8")
    again = open_window()
    assert again.panes[ListKind.PRICE].table.horizontalHeader().sectionSize(1) != 222
    again.close()


def test_a_damaged_memory_file_means_the_first_run_layout(
    qtbot: QtBot, open_window: Opener
) -> None:
    ui_state_file().parent.mkdir(parents=True, exist_ok=True)
    ui_state_file().write_bytes(b"\x00\xff[window]\ngeometry=@ByteArray(nonsense)\n")
    window = open_window()
    assert window.isVisible()
    assert window.width() > 600
    window.close()


def test_file_dialogs_open_in_the_folder_used_last(
    qtbot: QtBot, open_window: Opener, tmp_path: Path
) -> None:
    exports, sheets = tmp_path / "exports", tmp_path / "sheets"
    exports.mkdir()
    sheets.mkdir()
    window = open_window()
    pane = window.panes[ListKind.PRICE]
    pane.export()
    dialog = pane.exporter.dialog
    assert dialog is not None
    dialog.fileSelected.emit(str(exports / "fiyat listeleri.xlsx"))  # as if chosen there
    qtbot.waitUntil(lambda: (exports / "fiyat listeleri.xlsx").exists())
    dialog.close()
    source = sheets / "fiyatlar.csv"
    source.write_text("product__sku,price\nA-1,10\n", encoding="utf-8")
    wizard = window.open_import(source)
    qtbot.waitUntil(lambda: wizard.checked is not None)
    wizard.reject()
    window.close()

    again = open_window()
    pane = again.panes[ListKind.PRICE]
    pane.export()
    assert pane.exporter.dialog is not None
    assert Path(pane.exporter.dialog.directory().absolutePath()) == exports
    pane.exporter.dialog.close()
    wizard = again.open_import()
    zone = wizard.choose_page.drop_zone
    zone.browse()
    assert isinstance(zone.dialog, QFileDialog)
    assert Path(zone.dialog.directory().absolutePath()) == sheets
    zone.dialog.close()
    wizard.reject()
    again.close()


def test_the_wizard_opens_at_the_size_and_split_it_was_left(
    qtbot: QtBot, open_window: Opener
) -> None:
    window = open_window()
    wizard = window.open_import()
    qtbot.waitExposed(wizard)
    wizard.resize(760, 560)  # within the 800-wide offscreen screen
    wizard.check_page.split.setSizes([500, 300])
    sizes = wizard.check_page.split.sizes()
    wizard.changes_page.changes_table.horizontalHeader().resizeSection(1, 190)  # SKU
    wizard.reject()
    again = window.open_import()
    qtbot.waitExposed(again)
    assert again.size().toTuple() == (760, 560)
    assert again.check_page.split.sizes() == sizes
    assert again.changes_page.changes_table.horizontalHeader().sectionSize(1) == 190
    again.reject()
    window.close()
