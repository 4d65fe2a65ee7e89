"""The nightly job: import the inbox, apply waiting deletions, recompute, purge.

Inbox layout (inside the store):

    inbox/*.jsonl|csv|csv.gz|parquet    purchases, read with the `[inbox]` settings
    inbox/<kind>/*                      contacts, products, carts, related_products,
                                        workflow_activity
    inbox/deletions/*                   one deletion batch per file (store ids)

Each file moves to `inbox/processed/<run id>/` once its commit is done. A run killed
between a commit and the move is safe to repeat: importing the same purchases again
changes nothing, and deleting them again only logs `already_deleted`.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from pipeline.deletion import delete_purchases, read_id_file
from pipeline.erasure.purge import purge_store
from pipeline.progress import StepProgress
from pipeline.recompute.run import recompute_store
from pipeline.runs import RunRecord, recorded_run
from pipeline.settings import EngineSection
from pipeline.store import Store
from pipeline.timeparse import parse_as_of

log = logging.getLogger(__name__)

INBOX_SUFFIXES = (".jsonl", ".csv", ".csv.gz", ".parquet")
ENTITY_FOLDERS = (
    "contacts",
    "products",
    "carts",
    "related_products",
    "workflow_activity",
)


def run_nightly(
    store_path: Path,
    as_of_text: str | None,
    wait: float = 0.0,
    progress: StepProgress | None = None,
    engine: EngineSection | None = None,
) -> RunRecord:
    """Run the whole nightly job on one store and return its run record.

    `progress`, when given, is called after each recompute output step. `engine`
    overrides the store's DuckDB threads and memory limit for this run.
    """
    with Store.open(store_path, command="nightly", wait=wait, engine=engine) as store:
        as_of = parse_as_of(as_of_text, store.settings.store.time_zone)
        with recorded_run(store.path, "nightly", as_of) as record:
            record.snapshots["start"] = store.snapshot_id()
            with record.step("import"):
                import_inbox(store, record)
            with record.step("deletions"):
                apply_inbox_deletions(store, record)
            recompute_store(store, as_of, record)
            with record.step("purge"):
                purge_store(
                    store, store.settings.deletion.retention_days, record=record
                )
        return record


def inbox_files(folder: Path) -> list[Path]:
    """List the importable files directly in a folder, sorted by name."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.name.endswith(INBOX_SUFFIXES)
    )


def import_inbox(store: Store, record: RunRecord) -> None:
    """Import entity files first, then purchases, each kind in one commit."""
    from pipeline.ingest import import_inbox_files

    for kind in ENTITY_FOLDERS:
        files = inbox_files(store.inbox / kind)
        if files:
            import_inbox_files(store, files, kind, record)
            _archive(store, files, record)
    files = inbox_files(store.inbox)
    if files:
        import_inbox_files(store, files, "purchases", record)
        _archive(store, files, record)


def apply_inbox_deletions(store: Store, record: RunRecord) -> None:
    """Apply each file in `inbox/deletions/` as one deletion batch, in name order."""
    folder = store.inbox / "deletions"
    files = (
        sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    )
    for path in files:
        ids = read_id_file(path)
        result = delete_purchases(
            store, ids, reason=f"nightly: {path.name}", record=record
        )
        record.inputs.append(
            {
                "file": str(path),
                "kind": "deletions",
                "batch_id": result.batch_id,
                **result.counts,
            }
        )
        _archive(store, [path], record)


def _archive(store: Store, files: list[Path], record: RunRecord) -> None:
    target = store.inbox / "processed" / record.run_id
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.move(str(path), target / path.name)
    log.info("moved %d processed file(s) to %s", len(files), target)
