"""Stores repeat for a seed and differ across seeds, and invalid specs are rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import UsageError
from pipeline.generate import GeneratorSpec, generate_chunks, generate_store
from pipeline.runs import recorded_run
from pipeline.store import Store
from tests.generate.conftest import (
    SMALL_SPEC,
    TABLE_QUERIES,
    fetch,
    generate_into,
)


def test_same_seed_gives_same_tables(small_store: Path, tmp_path: Path) -> None:
    again = generate_into(tmp_path / "again", SMALL_SPEC)
    for table, query in TABLE_QUERIES.items():
        assert fetch(again, query) == fetch(small_store, query), table


def test_other_seed_gives_other_purchases(small_store: Path, tmp_path: Path) -> None:
    spec = GeneratorSpec(
        contacts=SMALL_SPEC.contacts,
        purchases=SMALL_SPEC.purchases,
        seed=SMALL_SPEC.seed + 1,
        chunk_purchases=SMALL_SPEC.chunk_purchases,
    )
    other = generate_into(tmp_path / "other", spec)
    for table in ("purchases", "purchase_lines", "carts"):
        query = TABLE_QUERIES[table]
        assert fetch(other, query) != fetch(small_store, query), table


def test_chunks_repeat_for_seed() -> None:
    spec = GeneratorSpec(contacts=300, purchases=900, seed=5, chunk_purchases=400)
    first = list(generate_chunks(spec, amount_scale=2))
    second = list(generate_chunks(spec, amount_scale=2))
    assert len(first) == 3
    for first_chunk, second_chunk in zip(first, second, strict=True):
        assert first_chunk.tables.keys() == second_chunk.tables.keys()
        for name, parts in first_chunk.tables.items():
            assert parts == second_chunk.tables[name], (first_chunk.number, name)


def test_amount_scale_three_keeps_prices() -> None:
    spec = GeneratorSpec(contacts=50, purchases=120, seed=3)
    [chunk] = generate_chunks(spec, amount_scale=3)
    prices = chunk.tables["stage_lines"][0].column("unit_price")
    assert prices.type.scale == 3
    assert all(price.as_py() >= 0 for price in prices)


def test_generate_rejects_store_with_purchases(small_store: Path) -> None:
    with Store.open(small_store, command="test generate") as store:
        with recorded_run(store.path, "test generate") as record:
            with pytest.raises(UsageError, match="already contains 6000 purchases"):
                generate_store(store, SMALL_SPEC, record)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contacts", 0, "invalid --contacts 0"),
        ("purchases", 0, "invalid --purchases 0"),
        ("seed", -1, "invalid --seed -1"),
        ("products", 1, "invalid --products 1"),
        ("anonymous_share", 1.5, "invalid anonymous_share 1.5"),
    ],
)
def test_invalid_spec_is_rejected(field: str, value: float, message: str) -> None:
    values = {"contacts": 10, "purchases": 20, field: value}
    spec = GeneratorSpec(**values)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match=message):
        spec.validate()
