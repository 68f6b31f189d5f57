"""The file of server facts beside the profiles: tolerant of damage, never holding a secret."""

from __future__ import annotations

from pathlib import Path

from omnidesk.api import ServerFacts
from omnidesk.settings.facts import FactsStore


def test_a_damaged_or_foreign_facts_file_means_starting_afresh(tmp_path: Path) -> None:
    path = tmp_path / "servers.json"
    store = FactsStore(path)
    assert store.load("https://a.example") is None
    path.write_text("{not json", encoding="utf-8")
    assert store.load("https://a.example") is None
    store.save("https://a.example/", ServerFacts(page_cap=100, sku_source="i1"))
    assert store.load("https://a.example") == ServerFacts(page_cap=100, sku_source="i1")
    path.write_text(
        '{"servers": {"https://a.example": {"page_cap": "lots", "ordering_word": "order_by",'
        ' "sku_source": "i1", "sorts": "yes"}}}',
        encoding="utf-8",
    )
    assert store.load("https://a.example") == ServerFacts(sku_source="i1")


def test_facts_of_several_servers_live_side_by_side(tmp_path: Path) -> None:
    store = FactsStore(tmp_path / "deep" / "servers.json")
    store.save("https://a.example", ServerFacts(ordering_word="sort", sorts=True))
    store.save("https://b.example", ServerFacts(identity="id"))
    assert store.load("https://a.example") == ServerFacts(ordering_word="sort", sorts=True)
    assert store.load("https://b.example/") == ServerFacts(identity="id")


def test_a_folder_that_cannot_be_written_costs_only_the_relearning(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    store = FactsStore(blocked / "servers.json")
    store.save("https://a.example", ServerFacts(page_cap=50))  # no exception
    assert store.load("https://a.example") is None
