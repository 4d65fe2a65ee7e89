"""Per contact BG/NBD summaries, built in SQL and fetched as NumPy arrays.

The summary is aggregated in DuckDB over the whole store, so Python only receives
a few numeric columns per contact, or per group of identical contacts for the fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import duckdb
import numpy as np

from pipeline.clv.bgnbd import PurchaseData
from pipeline.clv.gamma_gamma import SpendData
from pipeline.sqlfiles import load_sql

TimeUnit = Literal["days", "weeks"]
DAYS_PER_UNIT: dict[str, float] = {"days": 1.0, "weeks": 7.0}
# Twelve months as a fixed length, so predictions do not depend on the calendar.
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class ContactSummaries:
    """Per contact summary columns, in the row order of `clv_summary`."""

    summary_row: np.ndarray
    frequency: np.ndarray
    recency: np.ndarray
    age: np.ndarray
    monetary: np.ndarray


def build_summary(con: duckdb.DuckDBPyConnection, time_unit: TimeUnit) -> int:
    """Create the temp table `clv_summary` from `live_purchases`; return its rows.

    Needs the variables `as_of` and `time_zone` and the view `live_purchases` that
    `pipeline.recompute.prepare` defines.
    """
    con.execute(load_sql("clv/summary"), [DAYS_PER_UNIT[time_unit]])
    row = con.execute("SELECT count(*) FROM clv_summary").fetchone()
    return int(row[0]) if row else 0


def fetch_purchase_groups(con: duckdb.DuckDBPyConnection) -> PurchaseData:
    """Fetch identical (x, t_x, T) rows of `clv_summary` as weighted groups."""
    columns = con.execute(load_sql("clv/purchase_groups")).fetchnumpy()
    return PurchaseData(
        frequency=np.asarray(columns["frequency"], dtype=np.float64),
        recency=np.asarray(columns["recency"], dtype=np.float64),
        age=np.asarray(columns["age"], dtype=np.float64),
        weight=np.asarray(columns["contacts"], dtype=np.float64),
    )


def fetch_spend_groups(con: duckdb.DuckDBPyConnection) -> SpendData:
    """Fetch repeat buyers with positive mean spend as weighted (x, zbar) groups."""
    columns = con.execute(load_sql("clv/spend_groups")).fetchnumpy()
    return SpendData(
        frequency=np.asarray(columns["frequency"], dtype=np.float64),
        monetary=np.asarray(columns["monetary"], dtype=np.float64),
        weight=np.asarray(columns["contacts"], dtype=np.float64),
    )


def fetch_contact_summaries(con: duckdb.DuckDBPyConnection) -> ContactSummaries:
    """Fetch the summary columns of every contact with a purchase."""
    columns = con.execute(load_sql("clv/contact_arrays")).fetchnumpy()
    return ContactSummaries(
        summary_row=np.asarray(columns["summary_row"], dtype=np.int64),
        frequency=np.asarray(columns["frequency"], dtype=np.float64),
        recency=np.asarray(columns["recency"], dtype=np.float64),
        age=np.asarray(columns["age"], dtype=np.float64),
        monetary=np.asarray(columns["monetary"], dtype=np.float64),
    )


def spend_frequency_correlation(con: duckdb.DuckDBPyConnection) -> float | None:
    """Return the Pearson correlation of x and zbar among repeat buyers, if defined."""
    # NumPy over rows in a fixed order, because DuckDB's parallel corr() may differ
    # in the last bits from one run to the next.
    columns = con.execute(load_sql("clv/spend_frequency_correlation")).fetchnumpy()
    frequency = np.asarray(columns["frequency"], dtype=np.float64)
    monetary = np.asarray(columns["monetary"], dtype=np.float64)
    if frequency.size < 2 or frequency.std() == 0 or monetary.std() == 0:
        return None
    value = float(np.corrcoef(frequency, monetary)[0, 1])
    return value if np.isfinite(value) else None
