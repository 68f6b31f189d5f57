"""The checker speaks the person's language: under LANGUAGE=tr its findings and notes,
the annotated copy and the templates are Turkish, and what a program reads is not.

The codes, keys and severities of ``--json``, the server's column names and the headers
the checker recognises in a file are data: the same in every language.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from omnidesk import i18n
from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import (
    SCHEMAS,
    check_spreadsheet,
    match_columns,
    open_spreadsheet,
    write_annotated_copy,
    write_template,
)

# A title above the header, a second price column, and one row for each kind of finding.
HEADER = ["Stok Kodu", "Fiyat", "Piyasa Fiyatı", "KDV", "Satış Fiyatı"]
ROWS = [
    ["A1", 10, 12, 20, 11],
    ["A2", "abc", 12, 20, 1],  # row 4: an error
    ["A3", 0, None, 20, 1],  # row 5: price 0
    ["A4", 15, 10, 20, 1],  # row 6: retail below the price
    ["A1", 11, None, 20, 1],  # row 7: the SKU of row 3 again
]

TURKISH = [
    "2. satırın üstündeki satırlar atlandı; başlık satırı 2. satır.",
    "“Satış Fiyatı” sütunu (E) yok sayıldı: daha önceki bir sütun zaten Fiyat olarak kullanılıyor.",
    "Fiyat “abc” bir sayı değil.",
    "Fiyat 0: ürün ücretsiz satılacak.",
    "Perakende fiyatı 10,00, satış fiyatının (15,00) altında",
    "“A1” SKU'su 7. satırda yeniden geçiyor; o satır bu satırın yerini alır.",
    "“A1” SKU'su 3. satırda da var; yalnızca bu sonraki satır yüklenir.",
]
ENGLISH = [
    "Rows above row 2 were skipped; row 2 is the header.",
    "Column “Satış Fiyatı” (E) is ignored: an earlier column is already used as Price.",
    "Price “abc” is not a number.",
    "Price is 0: the product would be sold for free.",
    "Retail price 10.00 is below the price 15.00",
    "SKU “A1” appears again on row 7, which replaces this row.",
    "SKU “A1” is also on row 3; only this later row is uploaded.",
]


def workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Fiyatlar"
    sheet.append(["Kasım fiyat listesi"])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    book.save(path)
    return path


def text_file(path: Path) -> Path:
    lines = ["Kasım fiyat listesi", ";".join(HEADER)]
    lines += [";".join("" if v is None else str(v) for v in row) for row in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def validate(language: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``omnidesk validate`` as a person runs it, in a process whose language is ``language``."""
    environment = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    environment["LANGUAGE"] = language
    return subprocess.run(
        [sys.executable, "-m", "omnidesk", "validate", *args, "--kind", "price"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.fixture
def turkish() -> Iterator[None]:
    i18n.set_language("tr")
    yield
    i18n.set_language(None)


def test_validate_says_its_findings_and_notes_in_turkish_under_language_tr(
    tmp_path: Path,
) -> None:
    done = validate("tr", str(workbook(tmp_path / "kasim.xlsx")))
    assert done.returncode == 1, done.stderr
    for sentence in TURKISH:
        assert sentence in done.stdout
    for sentence in ENGLISH:
        assert sentence not in done.stdout


def test_validate_stays_english_under_language_en(tmp_path: Path) -> None:
    done = validate("en", str(workbook(tmp_path / "kasim.xlsx")))
    assert done.returncode == 1, done.stderr
    for sentence in ENGLISH:
        assert sentence in done.stdout
    for sentence in TURKISH:
        assert sentence not in done.stdout


def test_in_json_only_the_sentences_are_turkish(tmp_path: Path) -> None:
    path = text_file(tmp_path / "kasim.csv")
    turkish, english = (
        json.loads(validate(lang, str(path), "--json").stdout) for lang in ["tr", "en"]
    )
    assert turkish["kind"] == english["kind"] == "price"
    assert turkish["columns"] == english["columns"]
    assert turkish["columns"]["Stok Kodu"] == "product__sku"
    said = [f["message"] for f in turkish["findings"]]
    assert [{**f, "message": None} for f in turkish["findings"]] == [
        {**f, "message": None} for f in english["findings"]
    ]
    assert {f["severity"] for f in turkish["findings"]} == {"error", "warning"}
    assert "Fiyat “abc” bir sayı değil." in said
    assert turkish["notes"][0] == TURKISH[0]


def test_the_annotated_copy_is_turkish(tmp_path: Path) -> None:
    source = workbook(tmp_path / "kasim.xlsx")
    out = tmp_path / "kontrol.xlsx"
    done = validate("tr", str(source), "--annotate", str(out))
    assert done.returncode == 1, done.stderr
    copy = load_workbook(out)
    assert copy.sheetnames == ["Fiyatlar", "Sorunlar"]
    problems = list(copy["Sorunlar"].iter_rows(values_only=True))
    assert problems[0] == ("Satır", "Sütun", "Önem", "Sorun")
    assert problems[1][3] == "5 satır: 4 sorunsuz (4 tanesi uyarılı), 1 hatalı."
    assert [(r[2], r[3]) for r in problems[2:4]] == [("not", TURKISH[0]), ("not", TURKISH[1])]
    assert (4, "Fiyat", "hata", "Fiyat “abc” bir sayı değil.") in problems
    assert {r[2] for r in problems[4:]} == {"hata", "uyarı"}
    comment = copy["Fiyatlar"]["B4"].comment
    assert comment is not None
    assert comment.text == "Hata: Fiyat “abc” bir sayı değil."
    warned = copy["Fiyatlar"]["B5"].comment
    assert warned is not None
    assert warned.text == "Uyarı: Fiyat 0: ürün ücretsiz satılacak."


def test_a_copy_made_by_openpyxl_is_turkish_too(tmp_path: Path, turkish: None) -> None:
    source = text_file(tmp_path / "kasim.csv")
    with open_spreadsheet(source) as sheet:
        result = check_spreadsheet(sheet, ListKind.PRICE)
    out = tmp_path / "kontrol.xlsx"
    write_annotated_copy(source, result, out)
    copy = load_workbook(out)
    assert copy.sheetnames == ["kasim", "Sorunlar"]
    assert next(copy["Sorunlar"].iter_rows(values_only=True)) == ("Satır", "Sütun", "Önem", "Sorun")
    comment = copy["kasim"]["B4"].comment
    assert comment is not None
    assert comment.text == "Hata: Fiyat “abc” bir sayı değil."


def test_the_template_is_turkish_but_its_headers_are_the_servers(
    tmp_path: Path, turkish: None
) -> None:
    out = tmp_path / "sablon.xlsx"
    write_template(ListKind.PRICE, out)
    book = load_workbook(out)
    assert book.sheetnames == ["Fiyatlar", "Talimatlar"]
    first = next(book["Fiyatlar"].iter_rows(values_only=True))
    assert first == tuple(f.name for f in SCHEMAS[ListKind.PRICE].fields)
    guide = list(book["Talimatlar"].iter_rows(values_only=True))
    assert guide[0][0] == "Bu fiyat listesi şablonu nasıl doldurulur"
    assert guide[3] == ("Sütun", "Zorunlu", "Ne girilmeli", "Örnek")
    rows = {row[0]: row for row in guide[4:]}
    assert rows["price"][1] == "evet"
    assert rows["tax_rate"][1] == "isteğe bağlı"
    assert rows["price"][2].startswith("Zorunlu. Satış fiyatı")
    with open_spreadsheet(out) as sheet:  # and it checks clean, in Turkish as in English
        result = check_spreadsheet(sheet, ListKind.PRICE)
    assert result.error_rows == 0
    assert not result.findings


@pytest.mark.parametrize("language", ["en", "tr"])
def test_headers_are_recognised_whatever_the_language_spoken(language: str) -> None:
    """“Fiyat”, “SKU”, “Stok” are what people write in their files, not OmniDesk's words."""
    i18n.set_language(language)
    try:
        price = match_columns(
            ["SKU", "Fiyat", "Price", "KDV %", "Liste Fiyatı"], SCHEMAS[ListKind.PRICE]
        )
        stock = match_columns(["Stok Kodu", "Stok", "Birim"], SCHEMAS[ListKind.STOCK])
    finally:
        i18n.set_language(None)
    assert price.field_of == {0: "product__sku", 1: "price", 3: "tax_rate", 4: "retail_price"}
    assert stock.field_of == {0: "product__sku", 1: "stock", 2: "unit_type"}
