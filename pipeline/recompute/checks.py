"""Blocking data checks on the recomputed outputs, run before they are published.

Each check compares an output with counts or totals taken straight from the lake or
the live views. A failed check's detail names the offending values, listing at most
MAX_LISTED of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.recompute import RecomputeContext
from pipeline.sqlfiles import load_sql

MAX_LISTED = 5


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check, with a message naming what failed."""

    name: str
    passed: bool
    detail: str


def run_checks(ctx: RecomputeContext) -> list[CheckResult]:
    """Run every check on the `out_<table>` temp tables."""
    checks: list[Callable[[RecomputeContext], CheckResult]] = [
        _one_metrics_row_per_contact,
        _contact_totals_match_purchases,
        _best_seller_units_within_window,
        _rfm_population_matches_buyers,
    ]
    if _has_temp_table(ctx, "out_clv"):
        checks.append(_clv_predictions_in_range)
    return [check(ctx) for check in checks]


def _one_metrics_row_per_contact(ctx: RecomputeContext) -> CheckResult:
    row = ctx.con.execute(
        "SELECT (SELECT count(*) FROM lake.contacts), "
        "count(*), count(DISTINCT contact_id) FROM out_contact_metrics"
    ).fetchone()
    assert row is not None
    contacts, rows, distinct = row
    passed = contacts == rows == distinct
    detail = f"{contacts} contacts, {rows} metrics rows, {distinct} distinct contacts"
    if not passed:
        repeated = ctx.con.execute(
            "SELECT contact_id FROM out_contact_metrics GROUP BY contact_id "
            "HAVING count(*) > 1 ORDER BY contact_id LIMIT ?",
            [MAX_LISTED],
        ).fetchall()
        detail += f"; repeated contact ids: {[r[0] for r in repeated]}"
    return CheckResult("one_metrics_row_per_contact", passed, detail)


def _contact_totals_match_purchases(ctx: RecomputeContext) -> CheckResult:
    row = ctx.con.execute(
        "SELECT (SELECT sum(total_purchases) FROM out_contact_metrics), "
        "(SELECT sum(total_purchases_amount) FROM out_contact_metrics), "
        "count(*), sum(total_price) FROM live_purchases "
        "WHERE contact_id IS NOT NULL"
    ).fetchone()
    assert row is not None
    metric_count, metric_amount, purchase_count, purchase_amount = (
        value or 0 for value in row
    )
    passed = metric_count == purchase_count and metric_amount == purchase_amount
    return CheckResult(
        "contact_totals_match_purchases",
        passed,
        f"contact metrics sum to {metric_count} purchases and {metric_amount}; "
        f"purchases of known contacts: {purchase_count} and {purchase_amount}",
    )


def _best_seller_units_within_window(ctx: RecomputeContext) -> CheckResult:
    offending = ctx.con.execute(
        load_sql("recompute/check_best_seller_units"),
        {
            "windows_days": ctx.settings.best_sellers.windows_days,
            "max_listed": MAX_LISTED,
        },
    ).fetchall()
    detail = "; ".join(
        f"period {period} category {category}: {ranked} units ranked, "
        f"{sold} sold in the window"
        for period, category, ranked, sold in offending
    )
    return CheckResult(
        "best_seller_units_within_window",
        not offending,
        detail or "ranked units never exceed the units sold in their window",
    )


def _rfm_population_matches_buyers(ctx: RecomputeContext) -> CheckResult:
    row = ctx.con.execute(
        "SELECT (SELECT count(*) FROM out_rfm), "
        "(SELECT count(DISTINCT contact_id) FROM out_rfm), "
        "count(DISTINCT contact_id) FROM live_purchases "
        "WHERE contact_id IS NOT NULL AND purchased_at > "
        "getvariable('as_of') - to_years(?::INTEGER)",
        [ctx.settings.rfm.population_years],
    ).fetchone()
    assert row is not None
    rows, distinct, buyers = row
    return CheckResult(
        "rfm_population_matches_buyers",
        rows == distinct == buyers,
        f"{rows} RFM rows, {distinct} distinct contacts, {buyers} buyers in the "
        f"last {ctx.settings.rfm.population_years} years",
    )


def _clv_predictions_in_range(ctx: RecomputeContext) -> CheckResult:
    offending = ctx.con.execute(
        load_sql("recompute/check_clv_predictions"), [MAX_LISTED]
    ).fetchall()
    detail = "; ".join(
        f"contact {contact_id}: p_alive {p_alive}, churn_rate {churn_rate}, "
        f"expected_purchases_12m {expected}, expected_spend_per_purchase {spend}, "
        f"clv_12m {clv}"
        for contact_id, p_alive, churn_rate, expected, spend, clv in offending
    )
    return CheckResult(
        "clv_predictions_in_range",
        not offending,
        detail or "every prediction is null or finite and in range",
    )


def _has_temp_table(ctx: RecomputeContext, name: str) -> bool:
    row = ctx.con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?",
        [name],
    ).fetchone()
    return bool(row and row[0])
