from pathlib import Path

from omnidesk.settings.mappings import MappingStore


def test_a_mapping_is_kept_per_header_and_kind_and_can_be_forgotten(tmp_path: Path) -> None:
    store = MappingStore(tmp_path / "column-mappings.json")
    headers = ["Ürün", "Satış Tutarı", "Not"]
    store.remember("price_list", headers, {"Satış Tutarı": "price", "Not": None})
    # The same header however it is cased or spaced; not for another kind, not another header.
    assert store.get("price_list", ["ÜRÜN", "satış tutarı ", "not"]) == {
        "Satış Tutarı": "price",
        "Not": None,
    }
    assert store.get("stock_list", headers) is None
    assert store.get("price_list", ["Ürün", "Satış Tutarı"]) is None
    assert MappingStore(tmp_path / "column-mappings.json").get("price_list", headers)  # on disk
    store.forget("price_list", headers)
    assert store.get("price_list", headers) is None


def test_a_damaged_mappings_file_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "column-mappings.json"
    path.write_text("{not json", encoding="utf-8")
    assert MappingStore(path).get("price_list", ["SKU"]) is None
    assert (tmp_path / "column-mappings.damaged.json").exists()
