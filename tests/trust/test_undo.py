"""Undo of a deletion batch by time travel, and the cases it rejects."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import BadInputError
from pipeline.store import Store
from pipeline.undo import undo_batch
from tests.rows import insert_rows, purchase, table_rows
from tests.trust.conftest import ERASED_PURCHASE
from tests.trust.helpers import delete, output_rows, recompute, snapshot_id

ROWS = "SELECT * FROM {table} ORDER BY ALL"


def undo(store_path: Path, batch_id: str) -> None:
    with Store.open(store_path, command="undo") as store:
        undo_batch(store, batch_id)


def test_undo_restores_outputs(shop: Path) -> None:
    recompute(shop)
    outputs_before = output_rows(shop)
    purchases_before = table_rows(shop, ROWS.format(table="purchases"))
    lines_before = table_rows(shop, ROWS.format(table="purchase_lines"))
    batch = delete(shop, [ERASED_PURCHASE, "p05"]).batch_id
    recompute(shop)
    assert output_rows(shop) != outputs_before

    undo(shop, batch)
    recompute(shop)

    assert table_rows(shop, ROWS.format(table="purchases")) == purchases_before
    assert table_rows(shop, ROWS.format(table="purchase_lines")) == lines_before
    assert output_rows(shop) == outputs_before
    undone = table_rows(shop, "SELECT undone_at IS NOT NULL FROM deletion_batches")
    assert undone == [(True,)]


def test_undo_rejects_unknown_batch(shop: Path) -> None:
    with pytest.raises(BadInputError, match="not found"):
        undo(shop, "b-missing")


def test_undo_rejects_second_undo(shop: Path) -> None:
    batch = delete(shop, ["p05"]).batch_id
    undo(shop, batch)
    snapshot = snapshot_id(shop)

    with pytest.raises(BadInputError, match="already undone"):
        undo(shop, batch)
    assert snapshot_id(shop) == snapshot


def test_undo_rejects_ids_live_again(shop: Path) -> None:
    batch = delete(shop, ["p05", "p06"]).batch_id
    again = purchase(100, "p06", "cat", "2024-05-31 13:00:00+00", "9.00")
    insert_rows(shop, {"purchases": [again]})
    snapshot = snapshot_id(shop)

    with pytest.raises(BadInputError, match=r"live again .*\(p06\)"):
        undo(shop, batch)
    assert snapshot_id(shop) == snapshot
    assert table_rows(
        shop, "SELECT count(*) FROM purchases WHERE purchase_id = 'p05'"
    ) == [(0,)]


def test_undo_rejects_expired_snapshot(shop: Path) -> None:
    batch = delete(shop, ["p05"]).batch_id
    with Store.open(shop) as store:
        store.con.execute("CALL ducklake_expire_snapshots('lake', older_than => now())")

    with pytest.raises(BadInputError, match="has expired"):
        undo(shop, batch)
