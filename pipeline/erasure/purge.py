"""`storepipe purge`: erase the rows of old deletion batches from every file.

For each batch deleted more than the retention ago (and not undone), purge

1. clears the contact of an `erasure` batch's deletion_log rows and its impact,
2. rewrites every data file of the purchase and deletion tables that has deleted
   rows, so the current snapshot no longer references the old files,
3. replays each batch that stays restorable (insert its rows from its snapshot,
   delete them again) so its undo keeps a snapshot that survives step 4,
4. expires every snapshot older than that and deletes the files only they
   referenced, plus any orphaned file in the data folder,
5. drops the batch's purchases from processed inbox files and its purchase ids
   from run logs and manifests,
6. records an erasure_records row per batch and sets erased_at,
7. rewrites the embedded catalog file, which may keep old bytes in freed blocks.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.erasure.catalog import is_embedded, rewrite_catalog
from pipeline.erasure.tokens import (
    REDACTED,
    drop_matching_lines,
    drop_parquet_rows_with_tokens,
    found_tokens,
    parquet_rows_with_tokens,
    read_text,
    token_pattern,
    write_text,
)
from pipeline.runs import RunRecord
from pipeline.sqlfiles import load_sql
from pipeline.store import Store

log = logging.getLogger(__name__)

# Tables whose old files may hold a deleted purchase, line or erased contact id.
REWRITTEN_TABLES = ("purchases", "purchase_lines", "deletion_log", "deletion_batches")
# Tables whose table-level statistics may keep a deleted purchase's values.
ROW_TABLES = ("purchases", "purchase_lines")
ERASURE_REASON = "erasure"


@dataclass
class PurgeResult:
    """Counts of one purge: batches erased, files rewritten, snapshots expired."""

    batch_ids: list[str] = field(default_factory=list)
    purchases: int = 0
    files_rewritten: int = 0
    snapshots_expired: int = 0
    files_deleted: int = 0
    inbox_files_changed: list[str] = field(default_factory=list)
    run_files_redacted: int = 0


def purge_store(
    store: Store,
    retention_days: int,
    *,
    now: dt.datetime | None = None,
    record: RunRecord | None = None,
) -> PurgeResult:
    """Erase every batch deleted more than `retention_days` ago; see the module."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(days=retention_days)
    con = store.con
    due = con.execute(load_sql("erasure/due_batches"), {"cutoff": cutoff}).fetchall()
    result = PurgeResult(batch_ids=[str(row[0]) for row in due])
    if not due:
        log.info("purge: no batch deleted before %s to erase", cutoff.isoformat())
        if is_embedded(store):
            rewrite_catalog(store, ROW_TABLES)
        return result
    internal_ids = {str(row[0]): [int(i) for i in row[2]] for row in due}
    result.purchases = sum(len(ids) for ids in internal_ids.values())
    tokens = _erased_purchase_ids(store, result.batch_ids)

    # 1. Clear contact ids and stored impacts of erasure batches.
    erasure_batches = [str(row[0]) for row in due if row[1] == ERASURE_REASON]
    if erasure_batches:
        with store.transaction():
            parameters = {"batch_ids": erasure_batches}
            con.execute(load_sql("erasure/clear_contacts"), parameters)
            con.execute(load_sql("erasure/clear_impact"), parameters)

    # 2. Rewrite the data files that hold deleted rows.
    for table in REWRITTEN_TABLES:
        rows = con.execute(
            "CALL ducklake_rewrite_data_files('lake', ?, delete_threshold => 0)",
            [table],
        ).fetchall()
        result.files_rewritten += sum(int(row[2]) for row in rows)

    # 3. Replay the batches that stay restorable, then 4. expire the rest.
    keep_from = _replay_retained(store, cutoff)
    result.snapshots_expired = _expire_before(store, keep_from)
    result.files_deleted = _delete_unreferenced_files(store)

    # 5. Remove the purchase ids from processed inbox files, run logs and manifests.
    pattern = token_pattern(tokens)
    if pattern is not None:
        result.inbox_files_changed = _redact_inbox(store, pattern, sorted(tokens))
        result.run_files_redacted = _redact_runs(store.path / "runs", pattern)

    # 6. Record the erasure of each batch in one commit.
    with store.transaction():
        for batch_id in result.batch_ids:
            con.execute(
                load_sql("erasure/record_erasure"),
                {
                    "batch_id": batch_id,
                    "internal_ids": internal_ids[batch_id],
                    "files_rewritten": result.files_rewritten,
                    "snapshots_expired": result.snapshots_expired,
                },
            )
        con.execute(load_sql("erasure/mark_erased"), {"batch_ids": result.batch_ids})

    # 7. Rewrite the catalog file so no freed block keeps old rows.
    if is_embedded(store):
        rewrite_catalog(store, ROW_TABLES)
    # TODO: a PostgreSQL catalog keeps dead tuples until VACUUM FULL, which purge
    # does not run.
    log.info(
        "purge erased %d batches (%d purchases): %d files rewritten, %d snapshots "
        "expired, %d files deleted",
        len(result.batch_ids),
        result.purchases,
        result.files_rewritten,
        result.snapshots_expired,
        result.files_deleted,
    )
    if record is not None:
        record.counts.update(
            {
                "purge.batches": len(result.batch_ids),
                "purge.purchases": result.purchases,
                "purge.files_rewritten": result.files_rewritten,
                "purge.snapshots_expired": result.snapshots_expired,
                "purge.files_deleted": result.files_deleted,
            }
        )
    return result


