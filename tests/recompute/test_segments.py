"""Dynamic segments: membership, entries and exits, and rejected conditions."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.errors import UsageError
from tests.recompute.conftest import Shop

AS_OF = "2024-06-30T12:00:00+00:00"
MEMBERS = "SELECT segment, contact_id FROM segment_members ORDER BY ALL"
CHANGES = "SELECT segment, contact_id, change FROM segment_changes ORDER BY ALL"


def segments_toml(*segments: tuple[str, str]) -> str:
    return "".join(
        f"[[segments]]\nname = {name!r}\ncondition = {condition!r}\n"
        for name, condition in segments
    )


@pytest.fixture
def shop(new_shop: Callable[..., Shop]) -> Shop:
    """Return a store where a buys twice, b once and c three times."""
    shop = new_shop()
    shop.add_contacts("a", "b", "c")
    shop.add_purchases(
        [
            (1, "a", "2024-06-01T10:00:00+00:00", "10.00", 1),
            (2, "a", "2024-06-02T10:00:00+00:00", "10.00", 1),
            (3, "b", "2024-06-03T10:00:00+00:00", "10.00", 1),
            (4, "c", "2024-06-04T10:00:00+00:00", "10.00", 1),
            (5, "c", "2024-06-05T10:00:00+00:00", "10.00", 1),
            (6, "c", "2024-06-06T10:00:00+00:00", "10.00", 1),
        ]
    )
    return shop


def test_deletion_moves_contact_out_of_segment(shop: Shop) -> None:
    shop.recompute(AS_OF)
    assert shop.rows(MEMBERS) == [("Repeat buyers", "a"), ("Repeat buyers", "c")]
    assert shop.rows(CHANGES) == [
        ("Repeat buyers", "a", "entered"),
        ("Repeat buyers", "c", "entered"),
    ]

    shop.delete_purchases(1, 2)
    shop.recompute(AS_OF)

    assert shop.rows(MEMBERS) == [("Repeat buyers", "c")]
    latest_run = shop.rows(
        "SELECT run_id FROM segment_changes ORDER BY run_id DESC LIMIT 1"
    )
    assert shop.rows(
        "SELECT segment, contact_id, change FROM segment_changes WHERE run_id = ?",
        [latest_run[0][0]],
    ) == [("Repeat buyers", "a", "left")]
    # The contact stays, with zero purchases.
    assert shop.rows(
        "SELECT total_purchases, last_purchase_at FROM contact_metrics "
        "WHERE contact_id = 'a'"
    ) == [(0, None)]


def test_conditions_read_rfm_and_clv_columns(shop: Shop) -> None:
    shop.configure(
        segments_toml(
            ("Top frequency", "f_score = 4 AND rfm_segment IS NOT NULL"),
            ("Low value", "clv_12m < 100"),
            ("No prediction", "p_alive IS NULL AND contact_id <> 'b'"),
        )
    )
    shop.recompute(AS_OF)

    # Three buyers leave the store ineligible for CLV, so every CLV column is null
    # and `clv_12m < 100` is never true. c scores F4: 1 + floor(5 * 2 / 3).
    assert shop.rows(MEMBERS) == [
        ("No prediction", "a"),
        ("No prediction", "c"),
        ("Top frequency", "c"),
    ]


def test_removed_segment_members_leave(shop: Shop) -> None:
    shop.recompute(AS_OF)
    shop.configure(segments_toml(("Single buyers", "total_purchases = 1")))
    shop.recompute(AS_OF)

    assert shop.rows(MEMBERS) == [("Single buyers", "b")]
    assert shop.rows(CHANGES) == [
        ("Repeat buyers", "a", "entered"),
        ("Repeat buyers", "a", "left"),
        ("Repeat buyers", "c", "entered"),
        ("Repeat buyers", "c", "left"),
        ("Single buyers", "b", "entered"),
    ]


@pytest.mark.parametrize(
    ("condition", "reason"),
    [
        ("total_purchases >", "does not parse"),
        ("true); DROP TABLE contacts; SELECT (1", "does not parse"),
        ("true) UNION SELECT 1 FROM segment_input WHERE (true", "one expression"),
        ("true) LIMIT (1", "one expression"),
        ("no_such_column > 1", "no_such_column"),
        ("total_purchases", "not BOOLEAN"),
        ("count(*) > 1", "aggregates"),
    ],
)
def test_invalid_condition_is_rejected(shop: Shop, condition: str, reason: str) -> None:
    shop.recompute(AS_OF)
    before = shop.snapshot_id()
    shop.configure(segments_toml(("Broken", condition)))

    with pytest.raises(UsageError) as raised:
        shop.recompute(AS_OF)

    message = str(raised.value)
    assert "segment 'Broken'" in message
    assert "setting `segments`" in message
    assert reason in message
    assert shop.snapshot_id() == before
    assert shop.rows("SELECT count(*) FROM contacts") == [(3,)]
    assert shop.rows(MEMBERS) == [("Repeat buyers", "a"), ("Repeat buyers", "c")]
