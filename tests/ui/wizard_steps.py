"""Driving the import wizard as a person would: files to drop, pages to pass."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient, PriceList
from omnidesk.ui.import_wizard import ImportWizard, Step
from tests.names import unique

from .conftest import Runner


def write_prices(
    path: Path, header: list[str], rows: list[list[object]], title: bool = False
) -> Path:
    if path.suffix == ".xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        if title:
            sheet.append(["Kasım fiyatları"])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        book.save(path)
        return path
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        if title:
            writer.writerow(["Kasım fiyatları"])
        writer.writerow(header)
        writer.writerows(rows)
    return path


def drop(widget: object, path: Path) -> None:
    """A real drag-and-drop of a file URL: enter, then drop, as Qt delivers them."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    position = QPointF(20, 20)
    enter = QDragEnterEvent(
        QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(widget, enter)  # type: ignore[arg-type]
    assert enter.isAccepted()
    dropped = QDropEvent(
        position, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(widget, dropped)  # type: ignore[arg-type]


async def new_list(client: OmnitronClient) -> PriceList:
    return await client.price_lists.create(name=unique("Wizard"))


def skus(run: Runner, client: OmnitronClient, count: int, page: int = 7) -> list[str]:
    return [p.sku for p in run(client.products.list(page=page, limit=count)).results]


def checked(qtbot: QtBot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.checked is not None, timeout=10_000)


def wait_for_result(qtbot: QtBot, wizard: ImportWizard, timeout: int = 20_000) -> None:
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == Step.RESULT, timeout=timeout)


def to_changes(qtbot: QtBot, wizard: ImportWizard) -> None:
    """Past the check to "what will change", the comparison done."""
    checked(qtbot, wizard)
    qtbot.waitUntil(wizard.next.isEnabled)
    wizard.next.click()
    # Reading the whole list and looking up new SKUs: seconds when the machine is busy.
    qtbot.waitUntil(lambda: wizard.diff is not None, timeout=20_000)


def upload(qtbot: QtBot, wizard: ImportWizard, *, confirming: bool = False) -> None:
    """From the check to the upload: the person presses Next twice (``confirming``
    every guardrail on the way)."""
    to_changes(qtbot, wizard)
    if confirming:
        for box in wizard.changes_page.guardrail_checks:
            box.setChecked(True)
    qtbot.waitUntil(wizard.next.isEnabled)
    wizard.next.click()
