"""Blocking data checks: each fails on a corrupted input or output and names it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from pipeline.errors import DataCheckError
from pipeline.recompute import RecomputeContext, compute_outputs, prepare
from pipeline.recompute.checks import CheckResult, run_checks
from pipeline.store import Store
from tests.recompute.conftest import Shop

AS_OF = "2024-06-30T12:00:00+00:00"


@pytest.fixture
def shop(new_shop: Callable[..., Shop]) -> Shop:
    shop = new_shop()
    shop.add_contacts("a", "b")
    shop.add_purchases(
        [
            (1, "a", "2024-06-01T10:00:00+00:00", "10.00", 2),
            (2, "a", "2024-06-02T10:00:00+00:00", "5.00", 1),
            (3, None, "2024-06-03T10:00:00+00:00", "7.00", 1),
        ]
    )
    shop.add_lines(
        [(1, 1, "kb", 2, "10.00"), (2, 1, "mug", 1, "5.00"), (3, 1, "kb", 1, "7.00")]
    )
    return shop


@pytest.fixture
def context(shop: Shop) -> Iterator[RecomputeContext]:
    """Yield a context whose outputs are built but neither checked nor published."""
    as_of = dt.datetime.fromisoformat(AS_OF)
    with Store.open(shop.path, command="test") as store:
        ctx = RecomputeContext(
            store.con, store.settings, as_of, "run-1", store.amount_scale
        )
        prepare(store.con, store.settings, as_of, store.amount_scale)
        compute_outputs(ctx)
        yield ctx


def failed(results: list[CheckResult]) -> dict[str, str]:
    return {r.name: r.detail for r in results if not r.passed}


def test_checks_pass_on_consistent_outputs(context: RecomputeContext) -> None:
    results = run_checks(context)

    assert failed(results) == {}
    assert [r.name for r in results][:4] == [
        "one_metrics_row_per_contact",
        "contact_totals_match_purchases",
        "best_seller_units_within_window",
        "rfm_population_matches_buyers",
    ]


def test_duplicate_contact_keeps_published_outputs(shop: Shop) -> None:
    shop.recompute(AS_OF)
    published = shop.rows("SELECT * FROM contact_metrics ORDER BY contact_id")
    shop.add_contacts("a")
    before = shop.snapshot_id()

    with pytest.raises(DataCheckError) as raised:
        shop.recompute(AS_OF)

    # The repeated contact also doubles its metrics, so the totals fail too.
    assert raised.value.failures == [
        "one_metrics_row_per_contact",
        "contact_totals_match_purchases",
    ]
    assert "repeated contact ids: ['a']" in str(raised.value)
    assert shop.snapshot_id() == before
    assert shop.rows("SELECT * FROM contact_metrics ORDER BY contact_id") == published


def test_purchase_of_unknown_contact_fails_totals(shop: Shop) -> None:
    shop.add_purchases([(4, "ghost", "2024-06-04T10:00:00+00:00", "3.00", 1)])

    with pytest.raises(DataCheckError) as raised:
        shop.recompute(AS_OF)

    assert raised.value.failures == ["contact_totals_match_purchases"]
    assert "2 purchases and 15.00" in str(raised.value)
    assert "3 and 18.00" in str(raised.value)


def test_inflated_best_seller_units_fail(context: RecomputeContext) -> None:
    context.con.execute(
        "UPDATE out_best_sellers SET units = 100 "
        "WHERE period = '30d' AND category IS NULL AND product_id = 'mug'"
    )

    details = failed(run_checks(context))

    assert list(details) == ["best_seller_units_within_window"]
    assert details["best_seller_units_within_window"] == (
        "period 30d category None: 103 units ranked, 4 sold in the window"
    )


def test_duplicated_rfm_row_fails(context: RecomputeContext) -> None:
    context.con.execute("INSERT INTO out_rfm SELECT * FROM out_rfm")

    details = failed(run_checks(context))

    assert list(details) == ["rfm_population_matches_buyers"]
    assert details["rfm_population_matches_buyers"].startswith(
        "2 RFM rows, 1 distinct contacts, 1 buyers"
    )


def test_clv_predictions_out_of_range_fail(context: RecomputeContext) -> None:
    context.con.execute(
        "CREATE OR REPLACE TEMP TABLE out_clv AS SELECT * FROM (VALUES "
        "('a', 0.5, 50.0, 1.0, 10.0, 10.0), "
        "('b', NULL, NULL, NULL, NULL, NULL), "
        "('c', 1.5, -50.0, 1.0, 10.0, 10.0), "
        "('d', 0.5, 50.0, 'NaN'::DOUBLE, 10.0, 10.0), "
        "('e', 0.5, 50.0, -1.0, 10.0, 'inf'::DOUBLE)"
        ") AS t(contact_id, p_alive, churn_rate, expected_purchases_12m, "
        "expected_spend_per_purchase, clv_12m)"
    )

    details = failed(run_checks(context))

    assert list(details) == ["clv_predictions_in_range"]
    offending = details["clv_predictions_in_range"].split("; ")
    assert [entry.split(":")[0] for entry in offending] == [
        "contact c",
        "contact d",
        "contact e",
    ]
    assert "p_alive 1.5, churn_rate -50.0" in offending[0]


def test_clv_predictions_in_range_pass(context: RecomputeContext) -> None:
    context.con.execute(
        "CREATE OR REPLACE TEMP TABLE out_clv AS SELECT * FROM (VALUES "
        "('a', 1.0, 0.0, 0.0, 0.0, 0.0), ('b', 0.0, 100.0, 2.0, 5.0, 10.0)"
        ") AS t(contact_id, p_alive, churn_rate, expected_purchases_12m, "
        "expected_spend_per_purchase, clv_12m)"
    )

    assert failed(run_checks(context)) == {}
