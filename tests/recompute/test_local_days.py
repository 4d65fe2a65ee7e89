"""Purchase days in the store time zone, looked up per quarter hour of UTC time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.recompute.run import recompute_store
from pipeline.runs import recorded_run
from pipeline.store import Store
from tests.rows import insert_rows, purchase, table_rows

AS_OF = dt.datetime(2024, 12, 31, tzinfo=dt.UTC)


def daily_sales(tmp_path: Path, time_zone: str, instants: list[str]) -> list[tuple]:
    path = tmp_path / "store"
    Store.create(path, time_zone=time_zone)
    rows = [
        purchase(n, f"p{n}", "ann", instant, "1.00")
        for n, instant in enumerate(instants, start=1)
    ]
    insert_rows(path, {"contacts": [{"contact_id": "ann"}], "purchases": rows})
    with Store.open(path) as store, recorded_run(path, "recompute", AS_OF) as record:
        recompute_store(store, AS_OF, record)
    return table_rows(
        path, "SELECT day::VARCHAR, purchases FROM daily_sales ORDER BY 1"
    )


@pytest.mark.parametrize(
    ("time_zone", "instants", "expected"),
    [
        # UTC+05:45: local midnight is 18:15 UTC.
        (
            "Asia/Kathmandu",
            ["2024-03-01 18:14:59+00", "2024-03-01 18:15:00+00"],
            [("2024-03-01", 1), ("2024-03-02", 1)],
        ),
        # New York leaves daylight saving time on 2024-11-03 at 06:00 UTC; local
        # midnight is 04:00 UTC before the change and 05:00 UTC after it.
        (
            "America/New_York",
            [
                "2024-11-03 03:59:59+00",
                "2024-11-03 04:00:00+00",
                "2024-11-04 04:59:59+00",
                "2024-11-04 05:00:00+00",
            ],
            [("2024-11-02", 1), ("2024-11-03", 2), ("2024-11-04", 1)],
        ),
    ],
)
def test_days_follow_store_zone(
    tmp_path: Path, time_zone: str, instants: list[str], expected: list[tuple]
) -> None:
    assert daily_sales(tmp_path, time_zone, instants) == expected
