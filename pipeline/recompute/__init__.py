"""Recompute every output derived from the purchases, then publish them in one commit.

Outputs are first built as temp tables named `out_<table>` in the connection's
in-memory database, from the temp views `live_purchases` and `live_lines` and the
temp tables `quarter_days` (local dates) and `contact_days` (purchases per contact and
day).
The data checks read those temp tables. Only then does `publish_outputs` replace the
lake's tables in one DuckLake transaction, so a reader sees either the old set or the
new one.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import duckdb

from pipeline.progress import StepProgress
from pipeline.settings import Settings
from pipeline.sqlfiles import load_sql

log = logging.getLogger(__name__)

# Tables replaced as a whole by every recompute, in the order they are built.
REPLACED_TABLES = (
    "contact_metrics",
    "best_sellers",
    "rfm",
    "clv_eligibility",
    "daily_sales",
    "clv",
    "segment_members",
)
# Tables that keep their history: each recompute appends its rows.
APPENDED_TABLES = ("clv_model", "segment_changes")


@dataclass
class RecomputeContext:
    """The state of one recompute: connection, settings, as_of and its timings."""

    con: duckdb.DuckDBPyConnection
    settings: Settings
    as_of: dt.datetime
    run_id: str
    amount_scale: int
    timings: dict[str, float] = field(default_factory=dict)
    notes: dict[str, object] = field(default_factory=dict)
    progress: StepProgress | None = None


Step = Callable[[RecomputeContext], None]
Parameters = Callable[[RecomputeContext], dict[str, object]]


def sql_step(name: str, parameters: Parameters | None = None) -> Step:
    """Return a step that runs `sql/recompute/<name>.sql`.

    `parameters` maps the context to the statement's named `$` parameters.
    """

    def run(ctx: RecomputeContext) -> None:
        values = parameters(ctx) if parameters else None
        ctx.con.execute(load_sql(f"recompute/{name}"), values)

    run.__name__ = name
    return run


def best_seller_parameters(ctx: RecomputeContext) -> dict[str, object]:
    """Return the windows and the non-merchandise product ids of best_sellers.sql."""
    return {
        "windows_days": ctx.settings.best_sellers.windows_days,
        "non_merchandise": ctx.settings.store.non_merchandise,
    }


def rfm_parameters(ctx: RecomputeContext) -> dict[str, object]:
    """Return the scoring settings of rfm.sql.

    The population window is applied earlier, when `prepare` builds contact_totals.
    """
    rfm = ctx.settings.rfm
    return {
        "scoring": rfm.scoring,
        "recency_cuts": rfm.thresholds.recency_days,
        "frequency_cuts": rfm.thresholds.frequency,
        "monetary_cuts": rfm.thresholds.monetary,
    }


def clv_eligibility_parameters(ctx: RecomputeContext) -> dict[str, object]:
    """Return the eligibility thresholds of clv_eligibility.sql."""
    clv = ctx.settings.clv
    return {
        "min_history_days": clv.min_history_days,
        "min_buyers": clv.min_buyers,
        "min_purchases": clv.min_purchases,
        "min_buyers_with_3_purchases": clv.min_buyers_with_3_purchases,
    }


def prepare(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    as_of: dt.datetime,
    amount_scale: int,
    excluded_internal_ids: Iterable[int] = (),
) -> None:
    """Define the run's variables, macros and live views on a connection."""
    con.execute("SET VARIABLE as_of = ?::TIMESTAMPTZ", [as_of])
    con.execute("SET VARIABLE time_zone = ?", [settings.store.time_zone])
    con.execute("SET VARIABLE amount_scale = ?::INTEGER", [amount_scale])
    con.execute("SET VARIABLE amount_unit = ?::HUGEINT", [10**amount_scale])
    # A DECIMAL's scale is part of its type, so it cannot travel as a parameter.
    average_scale = amount_scale + 6
    con.execute(
        f"SET VARIABLE average_unit = CAST(? AS DECIMAL(18, {average_scale}))",
        [f"1e-{average_scale}"],
    )
    con.execute("CREATE OR REPLACE TEMP TABLE excluded_purchases (internal_id BIGINT)")
    excluded = list(excluded_internal_ids)
    if excluded:
        con.execute(
            "INSERT INTO excluded_purchases SELECT unnest(?::BIGINT[])", [excluded]
        )
    for name in (
        "half_even_divide",
        "half_even_average",
        "hidden_purchases",
        "quarter_days",
        "live_purchases",
        "live_lines",
        "contact_days",
    ):
        con.execute(load_sql(f"recompute/{name}"))
    con.execute(
        load_sql("recompute/contact_totals"),
        {"population_years": settings.rfm.population_years},
    )


def output_steps() -> list[Step]:
    """Return the steps that build every `out_<table>` temp table, in order.

    Dynamic segments come last because their conditions read the other outputs.
    """
    # Imported here because the segments and CLV step modules import this one.
    from pipeline.clv.step import clv
    from pipeline.recompute.segments import build_segments

    return [
        sql_step("contact_metrics"),
        sql_step("best_sellers", best_seller_parameters),
        sql_step("rfm_segment_codes"),
        sql_step("rfm", rfm_parameters),
        sql_step("clv_eligibility", clv_eligibility_parameters),
        clv,
        sql_step("daily_sales"),
        build_segments,
    ]


def compute_outputs(ctx: RecomputeContext) -> None:
    """Build every output as a temp table, timing each step."""
    steps = output_steps()
    for done, step in enumerate(steps, start=1):
        started = time.perf_counter()
        step(ctx)
        ctx.timings[step.__name__] = round(time.perf_counter() - started, 4)
        log.debug("computed %s in %.3fs", step.__name__, ctx.timings[step.__name__])
        if ctx.progress is not None:
            ctx.progress(step.__name__, done, len(steps))


def publish_outputs(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Replace the lake's output tables with the temp tables; the caller commits."""
    counts: dict[str, int] = {}
    existing = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE temporary"
        ).fetchall()
    }
    for table in REPLACED_TABLES + APPENDED_TABLES:
        temp = f"out_{table}"
        if temp not in existing:
            continue
        if table in REPLACED_TABLES:
            con.execute(f"DELETE FROM lake.{table}")
        con.execute(f"INSERT INTO lake.{table} BY NAME SELECT * FROM temp.main.{temp}")
        row = con.execute(f"SELECT count(*) FROM temp.main.{temp}").fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts
