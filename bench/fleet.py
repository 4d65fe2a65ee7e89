"""Measure fleet nightly throughput in stores per minute with one and two workers.

The script generates N small stores once (seeds 1..N). For each worker count it
then starts a local Ray instance with that many CPUs and runs `run_fleet` on fresh
copies of the stores, with max_concurrent equal to the worker count. It prints the
seconds and the stores per minute. Ray's start-up is timed apart from the fleet
run. Each store's inbox contains a deletion batch of three ids, so every run
imports, deletes and recomputes.

    /work/venv/bin/python bench/fleet.py --stores 12 --workers 1 2

The load averages before and after each run are printed, because other processes
on the machine slow the runs down.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import ray

from pipeline.fleet import FleetOptions, read_stores, run_fleet
from pipeline.generate import GeneratorSpec, generate_store
from pipeline.runs import recorded_run
from pipeline.store import Store

AS_OF = "2026-01-01"
DELETED_PER_STORE = 3


def generate_stores(folder: Path, count: int, contacts: int, purchases: int) -> None:
    """Generate `count` stores with a deletion batch waiting in each inbox."""
    for number in range(1, count + 1):
        path = folder / f"store-{number:02d}"
        Store.create(path)
        with Store.open(path, command="bench generate") as store:
            with recorded_run(store.path, "bench generate") as record:
                spec = GeneratorSpec(contacts, purchases, seed=number)
                generate_store(store, spec, record)
            rows = store.con.execute(
                "SELECT purchase_id FROM purchases ORDER BY purchase_id LIMIT ?",
                [DELETED_PER_STORE],
            ).fetchall()
        batch = path / "inbox" / "deletions" / "batch.txt"
        batch.write_text("".join(f"{row[0]}\n" for row in rows))


def measure(templates: Path, work: Path, workers: int) -> None:
    """Run the fleet on a copy of the templates with `workers` CPUs and print it."""
    stores = work / f"workers-{workers}"
    shutil.copytree(templates, stores)
    load_before = os.getloadavg()

    started = time.perf_counter()
    ray.init(
        num_cpus=workers,
        include_dashboard=False,
        log_to_driver=False,
        _node_ip_address="127.0.0.1",
    )
    ray_seconds = time.perf_counter() - started
    try:
        result = run_fleet(
            read_stores(stores),
            FleetOptions(as_of=AS_OF, max_concurrent=workers, threads=1),
            work / f"manifest-{workers}.json",
        )
    finally:
        ray.shutdown()

    load_after = os.getloadavg()
    seconds = result.seconds or 0.0
    per_minute = len(result.stores) * 60 / seconds if seconds else 0.0
    print(
        f"workers {workers}: {result.summary_line()}; fleet {seconds:.1f}s, "
        f"{per_minute:.1f} stores/min; Ray start {ray_seconds:.1f}s; "
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=int, default=12, help="number of stores")
    parser.add_argument("--contacts", type=int, default=300, help="per store")
    parser.add_argument("--purchases", type=int, default=1500, help="per store")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="worker counts"
    )
    arguments = parser.parse_args()
    print(f"cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as temporary:
        work = Path(temporary)
        templates = work / "templates"
        templates.mkdir()
        started = time.perf_counter()
        generate_stores(
            templates, arguments.stores, arguments.contacts, arguments.purchases
        )
        print(
            f"generated {arguments.stores} stores of {arguments.contacts} contacts, "
            f"{arguments.purchases} purchases in {time.perf_counter() - started:.1f}s"
        )
        for workers in arguments.workers:
            measure(templates, work, workers)


if __name__ == "__main__":
    main()
