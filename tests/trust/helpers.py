"""Steps shared by the deletion-trust tests: preview, delete, recompute, read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.deletion import DeletionResult, delete_purchases
from pipeline.impact.preview import preview_deletion
from pipeline.recompute.run import recompute_store
from pipeline.runs import recorded_run
from pipeline.store import Store
from pipeline.timeparse import parse_as_of
from tests.trust.conftest import AS_OF

# Outputs that a recompute replaces whole and that depend only on data and as_of.
COMPARED_OUTPUTS = (
    "contact_metrics",
    "best_sellers",
    "rfm",
    "clv_eligibility",
    "daily_sales",
    "clv",
    "segment_members",
)


def as_of() -> Any:
    return parse_as_of(AS_OF, "UTC")


def recompute(store_path: Path) -> None:
    with Store.open(store_path, command="recompute") as store:
        with recorded_run(store.path, "recompute") as record:
            recompute_store(store, as_of(), record)


def delete(store_path: Path, ids: list[str], **options: Any) -> DeletionResult:
    """Delete a batch with its preview stored, as `storepipe delete --force` does."""
    with Store.open(store_path, command="delete") as store:
        impact = preview_deletion(store, ids, as_of=as_of())
        return delete_purchases(store, ids, impact=impact, **options)


def output_rows(store_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Return every compared output table of the lake, sorted."""
    with Store.open(store_path, write=False) as store:
        return {
            table: store.con.execute(f"FROM lake.{table} ORDER BY ALL").fetchall()
            for table in COMPARED_OUTPUTS
        }


def files_under(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*") if p.is_file()}


def snapshot_id(store_path: Path) -> int:
    with Store.open(store_path, write=False) as store:
        return store.snapshot_id()
