"""Undo of a deletion batch: restore its purchases and lines by DuckLake time travel.

The rows come back from the snapshot recorded before the deletion, with their own
internal ids, in one commit. The caller recomputes the outputs afterwards.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pipeline.errors import BadInputError
from pipeline.runs import RunRecord
from pipeline.sqlfiles import load_sql
from pipeline.store import Store

log = logging.getLogger(__name__)

MAX_LISTED = 10
LIST_BATCHES = 'list batches with `storepipe query "FROM deletion_batches"`'


@dataclass(frozen=True)
class UndoResult:
    """Rows restored by an undo, and the snapshots around its commit."""

    batch_id: str
    purchases: int
    lines: int
    snapshot_before: int
    snapshot_after: int


def undo_batch(
    store: Store, batch_id: str, record: RunRecord | None = None
) -> UndoResult:
    """Restore a deletion batch's purchases and lines in one commit.

    Raises BadInputError, with nothing written, when the batch is unknown, already
    undone, erased, its snapshot has expired, or any of its store purchase ids is
    live again because it was imported after the deletion.
    """
    snapshot = _restorable_snapshot(store, batch_id)
    parameters = {"batch_id": batch_id}
    live_again = [
        str(row[0])
        for row in store.con.execute(load_sql("undo/live_again"), parameters).fetchall()
    ]
    if live_again:
        listed = ", ".join(live_again[:MAX_LISTED])
        more = (
            f" and {len(live_again) - MAX_LISTED} more"
            if len(live_again) > MAX_LISTED
            else ""
        )
        raise BadInputError(
            f"cannot undo batch {batch_id}: {len(live_again)} of its purchase ids are "
            f"live again after a later import ({listed}{more}); delete those first "
            "or leave the batch deleted"
        )

    # Restore the rows and mark the batch in one commit.
    snapshot_before = store.snapshot_id()
    restore = {**parameters, "snapshot": snapshot}
    with store.transaction():
        purchases = _changed_rows(store, "undo/restore_purchases", restore)
        lines = _changed_rows(store, "undo/restore_lines", restore)
        store.con.execute(load_sql("undo/mark_undone"), parameters)
    result = UndoResult(
        batch_id, purchases, lines, snapshot_before, store.snapshot_id()
    )
    log.info(
        "undid batch %s: restored %d purchases and %d lines from snapshot %d",
        batch_id,
        purchases,
        lines,
        snapshot,
    )
    if record is not None:
        record.counts.update(
            {
                "undo.batch_id": batch_id,
                "undo.purchases": purchases,
                "undo.lines": lines,
            }
        )
        record.snapshots["after_undo"] = result.snapshot_after
    return result


def _restorable_snapshot(store: Store, batch_id: str) -> int:
    """Return the batch's snapshot before the deletion, or raise BadInputError."""
    row = store.con.execute(
        load_sql("undo/batch_state"), {"batch_id": batch_id}
    ).fetchone()
    if row is None:
        raise BadInputError(f"deletion batch {batch_id!r} not found; {LIST_BATCHES}")
    snapshot, snapshot_kept, undone_at, erased_at, _deleted = row
    if undone_at is not None:
        raise BadInputError(
            f"deletion batch {batch_id} was already undone at {undone_at}; "
            "nothing to restore"
        )
    if erased_at is not None:
        raise BadInputError(
            f"cannot undo batch {batch_id}: `storepipe purge` erased its rows "
            f"physically at {erased_at}, so they no longer exist anywhere"
        )
    if not snapshot_kept:
        raise BadInputError(
            f"cannot undo batch {batch_id}: its snapshot {snapshot} before the "
            "deletion has expired, so its rows can no longer be read"
        )
    return int(snapshot)


def _changed_rows(store: Store, name: str, parameters: dict[str, object]) -> int:
    row = store.con.execute(load_sql(name), parameters).fetchone()
    return int(row[0]) if row else 0
