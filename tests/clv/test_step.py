"""The CLV step: eligibility, failed fits, deletions and the recompute pipeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.clv.step import build_clv_outputs, clv
from pipeline.errors import DataCheckError
from pipeline.recompute import output_steps
from pipeline.recompute.run import recompute_store
from pipeline.runs import recorded_run
from pipeline.store import Store
from tests.clv.conftest import (
    CDNOW_CALIBRATION_END,
    LOW_THRESHOLDS,
    create_small_store,
    recompute_context,
)

AS_OF = dt.datetime(2024, 2, 1, tzinfo=dt.UTC)
PREDICTIONS = """
SELECT contact_id, p_alive, churn_rate, expected_purchases_12m,
    expected_spend_per_purchase, clv_12m
FROM out_clv ORDER BY contact_id
"""
MODEL = "SELECT status, reason, r, q, log_likelihood, iterations FROM out_clv_model"


def count_predicted(store: Store) -> int:
    row = store.con.execute("SELECT count(p_alive) FROM out_clv").fetchone()
    assert row is not None
    return int(row[0])


def test_clv_step_runs_after_eligibility() -> None:
    names = [step.__name__ for step in output_steps()]
    assert "clv" in names
    assert names.index("clv") > names.index("clv_eligibility")


def test_ineligible_store_gets_nulls_and_reason(tmp_path: Path) -> None:
    path = create_small_store(
        tmp_path / "s",
        [
            ("a", "2024-01-01T09:00:00+00:00", "10.00"),
            ("a", "2024-01-08T09:00:00+00:00", "12.00"),
            ("b", "2024-01-03T09:00:00+00:00", "7.00"),
        ],
        contacts=["a", "b", "c"],
    )
    with Store.open(path, write=False) as store:
        ctx = recompute_context(store, AS_OF)
        outcome = build_clv_outputs(ctx)
        predictions = store.con.execute(PREDICTIONS).fetchall()
        model = store.con.execute(MODEL).fetchone()
    assert outcome.status == "ineligible"
    assert predictions == [
        ("a", None, None, None, None, None),
        ("b", None, None, None, None, None),
        ("c", None, None, None, None, None),
    ]
    assert model is not None
    status, reason, r, q, log_likelihood, iterations = model
    assert status == "ineligible"
    assert reason == (
        "store is not eligible: history_days 31 < 120; buyers 2 < 500; "
        "purchases 3 < 500; buyers_with_3_purchases 0 < 1"
    )
    assert (r, q, log_likelihood, iterations) == (None, None, None, None)


@pytest.mark.realdata
def test_iteration_cap_records_failure(cdnow_sample_store: Path) -> None:
    with Store.open(cdnow_sample_store, write=False) as store:
        ctx = recompute_context(store, CDNOW_CALIBRATION_END)
        outcome = build_clv_outputs(ctx, max_iterations=1)
        predicted = count_predicted(store)
        model = store.con.execute(MODEL).fetchone()
    assert outcome.status == "failed"
    assert predicted == 0
    assert model is not None
    status, reason, r, q, log_likelihood, iterations = model
    assert status == "failed"
    assert reason.startswith("BG/NBD fit did not converge after 1 iterations")
    assert (r, q, log_likelihood) == (None, None, None)
    assert iterations == 1
    assert ctx.notes["bgnbd_converged"] is False
    assert ctx.notes["status"] == "failed"


def test_free_repeat_purchases_fail_the_step(tmp_path: Path) -> None:
    # Every repeat purchase is worth 0, so Gamma-Gamma has nothing to fit.
    path = create_small_store(
        tmp_path / "s",
        [
            ("a", "2024-01-01T09:00:00+00:00", "10.00"),
            ("a", "2024-01-08T09:00:00+00:00", "0.00"),
            ("a", "2024-01-15T09:00:00+00:00", "0.00"),
            ("b", "2024-01-03T09:00:00+00:00", "7.00"),
            ("b", "2024-01-20T09:00:00+00:00", "0.00"),
            ("c", "2024-01-05T09:00:00+00:00", "9.00"),
        ],
        settings_text=LOW_THRESHOLDS,
    )
    with Store.open(path, write=False) as store:
        ctx = recompute_context(store, AS_OF)
        with pytest.raises(DataCheckError, match="Gamma-Gamma fit impossible"):
            clv(ctx)
        predicted = count_predicted(store)
    assert predicted == 0
    assert ctx.notes["status"] == "failed"


def test_recompute_keeps_outputs_when_fit_fails(tmp_path: Path) -> None:
    path = create_small_store(
        tmp_path / "s",
        [
            ("a", "2024-01-01T09:00:00+00:00", "10.00"),
            ("a", "2024-01-08T09:00:00+00:00", "0.00"),
            ("a", "2024-01-15T09:00:00+00:00", "0.00"),
        ],
        settings_text=LOW_THRESHOLDS,
    )
    with Store.open(path) as store:
        before = store.snapshot_id()
        with pytest.raises(DataCheckError) as raised:
            with recorded_run(store.path, "recompute", AS_OF) as record:
                recompute_store(store, AS_OF, record)
        after = store.snapshot_id()
        models = store.con.execute("SELECT count(*) FROM lake.clv_model").fetchone()
    assert raised.value.exit_code == 5
    assert after == before
    assert models == (0,)
    assert record.status == "failed"
    assert "CLV model fit failed" in str(record.error)


@pytest.mark.realdata
def test_recompute_publishes_cdnow_predictions(writable_cdnow_store: Path) -> None:
    with Store.open(writable_cdnow_store) as store:
        with recorded_run(store.path, "recompute", CDNOW_CALIBRATION_END) as record:
            recompute_store(store, CDNOW_CALIBRATION_END, record)
        counts = store.con.execute(
            "SELECT count(*), count(p_alive) FROM lake.clv"
        ).fetchone()
        model = store.con.execute(
            "SELECT status, run_id, round(r, 3) FROM lake.clv_model"
        ).fetchall()
    assert counts == (2357, 2357)
    assert model == [("fitted", record.run_id, 0.243)]
    assert record.counts["clv.bgnbd_converged"] is True
    assert "clv.fit_bgnbd" in {key.removeprefix("recompute.") for key in record.timings}


@pytest.mark.realdata
def test_deletion_changes_affected_predictions(writable_cdnow_store: Path) -> None:
    query = PREDICTIONS.replace("FROM out_clv", "FROM out_clv WHERE contact_id IN ?")
    contacts = ["1", "3", "100"]
    with Store.open(writable_cdnow_store) as store:
        ctx = recompute_context(store, CDNOW_CALIBRATION_END)
        build_clv_outputs(ctx)
        before = {
            row[0]: row[1:] for row in store.con.execute(query, [contacts]).fetchall()
        }

        # Customer 1 loses its repeat purchase of 1997-01-18, customer 3 everything.
        with store.transaction():
            store.con.execute(
                "DELETE FROM lake.purchases WHERE (contact_id = '1' AND "
                "purchased_at = '1997-01-18 00:00:00+00') OR contact_id = '3'"
            )
        ctx = recompute_context(store, CDNOW_CALIBRATION_END)
        outcome = build_clv_outputs(ctx)
        after = {
            row[0]: row[1:] for row in store.con.execute(query, [contacts]).fetchall()
        }
    assert outcome.status == "fitted"
    assert after["1"] != before["1"]
    assert after["1"][0] is not None
    assert before["3"][0] is not None
    assert after["3"] == (None, None, None, None, None)
    assert after["100"][0] is not None
