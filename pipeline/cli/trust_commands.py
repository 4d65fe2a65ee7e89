"""Commands that make deletions reversible and then final: undo, purge, verify."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.cli.common import (
    STORE_DEFAULT,
    AsOfOption,
    StoreOption,
    WaitOption,
    app,
    echo,
    note,
)
from pipeline.erasure.purge import purge_store
from pipeline.erasure.verify import verify_erasure
from pipeline.errors import DataCheckError
from pipeline.recompute.run import recompute_store
from pipeline.runs import recorded_run
from pipeline.store import Store
from pipeline.timeparse import parse_as_of
from pipeline.undo import undo_batch


@app.command()
def undo(
    batch_id: Annotated[str, typer.Argument(help="Deletion batch id to undo.")],
    as_of: AsOfOption = None,
    store: StoreOption = STORE_DEFAULT,
    wait: WaitOption = 0.0,
) -> None:
    """Restore a deletion batch's purchases from DuckLake time travel, recompute."""
    with Store.open(store, command="undo", wait=wait) as opened:
        instant = parse_as_of(as_of, opened.settings.store.time_zone)
        with recorded_run(opened.path, "undo", instant) as record:
            result = undo_batch(opened, batch_id, record)
            recompute_store(opened, instant, record)
    echo(
        f"undid batch {result.batch_id}: restored {result.purchases} purchases and "
        f"{result.lines} lines; recomputed at {instant.isoformat()}"
    )


@app.command()
def purge(
    retention_days: Annotated[
        int | None,
        typer.Option(
            "--retention-days",
            min=0,
            help="Erase batches deleted more than this many days ago; "
            "default: deletion.retention_days.",
        ),
    ] = None,
    store: StoreOption = STORE_DEFAULT,
    wait: WaitOption = 0.0,
) -> None:
    """Erase old deletion batches physically; they can no longer be undone."""
    with Store.open(store, command="purge", wait=wait) as opened:
        days = (
            retention_days
            if retention_days is not None
            else opened.settings.deletion.retention_days
        )
        with recorded_run(opened.path, "purge") as record:
            result = purge_store(opened, days, record=record)
    echo(
        f"erased {len(result.batch_ids)} batches ({result.purchases} purchases): "
        f"{result.files_rewritten} data files rewritten, {result.snapshots_expired} "
        f"snapshots expired, {result.files_deleted} files deleted, "
        f"{len(result.inbox_files_changed)} inbox files redacted"
    )
    for batch_id in result.batch_ids:
        echo(f"  {batch_id}")


@app.command("verify-erasure")
def verify_erasure_command(
    store: StoreOption = STORE_DEFAULT,
    wait: WaitOption = 0.0,
) -> None:
    """Scan every file of the store for deleted purchases; exit 5 if any remain."""
    with Store.open(store, command="verify-erasure", wait=wait) as opened:
        result = verify_erasure(opened)
    for finding in result.findings:
        echo(f"{finding.path}: {finding.detail}")
    summary = (
        f"{result.purchases_checked} deleted purchases, {result.files_scanned} files "
        f"scanned, {len(result.findings)} still hold them"
    )
    if not result.passed:
        raise DataCheckError(
            f"erasure not complete: {summary}; run `storepipe purge` once their "
            "batches may be erased"
        )
    note(summary)
