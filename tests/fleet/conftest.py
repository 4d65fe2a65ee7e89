"""Fleet fixtures: a two-CPU local Ray cluster and small generated stores.

The stores are generated once per test session and copied into each test's
tmp_path, because a fleet run moves inbox files and changes the stores.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.fleet.engine import engine_for_run
from pipeline.generate import GeneratorSpec, generate_store
from pipeline.nightly import run_nightly
from pipeline.runs import recorded_run
from pipeline.store import Store

FLEET_SIZE = 20
AS_OF = "2026-01-01"
# Columns that hold run ids or wall-clock times, which differ between two runs
# that compute the same outputs.
RUN_SPECIFIC_COLUMNS = {"run_id", "batch_id", "fitted_at", "deleted_at", "imported_at"}
# Output tables and the lake tables a nightly run writes; `runs` is all run-specific.
COMPARED_TABLES = (
    "purchases",
    "purchase_lines",
    "deletion_log",
    "contact_metrics",
    "best_sellers",
    "rfm",
    "clv_eligibility",
    "clv",
    "clv_model",
    "daily_sales",
    "segment_members",
    "segment_changes",
)
DELETED_PER_STORE = 3


def store_name(number: int) -> str:
    """Return the folder name of the fleet's store `number`, from 1."""
    return f"store-{number:02d}"


def generate_template(path: Path, seed: int) -> None:
    """Generate a small store and put a deletion batch of a few ids in its inbox."""
    Store.create(path)
    with Store.open(path, command="test generate") as store:
        with recorded_run(store.path, "test generate") as record:
            generate_store(store, GeneratorSpec(150, 500, seed=seed), record)
        rows = store.con.execute(
            "SELECT purchase_id FROM purchases ORDER BY purchase_id LIMIT ?",
            [DELETED_PER_STORE],
        ).fetchall()
    ids = "\n".join(str(row[0]) for row in rows)
    (path / "inbox" / "deletions" / "batch.txt").write_text(ids + "\n")


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[Any]:
    """Start a local Ray cluster with two CPUs for the session, or skip."""
    ray = pytest.importorskip(
        "ray", reason="Ray is not installed; run pip install -e '.[fleet]'"
    )
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        _node_ip_address="127.0.0.1",
    )
    yield ray
    ray.shutdown()


@pytest.fixture(scope="session")
def template_stores(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a folder of FLEET_SIZE generated stores, each with a different seed."""
    folder = tmp_path_factory.mktemp("fleet-templates")
    for number in range(1, FLEET_SIZE + 1):
        generate_template(folder / store_name(number), seed=number)
    return folder


def copy_stores(template: Path, target: Path, count: int = FLEET_SIZE) -> Path:
    """Copy the first `count` template stores into `target` and return it."""
    target.mkdir(parents=True)
    for number in range(1, count + 1):
        shutil.copytree(template / store_name(number), target / store_name(number))
    return target


def output_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Return every compared table's rows, sorted, without run-specific columns."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with Store.open(path, write=False) as store:
        for table in COMPARED_TABLES:
            columns = [
                row[0]
                for row in store.con.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_catalog = 'lake' AND table_name = ? "
                    "ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if row[0] not in RUN_SPECIFIC_COLUMNS
            ]
            selected = ", ".join(f'"{column}"' for column in columns)
            fetched = store.con.execute(f"SELECT {selected} FROM {table}").fetchall()
            rows[table] = sorted(fetched, key=repr)
    return rows


def run_plain_nightly(path: Path) -> None:
    """Run a plain single-store nightly with one DuckDB thread, as the fleet does.

    The thread count changes the order of floating-point sums, so CLV's
    spend-frequency correlation can differ in its last digits between thread counts.
    """
    run_nightly(path, AS_OF, engine=engine_for_run(threads=1, memory_limit=""))


def snapshot_of(path: Path) -> int:
    """Return the store's current snapshot id."""
    with Store.open(path, write=False) as store:
        return store.snapshot_id()
