"""Generated stores shared by the generator tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.generate import GeneratorSpec, generate_store
from pipeline.runs import recorded_run
from pipeline.store import Store

# Small enough to generate in about a second, in three chunks so chunking runs.
SMALL_SPEC = GeneratorSpec(
    contacts=2_000, purchases=6_000, seed=11, chunk_purchases=2_500
)


def generate_into(path: Path, spec: GeneratorSpec) -> Path:
    """Create a store at `path` and generate `spec` into it."""
    Store.create(path)
    with Store.open(path, command="test generate") as store:
        with recorded_run(store.path, "test generate") as record:
            generate_store(store, spec, record)
    return path


def fetch(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Return the rows of a read-only query on a store."""
    with Store.open(path, write=False) as store:
        return store.con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a store generated from SMALL_SPEC, shared by a module's tests."""
    return generate_into(tmp_path_factory.mktemp("generated") / "store", SMALL_SPEC)
