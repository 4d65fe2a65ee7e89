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

# Every table the generator writes, with an order that makes the rows comparable.
# imported_at is the time of the import, so it is left out.
TABLE_QUERIES = {
    "purchases": "SELECT * EXCLUDE (imported_at) FROM purchases ORDER BY internal_id",
    "purchase_lines": "SELECT * FROM purchase_lines ORDER BY internal_id, line_number",
    "contacts": "SELECT * FROM contacts ORDER BY contact_id",
    "products": "SELECT * FROM products ORDER BY product_id",
    "carts": "SELECT * FROM carts ORDER BY cart_id",
    "related_products": "SELECT * FROM related_products ORDER BY ALL",
    "workflow_activity": "SELECT * FROM workflow_activity ORDER BY event_id",
}


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
