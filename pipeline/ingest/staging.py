"""The staging layer: every writer of purchases fills temp tables, then commits them.

A writer calls `create_staging_tables`, inserts rows into `stage_purchases`,
`stage_lines` and the entity tables `stage_<table>` on the store's connection, and
calls `commit_staged`. That function validates everything staged in SQL and writes
it in one DuckLake transaction, or raises BadInputError and writes nothing.
"""

from __future__ import annotations

import logging

import duckdb

from pipeline.errors import BadInputError
from pipeline.runs import RunRecord
from pipeline.sqlfiles import load_sql
from pipeline.store import Store, schema_statement

log = logging.getLogger(__name__)

# Entity tables that files upsert, with their key columns.
ENTITY_KEYS: dict[str, tuple[str, ...]] = {
    "contacts": ("contact_id",),
    "products": ("product_id",),
    "carts": ("cart_id",),
    "related_products": ("product_id", "related_product_id"),
    "workflow_activity": ("event_id",),
}
MAX_RELATED_PRODUCTS = 40
# Number of offending values that an error message lists before "and N more".
LISTED_VALUES = 5


def create_staging_tables(con: duckdb.DuckDBPyConnection, amount_scale: int) -> None:
    """Create the empty staging temp tables on a store connection, replacing old ones.

    `stage_purchases` and `stage_lines` have the columns that writers fill; each
    `stage_<table>` of ENTITY_KEYS has the columns of the lake table of that name.
    """
    for name in ("stage_purchases", "stage_lines"):
        con.execute(schema_statement(f"ingest/{name}", amount_scale))
    for table in ENTITY_KEYS:
        # Table names come from ENTITY_KEYS, never from input.
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE stage_{table} AS "
            f"SELECT * FROM lake.{table} LIMIT 0"
        )


def commit_staged(store: Store, record: RunRecord) -> dict[str, int]:
    """Validate the staged rows and write them in one commit; return the counts.

    Purchases already live with the same content are skipped, and when nothing is
    new at all no commit is made. Raises BadInputError, with nothing written, on
    invalid or conflicting input.
    """
    con = store.con
    with record.step("stage.validate"):
        _check_entities(con)
        _prepare_purchases(con, store.settings.store.non_merchandise)
        counts = _count_changes(con)
    record.counts.update({f"import.{key}": value for key, value in counts.items()})

    writes = sum(value for key, value in counts.items() if key != "purchases_unchanged")
    if writes == 0:
        log.info("nothing new to import: %s", counts)
        return counts

    with record.step("stage.write"), store.transaction():
        _write(con)
    log.info("imported in snapshot %d: %s", store.snapshot_id(), counts)
    return counts


def _check_entities(con: duckdb.DuckDBPyConnection) -> None:
    """Reject staged entity rows with missing fields, repeated keys or bad values."""
    for table, keys in ENTITY_KEYS.items():
        required = [
            row[0]
            for row in con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_catalog = 'lake' AND table_name = ? "
                "AND is_nullable = 'NO' ORDER BY ordinal_position",
                [table],
            ).fetchall()
        ]
        key_text = " || '/' || ".join(f"coalesce({key}, '(missing)')" for key in keys)
        # Column names come from the lake's schema and ENTITY_KEYS, never from input.
        missing = " OR ".join(f"{column} IS NULL" for column in required)
        _raise_problems(
            con,
            f"SELECT {key_text} AS problem FROM stage_{table} WHERE {missing}",
            [],
            f"{table} rows without a required field ({', '.join(required)})",
            "fill those fields in the file",
        )
        _raise_problems(
            con,
            f"SELECT {key_text} AS problem FROM stage_{table} "
            f"GROUP BY ALL HAVING count(*) > 1",
            [],
            f"{table} keys repeated in the input",
            "keep one row per key",
        )
    _raise_problems(
        con,
        load_sql("ingest/check_related_limit"),
        [MAX_RELATED_PRODUCTS],
        f"products with more than {MAX_RELATED_PRODUCTS} related products",
        f"keep at most {MAX_RELATED_PRODUCTS} related products per product",
    )
    _raise_problems(
        con,
        load_sql("ingest/check_cart_status"),
        [],
        "carts with an invalid status",
        "use active, abandoned or purchased",
    )
    _raise_problems(
        con,
        load_sql("ingest/check_product_prices"),
        [],
        "products with a negative unit price",
        "prices are zero or more",
    )


