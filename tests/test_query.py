"""Read-only queries: results, time travel, and what a query may not do."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.deletion import delete_purchases
from pipeline.errors import BadInputError, UsageError
from pipeline.query import query_store
from pipeline.store import Store
from tests.rows import insert_rows, purchase


@pytest.fixture
def two_purchases(store_path: Path) -> Path:
    insert_rows(
        store_path,
        {
            "contacts": [{"contact_id": "ann"}],
            "purchases": [
                purchase(1, "p1", "ann", "2024-03-01 10:00:00+00", "30.00"),
                purchase(2, "p2", "ann", "2024-03-02 10:00:00+00", "5.00"),
            ],
        },
    )
    return store_path


def snapshot(store_path: Path) -> int:
    with Store.open(store_path, write=False) as store:
        return store.snapshot_id()


def test_query_returns_rows(two_purchases: Path) -> None:
    frame = query_store(two_purchases, "SELECT purchase_id FROM purchases ORDER BY 1")
    assert frame["purchase_id"].to_list() == ["p1", "p2"]


def test_query_before_batch_sees_deleted(two_purchases: Path) -> None:
    with Store.open(two_purchases) as store:
        batch = delete_purchases(store, ["p1"]).batch_id
    now = query_store(two_purchases, "SELECT count(*) AS n FROM purchases")
    before = query_store(
        two_purchases, "SELECT count(*) AS n FROM purchases", before_batch=batch
    )
    assert now["n"].to_list() == [1]
    assert before["n"].to_list() == [2]


def test_query_at_snapshot(two_purchases: Path) -> None:
    filled = snapshot(two_purchases)
    with Store.open(two_purchases) as store:
        delete_purchases(store, ["p1", "p2"])
    frame = query_store(
        two_purchases, "SELECT count(*) AS n FROM purchases", at_snapshot=filled
    )
    assert frame["n"].to_list() == [2]


def test_query_unknown_batch_is_usage_error(two_purchases: Path) -> None:
    with pytest.raises(UsageError, match="'b-none' not found"):
        query_store(two_purchases, "SELECT 1", before_batch="b-none")


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO purchases (internal_id) VALUES (9)",
        "DELETE FROM purchases",
        "DROP TABLE contacts",
        "ATTACH '{tmp}/other.duckdb' AS other",
        "SET threads = 1",
        "COPY purchases TO '{tmp}/out.csv'",
        "SELECT * FROM read_csv('/etc/hostname')",
        "INSTALL httpfs",
    ],
)
def test_query_rejects_writes_and_outside_access(
    two_purchases: Path, tmp_path: Path, sql: str
) -> None:
    before = snapshot(two_purchases)
    with pytest.raises(BadInputError):
        query_store(two_purchases, sql.format(tmp=tmp_path))
    assert snapshot(two_purchases) == before
    assert not (tmp_path / "out.csv").exists()
    assert not (tmp_path / "other.duckdb").exists()


def test_query_local_files_with_opt_in(two_purchases: Path, tmp_path: Path) -> None:
    source = tmp_path / "ids.csv"
    source.write_text("purchase_id\np1\n")
    frame = query_store(
        two_purchases,
        f"SELECT count(*) AS n FROM read_csv('{source}') JOIN purchases USING "
        "(purchase_id)",
        allow_local_files=True,
    )
    assert frame["n"].to_list() == [1]


@pytest.mark.parametrize("sql", ["", "  ;  ", "SELECT 1; SELECT 2"])
def test_query_requires_one_statement(two_purchases: Path, sql: str) -> None:
    with pytest.raises(BadInputError, match="give exactly one"):
        query_store(two_purchases, sql)
