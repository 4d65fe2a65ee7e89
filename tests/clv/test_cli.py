"""`storepipe clv fit`: stdout, stored rows and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.store import Store

pytestmark = pytest.mark.realdata

AS_OF = "1997-09-30T23:59:59+00:00"


def storepipe(*arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from pipeline.cli import main; main()"]
    return subprocess.run(
        [*command, *arguments], capture_output=True, text=True, check=False
    )


def test_clv_fit_prints_and_stores_model(writable_cdnow_store: Path) -> None:
    result = storepipe(
        "clv", "fit", "--store", str(writable_cdnow_store), "--as-of", AS_OF
    )
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert result.returncode == 0, result.stderr
    assert lines["status"] == "fitted"
    assert lines["time_unit"] == "weeks"
    assert lines["r"] == "0.242595"
    with Store.open(writable_cdnow_store, write=False) as store:
        stored = store.con.execute(
            "SELECT (SELECT count(p_alive) FROM clv), "
            "(SELECT list(status) FROM clv_model), "
            "(SELECT list(status) FROM runs)"
        ).fetchone()
    assert stored == (2357, ["fitted"], ["ok"])


def test_clv_fit_failure_exits_with_data_check_code(
    writable_cdnow_store: Path,
) -> None:
    store = str(writable_cdnow_store)
    first = storepipe(
        "clv", "fit", "--store", store, "--as-of", AS_OF, "--time-unit", "days"
    )
    failed = storepipe(
        "clv", "fit", "--store", store, "--as-of", AS_OF, "--max-iterations", "1"
    )
    assert first.returncode == 0, first.stderr
    assert failed.returncode == 5
    assert failed.stdout == ""
    assert failed.stderr.splitlines()[-1].startswith(
        "storepipe: error: CLV model fit failed, previous predictions kept: "
        "BG/NBD fit did not converge after 1 iterations"
    )
    with Store.open(writable_cdnow_store, write=False) as store:
        stored = store.con.execute(
            "SELECT (SELECT count(p_alive) FROM clv), "
            "(SELECT list(status ORDER BY fitted_at) FROM clv_model), "
            "(SELECT list(time_unit ORDER BY fitted_at) FROM clv_model)"
        ).fetchone()
    assert stored == (2357, ["fitted", "failed"], ["days", "weeks"])
