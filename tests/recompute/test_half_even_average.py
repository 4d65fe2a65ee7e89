"""The exact average macro on both of its integer paths, against Python's Decimal."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import duckdb
import pytest

from pipeline.sqlfiles import load_sql

SCALE = 2


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("SET VARIABLE amount_unit = ?::HUGEINT", [10**SCALE])
    connection.execute(
        f"SET VARIABLE average_unit = CAST(? AS DECIMAL(18, {SCALE + 6}))",
        [f"1e-{SCALE + 6}"],
    )
    connection.execute(load_sql("recompute/half_even_divide"))
    connection.execute(load_sql("recompute/half_even_average"))
    return connection


@pytest.mark.parametrize(
    ("total", "count"),
    [
        ("0.02", 3),
        ("0.01", 2),  # 0.005 exactly: no rounding at eight decimals
        ("0.03", 1),
        ("1.00", 7),
        # The last digit is a tie at eight decimals: even keeps, odd rounds up.
        ("0.05", 16),
        ("0.15", 16),
        # Below and above the point where the scaled total leaves BIGINT.
        ("89999999999.99", 7),
        ("90000000000.00", 7),
        ("123456789012345678.91", 3),
        ("987654321987654321.55", 16),
    ],
)
def test_average_matches_decimal_half_even(
    con: duckdb.DuckDBPyConnection, total: str, count: int
) -> None:
    row = con.execute(
        "SELECT half_even_average(?::DECIMAL(38, 2), ?::BIGINT)", [total, count]
    ).fetchone()
    assert row is not None
    expected = (Decimal(total) / count).quantize(
        Decimal(1).scaleb(-(SCALE + 6)), rounding=ROUND_HALF_EVEN
    )
    assert row[0] == expected


def test_average_of_nothing_is_null(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute("SELECT half_even_average(0::DECIMAL(38, 2), 0)").fetchone()
    assert row == (None,)
