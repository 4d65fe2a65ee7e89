"""Step timings of a run record."""

from __future__ import annotations

import time

from pipeline.runs import RunRecord


def test_repeated_step_records_sum() -> None:
    record = RunRecord(run_id="r", command="test", started_at="2026-01-01T00:00:00")
    for _ in range(2):
        with record.step("stage.write"):
            time.sleep(0.05)
    with record.step("publish"):
        pass

    assert record.timings["stage.write"] >= 0.1
    assert record.timings["stage.write"] < 5
    assert record.timings["publish"] < record.timings["stage.write"]
