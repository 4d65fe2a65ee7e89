"""The nightly job: inbox import, waiting deletions, recompute and the run manifest."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.errors import ExitCode
from pipeline.nightly import run_nightly
from tests.conftest import REPO
from tests.rows import table_rows

SAMPLES = REPO / "data" / "samples"
AS_OF = "2024-06-01"


def fill_inbox(store_path: Path) -> None:
    inbox = store_path / "inbox"
    (inbox / "contacts").mkdir(exist_ok=True)
    shutil.copy(SAMPLES / "contacts.csv", inbox / "contacts" / "contacts.csv")
    shutil.copy(SAMPLES / "purchases.jsonl", inbox / "purchases.jsonl")


def storepipe(*args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "storepipe"), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_nightly_imports_and_recomputes(store_path: Path) -> None:
    fill_inbox(store_path)
    record = run_nightly(store_path, AS_OF)
    assert record.status == "ok"
    purchases = table_rows(store_path, "SELECT count(*) FROM purchases")[0][0]
    metrics = table_rows(store_path, "SELECT sum(total_purchases) FROM contact_metrics")
    known = table_rows(
        store_path, "SELECT count(*) FROM purchases WHERE contact_id IS NOT NULL"
    )
    assert purchases > 0
    assert metrics == known


def test_nightly_moves_processed_files(store_path: Path) -> None:
    fill_inbox(store_path)
    record = run_nightly(store_path, AS_OF)
    processed = store_path / "inbox" / "processed" / record.run_id
    assert sorted(p.name for p in processed.iterdir()) == [
        "contacts.csv",
        "purchases.jsonl",
    ]
    assert not (store_path / "inbox" / "purchases.jsonl").exists()


def test_nightly_applies_waiting_deletions(store_path: Path) -> None:
    fill_inbox(store_path)
    run_nightly(store_path, AS_OF)
    (store_path / "inbox" / "deletions" / "cancelled.csv").write_text(
        "purchase_id\nA-1001\nNOPE\n"
    )
    run_nightly(store_path, AS_OF)
    log = table_rows(
        store_path, "SELECT requested_id, outcome FROM deletion_log ORDER BY 1"
    )
    assert log == [("A-1001", "deleted"), ("NOPE", "not_found")]
    live = table_rows(
        store_path, "SELECT count(*) FROM purchases WHERE purchase_id = 'A-1001'"
    )
    assert live == [(0,)]


def test_nightly_writes_manifest(store_path: Path) -> None:
    fill_inbox(store_path)
    result = storepipe("nightly", "--store", str(store_path), "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    manifests = sorted((store_path / "runs").glob("*/manifest.json"))
    manifest = json.loads(manifests[-1].read_text())
    assert manifest["command"] == "nightly"
    assert manifest["status"] == "ok"
    assert manifest["as_of"].startswith("2024-06-01T00:00:00")
    assert manifest["versions"]["duckdb"] == "1.5.5"
    assert {"import", "deletions", "recompute", "publish"} <= set(manifest["timings"])
    assert manifest["snapshots"]["after_recompute"] > manifest["snapshots"]["start"]
    assert (manifests[-1].parent / "run.log").stat().st_size > 0


def test_nightly_bad_inbox_file_fails_cleanly(store_path: Path) -> None:
    (store_path / "inbox" / "broken.jsonl").write_text('{"purchaseId": "X-1", \n')
    before = table_rows(store_path, "SELECT max(snapshot_id) FROM snapshots()")
    result = storepipe("nightly", "--store", str(store_path), "--as-of", AS_OF)
    assert result.returncode == ExitCode.BAD_INPUT
    assert result.stderr.count("\n") == 1
    assert "broken.jsonl" in result.stderr
    assert table_rows(store_path, "SELECT max(snapshot_id) FROM snapshots()") == before
    manifest = json.loads(
        sorted((store_path / "runs").glob("*/manifest.json"))[-1].read_text()
    )
    assert manifest["status"] == "failed"
    assert manifest["exit_code"] == ExitCode.BAD_INPUT
