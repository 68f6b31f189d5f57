"""Under the pseudo language every translated sentence reads ⟦…⟧: a word on screen
without brackets is a sentence that bypassed gettext, and a Turkish reader would
meet it in English."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from omnidesk import i18n
from omnidesk.api import OmnitronClient
from omnidesk.api.session import Session
from omnidesk.imports import ImportTarget, Journal
from omnidesk.settings import Environment, Profile
from omnidesk.ui.import_wizard import ImportWizard, Step
from omnidesk.ui.tasks import BackgroundTasks

from .conftest import Runner
from .visible_text import untranslated
from .wizard_steps import checked, new_list, skus, write_prices


@pytest.fixture
def pseudo() -> Iterator[None]:
    i18n.set_language(i18n.PSEUDO)
    yield
    i18n.set_language(None)


def test_every_page_of_the_import_wizard_is_translated(
    pseudo: None,
    qtbot: QtBot,
    session: Session,
    client: OmnitronClient,
    tasks: BackgroundTasks,
    run: Runner,
    tmp_path: Path,
) -> None:
    target = run(new_list(client))
    known = skus(run, client, 3)
    rows = [[known[0], "10", "18"], [known[1], "-5", "18"], [known[2], "12", "18"]]
    rows.append(["NOPE", "1", "x"])  # a row with errors, so the check page has findings
    path = write_prices(tmp_path / "kasim.csv", ["product__sku", "price", "tax"], rows)
    acme = Profile("Acme", "http://acme.omnitron.example", "ayse", Environment.PRODUCTION)
    wizard = ImportWizard(
        session, tasks, Journal(tmp_path / "j.sqlite3"), target=ImportTarget.of(target),
        profile=acme,
    )  # fmt: skip
    qtbot.addWidget(wizard)
    wizard.show()
    data = {target.name, path.name, str(path), *known, "NOPE", "product__sku", "price", "tax"}
    data |= {"Acme", "acme.omnitron.example"}
    assert untranslated(wizard, data) == []  # the first page: drop a file

    wizard.open_file(path)
    checked(qtbot, wizard)
    assert wizard.current_step is Step.CHECK
    assert untranslated(wizard, data) == []

    wizard.check_page.good_rows_only.setChecked(True)
    qtbot.waitUntil(wizard.next.isEnabled)
    wizard.next.click()
    qtbot.waitUntil(lambda: wizard.diff is not None)
    assert untranslated(wizard, data) == []

    for box in wizard.changes_page.guardrail_checks:
        box.setChecked(True)
    qtbot.waitUntil(wizard.next.isEnabled)
    wizard.next.click()
    qtbot.waitUntil(lambda: wizard.question is not None and wizard.question.isVisible())
    assert wizard.question is not None
    assert untranslated(wizard.question, data) == []
    wizard.question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: wizard.current_step is Step.RESULT, timeout=20_000)
    assert untranslated(wizard, data) == []
    wizard.discard()
