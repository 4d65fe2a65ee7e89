"""The staging layer: validation, content hashes, internal ids and upserts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import BadInputError
from pipeline.ingest.staging import commit_staged, create_staging_tables
from pipeline.runs import RunRecord
from pipeline.store import Store

UTC = dt.UTC
JAN_1 = dt.datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
JAN_2 = dt.datetime(2024, 1, 2, 9, 0, tzinfo=UTC)


def purchase(
    purchase_id: str,
    contact_id: str | None = "c1",
    *,
    email: str | None = None,
    at: dt.datetime = JAN_1,
    total: str = "10.50",
    quantity: int = 2,
) -> tuple[Any, ...]:
    return (
        purchase_id,
        contact_id,
        email,
        at,
        total,
        quantity,
        "card",
        None,
        "t",
        None,
    )


def line(
    purchase_id: str,
    number: int = 1,
    product_id: str = "X",
    *,
    quantity: int = 2,
    unit_price: str = "5.25",
    price: str = "10.50",
    name: str | None = "Thing",
) -> tuple[Any, ...]:
    return (purchase_id, number, product_id, quantity, unit_price, price, name, "B", [])


def stage_and_commit(
    path: Path,
    purchases: list[tuple[Any, ...]],
    lines: list[tuple[Any, ...]] | None = None,
    entities: dict[str, list[tuple[Any, ...]]] | None = None,
) -> tuple[int, int, dict[str, int]]:
    """Stage rows, commit them, and return snapshot ids before and after, and counts."""
    with Store.open(path) as store:
        before = store.snapshot_id()
        create_staging_tables(store.con, store.amount_scale)
        for row in purchases:
            store.con.execute(
                "INSERT INTO stage_purchases VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                row,
            )
        for row in lines or []:
            store.con.execute(
                "INSERT INTO stage_lines VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                row,
            )
        for table, rows in (entities or {}).items():
            for row in rows:
                marks = ", ".join("?" * len(row))
                store.con.execute(
                    f"INSERT INTO stage_{table} VALUES ({marks}, NULL, NULL)", row
                )
        try:
            counts = commit_staged(store, RunRecord("test", "import", "now"))
        finally:
            after = store.snapshot_id()
    return before, after, counts


def rows(path: Path, query: str) -> list[tuple[Any, ...]]:
    with Store.open(path, write=False) as store:
        return store.con.execute(query).fetchall()


def snapshot(path: Path) -> int:
    with Store.open(path, write=False) as store:
        return store.snapshot_id()


def test_commit_writes_purchases_lines_and_entities(store_path: Path) -> None:
    before, after, counts = stage_and_commit(
        store_path,
        [purchase("P1"), purchase("P2", None, at=JAN_2, total="3", quantity=1)],
        [line("P1"), line("P2", 1, "Y", quantity=1, unit_price="3", price="3")],
    )
    assert after == before + 1
    assert counts["purchases_new"] == 2
    assert counts["lines_new"] == 2
    assert counts["contacts_created"] == 1
    assert counts["products_created"] == 2
    assert rows(
        store_path,
        "SELECT internal_id, purchase_id, contact_id, total_price, total_quantity "
        "FROM purchases ORDER BY internal_id",
    ) == [(1, "P1", "c1", Decimal("10.50"), 2), (2, "P2", None, Decimal("3.00"), 1)]
    assert rows(
        store_path,
        "SELECT internal_id, line_number, product_id, quantity, price "
        "FROM purchase_lines ORDER BY internal_id",
    ) == [(1, 1, "X", 2, Decimal("10.50")), (2, 1, "Y", 1, Decimal("3.00"))]
    assert rows(store_path, "SELECT contact_id, created_at FROM contacts") == [
        ("c1", JAN_1)
    ]
    assert rows(
        store_path,
        "SELECT product_id, name, unit_price, non_merchandise FROM products "
        "ORDER BY product_id",
    ) == [
        ("X", "Thing", Decimal("5.25"), False),
        ("Y", "Thing", Decimal("3.00"), False),
    ]


def test_reimport_makes_no_commit(store_path: Path) -> None:
    stage_and_commit(store_path, [purchase("P1")], [line("P1")])
    before, after, counts = stage_and_commit(store_path, [purchase("P1")], [line("P1")])
    assert after == before
    assert counts["purchases_new"] == 0
    assert counts["purchases_unchanged"] == 1


def test_changed_content_is_rejected(store_path: Path) -> None:
    stage_and_commit(store_path, [purchase("P1")], [line("P1")])
    changed_line = line("P1", price="10.49")
    with pytest.raises(
        BadInputError, match=r"purchase P1 was imported before with different content;"
    ):
        stage_and_commit(store_path, [purchase("P1")], [changed_line])
    assert snapshot(store_path) == 2


def test_identical_duplicates_count_once(store_path: Path) -> None:
    _, _, counts = stage_and_commit(
        store_path, [purchase("P1"), purchase("P1")], [line("P1"), line("P1")]
    )
    assert counts["purchases_new"] == 1
    assert counts["lines_new"] == 1


def test_differing_duplicates_are_rejected(store_path: Path) -> None:
    with pytest.raises(BadInputError, match="purchase P1 given again with different"):
        stage_and_commit(store_path, [purchase("P1"), purchase("P1", total="1")])
    with pytest.raises(BadInputError, match="purchase P1 line 1 given again"):
        stage_and_commit(
            store_path, [purchase("P1")], [line("P1"), line("P1", product_id="Z")]
        )
    assert snapshot(store_path) == 1


def test_many_conflicts_are_counted(store_path: Path) -> None:
    staged = [purchase(f"P{i}") for i in range(8)]
    stage_and_commit(store_path, staged)
    changed = [purchase(f"P{i}", total="1") for i in range(8)]
    with pytest.raises(
        BadInputError, match=r"purchase P4 was .* and 3 more \(8 in all\)"
    ):
        stage_and_commit(store_path, changed)


def test_negative_amounts_are_rejected(store_path: Path) -> None:
    with pytest.raises(BadInputError, match="P1: negative total price -1.00"):
        stage_and_commit(store_path, [purchase("P1", total="-1")])
    with pytest.raises(
        BadInputError, match="line 1 of purchase P1: negative quantity -2"
    ):
        stage_and_commit(store_path, [purchase("P1")], [line("P1", quantity=-2)])
    assert snapshot(store_path) == 1


def test_missing_purchase_time_is_rejected(store_path: Path) -> None:
    staged = (*purchase("P1")[:3], None, *purchase("P1")[4:])
    with pytest.raises(BadInputError, match="P1: missing purchase time"):
        stage_and_commit(store_path, [staged])


def test_lines_without_purchase_are_rejected(store_path: Path) -> None:
    with pytest.raises(
        BadInputError, match="lines of purchase P9, which is not in the input"
    ):
        stage_and_commit(store_path, [purchase("P1")], [line("P1"), line("P9")])


def test_email_matches_contact_case_insensitively(store_path: Path) -> None:
    contact = ("k7", "Ann@Example.com", "Ann", None, None, None)
    stage_and_commit(store_path, [], entities={"contacts": [contact]})
    stage_and_commit(
        store_path,
        [
            purchase("P1", None, email="ANN@example.com"),
            purchase("P2", None, email="New@Example.com"),
        ],
    )
    assert rows(
        store_path, "SELECT purchase_id, contact_id FROM purchases ORDER BY 1"
    ) == [("P1", "k7"), ("P2", "new@example.com")]
    assert rows(
        store_path, "SELECT contact_id, email FROM contacts ORDER BY contact_id"
    ) == [("k7", "Ann@Example.com"), ("new@example.com", "new@example.com")]


def test_internal_ids_skip_deleted_ones(store_path: Path) -> None:
    stage_and_commit(store_path, [purchase("P1"), purchase("P2", at=JAN_2)])
    with Store.open(store_path) as store, store.transaction():
        store.con.execute("DELETE FROM purchases WHERE internal_id = 2")
        store.con.execute(
            "INSERT INTO deletion_log (batch_id, requested_id, outcome, internal_id, "
            "purchase_id, deleted_at) VALUES ('b1', 'P2', 'deleted', 2, 'P2', now())"
        )
    stage_and_commit(store_path, [purchase("P2", at=JAN_2), purchase("P3")])
    assert rows(
        store_path, "SELECT purchase_id, internal_id FROM purchases ORDER BY 1"
    ) == [("P1", 1), ("P2", 4), ("P3", 3)]


def test_purchase_import_keeps_existing_product(store_path: Path) -> None:
    product = ("X", "Catalog name", None, ["Pc"], Decimal("7.00"), False)
    stage_and_commit(store_path, [], entities={"products": [product]})
    _, _, counts = stage_and_commit(store_path, [purchase("P1")], [line("P1")])
    assert counts["products_created"] == 0
    assert rows(store_path, "SELECT name, unit_price FROM products") == [
        ("Catalog name", Decimal("7.00"))
    ]


def test_non_merchandise_setting_marks_product(store_path: Path) -> None:
    settings = store_path / "storepipe.toml"
    settings.write_text(
        settings.read_text().replace("non_merchandise = []", 'non_merchandise = ["X"]')
    )
    stage_and_commit(
        store_path, [purchase("P1")], [line("P1"), line("P1", 2, "Y", price="0")]
    )
    assert rows(
        store_path, "SELECT product_id, non_merchandise FROM products ORDER BY 1"
    ) == [("X", True), ("Y", False)]


def test_entity_upsert_replaces_same_key(store_path: Path) -> None:
    stage_and_commit(
        store_path,
        [],
        entities={"contacts": [("a", "a@x.org", None, None, "UK", None)]},
    )
    before, after, counts = stage_and_commit(
        store_path,
        [],
        entities={"contacts": [("a", "a@y.org", None, None, None, None)]},
    )
    assert after == before + 1
    assert counts["contacts_upserted"] == 1
    assert rows(store_path, "SELECT contact_id, email, country FROM contacts") == [
        ("a", "a@y.org", None)
    ]


def test_entity_duplicate_keys_are_rejected(store_path: Path) -> None:
    carts = [("k1", None, "active", None, None), ("k1", None, "abandoned", None, None)]
    with pytest.raises(BadInputError, match=r"carts key k1 repeated \(2 rows\)"):
        stage_and_commit(store_path, [], entities={"carts": carts})


def test_cart_status_is_checked(store_path: Path) -> None:
    carts = [("k1", None, "lost", None, None)]
    with pytest.raises(BadInputError, match="k1 \\(status 'lost'\\)"):
        stage_and_commit(store_path, [], entities={"carts": carts})


def test_related_products_limit(store_path: Path) -> None:
    related = [("X", f"R{i:02d}", 1.0) for i in range(40)]
    stage_and_commit(store_path, [], entities={"related_products": related})
    one_more = [("X", "R40", 0.5)]
    with pytest.raises(BadInputError, match=r"X \(41 related products\)"):
        stage_and_commit(store_path, [], entities={"related_products": one_more})
    assert rows(store_path, "SELECT count(*) FROM related_products") == [(40,)]


def test_lines_carry_time_and_repeats(store_path: Path) -> None:
    # Lines 1 and 3 of P1 contain the same product, so only line 3 repeats it.
    stage_and_commit(
        store_path,
        [purchase("P1", total="9.00", quantity=3), purchase("P2", at=JAN_2)],
        [
            line("P1", 1, "X", quantity=1, unit_price="3.00", price="3.00"),
            line("P1", 2, "Y", quantity=1, unit_price="3.00", price="3.00"),
            line("P1", 3, "X", quantity=1, unit_price="3.00", price="3.00"),
            line("P2", 1, "X"),
        ],
    )
    assert rows(
        store_path,
        "SELECT internal_id, line_number, purchased_at, repeats_product "
        "FROM purchase_lines ORDER BY internal_id, line_number",
    ) == [
        (1, 1, JAN_1, False),
        (1, 2, JAN_1, False),
        (1, 3, JAN_1, True),
        (2, 1, JAN_2, False),
    ]
