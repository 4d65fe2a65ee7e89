"""Writers of generated chunks: straight into the lake, or through the staging layer.

`write_chunk` is the generator's write path. It skips the checks of `commit_staged`,
which guard against input that the generator never produces, and writes the same
rows. `stage_chunk` sends a chunk through `commit_staged` like an import does.
"""

from __future__ import annotations

import logging

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.generate.chunk import StagedChunk
from pipeline.ingest.staging import (
    commit_staged,
    create_hash_macros,
    create_staging_tables,
)
from pipeline.runs import RunRecord
from pipeline.sqlfiles import load_sql
from pipeline.store import Store

log = logging.getLogger(__name__)

# Lake tables that take generated rows as they are, by the chunk's staging name.
ENTITY_TABLES = {
    "stage_contacts": "contacts",
    "stage_products": "products",
    "stage_carts": "carts",
    "stage_related_products": "related_products",
    "stage_workflow_activity": "workflow_activity",
}


def write_chunk(store: Store, chunk: StagedChunk, record: RunRecord) -> None:
    """Insert a generated chunk into the lake tables in one DuckLake commit.

    The caller must have checked that the store held no purchases before the first
    chunk. Within that contract the rows equal what `commit_staged` writes for the
    same chunk: the content_hash comes from the same macros, internal ids follow
    the same rule, and entity rows are inserted as drawn because their keys are
    unique by construction. Raises ValueError if a purchase has a contact email,
    which the import would have to resolve to a contact.
    """
    _check_generated(chunk)
    con = store.con
    views = _register(con, chunk)
    try:
        with record.step("generate.ids"):
            con.execute(load_sql("ingest/generated_new_purchases"))
        with store.transaction():
            with record.step("generate.insert_purchases"):
                create_hash_macros(con)
                con.execute(load_sql("ingest/insert_generated_purchases"))
            with record.step("generate.insert_lines"):
                con.execute(load_sql("ingest/insert_generated_lines"))
            with record.step("generate.insert_entities"):
                _insert_entities(con, chunk)
    finally:
        for view in views:
            con.unregister(view)
    log.info(
        "chunk %d written: %d purchases, %d lines",
        chunk.number,
        chunk.purchases,
        chunk.lines,
    )


def stage_chunk(store: Store, chunk: StagedChunk, record: RunRecord) -> None:
    """Stage a chunk's tables and commit them through `commit_staged`.

    This is how an import writes, with every check, so it is slower than
    `write_chunk`.
    """
    con = store.con
    create_staging_tables(con, store.amount_scale)
    for name, parts in chunk.tables.items():
        view = f"generated_{name}"
        for part in parts:
            # The names come from generate_chunks, never from input.
            con.register(view, part)
            try:
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM {view}")
            finally:
                con.unregister(view)
    counts = commit_staged(store, record)
    log.info(
        "chunk %d committed: %d purchases, %d lines",
        chunk.number,
        counts.get("purchases_new", 0),
        counts.get("lines_new", 0),
    )


def _check_generated(chunk: StagedChunk) -> None:
    for part in chunk.tables["stage_purchases"]:
        emails = part.column("contact_email")
        if emails.null_count != len(emails):
            raise ValueError(
                f"chunk {chunk.number} has purchases with a contact email; "
                "write it with stage_chunk, which resolves emails to contacts"
            )


def _register(con: duckdb.DuckDBPyConnection, chunk: StagedChunk) -> list[str]:
    """Register the purchases and lines of a chunk as views and return their names.

    Both views get a `purchase_number` column, the purchase's position in the chunk,
    so that SQL groups and joins lines on an integer instead of the purchase id.
    """
    purchases = pa.concat_tables(chunk.tables["stage_purchases"])
    lines = pa.concat_tables(chunk.tables["stage_lines"])
    purchase_ids = purchases.column("purchase_id").combine_chunks()
    numbers = pa.array(np.arange(purchases.num_rows, dtype=np.int32))
    line_numbers = _purchase_numbers(lines, purchase_ids)
    views = {
        "generated_purchases": purchases.append_column("purchase_number", numbers),
        "generated_lines": lines.append_column(
            "purchase_number", line_numbers
        ).append_column("repeats_product", _repeats_product(line_numbers, lines)),
    }
    for view, table in views.items():
        con.register(view, table)
    return list(views)


def _purchase_numbers(lines: pa.Table, purchase_ids: pa.Array) -> pa.Array:
    """Return the position in `purchase_ids` of each line's purchase id.

    The generator encodes a line's purchase id as a dictionary index into the
    chunk's purchase ids, so the indices are the positions. Other tables are looked
    up by value.
    """
    line_ids = lines.column("purchase_id").combine_chunks()
    if isinstance(line_ids, pa.DictionaryArray) and line_ids.dictionary.equals(
        purchase_ids
    ):
        return line_ids.indices
    return pc.index_in(line_ids.cast(pa.string()), value_set=purchase_ids)


def _repeats_product(purchase_numbers: pa.Array, lines: pa.Table) -> pa.Array:
    """Flag each line whose product is already on an earlier line of its purchase.

    The generator writes a purchase's lines in line-number order, so the first
    occurrence of a (purchase, product) pair in the table is the one not flagged.
    """
    products = lines.column("product_id").combine_chunks()
    if not isinstance(products, pa.DictionaryArray):
        products = products.dictionary_encode()
    product_codes = products.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    purchases = purchase_numbers.to_numpy(zero_copy_only=False).astype(np.int64)
    pairs = purchases * len(products.dictionary) + product_codes
    _, first = np.unique(pairs, return_index=True)
    repeats = np.ones(len(pairs), dtype=bool)
    repeats[first] = False
    return pa.array(repeats)


def _insert_entities(con: duckdb.DuckDBPyConnection, chunk: StagedChunk) -> None:
    for name, table in ENTITY_TABLES.items():
        for part in chunk.tables.get(name, []):
            view = f"generated_{table}"
            con.register(view, part)
            try:
                # Table and view names come from ENTITY_TABLES, never from input.
                con.execute(f"INSERT INTO lake.{table} BY NAME SELECT * FROM {view}")
            finally:
                con.unregister(view)
