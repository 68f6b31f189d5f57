"""`omnidesk lists`: every list of a kind, filtered and in the order asked for, as a table
for people or a JSON array for scripts."""

from __future__ import annotations

from datetime import datetime

from omnidesk.sandbox import Dialect, SandboxServer

from .conftest import Run, at

SEEDED_PRICE_LISTS = 13


def test_the_table_is_aligned_and_in_the_order_asked_for(
    sandbox: SandboxServer, omnidesk: Run
) -> None:
    ran = omnidesk("lists", "--kind", "price", "--code", "ERP-PL-TR", "--sort", "name",
                   *at(sandbox.url), password="demo")  # fmt: skip
    assert ran.code == 0
    assert ran.out.splitlines() == [
        "pk  name               code           currency  auto-sync  created (UTC)",
        " 3  Outlet Fiyatları   ERP-PL-TR-OUT  TRY       yes        2023-07-11 18:20",
        " 2  Türkiye Perakende  ERP-PL-TR-001  TRY       yes        2023-05-11 16:44",
    ]
    assert ran.err.rstrip().endswith("2 price lists.")


def test_a_stock_list_has_no_currency_and_an_empty_code_shows_as_a_dash(
    sandbox: SandboxServer, omnidesk: Run
) -> None:
    ran = omnidesk("lists", "--kind", "stock", "--name", "MAĞAZA", "--sort", "-code",
                   *at(sandbox.url), password="demo")  # fmt: skip
    assert ran.code == 0
    header, *rows = ran.out.splitlines()
    assert header.split() == ["pk", "name", "code", "auto-sync", "created", "(UTC)"]
    # Descending, as the server sorts: the list without a code first.
    assert [row.split("  ")[1].strip() for row in rows] == ["Kadıköy Mağaza", "Ankara Mağaza"]
    assert rows[0].split()[-4:-2] == ["–", "no"]


def test_a_leading_minus_is_read_with_or_without_the_equals_sign(
    sandbox: SandboxServer, omnidesk: Run
) -> None:
    apart = omnidesk("lists", "--kind", "price", "--sort", "-created_date", "--json",
                     *at(sandbox.url), password="demo")  # fmt: skip
    joined = omnidesk("lists", "--kind", "price", "--sort=-created_date", "--json",
                      *at(sandbox.url), password="demo")  # fmt: skip
    assert apart.code == joined.code == 0
    assert apart.json == joined.json
    dates = [row["created_date"] for row in apart.json]
    assert dates == sorted(dates, reverse=True)


def test_json_has_every_list_of_every_page_with_the_apis_field_names(
    sandbox: SandboxServer, dialect: Dialect, omnidesk: Run
) -> None:
    dialect.set(max_page_size=5)  # the 13 seeded lists and any others: several pages
    ran = omnidesk("lists", "--kind", "price", "--sort", "pk", "--json", *at(sandbox.url),
                   password="demo")  # fmt: skip
    assert ran.code == 0
    lists = ran.json
    assert [row["pk"] for row in lists][:SEEDED_PRICE_LISTS] == list(
        range(1, SEEDED_PRICE_LISTS + 1)
    )
    assert len({row["pk"] for row in lists}) == len(lists) > 10
    first = lists[1]
    assert list(first) == [
        "pk", "name", "code", "currency", "is_auto_sync", "created_date", "modified_date"
    ]  # fmt: skip
    assert (first["name"], first["code"], first["currency"], first["is_auto_sync"]) == (
        "Türkiye Perakende",
        "ERP-PL-TR-001",
        "try",
        True,
    )
    assert first["created_date"].endswith("Z")
    datetime.fromisoformat(first["created_date"].replace("Z", "+00:00"))
    stock = omnidesk("lists", "--kind", "stock", "--json", *at(sandbox.url), password="demo")
    assert "currency" not in stock.json[0]
    assert lists[0]["code"] is None  # the Demo Price List has none: null, not ""


def test_nothing_found_is_an_empty_table_or_array(sandbox: SandboxServer, omnidesk: Run) -> None:
    ran = omnidesk("lists", "--kind", "stock", "--name", "no such list anywhere",
                   *at(sandbox.url), password="demo")  # fmt: skip
    assert (ran.code, ran.out) == (0, "")
    assert ran.err.rstrip().endswith("0 stock lists.")
    ran = omnidesk("lists", "--kind", "stock", "--code", "NO-SUCH-CODE", "--json",
                   *at(sandbox.url), password="demo")  # fmt: skip
    assert (ran.code, ran.json) == (0, [])


def test_a_field_it_cannot_sort_by_is_refused_before_signing_in(omnidesk: Run) -> None:
    ran = omnidesk("lists", "--kind", "price", "--sort", "-currency", "--server",
                   "http://127.0.0.1:9")  # fmt: skip
    assert ran.code == 2
    assert (
        "cannot sort by “currency”; choose one of code, created_date, modified_date, name, pk"
        in (ran.err)
    )


def test_the_demo_lists_its_own(omnidesk: Run) -> None:
    ran = omnidesk("lists", "--kind", "stock", "--sort", "name", "--demo")
    assert ran.code == 0
    assert ran.out.splitlines()[1].split()[1:3] == ["Ankara", "Mağaza"]
    assert "Demo server at http://127.0.0.1:" in ran.err
    assert ran.err.rstrip().endswith("6 stock lists.")
