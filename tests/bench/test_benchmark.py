"""The benchmark script at a small scale: report sections, floor results, peer."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import duckdb
import measure
import peer
import pytest
import report

from pipeline.store import Store
from tests.bench.conftest import HEADER, BenchmarkRun

pytestmark = pytest.mark.slow


def store_rows(store: Path, sql: str) -> list[tuple[object, ...]]:
    with Store.open(store, write=False) as opened:
        return sorted(opened.con.execute(sql).fetchall())


def parquet_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        return sorted(con.execute(sql, [str(path)]).fetchall())
    finally:
        con.close()


def test_benchmark_small_run_succeeds(small_run: BenchmarkRun) -> None:
    assert small_run.returncode == 0, small_run.stderr


def test_benchmark_report_has_every_section(small_run: BenchmarkRun) -> None:
    text = small_run.text
    for section in report.SECTIONS:
        assert f"\n{section}\n" in text, section


def test_benchmark_report_keeps_header(small_run: BenchmarkRun) -> None:
    text = small_run.text
    assert text.startswith(HEADER)
    assert text.count(report.MARKER) == 1
    assert "old figures" not in text


def test_benchmark_report_lists_every_figure(small_run: BenchmarkRun) -> None:
    text = small_run.text
    for figure in (
        "| generate (lines/s, in-process time) |",
        "| floor (plain DuckDB) |",
        "| `storepipe delete` with its preview / floor |",
        "| deletion applied in nightly (no preview) / floor |",
        "| full recompute / floor |",
        "| nightly run / floor |",
        "| lifetimes / storepipe CLV |",
        "| peak RSS of any storepipe command |",
    ):
        assert figure in text, figure
    assert "--contacts 2000 --purchases 20000 --repetitions 1" in text
    assert "deletion batch: 200 store purchase ids" in text
    assert "load average (1, 5, 15 min) at start:" in text


def test_floor_contacts_match_contact_metrics(small_run: BenchmarkRun) -> None:
    floor = parquet_rows(
        small_run.workdir / "floor" / "contacts.parquet",
        "SELECT contact_id, purchases, total_amount, first_purchase_at, "
        "last_purchase_at FROM read_parquet(?)",
    )
    metrics = store_rows(
        small_run.workdir / "runs" / "recompute",
        "SELECT contact_id, total_purchases, total_purchases_amount, "
        "first_purchase_at, last_purchase_at FROM lake.contact_metrics "
        "WHERE total_purchases > 0",
    )
    # The generator makes 70% of the 2,000 contacts buyers.
    assert len(floor) == 1400
    assert floor == metrics


def test_floor_products_match_best_sellers(small_run: BenchmarkRun) -> None:
    floor = parquet_rows(
        small_run.workdir / "floor" / "products.parquet",
        "SELECT product_id, units, purchases, revenue FROM read_parquet(?)",
    )
    ranked = store_rows(
        small_run.workdir / "runs" / "recompute",
        "SELECT product_id, units, purchases, revenue FROM lake.best_sellers "
        "WHERE period = 'all' AND category IS NULL",
    )
    ranked_ids = {row[0] for row in ranked}
    assert ranked
    assert [row for row in floor if row[0] in ranked_ids] == ranked


def test_benchmark_peer_parameters_close(small_run: BenchmarkRun) -> None:
    text = small_run.text
    skipped = [line for line in text.splitlines() if line.startswith("Skipped: ")]
    if skipped:
        pytest.skip(f"the benchmark did not run the peer: {skipped[0]}")
    for name in peer.PARAMETERS:
        row = next(line for line in text.splitlines() if line.startswith(f"| {name} |"))
        assert row.endswith("| yes |"), row


def test_peer_missing_interpreter_is_skipped(tmp_path: Path) -> None:
    missing = tmp_path / "no-venv" / "bin" / "python"
    reason = peer.missing_peer_reason(missing)
    assert reason is not None
    assert str(missing) in reason
    assert "not found" in reason
    result = report.BenchmarkResult(
        command="",
        arguments={},
        facts={},
        base_store=tmp_path,
        generate=measure.Figure("generate"),
        floor=measure.Figure("floor"),
        deletions=0,
        figures={},
        storepipe_parameters={},
        peer_export=None,
        peer=peer.PeerResult(skipped=reason),
    )
    assert report.peer_section(result) == ["## CLV peer", "", f"Skipped: {reason}."]


def test_run_command_reads_child_peak_rss(tmp_path: Path) -> None:
    allocate = "block = bytearray(200 * 1024 * 1024); block[::4096] = b'x' * 51200"
    run = measure.run_command([sys.executable, "-c", allocate], tmp_path, "allocate")
    assert run.peak_rss_bytes >= 200 * 1024 * 1024
    assert run.peak_rss_bytes < 1024 * 1024 * 1024


def test_run_command_failure_names_stderr(tmp_path: Path) -> None:
    failing = "import sys; print('disk full', file=sys.stderr); sys.exit(3)"
    with pytest.raises(measure.BenchmarkError, match="exit code 3: disk full"):
        measure.run_command([sys.executable, "-c", failing], tmp_path, "failing")


def test_peer_sample_keeps_whole_contacts(
    small_run: BenchmarkRun, tmp_path: Path
) -> None:
    store = small_run.workdir / "generated"
    as_of = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    export = peer.export_purchases(store, as_of, tmp_path / "sample.csv", 5_000, 1)

    assert export.sampled
    assert export.store_purchases == 19_400
    assert 2_500 <= export.purchases <= 7_500
    assert export.observation_end == "2026-01-01"
    sampled = parquet_rows(
        export.path,
        "SELECT customer_id, count(*) FROM read_csv(?) GROUP BY customer_id",
    )
    totals = dict(
        store_rows(
            store,
            "SELECT contact_id, count(*) FROM lake.purchases "
            "WHERE contact_id IS NOT NULL GROUP BY contact_id",
        )
    )
    assert all(totals[contact] == count for contact, count in sampled)
