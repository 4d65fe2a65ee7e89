"""A store run whose Ray worker is killed mid-run is retried and ends consistent."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline.fleet import FleetOptions, read_stores, run_fleet
from pipeline.store import HOLDER_FILE
from tests.fleet.conftest import (
    AS_OF,
    copy_stores,
    output_rows,
    run_plain_nightly,
    store_name,
)

pytestmark = pytest.mark.fleet

KILL_TIMEOUT_SECONDS = 300
# Tables that a nightly run appends to. A killed attempt may have committed its
# rows before it died, and its retry then appends the same rows again.
HISTORY_TABLES = ("clv_model", "segment_changes")


def settled_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Return a store's compared rows, counting a repeated run's rows once.

    History tables keep distinct rows, and the deletion log keeps the `deleted`
    outcomes, because a retried deletion batch logs its ids as `already_deleted`.
    """
    rows = output_rows(path)
    for table in HISTORY_TABLES:
        rows[table] = sorted(set(rows[table]), key=repr)
    rows["deletion_log"] = [row for row in rows["deletion_log"] if "deleted" in row]
    return rows


class WorkerKiller(threading.Thread):
    """Kill, once, the process that holds a store's write lock.

    The lock holder file names the writer's pid while a run holds the lock, so a
    kill then lands in the middle of the run.
    """

    def __init__(self, store: Path) -> None:
        super().__init__(daemon=True)
        self.holder_file = store / HOLDER_FILE
        self.killed_pid: int | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        deadline = time.monotonic() + KILL_TIMEOUT_SECONDS
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                pid = int(json.loads(self.holder_file.read_text())["pid"])
            except (FileNotFoundError, ValueError, KeyError):
                time.sleep(0.005)
                continue
            if pid != os.getpid():
                os.kill(pid, signal.SIGKILL)
                self.killed_pid = pid
                return


def test_killed_worker_is_retried_and_store_consistent(
    ray_cluster: Any, template_stores: Path, tmp_path: Path
) -> None:
    folder = copy_stores(template_stores, tmp_path / "fleet", count=3)
    reference = copy_stores(template_stores, tmp_path / "reference", count=3)
    target = folder / store_name(2)
    killer = WorkerKiller(target)
    killer.start()

    try:
        result = run_fleet(
            read_stores(folder),
            FleetOptions(as_of=AS_OF, retries=2),
            tmp_path / "manifest.json",
        )
    finally:
        killer.stop.set()
        killer.join()

    assert killer.killed_pid is not None
    by_name = {store.name: store for store in result.stores}
    assert by_name[store_name(2)].status == "ok"
    assert by_name[store_name(2)].attempts == 2
    assert by_name[store_name(2)].pid != killer.killed_pid
    assert by_name[store_name(1)].status == "ok"
    assert by_name[store_name(3)].status == "ok"
    assert result.exit_code == 0

    # The killed attempt left a run folder without a manifest; the retry's is ok.
    run_folders = sorted((target / "runs").iterdir())
    nightly_manifests = [
        json.loads((run / "manifest.json").read_text())
        for run in run_folders
        if (run / "manifest.json").exists()
    ]
    nightly_ok = [m for m in nightly_manifests if m["command"] == "nightly"]
    assert [m["status"] for m in nightly_ok] == ["ok"]

    # The store equals a plain nightly run on an untouched copy.
    run_plain_nightly(reference / store_name(2))
    after_fleet = settled_rows(target)
    expected = settled_rows(reference / store_name(2))
    for table, rows in expected.items():
        assert after_fleet[table] == rows, f"table {table} differs"

    # A second plain nightly changes nothing.
    run_plain_nightly(target)
    after_second_run = settled_rows(target)
    for table, rows in after_fleet.items():
        assert after_second_run[table] == rows, f"table {table} changed"
