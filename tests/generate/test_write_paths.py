"""The generator's direct write path stores what the validated import path stores."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline.generate import GeneratorSpec, generate_chunks
from pipeline.generate.write import _purchase_numbers, stage_chunk, write_chunk
from pipeline.runs import recorded_run
from pipeline.store import Store
from tests.generate.conftest import TABLE_QUERIES, fetch, generate_into

# Three chunks, so internal ids continue across commits, with a few anonymous buyers.
SPEC = GeneratorSpec(contacts=400, purchases=1_200, seed=23, chunk_purchases=450)


def stage_into(path: Path, spec: GeneratorSpec) -> Path:
    """Create a store at `path` and commit each generated chunk like an import."""
    Store.create(path)
    with Store.open(path, command="test stage") as store:
        with recorded_run(store.path, "test stage") as record:
            for chunk in generate_chunks(spec, store.amount_scale):
                stage_chunk(store, chunk, record)
    return path


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return a store written directly and one written through commit_staged."""
    folder = tmp_path_factory.mktemp("paths")
    return generate_into(folder / "direct", SPEC), stage_into(folder / "staged", SPEC)


@pytest.mark.parametrize("table", list(TABLE_QUERIES))
def test_direct_write_equals_staged(stores: tuple[Path, Path], table: str) -> None:
    direct, staged = stores
    direct_rows = fetch(direct, TABLE_QUERIES[table])
    staged_rows = fetch(staged, TABLE_QUERIES[table])
    assert direct_rows
    assert len(direct_rows) == len(staged_rows)
    assert direct_rows == staged_rows


def test_direct_write_commits_per_chunk(stores: tuple[Path, Path]) -> None:
    direct, _ = stores
    [(commits,)] = fetch(
        direct,
        "SELECT count(*) FROM snapshots() "
        "WHERE map_contains(changes, 'tables_inserted_into')",
    )
    assert commits == 3


def test_direct_write_records_steps(stores: tuple[Path, Path]) -> None:
    direct, _ = stores
    [manifest_path] = (direct / "runs").glob("*/manifest.json")
    timings = json.loads(manifest_path.read_text())["timings"]
    steps = ["generate.draw", "generate.ids", "generate.insert_purchases"]
    steps += ["generate.insert_lines", "generate.insert_entities"]
    for step in steps:
        assert step in timings, step
    assert "generate.total" in timings
    assert "stage.validate" not in timings


def test_direct_write_rejects_emails(tmp_path: Path) -> None:
    Store.create(tmp_path / "store")
    chunk = next(generate_chunks(SPEC, amount_scale=2))
    [purchases] = chunk.tables["stage_purchases"]
    emails = pa.array(["a@example.com"] * purchases.num_rows, pa.string())
    index = purchases.schema.get_field_index("contact_email")
    chunk.tables["stage_purchases"] = [
        purchases.set_column(index, "contact_email", emails)
    ]
    with Store.open(tmp_path / "store", command="test write") as store:
        before = store.snapshot_id()
        with recorded_run(store.path, "test write") as record:
            with pytest.raises(
                ValueError, match="chunk 0 has purchases with a contact"
            ):
                write_chunk(store, chunk, record)
        assert store.snapshot_id() == before


def test_purchase_numbers_from_dictionary_or_values() -> None:
    purchase_ids = pa.array(["P2", "P1", "P3"])
    encoded = pa.DictionaryArray.from_arrays(
        pa.array([1, 1, 0, 2], pa.int32()), purchase_ids
    )
    plain = pa.array(["P1", "P1", "P2", "P3"])
    expected = [1, 1, 0, 2]
    numbers = _purchase_numbers(pa.table({"purchase_id": encoded}), purchase_ids)
    assert numbers.to_pylist() == expected
    numbers = _purchase_numbers(pa.table({"purchase_id": plain}), purchase_ids)
    assert numbers.to_pylist() == expected