def _erased_purchase_ids(store: Store, batch_ids: list[str]) -> set[str]:
    """Return the store purchase ids of the batches that no live purchase uses."""
    rows = store.con.execute(
        "SELECT DISTINCT purchase_id FROM lake.deletion_log "
        "WHERE batch_id IN (SELECT unnest(?::VARCHAR[])) AND outcome = 'deleted' "
        "AND purchase_id NOT IN (SELECT purchase_id FROM lake.purchases)",
        [batch_ids],
    ).fetchall()
    return {str(row[0]) for row in rows}


def _replay_retained(store: Store, cutoff: dt.datetime) -> int:
    """Re-create the undo snapshot of each restorable batch; return the oldest kept.

    Each batch's rows are inserted from its old snapshot in one commit, which
    becomes its new snapshot_before, and deleted again in the next commit.
    """
    con = store.con
    retained = con.execute(
        load_sql("erasure/retained_batches"), {"cutoff": cutoff}
    ).fetchall()
    keep_from = store.snapshot_id()
    for index, (batch_id, snapshot) in enumerate(retained):
        parameters = {"batch_id": batch_id, "snapshot": snapshot}
        with store.transaction():
            con.execute(load_sql("undo/restore_purchases"), parameters)
            con.execute(load_sql("undo/restore_lines"), parameters)
        replayed = store.snapshot_id()
        if index == 0:
            keep_from = replayed
        with store.transaction():
            con.execute(load_sql("erasure/remove_lines"), {"batch_id": batch_id})
            con.execute(load_sql("erasure/remove_purchases"), {"batch_id": batch_id})
            con.execute(
                load_sql("erasure/move_snapshot_before"),
                {"batch_id": batch_id, "snapshot": replayed},
            )
        log.info("kept batch %s restorable at snapshot %d", batch_id, replayed)
    return keep_from


def _expire_before(store: Store, keep_from: int) -> int:
    rows = store.con.execute(
        "SELECT snapshot_id FROM lake.snapshots() WHERE snapshot_id < ? "
        "ORDER BY snapshot_id",
        [keep_from],
    ).fetchall()
    versions = [int(row[0]) for row in rows]
    if versions:
        store.con.execute(
            "CALL ducklake_expire_snapshots('lake', versions => ?)", [versions]
        )
    return len(versions)


def _delete_unreferenced_files(store: Store) -> int:
    old = store.con.execute(
        "CALL ducklake_cleanup_old_files('lake', cleanup_all => true)"
    ).fetchall()
    orphaned = store.con.execute(
        "CALL ducklake_delete_orphaned_files('lake', cleanup_all => true)"
    ).fetchall()
    return len(old) + len(orphaned)


def _redact_inbox(
    store: Store, pattern: re.Pattern[str], tokens: list[str]
) -> list[str]:
    """Drop the rows holding an erased purchase id from processed inbox files."""
    folder = store.inbox / "processed"
    changed = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.name.endswith(".parquet"):
            if parquet_rows_with_tokens(store.con, path, tokens):
                drop_parquet_rows_with_tokens(store.con, path, tokens)
                changed.append(str(path))
            continue
        text = read_text(path)
        if not found_tokens(text, pattern):
            continue
        write_text(path, drop_matching_lines(text, pattern))
        changed.append(str(path))
    log.info("purge redacted %d processed inbox files", len(changed))
    return changed


def _redact_runs(folder: Path, pattern: re.Pattern[str]) -> int:
    """Replace erased purchase ids in run logs and manifests with a marker."""
    count = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        text = read_text(path)
        if found_tokens(text, pattern):
            write_text(path, pattern.sub(REDACTED, text))
            count += 1
    return count
