"""Fleet nightly runs on a local two-CPU Ray cluster over small generated stores."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import ExitCode
from pipeline.fleet import FleetOptions, read_stores, run_fleet
from pipeline.store import Store
from tests.fleet.conftest import (
    AS_OF,
    FLEET_SIZE,
    copy_stores,
    output_rows,
    run_plain_nightly,
    snapshot_of,
    store_name,
)

pytestmark = pytest.mark.fleet


def test_fleet_outputs_equal_plain_nightly(
    ray_cluster: Any, template_stores: Path, tmp_path: Path
) -> None:
    fleet_folder = copy_stores(template_stores, tmp_path / "fleet")
    plain_folder = copy_stores(template_stores, tmp_path / "plain")
    manifest_path = tmp_path / "fleet-manifest.json"

    result = run_fleet(
        read_stores(fleet_folder),
        FleetOptions(as_of=AS_OF, max_concurrent=2),
        manifest_path,
    )
    for number in range(1, FLEET_SIZE + 1):
        run_plain_nightly(plain_folder / store_name(number))

    assert result.summary_line() == f"{FLEET_SIZE} stores: {FLEET_SIZE} ok, 0 failed"
    assert result.exit_code == 0
    for number in range(1, FLEET_SIZE + 1):
        name = store_name(number)
        fleet_rows = output_rows(fleet_folder / name)
        plain_rows = output_rows(plain_folder / name)
        for table, rows in plain_rows.items():
            assert fleet_rows[table] == rows, f"{name}: table {table} differs"
        deletion_log = fleet_rows["deletion_log"]
        assert [row for row in deletion_log if "deleted" in row], name


def test_fleet_manifest_records_each_store(
    ray_cluster: Any, template_stores: Path, tmp_path: Path
) -> None:
    folder = copy_stores(template_stores, tmp_path / "fleet", count=3)
    manifest_path = tmp_path / "out" / "manifest.json"

    run_fleet(read_stores(folder), FleetOptions(as_of=AS_OF), manifest_path)

    manifest = json.loads(manifest_path.read_text())
    assert manifest["summary"] == {"stores": 3, "ok": 3, "failed": 0, "exit_code": 0}
    assert [store["name"] for store in manifest["stores"]] == [
        store_name(1),
        store_name(2),
        store_name(3),
    ]
    for store in manifest["stores"]:
        assert store["status"] == "ok"
        assert store["attempts"] == 1
        assert store["as_of"] == "2026-01-01T00:00:00+00:00"
        assert store["counts"]["rows.contact_metrics"] == 150
        assert store["timings"]["recompute"] > 0
        own_manifest = json.loads(Path(store["manifest"]).read_text())
        assert own_manifest["run_id"] == store["run_id"]
        assert own_manifest["status"] == "ok"
    log_lines = (tmp_path / "out" / "fleet.log").read_text().splitlines()
    assert log_lines
    for line in log_lines:
        assert any(f"store {store_name(n)}:" in line for n in (1, 2, 3)), line


def test_bad_inbox_file_fails_only_its_store(
    ray_cluster: Any, template_stores: Path, tmp_path: Path
) -> None:
    folder = copy_stores(template_stores, tmp_path / "fleet", count=4)
    bad_store = folder / store_name(3)
    bad_file = bad_store / "inbox" / "deletions" / "bad.csv"
    bad_file.write_text("order,amount\n1,2.50\n")
    snapshot_before = snapshot_of(bad_store)
    manifest_path = tmp_path / "manifest.json"

    outcome = CliRunner().invoke(
        app,
        [
            "fleet",
            "nightly",
            "--stores",
            str(folder),
            "--as-of",
            AS_OF,
            "--manifest",
            str(manifest_path),
        ],
    )

    assert outcome.exit_code == ExitCode.BAD_INPUT, outcome.output
    summary = outcome.stdout.splitlines()[0]
    assert summary.startswith("4 stores: 3 ok, 1 failed (store-03: bad input: ")
    assert "1 store(s) failed: store-03" in outcome.stderr
    assert "stores done" not in outcome.stderr
    manifest = json.loads(manifest_path.read_text())
    statuses = {store["name"]: store["status"] for store in manifest["stores"]}
    assert statuses == {
        "store-01": "ok",
        "store-02": "ok",
        "store-03": "failed",
        "store-04": "ok",
    }
    failed = manifest["stores"][2]
    assert failed["exit_code"] == ExitCode.BAD_INPUT
    assert f"{bad_file}:1:" in failed["error"]
    assert failed["attempts"] == 1
    assert snapshot_of(bad_store) == snapshot_before
    assert bad_file.exists()


def test_max_concurrent_one_runs_stores_in_turn(
    ray_cluster: Any, template_stores: Path, tmp_path: Path
) -> None:
    folder = copy_stores(template_stores, tmp_path / "fleet", count=3)

    result = run_fleet(
        read_stores(folder),
        FleetOptions(as_of=AS_OF, max_concurrent=1),
        tmp_path / "manifest.json",
    )

    intervals = sorted(
        (store.started_at or "", store.finished_at or "") for store in result.stores
    )
    assert len(intervals) == 3
    for (_, finished), (started, _) in zip(intervals, intervals[1:], strict=False):
        assert finished <= started


def test_busy_store_is_retried_then_fails(
    ray_cluster: Any, template_stores: Path, tmp_path: Path
) -> None:
    folder = copy_stores(template_stores, tmp_path / "fleet", count=2)
    options = FleetOptions(as_of=AS_OF, retries=1, lock_wait_seconds=0.2)

    with Store.open(folder / store_name(2), command="test holds the lock"):
        result = run_fleet(read_stores(folder), options, tmp_path / "manifest.json")

    ok, busy = result.stores
    assert ok.status == "ok"
    assert busy.status == "failed"
    assert busy.exit_code == ExitCode.STORE_BUSY
    assert busy.attempts == 2
    assert "busy" in (busy.error or "")
    assert result.exit_code == ExitCode.STORE_BUSY


def test_fleet_engine_settings_keep_store_toml(
    ray_cluster: Any, template_stores: Path, tmp_path: Path
) -> None:
    folder = copy_stores(template_stores, tmp_path / "fleet", count=1)
    settings_before = (folder / store_name(1) / "storepipe.toml").read_text()
    options = dataclasses.replace(
        FleetOptions(as_of=AS_OF), threads=1, memory_limit="300MB"
    )

    result = run_fleet(read_stores(folder), options, tmp_path / "manifest.json")

    assert result.stores[0].status == "ok"
    assert result.settings["memory_limit"] == "300MB"
    settings_after = (folder / store_name(1) / "storepipe.toml").read_text()
    assert settings_after == settings_before
