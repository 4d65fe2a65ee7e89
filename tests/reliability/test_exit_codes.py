"""Exit codes of the real CLI, one per failure kind, each in a subprocess."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from pipeline.errors import ExitCode
from pipeline.store import Store
from tests.reliability.helpers import STOREPIPE, run_cli, snapshot_id


def test_unknown_option_exits_usage(store_path: Path) -> None:
    result = run_cli("recompute", "--no-such-option", store=store_path)
    assert result.returncode == ExitCode.USAGE
    assert result.stderr.strip().splitlines() == [
        "storepipe: error: No such option: --no-such-option; "
        "see storepipe recompute --help"
    ]


def test_missing_option_value_is_one_line() -> None:
    # The value is missing at the end of the line, because a following --store
    # would be taken as the value.
    result = run_cli("recompute", "--as-of")
    assert result.returncode == ExitCode.USAGE
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--as-of" in result.stderr


def test_invalid_as_of_exits_usage(store_path: Path) -> None:
    result = run_cli("recompute", "--as-of", "yesterday-ish", store=store_path)
    assert result.returncode == ExitCode.USAGE
    assert result.stderr.strip().splitlines() == [
        "storepipe: error: invalid --as-of 'yesterday-ish'; give a date "
        "(2011-12-10) or an ISO 8601 instant (2011-12-10T09:00:00+00:00)"
    ]


def test_missing_store_exits_usage(tmp_path: Path) -> None:
    result = run_cli("recompute", store=tmp_path / "absent")
    assert result.returncode == ExitCode.USAGE
    assert "storepipe init" in result.stderr


def test_invalid_internal_id_exits_bad_input(store_path: Path) -> None:
    before = snapshot_id(store_path)
    result = run_cli("delete", "--by", "internal-id", "12x", store=store_path)
    assert result.returncode == ExitCode.BAD_INPUT
    assert "'12x'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot_id(store_path) == before


def test_held_lock_exits_busy_naming_holder(store_path: Path) -> None:
    with Store.open(store_path, command="held by the test"):
        result = run_cli("recompute", store=store_path)
    assert result.returncode == ExitCode.STORE_BUSY
    assert f"pid {os.getpid()}" in result.stderr
    assert "`held by the test`" in result.stderr
    assert "--wait" in result.stderr


def test_wait_outlasts_held_lock(store_path: Path) -> None:
    hold_seconds = 3.0
    with Store.open(store_path, command="held by the test"):
        process = subprocess.Popen(
            [str(STOREPIPE), "--verbose", "recompute", "--wait", "600"]
            + ["--store", str(store_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Hold the lock until the command reports that it is waiting for it.
        deadline = time.monotonic() + 120
        assert process.stderr is not None
        waiting_line = ""
        while time.monotonic() < deadline and "waiting up to" not in waiting_line:
            waiting_line = process.stderr.readline()
            assert waiting_line or process.poll() is None
        time.sleep(hold_seconds)
        assert process.poll() is None
    stdout, stderr = process.communicate(timeout=300)
    assert "held by the test" in waiting_line
    assert process.returncode == ExitCode.OK, stderr
    assert "recomputed at" in stdout


def test_wait_times_out_busy(store_path: Path) -> None:
    with Store.open(store_path, command="held by the test"):
        result = run_cli("recompute", "--wait", "1", store=store_path)
    assert result.returncode == ExitCode.STORE_BUSY


def test_failed_check_exits_data_check(store_path: Path) -> None:
    # A purchase of a contact missing from `contacts` makes the contact totals
    # disagree with the purchases, which the checks catch before publishing.
    with Store.open(store_path, command="corrupt") as store, store.transaction():
        store.con.execute(
            "INSERT INTO purchases (internal_id, purchase_id, contact_id, "
            "purchased_at, total_price, total_quantity, content_hash, imported_at) "
            "VALUES (1, 'P1', 'ghost', '2025-06-01 10:00:00+00', 10, 1, 'x', now())"
        )
        store.con.execute(
            "INSERT INTO purchase_lines VALUES "
            "(1, 1, 'SKU1', 1, 10, 10, '2025-06-01 10:00:00+00', false)"
        )
    before = snapshot_id(store_path)
    result = run_cli("recompute", "--as-of", "2026-01-01", store=store_path)
    assert result.returncode == ExitCode.DATA_CHECK_FAILED, result.stderr
    assert "contact_totals_match_purchases" in result.stderr
    assert snapshot_id(store_path) == before


def test_corrupt_catalog_exits_internal(store_path: Path) -> None:
    assert run_cli("recompute", store=store_path).returncode == ExitCode.OK
    (store_path / "published" / "catalog.ducklake").write_bytes(b"not a database")
    result = run_cli("query", "SELECT 1", store=store_path)
    assert result.returncode == ExitCode.INTERNAL
    assert result.stderr.startswith("storepipe: error: internal error:")
    assert "--debug" in result.stderr
