"""A believable catalogue for an empty sandbox: the same every time (fixed random seed)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from .store import Store, format_datetime

PRODUCT_COUNT = 6000
SEED = 20221102
# --seed-size large: the default catalogue grown to this many products, and one price
# list and one stock list holding every one of them, for measuring at scale (#15).
SEED_SIZES = ("default", "large")
LARGE_PRODUCT_COUNT = 100_000
LARGE_PRICE_LIST = ("Large Price List", "LARGE-PL")
LARGE_STOCK_LIST = ("Large Stock List", "LARGE-SL")

# (name, code, is_auto_sync, currency): the first is the docs' own example list.
PRICE_LISTS = [
    ("Demo Price List", None, False, "try"),
    ("Türkiye Perakende", "ERP-PL-TR-001", True, "try"),
    ("Outlet Fiyatları", "ERP-PL-TR-OUT", True, "try"),
    ("Kampanya Kasım", None, False, "try"),
    ("Personel İndirimi", "PL-STAFF", False, "try"),
    ("Euro Zone Retail", "ERP-PL-EU-010", True, "eur"),
    ("UK Online Store", "ERP-PL-UK-020", True, "gbp"),
    ("US Wholesale", "US-WHS", False, "usd"),
    ("Egypt Franchise", None, False, "egp"),
    ("Morocco Franchise", None, False, "mad"),
    ("Poland Marketplace", "ERP-PL-PL-030", True, "pln"),
    ("Gulf Stores", "ERP-PL-AE-040", True, "aed"),
    ("Romania Retail", None, False, "ron"),
]

# (name, code, is_auto_sync)
STOCK_LISTS = [
    ("Merkez Depo İstanbul", "WH-IST-01", True),
    ("Ankara Mağaza", "ST-ANK-07", True),
    ("Kadıköy Mağaza", None, False),
    ("E-ticaret Deposu", "WH-ECOM-01", True),
    ("İade Deposu", None, False),
    ("Europe Fulfilment Centre", "WH-EU-NL-02", True),
]

BRANDS = ["GANT", "Kuzey", "Atlas", "Mavi Deniz", "Northwind", "Ege", "Boğaziçi", "Lumen"]
COLOURS = [
    ("Siyah", "Black"),
    ("Beyaz", "White"),
    ("Lacivert", "Navy"),
    ("Kırmızı", "Red"),
    ("Yeşil", "Green"),
    ("Gri", "Grey"),
    ("Bej", "Beige"),
    ("Mavi", "Blue"),
]
ITEMS = [
    ("Çorap", "Sock"),
    ("Gömlek", "Shirt"),
    ("Tişört", "T-Shirt"),
    ("Kazak", "Sweater"),
    ("Pantolon", "Trousers"),
    ("Şort", "Shorts"),
    ("Ceket", "Jacket"),
    ("Ayakkabı", "Shoes"),
    ("Çanta", "Bag"),
    ("Şapka", "Hat"),
    ("Eşarp", "Scarf"),
    ("Kemer", "Belt"),
]
AUDIENCES = [("Erkek", "Man"), ("Kadın", "Woman"), ("Çocuk", "Kids"), ("Unisex", "Unisex")]
SIZES = ["XS", "S", "M", "L", "XL", "36", "38", "40", "42", "44"]

# Rough size of a price in each currency, relative to TRY.
CURRENCY_SCALE = {
    "try": Decimal(1),
    "eur": Decimal("0.027"),
    "gbp": Decimal("0.023"),
    "usd": Decimal("0.029"),
    "egp": Decimal("1.45"),
    "mad": Decimal("0.29"),
    "pln": Decimal("0.12"),
    "aed": Decimal("0.11"),
    "ron": Decimal("0.135"),
}

TAX_RATES = [Decimal("20.00"), Decimal("10.00"), Decimal("1.00")]


def product_catalogue(rng: random.Random) -> list[tuple[str, str]]:
    """(sku, name) pairs; SKUs mix plain numbers, leading zeros and ERP-style codes."""
    products = [("2015227", "GANT Man Black Sock")]  # the docs' example row
    return products + more_products(rng, PRODUCT_COUNT - 1, {"2015227"})


def more_products(rng: random.Random, count: int, skus: set[str]) -> list[tuple[str, str]]:
    """``count`` more (sku, name) pairs, none with a SKU in ``skus`` (which grows)."""
    products: list[tuple[str, str]] = []
    while len(products) < count:
        style = rng.random()
        if style < 0.4:
            sku = str(rng.randint(1_000_000, 9_999_999))  # looks like a number in Excel
        elif style < 0.6:
            sku = f"{rng.randint(1, 99_999):06d}"  # leading zeros that must survive
        elif style < 0.7:
            sku = str(rng.randint(10**12, 10**13 - 1))  # a barcode: Excel would print 1.23E+12
        else:
            sku = f"{rng.choice(['GNT', 'KZY', 'ATL', 'MVD', 'NWD'])}-{rng.randint(100, 9999)}"
            sku += f"-{rng.choice(SIZES)}"
        if sku in skus:
            continue
        skus.add(sku)
        brand = rng.choice(BRANDS)
        (audience_tr, audience_en), (colour_tr, colour_en), (item_tr, item_en) = (
            rng.choice(AUDIENCES),
            rng.choice(COLOURS),
            rng.choice(ITEMS),
        )
        if rng.random() < 0.5:
            name = f"{brand} {audience_tr} {colour_tr} {item_tr}"
        else:
            name = f"{brand} {audience_en} {colour_en} {item_en}"
        products.append((sku, name))
    return products


def seed_catalogue(store: Store, size: str = "default") -> None:
    """Fill an empty store; ``large`` adds the large lists (to a store seeded before, too)."""
    if store.is_empty():
        _seed_default(store)
    if size == "large" and store.find_list_by("price_list", "code", LARGE_PRICE_LIST[1]) is None:
        _seed_large(store)


def _seed_large(store: Store) -> None:
    rng = random.Random(SEED + 1)  # its own: the default catalogue stays as it always was
    taken = {row["sku"] for row in store.query("SELECT sku FROM products")}
    first_pk = len(taken) + 1
    extra = more_products(rng, max(0, LARGE_PRODUCT_COUNT - len(taken)), taken)
    stamp = format_datetime(datetime(2024, 6, 3, 9, 0, tzinfo=UTC))
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO products (pk, sku, name) VALUES (?, ?, ?)",
            [(pk, sku, name) for pk, (sku, name) in enumerate(extra, start=first_pk)],
        )
        name, code = LARGE_PRICE_LIST
        price_list = conn.execute(
            "INSERT INTO price_lists (name, code, is_auto_sync, currency, created_date, "
            "modified_date) VALUES (?, ?, 0, 'try', ?, ?)",
            (name, code, stamp, stamp),
        ).lastrowid
        name, code = LARGE_STOCK_LIST
        stock_list = conn.execute(
            "INSERT INTO stock_lists (name, code, is_auto_sync, created_date, modified_date) "
            "VALUES (?, ?, 0, ?, ?)",
            (name, code, stamp, stamp),
        ).lastrowid
        products = [row[0] for row in conn.execute("SELECT pk FROM products ORDER BY pk")]
        conn.executemany(
            "INSERT INTO product_prices (product, price_list, price, retail_price, tax_rate, "
            "currency_type, created_date, modified_date) VALUES (?, ?, ?, ?, '20.00', 'try', ?, ?)",
            [
                (pk, price_list, f"{price}.99", f"{price + price // 4}.99", stamp, stamp)
                for pk in products
                for price in (rng.randint(49, 4999),)
            ],
        )
        conn.executemany(
            "INSERT INTO product_stocks (product, stock_list, stock, unit_type, "
            "sold_quantity_unreported, created_date, modified_date) "
            "VALUES (?, ?, ?, 'qty', 0, ?, ?)",
            [(pk, stock_list, rng.choice([0, 1, 2, 5, 12, 40]), stamp, stamp) for pk in products],
        )


def _seed_default(store: Store) -> None:
    rng = random.Random(SEED)
    products = product_catalogue(rng)
    origin = datetime(2023, 1, 9, 8, 30, tzinfo=UTC)

    def moment(day: int) -> str:
        return format_datetime(
            origin
            + timedelta(
                days=day, seconds=rng.randint(0, 36_000), microseconds=rng.randint(0, 999_999)
            )
        )

    rows: list[tuple[object, ...]]
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO products (pk, sku, name) VALUES (?, ?, ?)",
            [(pk, sku, name) for pk, (sku, name) in enumerate(products, start=1)],
        )
        base_prices = {
            pk: Decimal(rng.randint(49, 4999)) - Decimal("0.01")
            for pk in range(1, len(products) + 1)
        }
        for pk, (name, code, auto_sync, currency) in enumerate(PRICE_LISTS, start=1):
            created = moment(pk * 61)
            conn.execute(
                "INSERT INTO price_lists VALUES (?, ?, ?, ?, ?, ?, ?)",
                (pk, name, code, int(auto_sync), currency, created, moment(pk * 61 + 30)),
            )
            # Formatting 100,000 dates dominates seeding; a pool per list is as believable.
            stamps = [moment(pk * 61 + day) for day in range(401)]
            rows = []
            for product, base in base_prices.items():
                if rng.random() < 0.1:
                    continue  # not every product is sold everywhere
                price = (base * CURRENCY_SCALE[currency]).quantize(Decimal("0.01"))
                retail = (price * Decimal("1.25")).quantize(Decimal("0.01"))
                stamp = rng.choice(stamps)
                rows.append(
                    (
                        product,
                        pk,
                        str(price),
                        str(retail) if rng.random() < 0.6 else None,
                        str(rng.choice(TAX_RATES)) if currency == "try" else None,
                        currency,
                        stamp,
                        stamp,
                    )
                )
            conn.executemany(
                "INSERT INTO product_prices (product, price_list, price, retail_price, "
                "tax_rate, currency_type, created_date, modified_date) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        for pk, (name, code, auto_sync) in enumerate(STOCK_LISTS, start=1):
            conn.execute(
                "INSERT INTO stock_lists VALUES (?, ?, ?, ?, ?, ?)",
                (pk, name, code, int(auto_sync), moment(pk * 45), moment(pk * 45 + 20)),
            )
            stamps = [moment(pk * 45 + day) for day in range(401)]
            rows = []
            for product in range(1, len(products) + 1):
                if rng.random() < 0.15:
                    continue
                stamp = rng.choice(stamps)
                rows.append(
                    (
                        product,
                        pk,
                        rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20, 35, 60, 150]),
                        "kg" if rng.random() < 0.03 else "qty",
                        rng.choice([0, 0, 0, 0, 1, 2]),
                        stamp,
                        stamp,
                    )
                )
            conn.executemany(
                "INSERT INTO product_stocks (product, stock_list, stock, unit_type, "
                "sold_quantity_unreported, created_date, modified_date) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
