"""Store lists, fleet settings, engine overrides and the fleet's summary and exit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import BadInputError, ExitCode, UsageError
from pipeline.fleet import FleetResult, StoreResult, load_fleet_settings, read_stores
from pipeline.fleet.engine import engine_for_run
from pipeline.store import Store


def make_store(path: Path) -> Path:
    Store.create(path)
    return path


def fleet_result(*stores: StoreResult) -> FleetResult:
    return FleetResult(
        fleet_run_id="test",
        started_at="2026-01-01T00:00:00+00:00",
        as_of="2026-01-01",
        address="local",
        settings={},
        stores=list(stores),
    )


def test_read_stores_from_folder(tmp_path: Path) -> None:
    make_store(tmp_path / "b")
    make_store(tmp_path / "a")
    (tmp_path / "not-a-store").mkdir()

    entries = read_stores(tmp_path)

    assert [entry.name for entry in entries] == ["a", "b"]
    assert entries[0].path == (tmp_path / "a").resolve()


def test_read_stores_from_list_file(tmp_path: Path) -> None:
    listing = tmp_path / "stores.txt"
    listing.write_text(
        f"# nightly stores\n\nshops/one\n{(tmp_path / 'two').as_uri()}\n"
    )

    entries = read_stores(listing)

    assert [entry.path for entry in entries] == [
        (tmp_path / "shops" / "one").resolve(),
        (tmp_path / "two").resolve(),
    ]
    assert [entry.name for entry in entries] == ["one", "two"]


def test_read_stores_names_repeated_folder_names_by_path(tmp_path: Path) -> None:
    listing = tmp_path / "stores.txt"
    listing.write_text("east/shop\nwest/shop\n")

    names = [entry.name for entry in read_stores(listing)]

    assert names == [str(tmp_path / "east" / "shop"), str(tmp_path / "west" / "shop")]


def test_read_stores_rejects_object_store_uri(tmp_path: Path) -> None:
    listing = tmp_path / "stores.txt"
    listing.write_text("one\ns3://bucket/store\n")

    with pytest.raises(BadInputError, match=r"stores\.txt:2: store URI 's3://"):
        read_stores(listing)


def test_read_stores_rejects_repeated_store(tmp_path: Path) -> None:
    listing = tmp_path / "stores.txt"
    listing.write_text("one\n./one\n")

    with pytest.raises(BadInputError, match=r"stores\.txt:2: .* \(first on line 1\)"):
        read_stores(listing)


def test_read_stores_rejects_empty_list(tmp_path: Path) -> None:
    listing = tmp_path / "stores.txt"
    listing.write_text("# none yet\n")

    with pytest.raises(BadInputError, match="lists no stores"):
        read_stores(listing)


def test_read_stores_rejects_folder_without_stores(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no subfolder contains a storepipe.toml"):
        read_stores(tmp_path)


def test_fleet_settings_file_values(tmp_path: Path) -> None:
    path = tmp_path / "fleet.toml"
    path.write_text(
        "[fleet]\nmax_concurrent = 4\nretries = 1\n"
        '[engine]\nthreads = 2\nmemory_limit = "1GB"\n'
    )

    settings = load_fleet_settings(path)

    assert settings.fleet.max_concurrent == 4
    assert settings.fleet.retries == 1
    assert settings.fleet.lock_wait_seconds == 30.0
    assert settings.engine.threads == 2
    assert settings.engine.memory_limit == "1GB"


def test_fleet_settings_reject_invalid_memory_limit(tmp_path: Path) -> None:
    path = tmp_path / "fleet.toml"
    path.write_text('[engine]\nmemory_limit = "lots"\n')

    with pytest.raises(UsageError, match="invalid setting engine.memory_limit"):
        load_fleet_settings(path)


def test_fleet_settings_reject_unknown_key(tmp_path: Path) -> None:
    path = tmp_path / "fleet.toml"
    path.write_text("[fleet]\nworkers = 3\n")

    with pytest.raises(UsageError, match="invalid setting fleet.workers"):
        load_fleet_settings(path)


def test_engine_override_sets_duckdb_limits(store_path: Path) -> None:
    engine = engine_for_run(threads=1, memory_limit="300MB")
    with Store.open(store_path, write=False, engine=engine) as store:
        threads, memory = store.con.execute(
            "SELECT current_setting('threads'), current_setting('memory_limit')"
        ).fetchone() or (None, None)
    with Store.open(store_path, write=False) as store:
        row = store.con.execute("SELECT current_setting('memory_limit')").fetchone()
        default_memory = row[0] if row else None

    assert threads == 1
    assert memory == "286.1 MiB"
    assert default_memory != memory
    assert 'memory_limit = ""' in (store_path / "storepipe.toml").read_text()


def test_exit_code_is_most_severe_failure() -> None:
    result = fleet_result(
        StoreResult("a", "/a", status="ok"),
        StoreResult("b", "/b", status="failed", exit_code=ExitCode.STORE_BUSY),
        StoreResult("c", "/c", status="failed", exit_code=ExitCode.BAD_INPUT),
        StoreResult("d", "/d", status="failed", exit_code=ExitCode.DATA_CHECK_FAILED),
    )

    assert result.exit_code == ExitCode.DATA_CHECK_FAILED


def test_exit_code_of_crash_beats_data_check() -> None:
    result = fleet_result(
        StoreResult("a", "/a", status="failed", exit_code=ExitCode.DATA_CHECK_FAILED),
        StoreResult("b", "/b", status="failed", exit_code=ExitCode.INTERNAL),
    )

    assert result.exit_code == ExitCode.INTERNAL


def test_summary_line_names_failed_stores() -> None:
    result = fleet_result(
        StoreResult("store-01", "/1", status="ok"),
        StoreResult(
            "store-07",
            "/7",
            status="failed",
            exit_code=ExitCode.BAD_INPUT,
            error="inbox/a.csv:2: invalid price 'x'; fix the file",
        ),
    )

    assert result.summary_line() == (
        "2 stores: 1 ok, 1 failed "
        "(store-07: bad input: inbox/a.csv:2: invalid price 'x'; fix the file)"
    )


def test_summary_line_shortens_many_failures() -> None:
    failed = [
        StoreResult(f"s{n}", f"/{n}", status="failed", exit_code=1, error="boom")
        for n in range(5)
    ]

    line = fleet_result(*failed).summary_line()

    assert line.endswith("s2: internal error: boom; 2 more in the manifest)")


def test_fleet_without_ray_names_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_store(tmp_path / "one")
    # A None entry in sys.modules makes `import ray` raise ImportError.
    monkeypatch.setitem(sys.modules, "ray", None)

    outcome = CliRunner().invoke(app, ["fleet", "nightly", "--stores", str(tmp_path)])

    assert outcome.exit_code != 0
    assert isinstance(outcome.exception, UsageError)
    assert "pip install -e '.[fleet]'" in str(outcome.exception)
