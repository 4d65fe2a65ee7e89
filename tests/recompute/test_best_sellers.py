"""Best sellers: windows at their edges, ties, categories, non-merchandise."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from tests.recompute.conftest import Shop

AS_OF = "2024-03-31T12:00:00+00:00"
QUERY = (
    "SELECT rank, product_id, units, purchases, revenue FROM best_sellers "
    "WHERE period = ? AND category IS NOT DISTINCT FROM ? ORDER BY rank"
)


def d(text: str) -> Decimal:
    return Decimal(text)


@pytest.fixture
def shop(new_shop: Callable[..., Shop]) -> Shop:
    """Return a store with purchases on both sides of each window edge.

    `loose` has no catalog row, `ship` is flagged non-merchandise and `voucher` is
    listed in the store setting.
    """
    shop = new_shop()
    shop.configure('non_merchandise = ["voucher"]\n')
    shop.add_contacts("c1", "c2")
    shop.add_products(
        [
            ("kb", ["Pc/Keyboards", "Pc/Mice", "Office"], False),
            ("mouse", ["Pc/Mice"], False),
            ("cable", ["Pc/Cables"], False),
            ("mug", ["Home/Kitchen"], False),
            ("ship", [], True),
            ("voucher", [], False),
        ]
    )
    shop.add_purchases(
        [
            (1, "c1", "2024-03-31T12:00:00+00:00", "30.00", 4),  # at as_of
            (2, "c2", "2024-03-24T12:00:01+00:00", "40.00", 6),  # as_of - 7d + 1s
            (3, "c1", "2024-03-24T12:00:00+00:00", "40.00", 2),  # as_of - 7d
            (4, "c1", "2024-03-31T12:00:01+00:00", "100.00", 100),  # after as_of
            (5, "c2", "2023-01-01T00:00:00+00:00", "54.00", 14),
            (6, None, "2024-03-30T00:00:00+00:00", "1.00", 1),
        ]
    )
    shop.add_lines(
        [
            (1, 1, "kb", 2, "20.00"),
            (1, 2, "mug", 1, "5.00"),
            (1, 3, "ship", 1, "5.00"),
            (2, 1, "mouse", 2, "10.00"),
            (2, 2, "kb", 1, "10.00"),
            (2, 3, "kb", 1, "10.00"),
            (2, 4, "cable", 2, "10.00"),
            (3, 1, "mouse", 1, "30.00"),
            (3, 2, "voucher", 1, "10.00"),
            (4, 1, "kb", 100, "100.00"),
            (5, 1, "mug", 10, "50.00"),
            (5, 2, "loose", 4, "4.00"),
            (6, 1, "loose", 1, "1.00"),
        ]
    )
    return shop


def test_seven_day_window_edges_and_ties(shop: Shop) -> None:
    shop.recompute(AS_OF)

    # Purchase 3 sits exactly at as_of - 7 days, so only purchases 1, 2 and 6 count.
    # cable and mouse tie on units and revenue, so the product id orders them; mug
    # and loose tie on units, so revenue orders them.
    assert shop.rows(QUERY, ["7d", None]) == [
        (1, "kb", 4, 2, d("40.00")),
        (2, "cable", 2, 1, d("10.00")),
        (3, "mouse", 2, 1, d("10.00")),
        (4, "mug", 1, 1, d("5.00")),
        (5, "loose", 1, 1, d("1.00")),
    ]


def test_thirty_day_window_includes_edge_purchase(shop: Shop) -> None:
    shop.recompute(AS_OF)

    expected = [
        (1, "kb", 4, 2, d("40.00")),
        (2, "mouse", 3, 2, d("40.00")),
        (3, "cable", 2, 1, d("10.00")),
        (4, "mug", 1, 1, d("5.00")),
        (5, "loose", 1, 1, d("1.00")),
    ]
    assert shop.rows(QUERY, ["30d", None]) == expected
    assert shop.rows(QUERY, ["90d", None]) == expected
    assert shop.rows(QUERY, ["365d", None]) == expected


def test_all_time_ranking_ignores_purchases_after_as_of(shop: Shop) -> None:
    shop.recompute(AS_OF)

    assert shop.rows(QUERY, ["all", None]) == [
        (1, "mug", 11, 2, d("55.00")),
        (2, "loose", 5, 2, d("5.00")),
        (3, "kb", 4, 2, d("40.00")),
        (4, "mouse", 3, 2, d("40.00")),
        (5, "cable", 2, 1, d("10.00")),
    ]


def test_categories_rank_by_top_level_segment(shop: Shop) -> None:
    shop.recompute(AS_OF)

    # kb is in Pc twice (Pc/Keyboards, Pc/Mice) but ranked there once.
    assert shop.rows(QUERY, ["30d", "Pc"]) == [
        (1, "kb", 4, 2, d("40.00")),
        (2, "mouse", 3, 2, d("40.00")),
        (3, "cable", 2, 1, d("10.00")),
    ]
    assert shop.rows(QUERY, ["30d", "Office"]) == [(1, "kb", 4, 2, d("40.00"))]
    assert shop.rows(QUERY, ["30d", "Home"]) == [(1, "mug", 1, 1, d("5.00"))]
    categories = shop.rows("SELECT DISTINCT category FROM best_sellers ORDER BY 1")
    assert categories == [("Home",), ("Office",), ("Pc",), (None,)]


def test_non_merchandise_is_never_ranked(shop: Shop) -> None:
    shop.recompute(AS_OF)

    ranked = shop.rows(
        "SELECT count(*) FROM best_sellers WHERE product_id IN ('ship', 'voucher')"
    )
    assert ranked == [(0,)]


def test_every_period_is_present(shop: Shop) -> None:
    shop.recompute(AS_OF)

    periods = shop.rows("SELECT DISTINCT period FROM best_sellers ORDER BY 1")
    assert periods == [("30d",), ("365d",), ("7d",), ("90d",), ("all",)]


def test_deleted_purchase_leaves_rankings(shop: Shop) -> None:
    shop.recompute(AS_OF)
    shop.delete_purchases(1)
    shop.recompute(AS_OF)

    assert shop.rows(QUERY, ["7d", None]) == [
        (1, "kb", 2, 1, d("20.00")),
        (2, "cable", 2, 1, d("10.00")),
        (3, "mouse", 2, 1, d("10.00")),
        (4, "loose", 1, 1, d("1.00")),
    ]
    assert shop.rows(QUERY, ["7d", "Home"]) == []


def test_window_setting_names_periods(shop: Shop) -> None:
    shop.configure("[best_sellers]\nwindows_days = [2]\n")
    shop.recompute(AS_OF)

    periods = shop.rows("SELECT DISTINCT period FROM best_sellers ORDER BY 1")
    assert periods == [("2d",), ("all",)]
    assert shop.rows(QUERY, ["2d", None]) == [
        (1, "kb", 2, 1, d("20.00")),
        (2, "mug", 1, 1, d("5.00")),
        (3, "loose", 1, 1, d("1.00")),
    ]


def test_window_start_keeps_local_clock_across_dst(
    new_shop: Callable[..., Shop],
) -> None:
    # Madrid moves to summer time on 2024-03-31, so as_of - 7 days is
    # 2024-03-26 14:00 local = 13:00 UTC, one hour later than as_of - 168 hours.
    shop = new_shop("Europe/Madrid")
    shop.add_purchases(
        [
            (1, None, "2024-03-26T12:30:00+00:00", "1.00", 1),
            (2, None, "2024-03-26T13:00:01+00:00", "1.00", 1),
        ]
    )
    shop.add_lines([(1, 1, "early", 1, "1.00"), (2, 1, "late", 1, "1.00")])
    shop.recompute("2024-04-02T12:00:00+00:00")

    assert shop.rows(QUERY, ["7d", None]) == [(1, "late", 1, 1, d("1.00"))]
