"""Progress callbacks of recompute, and no progress output off a terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.recompute import output_steps
from pipeline.recompute.run import recompute_store
from pipeline.runs import recorded_run
from pipeline.store import Store
from pipeline.timeparse import parse_as_of


def test_recompute_reports_each_step(store_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []

    def collect(step: str, done: int, total: int) -> None:
        calls.append((step, done, total))

    with Store.open(store_path, command="test") as store:
        as_of = parse_as_of("2026-01-01", "UTC")
        with recorded_run(store.path, "test", as_of) as record:
            recompute_store(store, as_of, record, collect)

    names = [step.__name__ for step in output_steps()]
    assert [call[0] for call in calls] == names
    assert [call[1] for call in calls] == list(range(1, len(names) + 1))
    assert {call[2] for call in calls} == {len(names)}


def test_recompute_off_terminal_prints_no_progress(store_path: Path) -> None:
    storepipe = Path(sys.executable).with_name("storepipe")
    completed = subprocess.run(
        [
            str(storepipe),
            "recompute",
            "--store",
            str(store_path),
            "--as-of",
            "2026-01-01",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    assert completed.stdout.startswith("recomputed at 2026-01-01T00:00:00+00:00")