def _prepare_purchases(
    con: duckdb.DuckDBPyConnection, non_merchandise: list[str]
) -> None:
    """Validate the staged purchases and build the temp tables that `_write` reads."""
    _raise_problems(
        con,
        load_sql("ingest/check_purchase_fields"),
        [],
        "invalid purchases",
        "fill the missing fields; refunds and cancellations are deletions, "
        "not negative amounts",
    )
    _raise_problems(
        con,
        load_sql("ingest/check_line_fields"),
        [],
        "invalid purchase lines",
        "fill the missing fields; refunds and cancellations are deletions, "
        "not negative amounts",
    )

    # Remove identical duplicates, then reject the ones that differ.
    con.execute(load_sql("ingest/ingest_lines"))
    con.execute(load_sql("ingest/ingest_purchases"))
    _raise_problems(
        con,
        load_sql("ingest/check_conflicting_purchases"),
        [],
        "purchase ids given more than once with different content",
        "keep one version of each purchase",
    )
    _raise_problems(
        con,
        load_sql("ingest/check_conflicting_lines"),
        [],
        "purchase lines given more than once with different content",
        "keep one version of each line",
    )
    _raise_problems(
        con,
        load_sql("ingest/check_orphan_lines"),
        [],
        "lines of purchase ids that are not in the input",
        "give each purchase with its lines",
    )

    # Compare with the live purchases and resolve ids of what is new.
    con.execute(load_sql("ingest/ingest_classified"))
    _raise_problems(
        con,
        load_sql("ingest/check_changed_purchases"),
        [],
        "purchase ids already imported with different content",
        "delete those purchases first to replace them, or import the content "
        "that was imported before",
    )
    con.execute(load_sql("ingest/ingest_contact_emails"))
    con.execute(load_sql("ingest/ingest_new_purchases"))
    con.execute(load_sql("ingest/ingest_new_contacts"))
    con.execute(load_sql("ingest/ingest_new_products"), [non_merchandise])

    # Keep only the entity rows that add or change something.
    for table in ENTITY_KEYS:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE ingest_changed_{table} AS "
            f"SELECT * FROM stage_{table} EXCEPT SELECT * FROM lake.{table}"
        )


def _count_changes(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = {
        "purchases_new": _count(con, "ingest_new_purchases"),
        "purchases_unchanged": _count(
            con, "ingest_classified WHERE status = 'unchanged'"
        ),
        "lines_new": _count(
            con,
            "ingest_lines AS l SEMI JOIN ingest_new_purchases AS p "
            "ON p.purchase_id = l.purchase_id",
        ),
        "contacts_created": _count(con, "ingest_new_contacts"),
        "products_created": _count(con, "ingest_new_products"),
    }
    for table in ENTITY_KEYS:
        counts[f"{table}_upserted"] = _count(con, f"ingest_changed_{table}")
    return counts


def _write(con: duckdb.DuckDBPyConnection) -> None:
    """Upsert the changed entity rows and insert what is new; the caller commits."""
    for table, keys in ENTITY_KEYS.items():
        match = " AND ".join(f"t.{key} = c.{key}" for key in keys)
        con.execute(
            f"DELETE FROM lake.{table} AS t USING ingest_changed_{table} AS c "
            f"WHERE {match}"
        )
        con.execute(f"INSERT INTO lake.{table} SELECT * FROM ingest_changed_{table}")
    con.execute("INSERT INTO lake.contacts BY NAME SELECT * FROM ingest_new_contacts")
    con.execute("INSERT INTO lake.products BY NAME SELECT * FROM ingest_new_products")
    con.execute(load_sql("ingest/insert_purchases"))
    con.execute(load_sql("ingest/insert_purchase_lines"))


def _count(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {relation}").fetchone()
    return int(row[0]) if row else 0


def _raise_problems(
    con: duckdb.DuckDBPyConnection,
    query: str,
    parameters: list[object],
    description: str,
    fix: str,
) -> None:
    """Raise BadInputError listing the first values of `query`'s `problem` column.

    The message reads "<description>: a, b, c and 7 more (10 in all); <fix>".
    """
    rows = con.execute(
        f"SELECT count(*) OVER () AS total, problem FROM ({query}) "
        f"ORDER BY problem LIMIT {LISTED_VALUES}",
        parameters,
    ).fetchall()
    if not rows:
        return
    total = int(rows[0][0])
    listed = ", ".join(str(row[1]) for row in rows)
    if total > len(rows):
        listed += f" and {total - len(rows)} more ({total} in all)"
    raise BadInputError(f"{description}: {listed}; {fix}")
