"""Daily sales: days in the store time zone, attribution, the 30-day view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from tests.recompute.conftest import Shop

QUERY = "SELECT * FROM daily_sales ORDER BY day"


def add_sales(shop: Shop) -> None:
    shop.add_contacts("a", "b")
    shop.add_purchases(
        [
            (1, "a", "2024-01-01T23:30:00-05:00", "10.00", 2),
            (2, "a", "2024-01-02T01:00:00+00:00", "0.01", 1),
            (3, None, "2024-01-02T12:00:00+00:00", "0.01", 1),
            (4, "b", "2024-01-02T13:00:00+00:00", "0.00", 3),
        ]
    )
    shop.add_purchases(
        [(5, "b", "2024-01-02T14:00:00+00:00", "5.00", 1)], workflow_id="welcome"
    )


def test_days_count_in_store_zone(new_shop: Callable[..., Shop]) -> None:
    # In New York, purchase 1 (23:30 at -05:00) and purchase 2 (01:00 UTC, 20:00 on
    # January 1 there) fall on January 1.
    shop = new_shop("America/New_York")
    add_sales(shop)
    shop.recompute("2024-01-03T00:00:00+00:00")

    assert shop.rows(QUERY) == [
        (
            dt.date(2024, 1, 1),
            2,
            Decimal("10.01"),
            3,
            1,
            Decimal("5.00500000"),
            Decimal("0.00"),
        ),
        (
            dt.date(2024, 1, 2),
            3,
            Decimal("5.01"),
            5,
            1,
            Decimal("1.67000000"),
            Decimal("5.00"),
        ),
    ]


def test_days_in_utc_store_follow_utc(new_shop: Callable[..., Shop]) -> None:
    shop = new_shop()
    add_sales(shop)
    shop.recompute("2024-01-03T00:00:00+00:00")

    # All five purchases fall on January 2 in UTC; 15.02 / 5 = 3.004.
    assert shop.rows(QUERY) == [
        (
            dt.date(2024, 1, 2),
            5,
            Decimal("15.02"),
            8,
            2,
            Decimal("3.00400000"),
            Decimal("5.00"),
        ),
    ]


def test_average_order_value_rounds_half_even(
    new_shop: Callable[..., Shop],
) -> None:
    # 0.02 / 3 = 0.00666666..., kept at 8 decimals.
    shop = new_shop()
    shop.add_purchases(
        [
            (1, None, "2024-01-02T01:00:00+00:00", "0.01", 1),
            (2, None, "2024-01-02T02:00:00+00:00", "0.01", 1),
            (3, None, "2024-01-02T03:00:00+00:00", "0.00", 1),
        ]
    )
    shop.recompute("2024-01-03T00:00:00+00:00")

    assert shop.rows("SELECT average_order_value, buyers FROM daily_sales") == [
        (Decimal("0.00666667"), 0)
    ]


def test_last_30_days_view_ends_at_latest_day(
    new_shop: Callable[..., Shop],
) -> None:
    shop = new_shop()
    shop.add_purchases(
        [
            (1, None, "2024-01-02T10:00:00+00:00", "1.00", 1),  # 30 days before
            (2, None, "2024-01-03T10:00:00+00:00", "1.00", 1),  # 29 days before
            (3, None, "2024-01-31T10:00:00+00:00", "1.00", 1),
            (4, None, "2024-02-01T10:00:00+00:00", "1.00", 1),  # latest day
        ]
    )
    # as_of is weeks after the last sale: the view still shows the store's last month.
    shop.recompute("2024-03-15T00:00:00+00:00")

    days = shop.rows("SELECT day FROM daily_sales_last_30_days ORDER BY day")
    assert days == [
        (dt.date(2024, 1, 3),),
        (dt.date(2024, 1, 31),),
        (dt.date(2024, 2, 1),),
    ]


def test_deleted_purchase_leaves_its_day(new_shop: Callable[..., Shop]) -> None:
    shop = new_shop()
    add_sales(shop)
    shop.recompute("2024-01-03T00:00:00+00:00")
    shop.delete_purchases(5)
    shop.recompute("2024-01-03T00:00:00+00:00")

    assert shop.rows(
        "SELECT purchases, revenue, attributed_revenue FROM daily_sales"
    ) == [(4, Decimal("10.02"), Decimal("0.00"))]
