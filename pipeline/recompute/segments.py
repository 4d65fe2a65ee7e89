"""Dynamic segments: membership from the store's SQL conditions, and who moved.

A segment condition is SQL text from the settings file, so it is placed into the
membership statement as text. Before that, each condition must parse as exactly one
expression in `SELECT 1 FROM segment_input WHERE (<condition>)` and bind there as a
BOOLEAN; anything else, such as a second statement, a UNION or an aggregate, raises
UsageError naming the segment.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

import duckdb

from pipeline.errors import UsageError
from pipeline.settings import SETTINGS_FILE, SegmentDefinition
from pipeline.sqlfiles import load_sql

if TYPE_CHECKING:
    from pipeline.recompute import RecomputeContext

log = logging.getLogger(__name__)

SEGMENT_QUERY_PREFIX = "SELECT 1 FROM segment_input WHERE ("
# Placeholder row for a store without segments, so the VALUES list is never empty.
NO_SEGMENTS_ROW = "(NULL::VARCHAR, false)"


def build_segments(ctx: RecomputeContext) -> None:
    """Build segment_input, out_segment_members and out_segment_changes."""
    con = ctx.con

    # Offer CLV columns from this run's predictions, or nulls without them.
    has_clv = con.execute(
        "SELECT count(*) FROM duckdb_tables() "
        "WHERE temporary AND table_name = 'out_clv'"
    ).fetchone()
    clv_view = "segment_clv" if has_clv and has_clv[0] else "segment_clv_absent"
    con.execute(load_sql(f"recompute/{clv_view}"))
    con.execute(load_sql("recompute/segment_input"))

    # Check every condition before any of them becomes SQL text.
    segments = ctx.settings.segments
    for segment in segments:
        check_condition(con, segment)

    # Evaluate every condition in one scan of segment_input.
    rows = [f"(?::VARCHAR, ({segment.condition}))" for segment in segments]
    statement = load_sql("recompute/segment_members").replace(
        "{segment_conditions}", ", ".join(rows) or NO_SEGMENTS_ROW
    )
    con.execute(statement, [segment.name for segment in segments])
    con.execute(load_sql("recompute/segment_changes"), {"run_id": ctx.run_id})
    log.info("evaluated %d dynamic segments", len(segments))


def check_condition(con: duckdb.DuckDBPyConnection, segment: SegmentDefinition) -> None:
    """Raise UsageError unless the condition is one boolean expression that binds."""
    problem = _parse_problem(con, segment.condition) or _bind_problem(
        con, segment.condition
    )
    if problem:
        raise UsageError(
            f"invalid condition {segment.condition!r} of segment {segment.name!r} "
            f"(setting `segments` in {SETTINGS_FILE}): {problem}; write one boolean "
            "SQL expression on the columns of segment_input, "
            "such as `total_purchases > 1`"
        )


def _parse_problem(con: duckdb.DuckDBPyConnection, condition: str) -> str | None:
    """Return why the condition is not a single expression, or None.

    The wrapped query's parse tree must equal that of the plain query apart from
    its WHERE clause, which rules out text that closes the parenthesis and adds a
    UNION, a GROUP BY, a LIMIT or another statement.
    """
    tree = _parse_tree(con, SEGMENT_QUERY_PREFIX + condition + ")")
    if tree.get("error"):
        return f"it does not parse ({tree.get('error_message', 'unknown error')})"
    statements = tree.get("statements", [])
    if len(statements) != 1:
        return "it must be one expression, not several statements"
    node = dict(statements[0]["node"])
    if node.pop("where_clause", None) is None:
        return "it must be one expression"
    reference = _parse_tree(con, "SELECT 1 FROM segment_input")["statements"][0]
    expected = dict(reference["node"])
    expected.pop("where_clause", None)
    if node != expected:
        return "it must be one expression, not a query that extends the WHERE clause"
    return None


def _bind_problem(con: duckdb.DuckDBPyConnection, condition: str) -> str | None:
    """Return why the condition does not bind as BOOLEAN on segment_input, or None."""
    # DESCRIBE binds the query without running it; the WHERE clause rejects
    # aggregates and window functions, which a select list would accept.
    query = f"DESCRIBE SELECT ({condition}) AS is_member FROM segment_input " + (
        f"WHERE ({condition})"
    )
    try:
        described = con.execute(query).fetchall()
    except duckdb.Error as exc:
        return str(exc).splitlines()[0]
    column_type = described[0][1]
    if column_type != "BOOLEAN":
        return f"it is of type {column_type}, not BOOLEAN"
    return None


def _parse_tree(con: duckdb.DuckDBPyConnection, query: str) -> dict[str, Any]:
    row = con.execute("SELECT json_serialize_sql(?)", [query]).fetchone()
    assert row is not None
    tree: dict[str, Any] = json.loads(row[0])
    return tree
