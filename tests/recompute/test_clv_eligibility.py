"""CLV eligibility: criteria values, thresholds from settings, anonymous purchases."""

from __future__ import annotations

from collections.abc import Callable

from tests.recompute.conftest import Shop

QUERY = "SELECT * FROM clv_eligibility ORDER BY criterion"


def test_criteria_count_store_purchases(new_shop: Callable[..., Shop]) -> None:
    # New York store: the first purchase, 23:30 at -05:00, is on 2024-01-01 there.
    shop = new_shop("America/New_York")
    shop.configure(
        "[clv]\nmin_history_days = 9\nmin_buyers = 3\nmin_purchases = 6\n"
        "min_buyers_with_3_purchases = 1\n"
    )
    shop.add_contacts("a", "b", "idle")
    shop.add_purchases(
        [
            (1, "a", "2024-01-01T23:30:00-05:00", "10.00", 1),
            (2, "a", "2024-01-02T10:00:00-05:00", "10.00", 1),
            (3, "a", "2024-01-03T10:00:00-05:00", "10.00", 1),
            (4, "b", "2024-01-04T10:00:00-05:00", "10.00", 1),
            (5, None, "2024-01-05T10:00:00-05:00", "10.00", 1),
            (6, None, "2024-01-10T12:00:01-05:00", "10.00", 1),  # after as_of
        ]
    )
    shop.recompute("2024-01-10T12:00:00-05:00")

    assert shop.rows(QUERY) == [
        ("buyers", 2, 3, -1, False),
        ("buyers_with_3_purchases", 1, 1, 0, True),
        ("history_days", 9, 9, 0, True),
        ("purchases", 5, 6, -1, False),
    ]


def test_default_thresholds_apply(new_shop: Callable[..., Shop]) -> None:
    shop = new_shop()
    shop.add_contacts("a")
    shop.add_purchases([(1, "a", "2024-01-01T10:00:00+00:00", "10.00", 1)])
    shop.recompute("2024-05-01T00:00:00+00:00")

    assert shop.rows(QUERY) == [
        ("buyers", 1, 500, -499, False),
        ("buyers_with_3_purchases", 0, 1, -1, False),
        ("history_days", 121, 120, 1, True),
        ("purchases", 1, 500, -499, False),
    ]


def test_store_without_purchases_scores_zero(new_shop: Callable[..., Shop]) -> None:
    shop = new_shop()
    shop.configure("[clv]\nmin_history_days = 0\nmin_buyers = 0\n")
    shop.recompute("2024-05-01T00:00:00+00:00")

    assert shop.rows(QUERY) == [
        ("buyers", 0, 0, 0, True),
        ("buyers_with_3_purchases", 0, 1, -1, False),
        ("history_days", 0, 0, 0, True),
        ("purchases", 0, 500, -500, False),
    ]


def test_deletion_moves_history_start(new_shop: Callable[..., Shop]) -> None:
    shop = new_shop()
    shop.add_contacts("a")
    shop.add_purchases(
        [
            (1, "a", "2024-01-01T10:00:00+00:00", "10.00", 1),
            (2, "a", "2024-03-01T10:00:00+00:00", "10.00", 1),
        ]
    )
    shop.recompute("2024-05-01T00:00:00+00:00")
    shop.delete_purchases(1)
    shop.recompute("2024-05-01T00:00:00+00:00")

    history = shop.rows(
        "SELECT value, passed FROM clv_eligibility WHERE criterion = 'history_days'"
    )
    assert history == [(61, False)]
