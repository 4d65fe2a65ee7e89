"""A small store with contacts, products, purchases and lines for deletion tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rows import insert_rows, line, purchase

AS_OF = "2024-06-01"
# Purchases the tests delete: ERASE-7f3a9c01 is the only purchase of eve and the
# only sale of the product secret-lamp-5521, so both values are distinctive.
ERASED_PURCHASE = "ERASE-7f3a9c01"
ERASED_PRODUCT = "secret-lamp-5521"


def _purchases() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    purchases = []
    lines = []
    plan = [
        ("ann", "2024-05-20", [("kettle", 2, "20.00"), ("mug", 1, "5.00")]),
        ("ann", "2024-05-25", [("mug", 3, "5.00")]),
        ("ann", "2024-05-30", [("tea", 1, "8.00")]),
        ("bob", "2024-04-02", [("kettle", 1, "20.00")]),
        ("bob", "2024-05-28", [("tea", 4, "8.00")]),
        ("cat", "2024-02-10", [("mug", 1, "5.00")]),
        ("cat", "2024-05-31", [("spoon", 6, "1.50")]),
        ("dan", "2023-12-24", [("kettle", 1, "20.00"), ("spoon", 2, "1.50")]),
        (None, "2024-05-31", [("tea", 1, "8.00")]),
        ("fay", "2024-01-15", [("mug", 2, "5.00")]),
        ("fay", "2024-03-15", [("mug", 2, "5.00")]),
        ("fay", "2024-05-15", [("mug", 2, "5.00")]),
    ]
    for number, (contact, day, items) in enumerate(plan, start=1):
        total = sum(quantity * float(price) for _, quantity, price in items)
        units = sum(quantity for _, quantity, _ in items)
        purchases.append(
            purchase(
                number,
                f"p{number:02d}",
                contact,
                f"{day} 12:00:00+00",
                f"{total:.2f}",
                units,
            )
        )
        for line_number, (product, quantity, price) in enumerate(items, start=1):
            lines.append(line(number, line_number, product, quantity, price))
    erased = len(plan) + 1
    purchases.append(
        purchase(erased, ERASED_PURCHASE, "eve", "2024-05-29 12:00:00+00", "999.00", 9)
    )
    lines.append(line(erased, 1, ERASED_PRODUCT, 9, "111.00"))
    return purchases, lines


@pytest.fixture
def shop(store_path: Path) -> Path:
    """Return a store with six contacts, 13 purchases and their lines."""
    return fill_shop(store_path)


def fill_shop(store_path: Path) -> Path:
    """Fill an empty store with the shop's rows and loosen its limits to fit."""
    contacts = [
        {"contact_id": c, "email": f"{c}@example.com"}
        for c in ("ann", "bob", "cat", "dan", "eve", "fay")
    ]
    products = [
        {
            "product_id": p,
            "name": p,
            "categories": ["Home/Kitchen"],
            "non_merchandise": False,
        }
        for p in ("kettle", "mug", "tea", "spoon")
    ]
    purchases, lines = _purchases()
    insert_rows(
        store_path,
        {
            "contacts": contacts,
            "products": products,
            "purchases": purchases,
            "purchase_lines": lines,
        },
    )
    settings = store_path / "storepipe.toml"
    text = settings.read_text()
    # A store this small needs loose limits, or every batch crosses them.
    text = text.replace("max_purchase_share = 0.05", "max_purchase_share = 0.5")
    text = text.replace("max_revenue_share = 0.05", "max_revenue_share = 0.9")
    text = text.replace("min_history_days = 120", "min_history_days = 100")
    text = text.replace("min_buyers = 500", "min_buyers = 6")
    text = text.replace("min_purchases = 500", "min_purchases = 10")
    settings.write_text(text)
    return store_path
