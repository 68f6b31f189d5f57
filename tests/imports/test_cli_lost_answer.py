"""`omnidesk import` when the upload's answer is lost (issue 12): the list says what happened.

The sandbox processes the upload and drops its answer (``drop_answer_once``), or reads
it and drops it unprocessed (``lose_request_once``): the same broken connection to the
command, two different truths on the server, told apart by reading the list.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from omnidesk.imports import Journal, JournalState
from omnidesk.sandbox import Faults
from omnidesk.settings import Profile
from omnidesk.settings.paths import data_dir

from .conftest import write_csv
from .test_cli_import import Api, api, catalogue_prices, home, no_traceback, run, signed_in

__all__ = ["api", "home", "signed_in"]  # fixtures, used by name

LOST = r"/excel_import/$"


@pytest.fixture(autouse=True)
def quick_looks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The list read every 0.1 s, and "nothing came" after 1.5 s instead of half a minute."""
    reconciling = sys.modules["omnidesk.imports.reconcile"]
    monkeypatch.setattr(reconciling, "LOOK_EVERY", 0.1)
    monkeypatch.setattr(reconciling, "NOTHING_AFTER", 1.5)


def journal_states() -> list[JournalState]:
    journal = Journal(data_dir() / "journal.sqlite3")
    try:
        return [record.state for record in journal.history()]
    finally:
        journal.close()


def test_an_answer_lost_after_the_file_arrived_exits_0_and_says_it_arrived(
    signed_in: Profile,
    api: Api,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    faults: Faults,
) -> None:
    target = api.new_price_list()
    source = catalogue_prices(api, tmp_path / "arrived.csv", 20, page=14)
    faults.drop_answer_once(LOST)
    assert run(source, "--kind", "price", "--list", target["code"], "--json") == 0
    captured = capsys.readouterr()
    no_traceback(captured)
    assert faults.answers_dropped == 1
    assert "looking at the list to see whether the file arrived" in captured.err
    assert (
        "The file arrived, though its answer was lost: all 20 rows now hold the file's values."
        in captured.err
    )
    assert "failed" not in captured.err.lower()
    data = json.loads(captured.out)
    assert data["result"] == {
        "status": "arrived",
        "created": None,
        "updated": None,
        "refused": [],
        "holding": 20,
        "sent": 20,
    }
    assert data["error"] is None
    assert data["journal_id"] is not None
    assert journal_states() == [JournalState.SUCCESS]
    assert set(api.prices(target["pk"]).values()) == {"4.00"}


def test_an_upload_lost_before_the_server_took_it_exits_2_and_the_next_run_sends_it(
    signed_in: Profile,
    api: Api,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    faults: Faults,
) -> None:
    target = api.new_price_list()
    source = catalogue_prices(api, tmp_path / "lost.csv", 20, page=15)
    faults.lose_request_once(LOST)
    assert run(source, "--kind", "price", "--list", target["code"]) == 2
    captured = capsys.readouterr()
    no_traceback(captured)
    assert faults.requests_lost == 1
    assert (
        "omnidesk: The file did not arrive: none of its 20 rows hold the file's values in "
        "the list. Nothing was changed; send it again." in captured.err
    )
    assert api.prices(target["pk"]) == {}
    assert journal_states() == [JournalState.UPLOAD_FAILED]
    # Sent again as it says: a file that never arrived is no repeat to confirm.
    assert run(source, "--kind", "price", "--list", target["code"]) == 0
    assert "Done: 20 created, 0 updated, 0 rows failed." in capsys.readouterr().out
    assert journal_states() == [JournalState.SUCCESS, JournalState.UPLOAD_FAILED]
    assert set(api.prices(target["pk"]).values()) == {"4.00"}


def test_rows_the_list_held_already_do_not_pass_for_a_file_that_arrived(
    signed_in: Profile,
    api: Api,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    faults: Faults,
) -> None:
    # --all-rows sends the unchanged rows too: those hold the file's values whether the
    # file came or not, so they must not count as a sign that it came.
    target = api.new_price_list()
    a, b, c, d = api.skus(4, page=16)
    seed = write_csv(tmp_path / "seed.csv", ["product__sku,price", f"{a},1.00", f"{b},2.00"])
    assert run(seed, "--kind", "price", "--list", target["code"]) == 0
    source = write_csv(
        tmp_path / "all.csv",
        ["product__sku,price", f"{a},1.00", f"{b},2.00", f"{c},3.00", f"{d},4.00"],
    )
    capsys.readouterr()
    faults.lose_request_once(LOST)
    code = run(source, "--kind", "price", "--list", target["code"], "--all-rows", "--json")
    captured = capsys.readouterr()
    assert code == 2
    assert "The file did not arrive: none of its 2 rows hold" in captured.err
    assert json.loads(captured.out)["result"]["status"] == "not arrived"
    assert journal_states()[0] is JournalState.UPLOAD_FAILED
    assert api.prices(target["pk"]) == {a: "1.00", b: "2.00"}
