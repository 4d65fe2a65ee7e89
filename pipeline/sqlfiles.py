"""Access to the statements in `sql/`, one statement per file."""

from __future__ import annotations

import functools
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"


@functools.cache
def load_sql(name: str) -> str:
    """Return the text of `sql/<name>.sql`; `name` may include a folder."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def sql_names(folder: str) -> list[str]:
    """List the statement names in a folder of `sql/`, sorted."""
    return sorted(f"{folder}/{path.stem}" for path in (SQL_DIR / folder).glob("*.sql"))
