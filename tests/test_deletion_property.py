"""Property: deleting purchases then recomputing equals never importing them."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.deletion import delete_purchases
from pipeline.ingest.importer import ImportRequest, import_files
from pipeline.recompute.run import recompute_store
from pipeline.runs import recorded_run
from pipeline.store import Store

AS_OF = dt.datetime(2024, 7, 1, tzinfo=dt.UTC)
CONTACTS = ["ann", "bob", "cy", "dee"]
PRODUCTS = {"KB": "Pc/Keyboards", "MS": "Pc/Mice", "MUG": "Home/Kitchen"}
COMPARED = (
    "contact_metrics",
    "best_sellers",
    "rfm",
    "clv_eligibility",
    "daily_sales",
    "segment_members",
    "clv",
)

line_strategy = st.tuples(
    st.sampled_from(sorted(PRODUCTS)),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=0, max_value=5000),  # unit price in cents
)
purchase_strategy = st.tuples(
    st.one_of(st.none(), st.sampled_from(CONTACTS)),  # None: anonymous buyer
    st.integers(min_value=0, max_value=400 * 24),  # hours before as_of
    st.sampled_from(["+00:00", "+02:00", "-05:00"]),
    st.lists(line_strategy, min_size=1, max_size=3),
)


def purchase_json(number: int, purchase: tuple) -> str:
    contact, hours, offset, lines = purchase
    sign = 1 if offset[0] == "+" else -1
    zone = dt.timezone(sign * dt.timedelta(hours=int(offset[1:3])))
    instant = (AS_OF - dt.timedelta(hours=hours)).astimezone(zone)
    products = [
        {
            "productId": product,
            "quantity": quantity,
            "unitPrice": str(Decimal(cents) / 100),
            "price": str(Decimal(cents) / 100 * quantity),
        }
        for product, quantity, cents in lines
    ]
    record = {
        "purchaseId": f"P{number}",
        "purchaseDate": instant.isoformat(),
        "totalPrice": str(sum(Decimal(p["price"]) for p in products)),
        "totalQuantity": sum(quantity for _, quantity, _ in lines),
        "products": products,
    }
    if contact is not None:
        record["contactId"] = contact
    return json.dumps(record)


def build_store(folder: Path, purchase_lines: list[str]) -> Path:
    """Create a store with every contact and product, then import the purchases."""
    path = folder / "store"
    Store.create(path, time_zone="Europe/Madrid")
    contacts = folder / "contacts.csv"
    contacts.write_text("contact_id\n" + "\n".join(CONTACTS) + "\n")
    products = folder / "products.jsonl"
    products.write_text(
        "\n".join(
            json.dumps({"productId": p, "name": p, "categories": [c]})
            for p, c in PRODUCTS.items()
        )
        + "\n"
    )
    files = [(contacts, "contacts"), (products, "products")]
    if purchase_lines:
        purchases = folder / "purchases.jsonl"
        purchases.write_text("\n".join(purchase_lines) + "\n")
        files.append((purchases, "purchases"))
    with Store.open(path, command="test") as store:
        for file, kind in files:
            with recorded_run(path, "import") as record:
                import_files(store, ImportRequest([file], kind), record)
    return path


def recompute_outputs(path: Path) -> dict[str, list[tuple]]:
    with Store.open(path, command="test") as store:
        with recorded_run(path, "recompute", AS_OF) as record:
            recompute_store(store, AS_OF, record)
        return {
            table: store.con.execute(f"FROM lake.{table} ORDER BY ALL").fetchall()
            for table in COMPARED
        }


@pytest.mark.slow
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    purchases=st.lists(purchase_strategy, min_size=1, max_size=12),
    deleted=st.sets(st.integers(min_value=0, max_value=11)),
)
def test_delete_equals_never_imported(
    purchases: list[tuple], deleted: set[int]
) -> None:
    lines = [purchase_json(n, purchase) for n, purchase in enumerate(purchases)]
    deleted_ids = sorted(f"P{n}" for n in deleted if n < len(lines))
    kept = [line for n, line in enumerate(lines) if f"P{n}" not in deleted_ids]
    with (
        tempfile.TemporaryDirectory() as first,
        tempfile.TemporaryDirectory() as second,
    ):
        everything = build_store(Path(first), lines)
        if deleted_ids:
            with Store.open(everything, command="test") as store:
                delete_purchases(store, deleted_ids)
        never_imported = build_store(Path(second), kept)

        after_delete = recompute_outputs(everything)
        without = recompute_outputs(never_imported)

    for table in COMPARED:
        assert after_delete[table] == without[table], table
