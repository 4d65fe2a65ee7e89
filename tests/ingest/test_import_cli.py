"""`storepipe import`: the summary on stdout, one-line errors and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.errors import ExitCode
from pipeline.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def storepipe(*arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from pipeline.cli import main; main()"]
    return subprocess.run(
        [*command, *arguments], capture_output=True, text=True, check=False
    )


def test_import_prints_summary(store_path: Path) -> None:
    result = storepipe(
        "import", "--store", str(store_path), str(SAMPLES / "purchases.jsonl")
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("imported in snapshot 2 (run ")
    assert lines[1:] == [
        "rows read: 4",
        "purchases new: 4",
        "purchases unchanged: 0",
        "lines new: 5",
        "contacts created: 2",
        "products created: 4",
    ]


def test_import_again_reports_nothing_new(store_path: Path) -> None:
    storepipe("import", "--store", str(store_path), str(SAMPLES / "purchases.jsonl"))
    result = storepipe(
        "import", "--store", str(store_path), str(SAMPLES / "purchases.jsonl")
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("nothing new to import; snapshot 2 unchanged")
    assert "purchases unchanged: 4" in result.stdout


def test_import_bad_input_exit_code(store_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"purchaseId": "X", "purchaseDate": "2024-01-01 10:00", '
        '"totalPrice": 1, "totalQuantity": 1}\n'
    )
    result = storepipe("import", "--store", str(store_path), str(bad))
    assert result.returncode == ExitCode.BAD_INPUT
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert errors == [
        f"storepipe: error: {bad} line 1: purchaseDate '2024-01-01 10:00' has no "
        "UTC offset; add one, for example 2024-03-01T10:15:00+01:00 or a final Z "
        "for UTC"
    ]
    with Store.open(store_path, write=False) as store:
        assert store.snapshot_id() == 1


def test_import_entity_kind(store_path: Path) -> None:
    result = storepipe(
        "import",
        "--store",
        str(store_path),
        "--kind",
        "carts",
        str(SAMPLES / "carts.csv"),
    )
    assert result.returncode == 0, result.stderr
    assert "carts upserted: 2" in result.stdout.splitlines()


def test_import_invalid_map_is_usage_error(store_path: Path) -> None:
    result = storepipe(
        "import",
        "--store",
        str(store_path),
        "--map",
        "order",
        str(SAMPLES / "flat_lines.csv"),
    )
    assert result.returncode == ExitCode.USAGE
    assert "invalid --map 'order'; write COLUMN=FIELD" in result.stderr
