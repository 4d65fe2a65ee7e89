"""The delete command: output paths are checked before anything is deleted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.errors import ExitCode
from tests.rows import insert_rows, purchase, table_rows


def storepipe(*args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "storepipe"), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("option", ["--output", "--report"])
def test_delete_bad_output_path_deletes_nothing(
    store_path: Path, tmp_path: Path, option: str
) -> None:
    insert_rows(
        store_path,
        {
            "contacts": [{"contact_id": "ann"}],
            "purchases": [purchase(1, "p1", "ann", "2024-03-01 10:00:00+00", "5.00")],
        },
    )
    result = storepipe(
        "delete",
        "--force",
        "--store",
        str(store_path),
        option,
        str(tmp_path / "missing" / "impact.out"),
        "p1",
    )
    assert result.returncode == ExitCode.USAGE
    assert result.stderr.startswith("storepipe: error: cannot write")
    assert table_rows(store_path, "SELECT purchase_id FROM purchases") == [("p1",)]


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_delete_on_empty_store_reports_not_found(
    store_path: Path, dry_run: list[str]
) -> None:
    result = storepipe(
        "delete", "--store", str(store_path), "--as-of", "2025-01-01", *dry_run, "X"
    )
    assert result.returncode == ExitCode.OK, result.stderr
    assert "not_found" in result.stdout
