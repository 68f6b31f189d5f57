"""The whole-column fast path against the row loop, on many random sheets.

``column_checks.settled_column`` settles columns of everyday cells in C; the row
loop (``RowChecker.columnar = False``) checks every cell the long way. On the
same rows both must give the same findings, usable rows, values and conventions.
``TextSheet.batches`` must likewise give the rows ``TextSheet.rows`` gives.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from omnidesk.kinds import ListKind
from omnidesk.spreadsheet import RowChecker, SheetRow, open_spreadsheet
from omnidesk.spreadsheet.check_result import CheckResult

CODES = ["SKU1", "SKU2", "A-1", " X ", "", "1E5", "2E+5", "ÇORAP", "A\u202eB", "١٢", "S\nT", "7"]
AMOUNTS = ["5", "5,50", "5.50", "1.234", "1,234", "1.234,50", "-1", "", "abc", "12%", "0", "10,5"]
AMOUNTS += ["99999999999", "100", "100,5", "₺5", " 7 ", "00012", "3,333"]
AMOUNTS += ["1.234,50", "12.345,6", "1,234.50", "1.234.567", "0.123,45", "9.999.999.999,99"]
WHOLES = ["1", "0", "", "12", "1.5", "-3", "abc", "2147483648", "007"]
CURRENCIES = ["try", "TRY", "tl", "usd", "", "xyz", "€"]


def comparable(result: CheckResult) -> tuple[object, ...]:
    return (
        [(f.row, f.column, str(f.severity), f.message) for f in result.findings],
        list(result.good_rows()),
        (result.rows, result.valid_rows, result.error_rows, result.warning_rows),
        result.decimal_styles,
        result.notes,
    )


def random_rows(rng: random.Random, kind: ListKind, count: int) -> tuple[SheetRow, list[SheetRow]]:
    plain = rng.random() < 0.5  # most files: everyday cells only, so the fast path runs
    grouped = rng.random() < 0.5  # 1.234,50 as Excel writes it in Türkiye
    if kind is ListKind.PRICE:
        header = SheetRow(1, ["sku", "name", "price", "retail_price", "tax_rate", "currency_type"])

        def cells(n: int) -> list[object]:
            if plain:
                whole = rng.randint(0, 9_999_999)
                price = f"{whole:,}".replace(",", ".") if grouped else str(whole)
                price += f",{rng.randint(0, 99):02d}"
                return [f"S{n % (count // 2 + 1)}", "x", price, price, "20", "try"]
            return [
                rng.choice(CODES), "x", rng.choice(AMOUNTS), rng.choice(AMOUNTS),
                rng.choice([*AMOUNTS[:3], "20", "8,5", "120"]), rng.choice(CURRENCIES),
            ]  # fmt: skip
    else:
        header = SheetRow(1, ["sku", "stock", "unit_type"])

        def cells(n: int) -> list[object]:
            if plain:
                return [f"S{n}", str(rng.randint(0, 500)), "qty"]
            return [
                rng.choice(CODES),
                rng.choice(WHOLES),
                rng.choice(["qty", "kg", "adet", "x", ""]),
            ]

    return header, [SheetRow(n, cells(n)) for n in range(2, count + 2)]


@pytest.mark.parametrize("seed", range(60))
def test_the_fast_path_agrees_with_the_row_loop(seed: int) -> None:
    rng = random.Random(seed)
    kind = rng.choice([ListKind.PRICE, ListKind.STOCK])
    header, rows = random_rows(rng, kind, rng.randint(1, 400))
    outcomes = []
    for columnar in (True, False):
        checker = RowChecker(kind, header)
        checker.columnar = columnar
        size = rng.randint(1, 120)
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            checker.check_batch([r.number for r in batch], [r.cells for r in batch])
        outcomes.append(comparable(checker.finish()))
    assert outcomes[0] == outcomes[1]


def column_wise_and_row_by_row(header: SheetRow, rows: list[SheetRow]) -> list[tuple[object, ...]]:
    """A price batch's outcome, checked column-wise first and then by the row loop alone."""
    outcomes = []
    for columnar in (True, False):
        checker = RowChecker(ListKind.PRICE, header)
        checker.columnar = columnar
        checker.check_batch([r.number for r in rows], [r.cells for r in rows])
        outcomes.append(comparable(checker.finish()))
    return outcomes


@pytest.mark.parametrize("code", ["X ", "X\t", "X\r", "X\x1f", " X"])
@pytest.mark.parametrize("place", ["middle", "last"])
def test_a_code_with_space_around_it_among_plain_ones_is_kept_without_it(
    code: str, place: str
) -> None:
    # One code among a batch of everyday ones: the column-wise pass must see the space
    # after it too, not only before, and leave it to the row loop, which strips it.
    header = SheetRow(1, ["sku", "price"])
    codes = [f"S{n}" for n in range(300)]
    codes[150 if place == "middle" else -1] = code
    rows = [SheetRow(n, [sku, "10,50"]) for n, sku in enumerate(codes, 2)]
    outcomes = column_wise_and_row_by_row(header, rows)
    assert outcomes[0] == outcomes[1]
    kept = [row.values["product__sku"] for row in outcomes[0][1]]
    assert kept.count("X") == 1
    assert code not in kept


