"""The wizard and `omnidesk import` drive the same pipeline: one file, the same results.

The same file goes to two lists that start out alike, once through the window
and once through the command line. Both must check it the same way, find the
same changes and guardrails, send the same rows (told by the journal's row map
of each upload), and leave the two lists with the same prices on the server.
"""

from __future__ import annotations

import json
import re
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from omnidesk import kinds
from omnidesk.api import OmnitronClient, PriceList
from omnidesk.cli import main
from omnidesk.imports import ChangeKind, ImportTarget, Journal
from omnidesk.kinds import ListKind
from omnidesk.sandbox import SandboxServer
from omnidesk.settings.paths import journal_file
from omnidesk.ui.import_wizard import ImportWizard, Step
from omnidesk.ui.import_wizard.models import ChangesModel
from omnidesk.ui.main_window import MainWindow
from tests.accounts import MemoryKeyring, sign_in_profile
from tests.names import unique

from .conftest import Runner


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def prices_of(client: OmnitronClient, pk: int) -> dict[str, Decimal]:
    return {row.product_sku or "": row.price async for row in client.product_prices.iterate(pk)}


async def two_lists_alike(client: OmnitronClient, seed: Path) -> tuple[PriceList, PriceList]:
    """Two new price lists holding the same prices, by one import each."""
    made = []
    for _ in range(2):
        created = await client.price_lists.create(name=unique("Parity"), code=unique("PAR"))
        key = await client.price_lists.upload(created.pk, seed)
        async for status in client.price_lists.follow_import(created.pk, key, first_interval=0.05):
            assert status.state.value != "FAILURE"
        made.append(created)
    return made[0], made[1]


def through_the_wizard(
    qtbot: QtBot, window: MainWindow, path: Path, target: PriceList
) -> ImportWizard:
    wizard = window.open_import(path, ListKind.PRICE, ImportTarget.of(target))
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.checked is not None, timeout=10_000)
    wizard.check_page.good_rows_only.setChecked(True)  # the file has a row with errors
    qtbot.waitUntil(wizard.next.isEnabled)
    wizard.next.click()
    qtbot.waitUntil(lambda: wizard.diff is not None, timeout=10_000)
    for box in wizard.changes_page.guardrail_checks:
        box.setChecked(True)
    qtbot.waitUntil(wizard.next.isEnabled)
    wizard.next.click()
    qtbot.waitUntil(lambda: wizard.current_step is Step.RESULT, timeout=20_000)
    return wizard


