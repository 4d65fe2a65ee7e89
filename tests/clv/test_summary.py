"""CLV summary: CDNOW parity, same-day merging, time units and the as_of convention."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.clv.summary import build_summary
from pipeline.store import Store
from tests.clv.conftest import (
    CDNOW_CALIBRATION_END,
    create_small_store,
    recompute_context,
)
from tests.conftest import shared_file

PUBLISHED_SUMMARY = """
SELECT
    count(*) AS customers,
    count(s.contact_id) AS matched,
    count(*) FILTER (WHERE s.frequency <> p.x) AS frequency_mismatches,
    max(abs(s.recency - p.t_x)) AS recency_error,
    max(abs(s.age - p.T)) AS age_error,
    max(abs(s.monetary - p.zbar)) AS monetary_error
FROM read_csv(?, header = true) AS p
LEFT JOIN clv_summary AS s ON s.contact_id = p.ID::VARCHAR
"""


@pytest.mark.realdata
def test_cdnow_summary_matches_published(cdnow_sample_store: Path) -> None:
    published = shared_file("cdnow/cdnow_customers_summary_with_transactions.csv")
    with Store.open(cdnow_sample_store, write=False) as store:
        ctx = recompute_context(store, CDNOW_CALIBRATION_END)
        rows = build_summary(ctx.con, "weeks")
        result = ctx.con.execute(PUBLISHED_SUMMARY, [str(published)]).fetchone()
    assert result is not None
    customers, matched, frequency_mismatches, recency, age, monetary = result
    assert rows == 2357
    assert customers == 2357
    assert matched == 2357
    assert frequency_mismatches == 0
    assert recency <= 0.01
    assert age <= 0.01
    assert monetary <= 0.01


SUMMARY_QUERY = """
SELECT contact_id, frequency, recency, age, monetary FROM clv_summary
ORDER BY contact_id
"""


def summarize(path: Path, as_of: str, time_unit: str = "days") -> list[tuple]:
    with Store.open(path, write=False) as store:
        instant = dt.datetime.fromisoformat(as_of)
        ctx = recompute_context(store, instant)
        build_summary(ctx.con, time_unit)  # type: ignore[arg-type]
        return ctx.con.execute(SUMMARY_QUERY).fetchall()


def test_same_day_purchases_merge(tmp_path: Path) -> None:
    path = create_small_store(
        tmp_path / "s",
        [
            ("a", "2024-01-01T09:00:00+00:00", "10.00"),
            ("a", "2024-01-01T18:00:00+00:00", "5.00"),
            ("a", "2024-01-08T10:00:00+00:00", "4.00"),
            ("a", "2024-01-08T11:00:00+00:00", "6.00"),
            ("a", "2024-01-15T10:00:00+00:00", "20.00"),
            ("b", "2024-01-03T10:00:00+00:00", "7.00"),
        ],
    )
    rows = summarize(path, "2024-01-31T12:00:00+00:00")
    assert rows == [("a", 2, 14.0, 30.0, 15.0), ("b", 0, 0.0, 28.0, 0.0)]


def test_summary_in_weeks_divides_days(tmp_path: Path) -> None:
    path = create_small_store(
        tmp_path / "s",
        [
            ("a", "2024-01-01T09:00:00+00:00", "10.00"),
            ("a", "2024-01-15T09:00:00+00:00", "30.00"),
        ],
    )
    rows = summarize(path, "2024-01-29T00:00:00+00:00", "weeks")
    assert rows == [("a", 1, 2.0, 4.0, 30.0)]


def test_summary_counts_days_in_store_zone(tmp_path: Path) -> None:
    # 23:30 UTC on 1 January is 00:30 on 2 January in Madrid (UTC+1).
    path = create_small_store(
        tmp_path / "s",
        [
            ("a", "2024-01-01T12:00:00+00:00", "10.00"),
            ("a", "2024-01-01T23:30:00+00:00", "30.00"),
        ],
        time_zone="Europe/Madrid",
    )
    rows = summarize(path, "2024-01-10T12:00:00+00:00")
    assert rows == [("a", 1, 1.0, 9.0, 30.0)]


def test_zero_value_repeat_day_counts(tmp_path: Path) -> None:
    path = create_small_store(
        tmp_path / "s",
        [
            ("a", "2024-01-01T09:00:00+00:00", "10.00"),
            ("a", "2024-01-02T09:00:00+00:00", "0.00"),
            ("a", "2024-01-03T09:00:00+00:00", "8.00"),
            ("b", "2024-01-01T09:00:00+00:00", "10.00"),
            ("b", "2024-01-02T09:00:00+00:00", "0.00"),
        ],
    )
    rows = summarize(path, "2024-01-05T00:00:00+00:00")
    assert rows == [("a", 2, 2.0, 4.0, 4.0), ("b", 1, 1.0, 4.0, 0.0)]


def test_as_of_day_counts_in_age(tmp_path: Path) -> None:
    # A purchase stamped at midnight of the as_of day is live, and that day counts.
    path = create_small_store(
        tmp_path / "s",
        [
            ("a", "2024-01-01T00:00:00+00:00", "10.00"),
            ("a", "2024-01-11T00:00:00+00:00", "30.00"),
        ],
    )
    at_midnight = summarize(path, "2024-01-11T00:00:00+00:00")
    end_of_day = summarize(path, "2024-01-11T23:59:59+00:00")
    before = summarize(path, "2024-01-10T23:59:59+00:00")
    assert at_midnight == [("a", 1, 10.0, 10.0, 30.0)]
    assert end_of_day == [("a", 1, 10.0, 10.0, 30.0)]
    assert before == [("a", 0, 0.0, 9.0, 0.0)]
