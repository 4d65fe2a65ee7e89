"""Bulk deletion: outcomes per id, atomic commits, and what a deletion never touches."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.deletion import delete_purchases, read_id_file
from pipeline.errors import BadInputError
from pipeline.store import Store
from tests.rows import insert_rows, line, purchase, table_rows

UNTOUCHED = ("contacts", "products", "carts", "related_products", "workflow_activity")


@pytest.fixture
def filled_store(store_path: Path) -> Path:
    contacts = [{"contact_id": c, "email": f"{c}@example.com"} for c in ("ann", "bob")]
    products = [
        {
            "product_id": p,
            "name": p,
            "categories": ["Home/Kitchen"],
            "non_merchandise": False,
        }
        for p in ("kettle", "mug")
    ]
    purchases = [
        purchase(
            1, "p1", "ann", "2024-03-01 10:00:00+00", "30.00", 2, cart_id="cart-1"
        ),
        purchase(2, "p2", "ann", "2024-03-05 10:00:00+00", "5.00"),
        purchase(3, "p3", None, "2024-03-06 10:00:00+00", "7.50"),
    ]
    lines = [
        line(1, 1, "kettle", 1, "25.00"),
        line(1, 2, "mug", 1, "5.00"),
        line(2, 1, "mug", 1, "5.00"),
        line(3, 1, "mug", 1, "7.50"),
    ]
    cart = {
        "cart_id": "cart-1",
        "contact_id": "ann",
        "status": "purchased",
        "purchase_id": "p1",
    }
    related = {"product_id": "kettle", "related_product_id": "mug", "score": 0.8}
    activity = {
        "event_id": "e1",
        "contact_id": "ann",
        "workflow_id": "w1",
        "activity_type": "email_sent",
        "occurred_at": "2024-03-02 08:00:00+00",
    }
    insert_rows(
        store_path,
        {
            "contacts": contacts,
            "products": products,
            "purchases": purchases,
            "purchase_lines": lines,
            "carts": [cart],
            "related_products": [related],
            "workflow_activity": [activity],
        },
    )
    return store_path


def delete(store_path: Path, ids: list[str], **options: object):
    with Store.open(store_path) as store:
        return delete_purchases(store, ids, **options)  # type: ignore[arg-type]


def test_delete_reports_each_outcome(filled_store: Path) -> None:
    delete(filled_store, ["p2"])
    result = delete(filled_store, ["p1", "p2", "nope"])
    outcomes = {row[0]: row[1] for row in result.outcomes.iter_rows()}
    assert outcomes == {"p1": "deleted", "p2": "already_deleted", "nope": "not_found"}
    assert result.counts == {"deleted": 1, "not_found": 1, "already_deleted": 1}


def test_delete_removes_purchase_and_lines(filled_store: Path) -> None:
    delete(filled_store, ["p1"])
    assert table_rows(filled_store, "SELECT purchase_id FROM purchases ORDER BY 1") == [
        ("p2",),
        ("p3",),
    ]
    assert table_rows(
        filled_store, "SELECT count(*) FROM purchase_lines WHERE internal_id = 1"
    ) == [(0,)]


def test_delete_keeps_untouched_tables(filled_store: Path) -> None:
    before = {t: table_rows(filled_store, f"FROM {t} ORDER BY ALL") for t in UNTOUCHED}
    delete(filled_store, ["p1", "p2", "p3"])
    for table in UNTOUCHED:
        assert table_rows(filled_store, f"FROM {table} ORDER BY ALL") == before[table]


def test_delete_keeps_cart_status(filled_store: Path) -> None:
    delete(filled_store, ["p1"])
    assert table_rows(filled_store, "SELECT status FROM carts") == [("purchased",)]


def test_delete_is_one_commit(filled_store: Path) -> None:
    result = delete(filled_store, ["p1", "p2", "nope"])
    assert result.snapshot_after == result.snapshot_before + 1


def test_delete_logs_deleted_purchase(filled_store: Path) -> None:
    result = delete(filled_store, ["p1"], reason="fraud")
    rows = table_rows(
        filled_store,
        "SELECT batch_id, requested_id, outcome, internal_id, contact_id, "
        "total_price::VARCHAR, purchased_at::VARCHAR, reason FROM deletion_log",
    )
    assert rows == [
        (
            result.batch_id,
            "p1",
            "deleted",
            1,
            "ann",
            "30.00",
            "2024-03-01 10:00:00+00",
            "fraud",
        )
    ]


def test_delete_by_internal_id(filled_store: Path) -> None:
    result = delete(filled_store, ["3", "99"], by="internal-id")
    assert result.counts == {"deleted": 1, "not_found": 1, "already_deleted": 0}
    assert table_rows(filled_store, "SELECT count(*) FROM purchases") == [(2,)]


def test_delete_counts_repeated_id_once(filled_store: Path) -> None:
    result = delete(filled_store, ["p1", " p1 ", "p1"])
    assert result.outcomes.height == 1
    assert result.counts["deleted"] == 1


def test_delete_rejects_non_integer_internal_id(filled_store: Path) -> None:
    with Store.open(filled_store) as store:
        before = store.snapshot_id()
        with pytest.raises(BadInputError, match="'p1'"):
            delete_purchases(store, ["1", "p1"], by="internal-id")
        assert store.snapshot_id() == before


def test_internal_ids_are_not_reused_after_delete(filled_store: Path) -> None:
    delete(filled_store, ["p1"])
    result = delete(filled_store, ["1"], by="internal-id")
    assert result.counts["already_deleted"] == 1


def test_id_file_reads_csv_column(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_bytes(b"\xef\xbb\xbfcancelled_by,purchase_id\r\nC1,p1\r\nC2,p2\r\n")
    assert read_id_file(path) == ["p1", "p2"]


def test_id_file_reads_one_id_per_line(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text("p1\n\np2\n")
    assert read_id_file(path) == ["p1", "p2"]


def test_id_file_empty_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text("")
    with pytest.raises(BadInputError, match="no ids"):
        read_id_file(path)


def test_id_file_non_utf8_names_line(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_bytes(b"p1\np\xff2\n")
    with pytest.raises(BadInputError, match=r"ids.txt:2: invalid UTF-8"):
        read_id_file(path)
