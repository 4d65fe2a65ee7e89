"""Time storepipe's CLV summary and fit against lifetimes on the CDNOW master file.

Both sides read the same 69,659 purchases of 23,570 customers, summarize them in
weeks up to 1997-09-30 (same-day purchases merged) and fit BG/NBD and Gamma-Gamma.
Each side is timed several times and the median is printed, with both models'
parameters so that the results can be compared.

storepipe's side runs in the project venv:

    /work/venv/bin/python bench/clv_peer.py storepipe

lifetimes breaks under pandas 3 (its summary returns recency > T on CDNOW), so its
side runs in a separate venv that this script never creates itself:

    python3.11 -m venv /work/peer-venv
    /work/peer-venv/bin/pip install lifetimes==0.11.3 pandas==2.2.3
    /work/peer-venv/bin/python bench/clv_peer.py lifetimes

Both commands take `--runs N` (default 5) and `--data PATH` (default
../shared/data/cdnow/cdnow_master.csv beside the checkout).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "cdnow" / "cdnow_master.csv"
CALIBRATION_END = "1997-09-30"

LOAD_MASTER = """
INSERT INTO lake.purchases
SELECT
    row_number() OVER (ORDER BY customer_id, date) AS internal_id,
    'cdnow-' || internal_id AS purchase_id,
    customer_id::VARCHAR AS contact_id,
    timezone('UTC', date::TIMESTAMP) AS purchased_at,
    dollar_value::DECIMAL(18, 2) AS total_price,
    number_of_cds::BIGINT AS total_quantity,
    NULL, NULL, 'cdnow', NULL, md5(purchase_id), now()
FROM read_csv(?, header = true)
"""
LOAD_CONTACTS = """
INSERT INTO lake.contacts (contact_id)
SELECT DISTINCT contact_id FROM lake.purchases ORDER BY contact_id
"""


def median_time(run: Callable[[], dict[str, Any]], runs: int) -> dict[str, Any]:
    """Run `run` several times and return its last result with the timings."""
    seconds = []
    result: dict[str, Any] = {}
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - started)
    result["seconds_median"] = round(statistics.median(seconds), 4)
    result["seconds_all"] = [round(value, 4) for value in seconds]
    return result


def bench_storepipe(data: Path, runs: int) -> dict[str, Any]:
    """Time build_clv_outputs (SQL summary, both fits, predictions) on a store."""
    sys.path.insert(0, str(REPO))
    from pipeline.clv.step import build_clv_outputs
    from pipeline.recompute import RecomputeContext, prepare
    from pipeline.store import Store

    as_of = dt.datetime.fromisoformat(f"{CALIBRATION_END}T23:59:59+00:00")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store"
        Store.create(path)
        with Store.open(path, command="bench load") as store:
            with store.transaction():
                store.con.execute(LOAD_MASTER, [str(data)])
                store.con.execute(LOAD_CONTACTS)
        with Store.open(path, write=False) as store:

            def run() -> dict[str, Any]:
                prepare(store.con, store.settings, as_of, store.amount_scale)
                ctx = RecomputeContext(
                    store.con, store.settings, as_of, "bench", store.amount_scale
                )
                outcome = build_clv_outputs(ctx, "weeks")
                fields = _model_fields(outcome.row)
                return {"status": outcome.status, **fields, "steps": ctx.timings}

            result = median_time(run, runs)
    result["versions"] = _versions(("storepipe", "duckdb", "numpy", "scipy"))
    return result


def bench_lifetimes(data: Path, runs: int) -> dict[str, Any]:
    """Time lifetimes' summary_data_from_transaction_data and both fits."""
    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data

    purchases = pd.read_csv(data, parse_dates=["date"])

    def run() -> dict[str, Any]:
        summary = summary_data_from_transaction_data(
            purchases,
            "customer_id",
            "date",
            monetary_value_col="dollar_value",
            observation_period_end=CALIBRATION_END,
            freq="D",
            freq_multiplier=7,
        )
        purchase_model = BetaGeoFitter().fit(
            summary["frequency"], summary["recency"], summary["T"]
        )
        repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
        spend_model = GammaGammaFitter().fit(
            repeat["frequency"], repeat["monetary_value"]
        )
        row = {**purchase_model.params_.to_dict(), **spend_model.params_.to_dict()}
        row["contacts_used"] = len(summary)
        row["gamma_gamma_contacts_used"] = len(repeat)
        row["recency_above_age"] = int((summary["recency"] > summary["T"]).sum())
        return _model_fields(row)

    result = median_time(run, runs)
    result["versions"] = _versions(("lifetimes", "pandas", "numpy", "scipy"))
    return result


def _model_fields(row: dict[str, Any]) -> dict[str, Any]:
    names = (
        "r alpha a b p q log_likelihood contacts_used gamma_gamma_contacts_used "
        "recency_above_age"
    ).split()
    fields = {name: row[name] for name in names if name in row}
    fields["gamma"] = row.get("gamma", row.get("v"))
    return {
        key: round(value, 6) if isinstance(value, float) else value
        for key, value in fields.items()
    }


def _versions(names: tuple[str, ...]) -> dict[str, str]:
    return {name: metadata.version(name) for name in names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("side", choices=["storepipe", "lifetimes"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    arguments = parser.parse_args()
    bench = bench_storepipe if arguments.side == "storepipe" else bench_lifetimes
    result = bench(arguments.data, arguments.runs)
    result["side"] = arguments.side
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
