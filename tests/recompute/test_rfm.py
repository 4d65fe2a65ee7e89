"""RFM: population window, recency in the store time zone, both scoring rules."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal

import duckdb

from pipeline.sqlfiles import load_sql
from tests.recompute.conftest import Shop

AS_OF = "2024-06-30T12:00:00+00:00"
SCORES = "SELECT contact_id, r_score, f_score, m_score FROM rfm ORDER BY contact_id"


def test_only_buyer_scores_111(new_shop: Callable[..., Shop]) -> None:
    shop = new_shop()
    shop.add_contacts("solo", "idle")
    shop.add_purchases([(1, "solo", "2024-06-01T10:00:00+00:00", "12.50", 1)])
    shop.recompute(AS_OF)

    assert shop.rows("SELECT * FROM rfm") == [
        ("solo", 29, 1, Decimal("12.50000000"), 1, 1, 1, "111", "Lost")
    ]


def test_three_tied_most_recent_of_ten_score_r4(
    new_shop: Callable[..., Shop],
) -> None:
    # c0, c1 and c2 bought on as_of's date; c3 to c9 one to seven days earlier.
    shop = new_shop()
    contacts = [f"c{i}" for i in range(10)]
    shop.add_contacts(*contacts)
    days_ago = [0, 0, 0, 1, 2, 3, 4, 5, 6, 7]
    shop.add_purchases(
        [
            (i + 1, contact, f"2024-06-{30 - days:02d}T08:00:00+00:00", "10.00", 1)
            for i, (contact, days) in enumerate(zip(contacts, days_ago, strict=True))
        ]
    )
    shop.recompute(AS_OF)

    # w = contacts with a larger recency; score = 1 + floor(5 * w / 10).
    assert shop.rows("SELECT contact_id, r_score FROM rfm ORDER BY 1") == [
        ("c0", 4),
        ("c1", 4),
        ("c2", 4),
        ("c3", 4),
        ("c4", 3),
        ("c5", 3),
        ("c6", 2),
        ("c7", 2),
        ("c8", 1),
        ("c9", 1),
    ]
    # Every frequency and monetary value is equal, so no contact is strictly worse.
    assert shop.rows("SELECT DISTINCT f_score, m_score FROM rfm") == [(1, 1)]


def test_quantile_scores_spread_over_five(new_shop: Callable[..., Shop]) -> None:
    # Contact f<k> makes k purchases of k * 10.00 each on 2024-06-<k>.
    shop = new_shop()
    shop.add_contacts("f1", "f2", "f3", "f4", "f5")
    purchases = []
    for k in range(1, 6):
        for _ in range(k):
            purchases.append(
                (len(purchases) + 1, f"f{k}", f"2024-06-0{k}T09:00:00+00:00", "0", 1)
            )
    shop.add_purchases(
        [(i, c, at, f"{int(c[1]) * 10}.00", q) for i, c, at, _, q in purchases]
    )
    shop.recompute(AS_OF)

    assert shop.rows(SCORES) == [
        ("f1", 1, 1, 1),
        ("f2", 2, 2, 2),
        ("f3", 3, 3, 3),
        ("f4", 4, 4, 4),
        ("f5", 5, 5, 5),
    ]
    assert shop.rows("SELECT rfm_code, segment FROM rfm ORDER BY 1") == [
        ("111", "Lost"),
        ("222", "Hibernating"),
        ("333", "Potential loyalists"),
        ("444", "Loyal customers"),
        ("555", "Champions"),
    ]


def test_population_uses_last_two_years_only(new_shop: Callable[..., Shop]) -> None:
    shop = new_shop()
    shop.add_contacts("edge", "inside", "mixed", "after")
    shop.add_purchases(
        [
            (1, "edge", "2022-06-30T12:00:00+00:00", "10.00", 1),  # as_of - 2 years
            (2, "inside", "2022-06-30T12:00:01+00:00", "10.00", 1),
            (3, "mixed", "2020-01-01T00:00:00+00:00", "90.00", 1),
            (4, "mixed", "2024-06-30T12:00:00+00:00", "30.00", 1),  # at as_of
            (5, "after", "2024-06-30T12:00:01+00:00", "10.00", 1),
        ]
    )
    shop.recompute(AS_OF)

    assert shop.rows(
        "SELECT contact_id, recency_days, frequency, monetary FROM rfm ORDER BY 1"
    ) == [
        ("inside", 731, 1, Decimal("10.00000000")),
        ("mixed", 0, 1, Decimal("30.00000000")),
    ]


def test_recency_counts_days_in_store_zone(new_shop: Callable[..., Shop]) -> None:
    # 23:30 at -05:00 is 04:30 UTC the next day; in New York it is still January 1.
    shop = new_shop("America/New_York")
    shop.add_contacts("late")
    shop.add_purchases([(1, "late", "2024-01-01T23:30:00-05:00", "10.00", 1)])
    shop.recompute("2024-01-10T12:00:00-05:00")

    assert shop.rows("SELECT recency_days FROM rfm") == [(9,)]


def test_recency_in_utc_store_uses_utc_days(new_shop: Callable[..., Shop]) -> None:
    shop = new_shop()
    shop.add_contacts("late")
    shop.add_purchases([(1, "late", "2024-01-01T23:30:00-05:00", "10.00", 1)])
    shop.recompute("2024-01-10T12:00:00-05:00")

    assert shop.rows("SELECT recency_days FROM rfm") == [(8,)]


def test_threshold_scoring_uses_cut_points(new_shop: Callable[..., Shop]) -> None:
    shop = new_shop()
    shop.configure(
        "[rfm]\n"
        'scoring = "thresholds"\n'
        "[rfm.thresholds]\n"
        "recency_days = [30, 90, 180, 365]\n"
        "frequency = [2, 3, 5, 10]\n"
        "monetary = [20.0, 50.0, 100.0, 250.0]\n"
    )
    shop.add_contacts("a", "b", "c")
    shop.add_purchases(
        [
            # a: 30 days ago, 2 purchases averaging 20.00 -> R5 F2 M2.
            (1, "a", "2024-05-31T09:00:00+00:00", "15.00", 1),
            (2, "a", "2024-05-31T10:00:00+00:00", "25.00", 1),
            # b: 31 days ago, 1 purchase of 19.99 -> R4 F1 M1.
            (3, "b", "2024-05-30T09:00:00+00:00", "19.99", 1),
            # c: 400 days ago, 1 purchase of 250.00 -> R1 F1 M5.
            (4, "c", "2023-05-27T09:00:00+00:00", "250.00", 1),
        ]
    )
    shop.recompute(AS_OF)

    assert shop.rows(
        "SELECT contact_id, recency_days, r_score, f_score, m_score, rfm_code, "
        "segment FROM rfm ORDER BY 1"
    ) == [
        ("a", 30, 5, 2, 2, "522", "Promising"),
        ("b", 31, 4, 1, 1, "411", "New customers"),
        ("c", 400, 1, 1, 5, "115", "Can't lose them"),
    ]


def test_deleted_purchases_leave_population(new_shop: Callable[..., Shop]) -> None:
    shop = new_shop()
    shop.add_contacts("kept", "gone")
    shop.add_purchases(
        [
            (1, "kept", "2024-06-01T10:00:00+00:00", "10.00", 1),
            (2, "gone", "2024-06-02T10:00:00+00:00", "10.00", 1),
            (3, "gone", "2024-06-03T10:00:00+00:00", "10.00", 1),
        ]
    )
    shop.recompute(AS_OF)
    shop.delete_purchases(2, 3)
    shop.recompute(AS_OF)

    assert shop.rows(SCORES) == [("kept", 1, 1, 1)]


def test_all_125_codes_map_to_one_segment() -> None:
    con = duckdb.connect()
    con.execute(load_sql("recompute/rfm_segment_codes"))
    mapped = dict(
        con.execute("SELECT rfm_code, segment FROM rfm_segment_codes").fetchall()
    )
    rows = con.execute("SELECT count(*) FROM rfm_segment_codes").fetchone()

    every_code = {"".join(c) for c in itertools.product("12345", repeat=3)}
    assert set(mapped) == every_code
    assert rows == (125,)
    assert len(set(mapped.values())) == 11
    assert mapped["541"] == "Potential loyalists"
    assert mapped["111"] == "Lost"
    assert mapped["155"] == "Can't lose them"
