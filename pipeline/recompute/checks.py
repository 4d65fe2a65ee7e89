"""Blocking data checks on the recomputed outputs, run before they are published."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.recompute import RecomputeContext


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check, with a message naming what failed."""

    name: str
    passed: bool
    detail: str


def run_checks(ctx: RecomputeContext) -> list[CheckResult]:
    """Run every check on the `out_<table>` temp tables."""
    return [_one_metrics_row_per_contact(ctx)]


def _one_metrics_row_per_contact(ctx: RecomputeContext) -> CheckResult:
    row = ctx.con.execute(
        "SELECT (SELECT count(*) FROM lake.contacts), "
        "count(*), count(DISTINCT contact_id) FROM out_contact_metrics"
    ).fetchone()
    assert row is not None
    contacts, rows, distinct = row
    passed = contacts == rows == distinct
    return CheckResult(
        "one_metrics_row_per_contact",
        passed,
        f"{contacts} contacts, {rows} metrics rows, {distinct} distinct contacts",
    )
