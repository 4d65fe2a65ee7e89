"""Writes that fail midway under a file size limit: one error line, no partial commit.

RLIMIT_FSIZE makes every write past the limit fail with EFBIG (SIGXFSZ is ignored),
as a full disk would. A limit below the size of one Parquet file stops an import
before its commit. A limit below the catalog file's size lets the commits reach the
write-ahead log and stops the checkpoint when the catalog is closed.
"""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.helpers import (
    AS_OF,
    STOREPIPE,
    consistency_problems,
    fingerprints,
    product_ids,
    run_cli,
    snapshot_id,
)
from tests.reliability.test_crash_safety import published_snapshot, write_purchases


def file_size_limit(limit: int) -> Callable[[], None]:
    """Return a preexec_fn that caps the size of every file the child writes."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def run_limited(
    limit: int, store: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """Run `storepipe ARGS` on `store` with a file size limit in bytes."""
    return subprocess.run(
        [str(STOREPIPE), *args, "--store", str(store)],
        capture_output=True,
        text=True,
        preexec_fn=file_size_limit(limit),
        timeout=300,
        check=False,
    )


def error_lines(stderr: str) -> list[str]:
    """Return the `storepipe: error:` lines of a command's stderr."""
    return [
        line for line in stderr.splitlines() if line.startswith("storepipe: error:")
    ]


@pytest.fixture
def recomputed_store(generated_template: Path, tmp_path: Path) -> Path:
    """Return a copy of the generated store with its outputs computed."""
    store = tmp_path / "store"
    shutil.copytree(generated_template, store)
    result = run_cli("recompute", "--as-of", "2025-12-01", store=store)
    assert result.returncode == 0, result.stderr
    return store


def test_import_past_size_limit_commits_nothing(
    recomputed_store: Path, tmp_path: Path
) -> None:
    store = recomputed_store
    purchases = tmp_path / "purchases.jsonl"
    write_purchases(purchases, 200, product_ids(store, 20))
    before = snapshot_id(store)
    tables_before = fingerprints(store)

    result = run_limited(4096, store, "import", str(purchases))

    assert result.returncode != 0
    errors = error_lines(result.stderr)
    assert len(errors) == 1, result.stderr
    assert "File too large" in errors[0]
    assert result.stderr.rstrip().endswith(errors[0])
    assert snapshot_id(store) == before
    assert fingerprints(store) == tables_before
    assert consistency_problems(store) == []
    assert sorted((store / "published").glob("*.tmp")) == []
    rerun = run_cli("import", str(purchases), store=store)
    assert rerun.returncode == 0, rerun.stderr
    assert snapshot_id(store) == before + 1


def test_checkpoint_past_size_limit_keeps_commits(recomputed_store: Path) -> None:
    store = recomputed_store
    before = snapshot_id(store)
    catalog_size = (store / "catalog.ducklake").stat().st_size

    result = run_limited(catalog_size // 2, store, "recompute", "--as-of", AS_OF)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == error_lines(result.stderr)
    assert len(error_lines(result.stderr)) == 1
    assert "failed at checkpoint" in result.stderr
    assert "File too large" in result.stderr
    # The recompute commit is whole in the write-ahead log, not published yet.
    assert snapshot_id(store) == before + 1
    assert published_snapshot(store) == before
    assert consistency_problems(store) == []
    rerun = run_cli("recompute", "--as-of", AS_OF, store=store)
    assert rerun.returncode == 0, rerun.stderr
    assert published_snapshot(store) == snapshot_id(store)
