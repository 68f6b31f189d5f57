"""On a production profile the wizard says so wherever it matters, and asks once more."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from omnidesk.api import OmnitronClient
from omnidesk.api.session import Session
from omnidesk.imports import ImportTarget, Journal
from omnidesk.settings import Environment, Profile
from omnidesk.ui.import_wizard import ImportWizard, Step
from omnidesk.ui.tasks import BackgroundTasks
from omnidesk.ui.widgets import EnvironmentBanner

from .conftest import Runner
from .wizard_steps import new_list, skus, to_changes, wait_for_result, write_prices

ACME = Profile("Acme", "http://acme.omnitron.example", "ayse", Environment.PRODUCTION)


def test_a_production_wizard_is_marked_and_asks_before_the_rows_go(
    qtbot: QtBot,
    client: OmnitronClient,
    tasks: BackgroundTasks,
    run: Runner,
    tmp_path: Path,
) -> None:
    target = ImportTarget.of(run(new_list(client)))
    a, b = skus(run, client, 2, page=10)
    path = write_prices(tmp_path / "prices.csv", ["product__sku", "price"], [[a, "5"], [b, "6"]])
    session = Session(client, lambda: asyncio.sleep(0, result=False))
    wizard = ImportWizard(
        session, tasks, Journal(tmp_path / "j.sqlite3"), target=target, profile=ACME
    )
    qtbot.addWidget(wizard)
    wizard.show()

    assert wizard.windowTitle() == "Import a spreadsheet — PRODUCTION — Acme"
    (banner,) = wizard.findChildren(EnvironmentBanner)
    assert banner.text().startswith("PRODUCTION")
    (warning,) = [w for w in wizard.findChildren(QLabel) if w.objectName() == "insecureWarning"]
    assert "not encrypted" in warning.text()

    wizard.open_file(path)
    assert wizard.windowTitle() == "Import prices.csv — PRODUCTION — Acme"
    to_changes(qtbot, wizard)
    assert wizard.next.text() == "Upload 2 rows to PRODUCTION — Acme"

    wizard.next.click()  # the button said where; the question asks
    qtbot.waitUntil(lambda: wizard.question is not None and wizard.question.isVisible())
    assert wizard.question is not None
    assert "the live store" in wizard.question.text()
    wizard.question.button(QMessageBox.StandardButton.No).click()
    qtbot.waitUntil(wizard.next.isEnabled)
    assert wizard.current_step is Step.CHANGES
    assert run(client.product_prices.list(target.pk)).count == 0  # nothing went

    wizard.next.click()
    qtbot.waitUntil(lambda: wizard.question is not None and wizard.question.isVisible())
    assert wizard.question is not None
    wizard.question.button(QMessageBox.StandardButton.Yes).click()
    wait_for_result(qtbot, wizard)
    assert run(client.product_prices.list(target.pk)).count == 2
    wizard.close()


def test_elsewhere_the_wizard_names_its_environment_and_the_button_does_not_shout(
    qtbot: QtBot, client: OmnitronClient, tasks: BackgroundTasks, run: Runner, tmp_path: Path
) -> None:
    staging = Profile("Acme staging", "https://staging.acme.example", "ayse", Environment.STAGING)
    target = ImportTarget.of(run(new_list(client)))
    (a,) = skus(run, client, 1, page=10)
    path = write_prices(tmp_path / "prices.csv", ["product__sku", "price"], [[a, "5"]])
    session = Session(client, lambda: asyncio.sleep(0, result=False))
    wizard = ImportWizard(
        session, tasks, Journal(tmp_path / "j.sqlite3"), target=target, profile=staging
    )
    qtbot.addWidget(wizard)
    wizard.open_file(path)
    assert wizard.windowTitle() == "Import prices.csv — Staging — Acme staging"
    assert not [w for w in wizard.findChildren(QLabel) if w.objectName() == "insecureWarning"]
    to_changes(qtbot, wizard)
    assert wizard.next.text() == "Upload 1 row"
    wizard.discard()
