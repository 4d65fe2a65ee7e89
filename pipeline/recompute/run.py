"""The recompute job: build every output, check it, publish it in one commit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from pipeline.errors import DataCheckError
from pipeline.progress import StepProgress
from pipeline.recompute import (
    RecomputeContext,
    compute_outputs,
    prepare,
    publish_outputs,
)
from pipeline.recompute.checks import run_checks
from pipeline.runs import RunRecord
from pipeline.store import Store

log = logging.getLogger(__name__)


def recompute_store(
    store: Store,
    as_of: dt.datetime,
    record: RunRecord,
    progress: StepProgress | None = None,
) -> None:
    """Recompute every output at `as_of` and publish it, or raise DataCheckError.

    A failed check leaves the previously published outputs in place. `progress`,
    when given, is called after each output step.
    """
    record.as_of = as_of.isoformat()
    record.snapshots["before_recompute"] = store.snapshot_id()

    # Build the outputs as temp tables.
    ctx = RecomputeContext(
        store.con,
        store.settings,
        as_of,
        record.run_id,
        store.amount_scale,
        progress=progress,
    )
    try:
        with record.step("recompute"):
            prepare(store.con, store.settings, as_of, store.amount_scale)
            compute_outputs(ctx)
    finally:
        # A failed step's timings and notes (a failed CLV fit's reason) belong in
        # the manifest too.
        record.timings.update({f"recompute.{k}": v for k, v in ctx.timings.items()})
        record.counts.update({f"clv.{k}": v for k, v in ctx.notes.items()})

    # Check them before anything is published.
    with record.step("checks"):
        results = run_checks(ctx)
    record.checks = [dataclasses.asdict(result) for result in results]
    failed = [result for result in results if not result.passed]
    if failed:
        summary = "; ".join(f"{r.name}: {r.detail}" for r in failed)
        raise DataCheckError(
            f"data check failed, previous outputs kept: {summary}",
            [r.name for r in failed],
        )

    # Replace the published outputs in one commit.
    with record.step("publish"), store.transaction():
        counts = publish_outputs(store.con)
        store.con.execute(
            "INSERT INTO lake.runs VALUES (?, ?, ?, ?, now(), 'ok', ?)",
            [
                record.run_id,
                record.command,
                as_of,
                record.started_at,
                record.snapshots["before_recompute"],
            ],
        )
    record.counts.update({f"rows.{k}": v for k, v in counts.items()})
    record.snapshots["after_recompute"] = store.snapshot_id()
    log.info("recomputed at %s: %s", as_of.isoformat(), counts)
