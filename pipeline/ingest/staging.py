"""The staging layer: every writer of purchases fills temp tables, then commits them.

A writer calls `create_staging_tables`, inserts rows into `stage_purchases`,
`stage_lines` and the entity tables `stage_<table>` on the store's connection, and
calls `commit_staged`. That function validates everything staged in SQL and writes
it in one DuckLake transaction, or raises BadInputError and writes nothing.

Every staging table has the columns `source_file` and `source_line`: readers fill
them with the file path and the 1-based line (the row number for Parquet), so errors
name where each offending row came from. Writers that read no file leave them null.
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
# Number of offending rows that an error message lists before "and N more".
LISTED_VALUES = 5
SOURCE_COLUMNS = ("source_file", "source_line")
MISSING_FIX = "fill the missing fields in the file"
NEGATIVE_FIX = (
    "refunds and cancellations are deletions, not negative amounts: leave the row "
    "out and remove the refunded purchase with storepipe delete"
)
# Macros that define content_hash, shared by every writer of purchases.
HASH_MACROS = (
    "ingest/purchase_line_md5",
    "ingest/purchase_lines_digest",
    "ingest/purchase_content_hash",
)


def create_staging_tables(con: duckdb.DuckDBPyConnection, amount_scale: int) -> None:
    """Create the empty staging temp tables on a store connection, replacing old ones.

    `stage_purchases` and `stage_lines` have the columns that writers fill; each
    `stage_<table>` of ENTITY_KEYS has the columns of the lake table of that name,
    followed by the source columns.
    """
    for name in ("stage_purchases", "stage_lines"):
        con.execute(schema_statement(f"ingest/{name}", amount_scale))
    for table in ENTITY_KEYS:
        # Table names come from ENTITY_KEYS, never from input.
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE stage_{table} AS "
            "SELECT *, NULL::VARCHAR AS source_file, NULL::BIGINT AS source_line "
            f"FROM lake.{table} LIMIT 0"
        )


def create_hash_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the temp macros that compute a purchase's content_hash."""
    for name in HASH_MACROS:
        con.execute(load_sql(name))


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
        missing_names = ", ".join(
            f"CASE WHEN {column} IS NULL THEN '{column}' END" for column in required
        )
        _raise_problems(
            con,
            f"SELECT source_file, source_line, '{table} row ' || {key_text} "
            f"|| ': missing ' || concat_ws(', ', {missing_names}) AS problem "
            f"FROM stage_{table} WHERE {missing}",
            [],
            f"fill the required fields of {table} ({', '.join(required)})",
        )
        # The last copy of a repeated key is the one to remove or merge.
        _raise_problems(
            con,
            f"SELECT arg_max(source_file, rowid) AS source_file, "
            f"arg_max(source_line, rowid) AS source_line, "
            f"'{table} key ' || {key_text} || ' repeated (' || count(*) || ' rows)' "
            f"AS problem FROM stage_{table} GROUP BY {', '.join(keys)} "
            f"HAVING count(*) > 1",
            [],
            "keep one row per key",
        )
    _raise_problems(
        con,
        load_sql("ingest/check_related_limit"),
        [MAX_RELATED_PRODUCTS],
        f"keep at most {MAX_RELATED_PRODUCTS} related products per product",
    )
    _raise_problems(
        con,
        load_sql("ingest/check_cart_status"),
        [],
        "use the status active, abandoned or purchased",
    )
    _raise_problems(
        con,
        load_sql("ingest/check_product_prices"),
        [],
        "give unit prices of zero or more",
    )