def test_one_file_through_the_wizard_and_the_command_line_gives_the_same_import(
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    memory_keyring: MemoryKeyring,
    sandbox: SandboxServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    products = run(client.products.list(page=11, limit=5)).results
    a, b, c, d, e = (p.sku for p in products)
    seed = write_csv(tmp_path / "seed.csv", ["product__sku,price", f"{a},100.00", f"{b},50.00"])
    in_window, on_command_line = run(two_lists_alike(client, seed))
    # A title row above the header, a price cut past the guardrail, an unchanged row,
    # new products, a row the check refuses and a SKU the catalogue does not have.
    source = write_csv(
        tmp_path / "kasım.csv",
        [
            "Fiyatlar Kasım,,",
            "SKU,Fiyat,KDV",
            f"{a},40.00,20",
            f"{b},50.00,",
            f"{c},abc,20",
            f"{d},12.50,20",
            "GHOST-PARITY,3.00,20",
            f"{e},0,20",
        ],
    )

    wizard = through_the_wizard(qtbot, window, source, in_window)
    assert wizard.outcome is not None

    sign_in_profile(client.base_url)
    # The command runs its own asyncio loop, as from a terminal: not on this test's.
    answer: list[int] = []
    arguments = ["import", str(source), "--kind", "price", "--list", str(on_command_line.code)]
    command = threading.Thread(target=lambda: answer.append(main([*arguments, "--yes"])))
    command.start()
    command.join(timeout=60)
    (exit_code,) = answer
    out = capsys.readouterr().out
    assert exit_code == 1  # rows with errors, and the server refused the unknown SKU

    # The same check.
    checked = wizard.checked
    assert checked is not None
    assert f"Checked {checked.rows} rows: {checked.valid_rows} usable" in out
    # The same changes, and the same guardrails with the same words.
    diff = wizard.diff
    assert diff is not None
    counts = re.search(r"Compared with the list: (\d+) new, (\d+) changed, (\d+) unchanged, "
                       r"(\d+) not in the catalogue", out)  # fmt: skip
    assert counts is not None
    assert tuple(int(n) for n in counts.groups()) == (
        diff.counts[ChangeKind.NEW],
        diff.counts[ChangeKind.CHANGED],
        diff.counts[ChangeKind.UNCHANGED],
        diff.counts[ChangeKind.NOT_IN_CATALOGUE],
    )
    assert {g.key for g in diff.guardrails} == {"price_drop", "zero_price"}
    for guardrail in diff.guardrails:
        assert f"! {guardrail.message}" in out
    # The same rows sent, from the same rows of the file.
    window_journal = window.journal
    cli_journal = Journal(journal_file())
    try:
        (sent_by_window,) = [r for r in window_journal.history() if r.list_pk == in_window.pk]
        (sent_by_cli,) = [r for r in cli_journal.history() if r.list_pk == on_command_line.pk]
        assert sent_by_window.rows == sent_by_cli.rows == 4  # a, d, e, the ghost; b unchanged
        assert window_journal.row_map(sent_by_window.id) == cli_journal.row_map(sent_by_cli.id)
        assert (sent_by_window.created, sent_by_window.updated, sent_by_window.failed) == (
            sent_by_cli.created,
            sent_by_cli.updated,
            sent_by_cli.failed,
        )
        # And the same report kept of each: who, what was confirmed, held back, refused.
        by_window = window_journal.report(sent_by_window.id)
        by_cli = cli_journal.report(sent_by_cli.id)
        assert by_window == by_cli
        assert by_window.username == "demo"
        assert {key for key, _, _ in by_window.confirmed} == {"price_drop", "zero_price"}
        assert [(r.row, by_window.header(r.column)) for r in by_window.refused] == [(7, "SKU")]
        assert [r.row for r in by_window.held_back] == [5]
        assert {c.sku: c.before for c in by_window.changes}[a] == {"price": "100.00"}
    finally:
        cli_journal.close()
    # The server's refusal, on the file's own row and under the file's own header.
    assert "  row 7, SKU: " in out
    refused = wizard.result_page.problems.problems
    assert [(p.row, p.column) for p in refused if "GHOST" in p.message] == [(7, "SKU")]
    # The server knows each upload by the person's own file name, not a name of ours.
    assert sandbox.store is not None
    for target in (in_window, on_command_line):
        sent = sandbox.store.query(
            "SELECT file_name FROM import_jobs WHERE list_pk = ? ORDER BY started_at DESC",
            (target.pk,),
        )
        assert sent[0]["file_name"] == "kasım.csv"
    # The same prices on the server afterwards.
    assert run(prices_of(client, in_window.pk)) == run(prices_of(client, on_command_line.pk))
    wizard.close()


async def seeded(client: OmnitronClient, kind: ListKind, seed: Path) -> ImportTarget:
    """A new list of ``kind`` holding the seed file's values."""
    lists = client.lists(kind)
    created = await lists.create(name=unique("Every guardrail"), code=unique("EVG"))
    key = await lists.upload(created.pk, seed)
    async for status in lists.follow_import(created.pk, key, first_interval=0.05):
        assert status.state.value != "FAILURE"
    return ImportTarget.of(created)


def every_guardrail(
    kind: ListKind, run: Runner, client: OmnitronClient, tmp_path: Path
) -> tuple[ImportTarget, Path]:
    """A list, and one file that trips every guardrail of its kind there is a file for,
    with a SKU Excel mangled (018299 written 18299) and many rows not in the catalogue."""
    catalogue = [p.sku for p in run(client.products.list(page=5, limit=1000)).results]
    zeros = next(sku for sku in catalogue if sku.startswith("0"))
    a, b, c, d = [sku for sku in catalogue if sku != zeros][:4]
    ghosts = [f"GHOST-EVERY-{n}" for n in range(5)]
    if kind is ListKind.PRICE:
        seed = write_csv(
            tmp_path / "seed.csv",
            ["product__sku,price,currency_type", f"{a},100,try", f"{b},100,try", f"{c},100,eur"],
        )
        lines = [
            "SKU,Fiyat,Para birimi,price_list__name",
            f"{a},250,try,",  # a rise of 150 %
            f"{b},100,try,",  # unchanged
            f"{c},100,try,",  # from euros to lira: a change of currency
            f"{d},0,try,Türkiye Perakende",  # free, and the file names another list
            f"{zeros.lstrip('0')},7,try,",  # Excel's 18299 for 018299
        ] + [f"{ghost},5,try," for ghost in ghosts]
    else:
        seed = write_csv(
            tmp_path / "seed.csv",
            ["product__sku,stock,unit_type", f"{a},10,qty", f"{b},4,qty"],
        )
        lines = [
            "SKU,Stok,Birim,stock_list__name",
            f"{a},10,kg,",  # counted in kilos from now on
            f"{b},4,qty,",  # unchanged
            f"{c},3,qty,Merkez Depo",  # the file names another list
            f"{zeros.lstrip('0')},7,qty,",  # Excel's 18299 for 018299
        ] + [f"{ghost},5,qty," for ghost in ghosts]
    target = run(seeded(client, kind, seed))
    return target, write_csv(tmp_path / f"every-{kind.value}.csv", lines)


@pytest.mark.parametrize("kind", [ListKind.PRICE, ListKind.STOCK])
def test_a_dry_run_as_json_reports_the_guardrails_and_findings_the_wizard_shows(
    kind: ListKind,
    qtbot: QtBot,
    window: MainWindow,
    client: OmnitronClient,
    run: Runner,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target, source = every_guardrail(kind, run, client, tmp_path)
    expected = {
        ListKind.PRICE: {
            "other_list",
            "price_rise",
            "zero_price",
            "currency_change",
            "many_not_in_catalogue",
        },
        ListKind.STOCK: {"other_list", "unit_change", "many_not_in_catalogue"},
    }[kind]

    wizard = window.open_import(source, kind, target)
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.checked is not None, timeout=10_000)
    qtbot.waitUntil(wizard.next.isEnabled)
    wizard.next.click()
    qtbot.waitUntil(lambda: wizard.diff is not None, timeout=20_000)
    diff = wizard.diff
    assert diff is not None
    page = wizard.changes_page
    # What the window shows: a box to tick per guardrail, the SKU meant in a row's tooltip.
    in_window = {box.objectName(): box.text() for box in page.guardrail_checks}
    tips = {}
    for position in range(page.changes.rowCount()):
        tip = page.changes.index(position, ChangesModel.CHANGE).data(Qt.ItemDataRole.ToolTipRole)
        if tip and "did you mean" in tip:  # its first line; a guardrail's words may follow
            tips[int(page.changes.index(position, ChangesModel.ROW).data())] = tip.splitlines()[0]
    assert {g.key for g in diff.guardrails} == expected
    assert len(tips) == 1  # the mangled SKU's row
    percent_title = page.changes.headerData(ChangesModel.PERCENT, Qt.Orientation.Horizontal)
    assert percent_title == {ListKind.PRICE: "Price change", ListKind.STOCK: "Stock change"}[kind]
    wizard.discard()

    sign_in_profile(client.base_url)
    answer: list[int] = []
    word = kinds.info(kind).word
    arguments = ["import", str(source), "--kind", word, "--list", str(target.code)]
    arguments += ["--dry-run", "--json"]
    command = threading.Thread(target=lambda: answer.append(main(arguments)))
    command.start()
    command.join(timeout=60)
    assert answer == [1]  # it would stop on the guardrails
    data = json.loads(capsys.readouterr().out)

    # The same guardrails, on the same rows, in the same words…
    assert [(g["key"], g["message"], tuple(g["rows"])) for g in data["guardrails"]] == [
        (g.key, g.message, g.rows) for g in diff.guardrails
    ]
    boxes = {f"guardrail_{g['key']}": f"I have checked: {g['message']}" for g in data["guardrails"]}
    assert boxes == in_window
    # …and the same findings: the SKU meant, on the same row.
    assert {s["row"]: s["message"] for s in data["diff"]["suggested_skus"]} == tips
    assert data["diff"]["not_in_catalogue_rows"] == diff.not_in_catalogue
    assert data["diff"]["new"] == diff.counts[ChangeKind.NEW]
    assert data["diff"]["changed"] == diff.counts[ChangeKind.CHANGED]
