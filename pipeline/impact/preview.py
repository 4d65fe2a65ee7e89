"""Impact preview of a deletion batch: every output before and after it, unwritten.

The preview computes each output twice on the store's connection at the same as_of:
first on every live purchase ("before"), then with the batch's purchases left out
through the temp table `excluded_purchases` ("after"). Nothing is written to the
lake. The outputs stay on the connection as temp tables, `impact_before_<table>` and
`out_<table>`, until the next recompute or preview replaces them.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
from collections.abc import Sequence
from typing import Any

from pipeline.deletion import (
    IdKind,
    deleted_internal_ids,
    normalize_ids,
    resolve_outcomes,
)
from pipeline.errors import DataCheckError
from pipeline.recompute import (
    APPENDED_TABLES,
    RecomputeContext,
    output_steps,
    prepare,
)
from pipeline.sqlfiles import load_sql
from pipeline.store import Store

log = logging.getLogger(__name__)

BEFORE_PREFIX = "impact_before_"
# Best-seller ranks compared per period; deeper ranks are not listed.
TOP_RANKS = 50
IMPACT_FORMAT = 1


def preview_deletion(
    store: Store,
    requested_ids: Sequence[str],
    *,
    by: IdKind = "store-id",
    as_of: dt.datetime,
) -> dict[str, Any]:
    """Compute the impact of deleting a batch at `as_of`, as a JSON-ready dict."""
    con = store.con
    ids = normalize_ids(requested_ids, by)
    resolve_outcomes(store, ids, by)
    excluded = deleted_internal_ids(store)
    ctx = RecomputeContext(con, store.settings, as_of, "preview", store.amount_scale)

    # Compute every output on all live purchases and keep it as impact_before_*.
    failures: dict[str, str] = {}
    prepare(con, store.settings, as_of, store.amount_scale)
    _compute_outputs(ctx, "before", failures)
    tables = compared_tables(store)
    for table in tables:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {BEFORE_PREFIX}{table} AS "
            f"FROM temp.main.out_{table}"
        )

    # Compute them again without the batch; these are the outputs after it.
    prepare(con, store.settings, as_of, store.amount_scale, excluded)
    _compute_outputs(ctx, "after", failures)
    con.execute("DELETE FROM excluded_purchases")

    impact = build_impact(store, as_of, tables)
    impact["failed_steps"] = failures
    log.info(
        "previewed a batch of %d ids: %d purchases removed",
        len(ids),
        impact["removed"]["purchases"],
    )
    return impact


def _compute_outputs(
    ctx: RecomputeContext, phase: str, failures: dict[str, str]
) -> None:
    """Run every output step; record a step's data check failure and go on.

    A step that fails its check (a CLV fit that does not converge, for example)
    still builds its temp tables, and a recompute would stop there. The preview
    reports the failure under `failed_steps` instead, so the other outputs are
    still compared.
    """
    for (name,) in ctx.con.execute(
        "SELECT table_name FROM duckdb_tables() "
        "WHERE temporary AND table_name LIKE 'out\\_%' ESCAPE '\\'"
    ).fetchall():
        ctx.con.execute(f"DROP TABLE temp.main.{name}")
    for step in output_steps():
        try:
            step(ctx)
        except DataCheckError as exc:
            failures[f"{phase}.{step.__name__}"] = str(exc)
            log.warning(
                "preview step %s failed %s the batch: %s", step.__name__, phase, exc
            )


def compared_tables(store: Store) -> list[str]:
    """List the outputs built as `out_<table>`, except the ones with a history."""
    rows = store.con.execute(
        "SELECT table_name FROM duckdb_tables() "
        "WHERE temporary AND table_name LIKE 'out\\_%' ESCAPE '\\' "
        "ORDER BY table_name"
    ).fetchall()
    names = [str(row[0]).removeprefix("out_") for row in rows]
    return [name for name in names if name not in APPENDED_TABLES]


def build_impact(store: Store, as_of: dt.datetime, tables: list[str]) -> dict[str, Any]:
    """Assemble the impact sections from the before and after temp tables."""
    con = store.con
    counts = _records(store, "impact/removed")[0]
    totals = _records(store, "impact/store_totals")[0]
    outcomes = con.execute(
        "SELECT outcome, count(*) FROM deletion_outcomes GROUP BY outcome"
    ).fetchall()
    impact: dict[str, Any] = {
        "format": IMPACT_FORMAT,
        "as_of": as_of.isoformat(),
        "requested": {str(name): int(count) for name, count in outcomes},
        "removed": counts,
        "store_before": totals,
        "shares": {
            "purchases": _share(counts["purchases"], totals["purchases"]),
            "revenue": _share(counts["revenue"], totals["revenue"]),
        },
        "outputs": {table: _table_changes(store, table) for table in tables},
    }
    present = set(tables)
    if {"contact_metrics", "rfm"} <= present:
        impact["contacts"] = _records(store, "impact/contacts")
    if "segment_members" in present:
        impact["segments"] = _segments(store)
    if "rfm" in present:
        impact["rfm_migration"] = _records(store, "impact/rfm_migration")
    if "best_sellers" in present:
        impact["best_sellers"] = _best_sellers(store)
    if "clv_eligibility" in present:
        impact["clv_eligibility"] = _clv_eligibility(store)
    if "daily_sales" in present:
        impact["daily_sales"] = _records(store, "impact/daily_sales")
        impact["daily_revenue"] = _records(store, "impact/daily_revenue")
    return impact


def _table_changes(store: Store, table: str) -> dict[str, int]:
    # Table names come from duckdb_tables(), never from user input.
    before = f"temp.main.{BEFORE_PREFIX}{table}"
    after = f"temp.main.out_{table}"
    row = store.con.execute(
        f"SELECT (SELECT count(*) FROM {before}), (SELECT count(*) FROM {after}), "
        f"(SELECT count(*) FROM (FROM {before} EXCEPT ALL FROM {after})), "
        f"(SELECT count(*) FROM (FROM {after} EXCEPT ALL FROM {before}))"
    ).fetchone()
    assert row is not None
    return {
        "rows_before": int(row[0]),
        "rows_after": int(row[1]),
        "rows_removed": int(row[2]),
        "rows_added": int(row[3]),
    }


def _segments(store: Store) -> list[dict[str, Any]]:
    moves = _records(store, "impact/segment_moves")
    sections = []
    for size in _records(store, "impact/segment_sizes"):
        name = size["segment"]
        sections.append(
            {
                **size,
                "entered": [m["contact_id"] for m in moves if _is(m, name, "entered")],
                "left": [m["contact_id"] for m in moves if _is(m, name, "left")],
            }
        )
    return sections


def _is(move: dict[str, Any], segment: str, change: str) -> bool:
    return bool(move["segment"] == segment and move["change"] == change)


def _best_sellers(store: Store) -> dict[str, Any]:
    changes = _records(store, "impact/best_seller_changes", {"top_n": TOP_RANKS})
    periods = [
        str(row[0])
        for row in store.con.execute(
            "SELECT DISTINCT period FROM impact_before_best_sellers "
            "UNION SELECT DISTINCT period FROM out_best_sellers"
        ).fetchall()
    ]
    by_period = {}
    for period in sorted(periods, key=_period_order):
        rows = [change for change in changes if change["period"] == period]
        by_period[period] = {
            kind: [
                _without(row, "period", "change")
                for row in rows
                if row["change"] == kind
            ]
            for kind in ("entered", "left", "moved")
        }
    return {"top": TOP_RANKS, "periods": by_period}


def _period_order(period: str) -> tuple[int, int]:
    if period == "all":
        return (1, 0)
    return (0, int(period.removesuffix("d")))


def _without(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key not in keys}


def _clv_eligibility(store: Store) -> dict[str, Any]:
    criteria = _records(store, "impact/clv_eligibility")
    return {
        "eligible_before": all(c["passed_before"] for c in criteria),
        "eligible_after": all(c["passed_after"] for c in criteria),
        "criteria": criteria,
    }


def _share(part: Any, whole: Any) -> float:
    """Return part / whole, or 0 when the whole is 0 or missing (an empty store).

    Either may come as a number or as its text.
    """
    total = decimal.Decimal(whole or 0)
    if total == 0:
        return 0.0
    return float(decimal.Decimal(part or 0) / total)


def _records(
    store: Store, name: str, parameters: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    cursor = store.con.execute(load_sql(name), parameters)
    columns = [column[0] for column in cursor.description or []]
    return [
        {
            column: to_json_value(value)
            for column, value in zip(columns, row, strict=True)
        }
        for row in cursor.fetchall()
    ]


def to_json_value(value: Any) -> Any:
    """Convert a DuckDB value for JSON: exact decimals as text, times in ISO 8601."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value
