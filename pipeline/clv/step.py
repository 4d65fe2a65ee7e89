"""The CLV recompute step: eligibility, BG/NBD and Gamma-Gamma fits, predictions.

It builds the temp tables `out_clv` (every contact) and `out_clv_model` (one row).
Predictions are null for contacts without purchases, and for everyone when the store
is ineligible or a fit failed.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pipeline.clv import bgnbd, gamma_gamma
from pipeline.clv.fitting import DEFAULT_MAX_ITERATIONS, FitResult
from pipeline.clv.predict import Predictions, predict
from pipeline.clv.summary import (
    TimeUnit,
    build_summary,
    fetch_contact_summaries,
    fetch_purchase_groups,
    fetch_spend_groups,
    spend_frequency_correlation,
)
from pipeline.errors import DataCheckError
from pipeline.recompute import RecomputeContext, clv_eligibility_parameters
from pipeline.sqlfiles import load_sql

log = logging.getLogger(__name__)

FITTED = "fitted"
INELIGIBLE = "ineligible"
FAILED = "failed"
PREDICTIONS_VIEW = "clv_contact_predictions"
ESTIMATE_COLUMNS = (
    "r",
    "alpha",
    "a",
    "b",
    "p",
    "q",
    "gamma",
    "log_likelihood",
    "gamma_gamma_log_likelihood",
)


@dataclass
class ClvOutcome:
    """The `out_clv_model` row of one run, as named SQL parameters."""

    status: str
    reason: str | None
    row: dict[str, Any] = field(default_factory=dict)


def clv(ctx: RecomputeContext) -> None:
    """Build `out_clv` and `out_clv_model`; raise DataCheckError when a fit failed.

    The failed model row and null predictions are built first, so the caller can
    still read why in the temp tables and in `ctx.notes`.
    """
    outcome = build_clv_outputs(ctx)
    if outcome.status == FAILED:
        raise DataCheckError(
            f"CLV model fit failed, previous outputs kept: {outcome.reason}",
            ["clv_model_fitted"],
        )


def build_clv_outputs(
    ctx: RecomputeContext,
    time_unit: TimeUnit | None = None,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> ClvOutcome:
    """Fit the models at ctx.as_of and build `out_clv` and `out_clv_model`.

    `time_unit` overrides the setting `clv.time_unit`; `max_iterations` caps each
    fit's BFGS iterations, and a fit that reaches the cap counts as failed.
    """
    unit: TimeUnit = time_unit or ctx.settings.clv.time_unit
    outcome = ClvOutcome(FITTED, None, _empty_row(ctx, unit))
    predictions: Predictions | None = None

    with _timed(ctx, "clv.summary"):
        outcome.row["contacts_used"] = build_summary(ctx.con, unit)
        outcome.row["spend_frequency_correlation"] = spend_frequency_correlation(
            ctx.con
        )

    failed_criteria = _failed_criteria(ctx)
    if failed_criteria:
        outcome.status = INELIGIBLE
        outcome.reason = "store is not eligible: " + "; ".join(failed_criteria)
    else:
        predictions = _fit_and_predict(ctx, unit, max_iterations, outcome)

    outcome.row["status"] = outcome.status
    outcome.row["reason"] = outcome.reason
    if outcome.status == FAILED:
        # A fit that stopped early has no estimates worth publishing.
        outcome.row.update(dict.fromkeys(ESTIMATE_COLUMNS))
    with _timed(ctx, "clv.write"):
        _write_outputs(ctx, outcome, predictions if outcome.status == FITTED else None)
    ctx.notes["status"] = outcome.status
    if outcome.reason:
        ctx.notes["reason"] = outcome.reason
    log.info(
        "CLV model at %s: %s (%s contacts, %s)",
        ctx.as_of.isoformat(),
        outcome.status,
        outcome.row["contacts_used"],
        outcome.reason or _describe_params(outcome.row),
    )
    return outcome


def _fit_and_predict(
    ctx: RecomputeContext, unit: TimeUnit, max_iterations: int, outcome: ClvOutcome
) -> Predictions | None:
    """Run both fits and the predictions, recording each result in `outcome`."""
    with _timed(ctx, "clv.fit_bgnbd"):
        purchase_fit = bgnbd.fit(fetch_purchase_groups(ctx.con), max_iterations)
    _note_fit(ctx, "bgnbd", purchase_fit)
    outcome.row.update(purchase_fit.params)
    outcome.row["log_likelihood"] = _finite_or_none(purchase_fit.log_likelihood)
    outcome.row["iterations"] = purchase_fit.iterations
    if not purchase_fit.converged:
        outcome.status = FAILED
        outcome.reason = _fit_failure("BG/NBD", purchase_fit)
        return None

    spend_data = fetch_spend_groups(ctx.con)
    outcome.row["gamma_gamma_contacts_used"] = int(spend_data.weight.sum())
    if spend_data.weight.size == 0:
        outcome.status = FAILED
        outcome.reason = (
            "Gamma-Gamma fit impossible: no contact has a repeat purchase with a "
            "positive amount"
        )
        return None
    with _timed(ctx, "clv.fit_gamma_gamma"):
        spend_fit = gamma_gamma.fit(spend_data, max_iterations)
    _note_fit(ctx, "gamma_gamma", spend_fit)
    outcome.row.update(spend_fit.params)
    outcome.row["gamma_gamma_log_likelihood"] = _finite_or_none(
        spend_fit.log_likelihood
    )
    if not spend_fit.converged:
        outcome.status = FAILED
        outcome.reason = _fit_failure("Gamma-Gamma", spend_fit)
        return None

    with _timed(ctx, "clv.predict"):
        predictions = predict(
            fetch_contact_summaries(ctx.con),
            purchase_fit.params,
            spend_fit.params,
            unit,
            ctx.settings.clv.annual_discount_rate,
        )
    invalid = predictions.invalid_count()
    if invalid:
        outcome.status = FAILED
        outcome.reason = (
            f"{invalid} contacts got non-finite or out-of-range predictions "
            f"(q = {spend_fit.params['q']:.4g}; the mean spend needs q > 1)"
        )
        return None
    return predictions


def _failed_criteria(ctx: RecomputeContext) -> list[str]:
    """List each failed eligibility criterion as `name value < threshold`."""
    if not _has_temp_table(ctx, "out_clv_eligibility"):
        # Only a caller that skipped the clv_eligibility step gets here.
        ctx.con.execute(
            load_sql("recompute/clv_eligibility"), clv_eligibility_parameters(ctx)
        )
    rows = ctx.con.execute(load_sql("clv/eligibility_rows")).fetchall()
    return [
        f"{criterion} {value} < {threshold}"
        for criterion, value, threshold, _margin, passed in rows
        if not passed
    ]


def _write_outputs(
    ctx: RecomputeContext, outcome: ClvOutcome, predictions: Predictions | None
) -> None:
    table = (predictions or Predictions.empty()).to_arrow()
    ctx.con.register(PREDICTIONS_VIEW, table)
    try:
        ctx.con.execute(load_sql("clv/out_clv"))
    finally:
        ctx.con.unregister(PREDICTIONS_VIEW)
    ctx.con.execute(load_sql("clv/out_clv_model"), outcome.row)


def _empty_row(ctx: RecomputeContext, unit: TimeUnit) -> dict[str, Any]:
    others = (
        "contacts_used",
        "iterations",
        "spend_frequency_correlation",
        "gamma_gamma_contacts_used",
    )
    row: dict[str, Any] = dict.fromkeys(ESTIMATE_COLUMNS + others)
    row.update(status=FITTED, reason=None, time_unit=unit, run_id=ctx.run_id)
    return row


def _note_fit(ctx: RecomputeContext, model: str, fit: FitResult) -> None:
    ctx.notes[f"{model}_iterations"] = fit.iterations
    ctx.notes[f"{model}_converged"] = fit.converged


def _fit_failure(model: str, fit: FitResult) -> str:
    return (
        f"{model} fit did not converge after {fit.iterations} iterations "
        f"({fit.message})"
    )


def _finite_or_none(value: float) -> float | None:
    return value if np.isfinite(value) else None


def _describe_params(row: dict[str, Any]) -> str:
    names = ("r", "alpha", "a", "b", "p", "q", "gamma")
    return ", ".join(f"{name}={row[name]:.4g}" for name in names)


def _has_temp_table(ctx: RecomputeContext, name: str) -> bool:
    row = ctx.con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?",
        [name],
    ).fetchone()
    return bool(row and row[0])


@contextlib.contextmanager
def _timed(ctx: RecomputeContext, name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        ctx.timings[name] = round(time.perf_counter() - started, 4)
