"""The floor: plain DuckDB aggregates over a store's Parquet data files.

The floor computes what the cheapest outputs need: per-contact purchase count, sum,
first and last purchase, and per-product units, purchases and revenue. It reads the
data files of `purchases` and `purchase_lines` directly and writes both results to
Parquet, so it measures the cost of reading the purchases once and aggregating them.
"""

from __future__ import annotations

import time
from pathlib import Path

from pipeline.store import Store, connect

# The data files are listed from the catalog before the clock starts, and the query
# reads them with read_parquet, so DuckLake's own planning is not part of the floor.
CONTACT_AGGREGATES = """
COPY (
    SELECT
        contact_id,
        count(*) AS purchases,
        sum(total_price) AS total_amount,
        min(purchased_at) AS first_purchase_at,
        max(purchased_at) AS last_purchase_at
    FROM read_parquet($files)
    WHERE contact_id IS NOT NULL
    GROUP BY contact_id
) TO '{target}' (FORMAT parquet)
"""
PRODUCT_AGGREGATES = """
COPY (
    SELECT
        product_id,
        sum(quantity) AS units,
        count(DISTINCT internal_id) AS purchases,
        sum(price) AS revenue
    FROM read_parquet($files)
    GROUP BY product_id
) TO '{target}' (FORMAT parquet)
"""


def data_files(store_path: Path, table: str) -> list[str]:
    """Return the live data files of a lake table, read from the catalog."""
    with Store.open(store_path, write=False) as store:
        rows = store.con.execute(
            "SELECT data_file, delete_file FROM ducklake_list_files('lake', ?)",
            [table],
        ).fetchall()
    if any(delete_file is not None for _, delete_file in rows):
        raise ValueError(
            f"{table} of {store_path} has delete files; measure the floor on a store "
            "without deletions"
        )
    return [str(data_file) for data_file, _ in rows]


def run_floor(store_path: Path, output_folder: Path) -> tuple[float, float]:
    """Write the floor's two Parquet files; return their wall and CPU seconds.

    The connection has the store's threads and memory limit, as storepipe's has.
    """
    purchase_files = data_files(store_path, "purchases")
    line_files = data_files(store_path, "purchase_lines")
    with Store.open(store_path, write=False) as store:
        settings = store.settings
    output_folder.mkdir(parents=True, exist_ok=True)
    con = connect(settings)
    try:
        started = time.perf_counter()
        cpu_started = time.process_time()
        # COPY takes its target path as text, not as a parameter; the paths are
        # built by this module.
        con.execute(
            CONTACT_AGGREGATES.format(target=output_folder / "contacts.parquet"),
            {"files": purchase_files},
        )
        con.execute(
            PRODUCT_AGGREGATES.format(target=output_folder / "products.parquet"),
            {"files": line_files},
        )
        return time.perf_counter() - started, time.process_time() - cpu_started
    finally:
        con.close()
