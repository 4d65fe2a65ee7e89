"""Parsing and redaction of PostgreSQL catalog strings (no server needed)."""

from __future__ import annotations

import pytest

from pipeline.catalogs import REDACTED, is_postgres, parse_catalog, redact
from pipeline.errors import UsageError


def test_key_values_lose_password() -> None:
    catalog, password = parse_catalog(
        "postgres:dbname=lake host=db.example port=5432 user=etl password=s3cret"
    )
    assert password == "s3cret"
    assert catalog.ducklake_catalog == (
        "postgres:dbname=lake host=db.example port=5432 user=etl"
    )


def test_url_becomes_key_values() -> None:
    catalog, password = parse_catalog(
        "postgresql://etl:p%40ss@db.example:6543/lake?sslmode=require"
    )
    assert password == "p@ss"
    assert catalog.parameters == {
        "dbname": "lake",
        "host": "db.example",
        "port": "6543",
        "user": "etl",
        "sslmode": "require",
    }


def test_ducklake_prefix_is_accepted() -> None:
    catalog, password = parse_catalog("ducklake:postgres:dbname=lake")
    assert catalog.ducklake_catalog == "postgres:dbname=lake"
    assert password is None


def test_quoted_values_round_trip() -> None:
    catalog, password = parse_catalog(
        r"postgres:dbname='my lake' password='it\'s secret' application_name=x"
    )
    assert password == "it's secret"
    assert catalog.parameters["dbname"] == "my lake"
    assert catalog.ducklake_catalog == ("postgres:dbname='my lake' application_name=x")
    assert catalog.with_password("a b").endswith("password='a b'")


def test_missing_database_is_rejected() -> None:
    with pytest.raises(UsageError, match="names no database") as raised:
        parse_catalog("postgresql://etl:hunter2@db.example")
    assert "hunter2" not in str(raised.value)


def test_other_catalogs_are_rejected() -> None:
    with pytest.raises(UsageError, match="unsupported catalog"):
        parse_catalog("sqlite:lake.db")


def test_malformed_pairs_are_rejected() -> None:
    with pytest.raises(UsageError, match="key=value") as raised:
        parse_catalog("postgres:dbname=lake password='unclosed")
    assert "unclosed" not in str(raised.value)


def test_is_postgres_recognises_forms() -> None:
    assert is_postgres("postgres:dbname=lake")
    assert is_postgres("ducklake:postgres:dbname=lake")
    assert is_postgres("postgresql://h/lake")
    assert is_postgres("POSTGRES://h/lake")
    assert not is_postgres("/stores/a/catalog.ducklake")


def test_redact_hides_every_form() -> None:
    message = (
        'failed at "dbname=lake password=s3cret" and '
        "postgresql://etl:other@db/lake with 'verbatim-pw' quoted"
    )
    redacted = redact(message, "verbatim-pw")
    assert "s3cret" not in redacted
    assert "other" not in redacted
    assert "verbatim-pw" not in redacted
    assert redacted.count(REDACTED) == 3
