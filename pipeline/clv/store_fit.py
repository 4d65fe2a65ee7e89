"""A stand-alone CLV fit that publishes predictions and the model row in one commit."""

from __future__ import annotations

import datetime as dt
import logging

from pipeline.clv.fitting import DEFAULT_MAX_ITERATIONS
from pipeline.clv.step import FAILED, ClvOutcome, build_clv_outputs
from pipeline.clv.summary import TimeUnit
from pipeline.errors import DataCheckError
from pipeline.recompute import (
    RecomputeContext,
    clv_eligibility_parameters,
    prepare,
    sql_step,
)
from pipeline.runs import RunRecord
from pipeline.sqlfiles import load_sql
from pipeline.store import Store

log = logging.getLogger(__name__)


def fit_clv(
    store: Store,
    as_of: dt.datetime,
    record: RunRecord,
    time_unit: TimeUnit | None = None,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> ClvOutcome:
    """Fit the CLV models at `as_of` and publish them in one commit.

    A fitted or ineligible outcome replaces `lake.clv` and appends to
    `lake.clv_model`. A failed fit appends only its model row, keeps the previous
    predictions, and then raises DataCheckError.
    """
    record.as_of = as_of.isoformat()
    before = store.snapshot_id()
    record.snapshots["before_clv"] = before

    # Build out_clv_eligibility, out_clv and out_clv_model as temp tables.
    ctx = RecomputeContext(
        store.con, store.settings, as_of, record.run_id, store.amount_scale
    )
    with record.step("clv"):
        prepare(store.con, store.settings, as_of, store.amount_scale)
        sql_step("clv_eligibility", clv_eligibility_parameters)(ctx)
        outcome = build_clv_outputs(ctx, time_unit, max_iterations)
    record.timings.update(ctx.timings)
    record.counts.update({f"clv.{key}": value for key, value in ctx.notes.items()})

    # Publish them in one commit.
    run_status = "failed" if outcome.status == FAILED else "ok"
    with record.step("publish"), store.transaction():
        if outcome.status != FAILED:
            store.con.execute(load_sql("clv/clear_clv"))
            store.con.execute(load_sql("clv/publish_clv"))
        store.con.execute(load_sql("clv/publish_clv_model"))
        store.con.execute(
            load_sql("clv/record_run"),
            [
                record.run_id,
                record.command,
                as_of,
                record.started_at,
                run_status,
                before,
            ],
        )
    record.snapshots["after_clv"] = store.snapshot_id()

    if outcome.status == FAILED:
        raise DataCheckError(
            f"CLV model fit failed, previous predictions kept: {outcome.reason}",
            ["clv_model_fitted"],
        )
    return outcome