@pytest.mark.parametrize("grouped", [False, True])
def test_amounts_with_two_decimals_read_exactly_as_the_row_loop_reads_them(grouped: bool) -> None:
    # Money as most exports write it, read a whole column at a time: the floats must be
    # the row loop's, at the halfway cases and the largest too.
    rng = random.Random(15)
    wholes = [0, 1, 9, 10, 999, 1_000, 123_456, 9_999_999, 2**33 - 1, 9_999_999_999]
    wholes += [rng.randint(0, 10**9) for _ in range(300)]
    header = SheetRow(1, ["sku", "price", "retail_price"])
    rows = []
    for n, whole in enumerate(wholes, 2):
        text = f"{whole:,}".replace(",", ".") if grouped else f"{whole:07d}"
        cents = rng.choice(["00", "01", "05", "10", "15", "25", "45", "50", "55", "99"])
        rows.append(SheetRow(n, [f"S{n}", f"{text},{cents}", f"{text},{rng.randint(0, 99):02d}"]))
    outcomes = column_wise_and_row_by_row(header, rows)
    assert outcomes[0] == outcomes[1]
    # Every amount within bounds: the fast path settled the columns, none fell back.
    assert outcomes[0][2][1] == len(rows)


def assert_batches_are_rows(path: Path, size: int, sheet: str | None = None) -> None:
    with open_spreadsheet(path, sheet=sheet) as opened:
        expected = [(row.number, list(row.cells)) for row in opened.rows()]
        got = [
            (number, list(cells))
            for numbers, batch in opened.batches(size)
            for number, cells in zip(numbers, batch, strict=True)
        ]
    assert got == expected


@pytest.mark.parametrize("seed", range(30))
def test_text_batches_give_the_rows_rows_gives(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    lines = ["sku;price"]
    for n in range(rng.randint(0, 300)):
        lines.append(
            rng.choice([f"A{n};{n}", "", ";", ";;", f'"B{n}\nC";1', f"D{n}", f"E{n};1;2;3", " ; "])
        )
    path = tmp_path / "random.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_batches_are_rows(path, rng.randint(1, 50))


def test_a_broken_quote_is_reported_with_its_row_by_batches_too(tmp_path: Path) -> None:
    from omnidesk.spreadsheet import UnreadableFile, check_spreadsheet

    path = tmp_path / "broken.csv"
    rows = "".join(f"A{n};1\n" for n in range(30_000))
    path.write_text("sku;price\n" + rows + '"never closed;1\n' + "x" * 200_000, encoding="utf-8")
    with open_spreadsheet(path) as sheet, pytest.raises(UnreadableFile) as refused:
        check_spreadsheet(sheet, ListKind.PRICE)
    with open_spreadsheet(path) as sheet, pytest.raises(UnreadableFile) as slow:
        list(sheet.rows())
    assert refused.value.message == slow.value.message
    assert "Row 30002 of broken.csv" in refused.value.message


@pytest.mark.parametrize("name", ["office_prices.xlsx", "office_prices.xls", "office_prices.ods"])
def test_workbook_batches_give_the_rows_rows_gives(name: str) -> None:
    from .conftest import FIXTURES

    for sheet_name in ("Fiyatlar", "Lookup"):
        assert_batches_are_rows(FIXTURES / name, 2, sheet=sheet_name)


@pytest.mark.parametrize("seed", range(10))
def test_calamines_rows_in_batches_are_its_rows(tmp_path: Path, seed: int) -> None:
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for _ in range(1, rng.randint(2, 80)):
        if rng.random() < 0.2:
            continue  # an empty row between rows
        sheet.append([rng.choice(["A", 1.5, None, "x", 3]) for _ in range(rng.randint(1, 5))])
    path = tmp_path / "random.xlsx"
    book.save(path)
    assert_batches_are_rows(path, rng.randint(1, 20))


@pytest.mark.parametrize("seed", range(12))
def test_repeating_values_looked_up_agree_with_the_row_loop(seed: int) -> None:
    # Big batches of few distinct rates and quantities: the look-up path's domain.
    rng = random.Random(seed)
    kind = rng.choice([ListKind.PRICE, ListKind.STOCK])
    values = rng.sample(["20", "10", "1", "0", "8,5", "120", "x", "", "5.5", "007"], 4)
    if kind is ListKind.PRICE:
        header = SheetRow(1, ["sku", "price", "tax_rate"])
        rows = [SheetRow(n, [f"S{n}", "5,50", rng.choice(values)]) for n in range(2, 1500)]
    else:
        header = SheetRow(1, ["sku", "stock"])
        rows = [SheetRow(n, [f"S{n}", rng.choice(values)]) for n in range(2, 1500)]
    outcomes = []
    for columnar in (True, False):
        checker = RowChecker(kind, header)
        checker.columnar = columnar
        for start in range(0, len(rows), 700):
            batch = rows[start : start + 700]
            checker.check_batch([r.number for r in batch], [r.cells for r in batch])
        outcomes.append(comparable(checker.finish()))
    assert outcomes[0] == outcomes[1]
