"""The demo end to end, in-process and through the CLI, and the store it accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.demo import DEMO_SPEC, DemoReport, format_summary, run_demo
from pipeline.errors import UsageError
from pipeline.generate import GeneratorSpec
from pipeline.generate.target import prepare_empty_store
from tests.generate.conftest import fetch, generate_into

STOREPIPE = Path(sys.executable).with_name("storepipe")
DELETED = round(0.03 * DEMO_SPEC.purchases)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    """Return the report of one demo run on a new store."""
    return run_demo(tmp_path_factory.mktemp("demo") / "store")


def test_demo_deletes_batch(demo: DemoReport) -> None:
    assert demo.deleted == DELETED
    assert demo.before.purchases == DEMO_SPEC.purchases
    assert demo.after.purchases == DEMO_SPEC.purchases - DELETED
    assert demo.after.revenue < demo.before.revenue
    assert 0 < demo.contacts_affected <= DELETED


def test_demo_logs_reason(demo: DemoReport) -> None:
    rows = fetch(
        demo.store_path,
        "SELECT reason, outcome, count(*) FROM deletion_log GROUP BY ALL",
    )
    assert rows == [("demo", "deleted", DELETED)]


def test_demo_store_is_clv_eligible(demo: DemoReport) -> None:
    rows = fetch(
        demo.store_path,
        "SELECT criterion FROM clv_eligibility WHERE NOT passed ORDER BY 1",
    )
    criteria = fetch(demo.store_path, "SELECT count(*) FROM clv_eligibility")
    assert criteria == [(4,)]
    assert rows == []


def test_demo_revenue_matches_store(demo: DemoReport) -> None:
    [(revenue,)] = fetch(demo.store_path, "SELECT sum(total_price) FROM purchases")
    assert demo.after.revenue == revenue


def test_demo_records_four_runs(demo: DemoReport) -> None:
    assert len(demo.run_ids) == 4
    for run_id in demo.run_ids:
        assert (demo.store_path / "runs" / run_id / "manifest.json").exists()


def test_demo_summary_names_changes(demo: DemoReport) -> None:
    text = "\n".join(format_summary(demo))
    assert f"deleted purchases: {DELETED} (reason 'demo')" in text
    assert f"contacts affected: {demo.contacts_affected}" in text
    assert "best sellers, all time" in text
    assert "RFM segments (contacts):" in text
    assert "Repeat buyers:" in text
    assert len(demo.before.top_sellers) == 5
    assert sum(demo.before.rfm_segments.values()) > 0


def test_demo_cli_prints_summary(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(STOREPIPE), "demo", "--store", str(tmp_path / "store")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"deleted purchases: {DELETED}" in result.stdout
    assert "purchases" in result.stdout.splitlines()[6]
    assert "generating" not in result.stderr


def test_demo_cli_rejects_used_store(demo: DemoReport) -> None:
    result = subprocess.run(
        [str(STOREPIPE), "demo", "--store", str(demo.store_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "already contains" in result.stderr
    assert "--fresh" in result.stderr
    assert result.stdout == ""


def test_prepare_rejects_store_with_purchases(tmp_path: Path) -> None:
    path = generate_into(tmp_path / "store", GeneratorSpec(20, 40, seed=1))
    with pytest.raises(UsageError, match="already contains 40 purchases"):
        prepare_empty_store(path, fresh=False)


def test_prepare_fresh_recreates_store(tmp_path: Path) -> None:
    path = generate_into(tmp_path / "store", GeneratorSpec(20, 40, seed=1))
    prepare_empty_store(path, fresh=True)
    assert fetch(path, "SELECT count(*) FROM purchases") == [(0,)]
    assert fetch(path, "SELECT count(*) FROM contacts") == [(0,)]


def test_prepare_keeps_other_folders(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine\n")
    with pytest.raises(UsageError, match="is not a store"):
        prepare_empty_store(folder, fresh=True)
    assert (folder / "keep.txt").read_text() == "mine\n"


def test_fresh_keeps_store_with_other_files(tmp_path: Path) -> None:
    path = generate_into(tmp_path / "store", GeneratorSpec(20, 40, seed=1))
    (path / "keep.txt").write_text("mine\n")
    with pytest.raises(UsageError, match="keep.txt"):
        prepare_empty_store(path, fresh=True)
    assert (path / "keep.txt").read_text() == "mine\n"
    assert fetch(path, "SELECT count(*) FROM purchases") == [(40,)]


def test_prepare_reuses_empty_store(store_path: Path) -> None:
    prepare_empty_store(store_path, fresh=False)
    assert fetch(store_path, "SELECT count(*) FROM purchases") == [(0,)]