def _prepare_purchases(
    con: duckdb.DuckDBPyConnection, non_merchandise: list[str]
) -> None:
    """Validate the staged purchases and build the temp tables that `_write` reads."""
    # Lines first: a negative line amount is the cause of a negative total.
    fixes = {"missing": MISSING_FIX, "negative": NEGATIVE_FIX}
    _raise_problems(con, load_sql("ingest/check_line_fields"), [], fixes)
    _raise_problems(con, load_sql("ingest/check_purchase_fields"), [], fixes)

    # Remove identical duplicates, then reject the ones that differ.
    create_hash_macros(con)
    con.execute(load_sql("ingest/ingest_lines"))
    con.execute(load_sql("ingest/ingest_purchases"))
    _raise_located_problems(
        con,
        "conflicting_purchases",
        "keep one version of each purchase",
    )
    _raise_located_problems(
        con,
        "conflicting_lines",
        "keep one version of each purchase line",
    )
    _raise_located_problems(
        con,
        "orphan_lines",
        "give each purchase together with its lines",
    )

    # Compare with the live purchases and resolve ids of what is new.
    con.execute(load_sql("ingest/ingest_classified"))
    _raise_located_problems(
        con,
        "changed_purchases",
        "delete the purchase first to replace it, or import the content that was "
        "imported before",
    )
    con.execute(load_sql("ingest/ingest_contact_emails"))
    con.execute(load_sql("ingest/ingest_new_purchases"))
    con.execute(load_sql("ingest/ingest_new_contacts"))
    con.execute(load_sql("ingest/ingest_new_products"), [non_merchandise])

    # Keep only the entity rows that add or change something.
    for table in ENTITY_KEYS:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE ingest_changed_{table} AS "
            f"SELECT * EXCLUDE ({', '.join(SOURCE_COLUMNS)}) FROM stage_{table} "
            f"EXCEPT SELECT * FROM lake.{table}"
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


def _raise_located_problems(
    con: duckdb.DuckDBPyConnection, check: str, fix: str
) -> None:
    """Raise BadInputError if `check_<check>.sql` returns purchase ids.

    The check reads the deduplicated tables, which lack the source columns, so only
    when it finds ids does `locate_<check>.sql` scan the staging tables for where
    they were read. Valid input pays for no extra scan.
    """
    ids = [row[0] for row in con.execute(load_sql(f"ingest/check_{check}")).fetchall()]
    if ids:
        _raise_problems(con, load_sql(f"ingest/locate_{check}"), [ids], fix)


def _raise_problems(
    con: duckdb.DuckDBPyConnection,
    query: str,
    parameters: list[object],
    fix: str | dict[str, str],
) -> None:
    """Raise BadInputError for the first rows that `query` returns, with the fix.

    `query` returns `source_file`, `source_line` and `problem`, and also `kind` when
    `fix` maps kinds to fixes, in which case only rows of the first kind are listed.
    The message reads "<file> line <n>: <problem>, ... and 7 more (10 in all); <fix>".
    """
    if not isinstance(fix, dict):
        query = f"SELECT *, '' AS kind FROM ({query})"
    rows = con.execute(
        "SELECT count(*) OVER (PARTITION BY kind) AS total, kind, "
        f"source_file, source_line, problem FROM ({query}) "
        f"ORDER BY kind, source_file, source_line, problem LIMIT {LISTED_VALUES}",
        parameters,
    ).fetchall()
    if not rows:
        return
    total, first_kind = int(rows[0][0]), rows[0][1]
    listed_rows = [row for row in rows if row[1] == first_kind]
    listed = ", ".join(
        _located(file, line, str(problem)) for _, _, file, line, problem in listed_rows
    )
    if total > len(listed_rows):
        listed += f" and {total - len(listed_rows)} more ({total} in all)"
    fix_text = fix[first_kind] if isinstance(fix, dict) else fix
    raise BadInputError(f"{listed}; {fix_text}")


def _located(source_file: str | None, source_line: int | None, problem: str) -> str:
    """Prefix `problem` with its file and line, or its row for a Parquet file."""
    if source_file is None:
        return problem
    if source_line is None:
        return f"{source_file}: {problem}"
    # NOTE: the unit follows the file name, so Parquet read under another extension
    # with --format parquet is reported by "line".
    unit = "row" if source_file.lower().endswith(".parquet") else "line"
    return f"{source_file} {unit} {source_line}: {problem}"
