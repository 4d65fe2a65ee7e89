"""Stores whose DuckLake catalog lives in a real PostgreSQL server.

The server comes from STOREPIPE_TEST_PG_DSN (libpq key/value pairs, without a
password) and STOREPIPE_TEST_PG_PASSWORD; `.ci/postgres.sh` starts one. Each test
gets its own database.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipeline.catalogs import parse_catalog
from pipeline.errors import ExitCode
from pipeline.store import Store, connect, load_extension
from tests.reliability.helpers import run_cli, snapshot_id
from tests.reliability.test_crash_safety import write_purchases

pytestmark = pytest.mark.postgres


@dataclass
class PostgresDatabase:
    """A fresh database on the test server: its connection pairs and password."""

    parameters: dict[str, str]
    password: str | None

    @property
    def key_values(self) -> str:
        return " ".join(f"{key}={value}" for key, value in self.parameters.items())

    def url(self, password: str | None) -> str:
        login = self.parameters.get("user", "")
        if password:
            login += f":{password}"
        host = self.parameters.get("host", "127.0.0.1")
        port = self.parameters.get("port", "5432")
        return f"postgresql://{login}@{host}:{port}/{self.parameters['dbname']}"

    @property
    def env(self) -> dict[str, str]:
        return {"PGPASSWORD": self.password} if self.password else {}


def _server_connection(dsn: str, password: str | None) -> duckdb.DuckDBPyConnection:
    con = connect()
    load_extension(con, "postgres")
    parameters, _ = parse_catalog("postgres:" + dsn)
    conninfo = parameters.with_password(password).removeprefix("postgres:")
    try:
        con.execute(f"ATTACH '{conninfo}' AS server (TYPE postgres)")
    except duckdb.Error as exc:
        con.close()
        pytest.skip(f"PostgreSQL server at {dsn} is not reachable: {exc}")
    return con


@pytest.fixture
def database() -> Iterator[PostgresDatabase]:
    """Create an empty database on the test server and drop it afterwards."""
    dsn = os.environ.get("STOREPIPE_TEST_PG_DSN")
    if not dsn:
        pytest.skip(
            "STOREPIPE_TEST_PG_DSN is not set; start a server with "
            "`source .ci/postgres.sh && start_postgres`"
        )
    password = os.environ.get("STOREPIPE_TEST_PG_PASSWORD")
    name = f"storepipe_test_{secrets.token_hex(4)}"
    con = _server_connection(dsn, password)
    try:
        con.execute(
            "CALL postgres_execute('server', ?, use_transaction := false)",
            [f"CREATE DATABASE {name}"],
        )
        parameters, _ = parse_catalog("postgres:" + dsn)
        yield PostgresDatabase({**parameters.parameters, "dbname": name}, password)
        con.execute(
            "CALL postgres_execute('server', ?, use_transaction := false)",
            [f"DROP DATABASE {name} WITH (FORCE)"],
        )
    finally:
        con.close()


def requires_password(database: PostgresDatabase) -> None:
    """Skip unless the server rejects connections without a password."""
    con = connect()
    load_extension(con, "postgres")
    try:
        con.execute(f"ATTACH '{database.key_values}' AS probe (TYPE postgres)")
    except duckdb.Error:
        return
    finally:
        con.close()
    pytest.skip("the test server accepts connections without a password")


def no_password_env(tmp_path: Path) -> dict[str, str]:
    """Return an environment in which libpq finds no password anywhere."""
    return {
        "PGPASSWORD": "",
        "PGPASSFILE": str(tmp_path / "absent.pgpass"),
        "HOME": str(tmp_path),
    }


def files_containing(root: Path, text: str) -> list[Path]:
    """Return the files under `root` whose bytes contain `text`."""
    needle = text.encode()
    return [
        path
        for path in root.rglob("*")
        if path.is_file() and needle in path.read_bytes()
    ]


def test_commands_run_on_postgres_catalog(
    database: PostgresDatabase, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    env = database.env
    init = run_cli(
        "init", "--catalog", f"postgres:{database.key_values}", store=store, env=env
    )
    assert init.returncode == 0, init.stderr
    purchases = tmp_path / "purchases.jsonl"
    write_purchases(purchases, 30, ["SKU1", "SKU2", "SKU3"])

    imported = run_cli("import", str(purchases), store=store, env=env)
    assert imported.returncode == 0, imported.stderr
    deleted = run_cli("delete", "K000000", "K000001", "--force", store=store, env=env)
    assert deleted.returncode == 0, deleted.stderr
    recomputed = run_cli("recompute", "--as-of", "2026-01-01", store=store, env=env)
    assert recomputed.returncode == 0, recomputed.stderr
    queried = run_cli(
        "query",
        "--format",
        "csv",
        "SELECT sum(total_purchases) FROM contact_metrics",
        store=store,
        env=env,
    )

    assert queried.returncode == 0, queried.stderr
    assert queried.stdout.strip().splitlines() == ["sum(total_purchases)", "28"]
    assert not (store / "catalog.ducklake").exists()
    assert not (store / "published" / "catalog.ducklake").exists()


def test_url_password_is_never_written(
    database: PostgresDatabase, tmp_path: Path
) -> None:
    requires_password(database)
    assert database.password
    store = tmp_path / "store"
    init = run_cli(
        "init",
        "--catalog",
        database.url(database.password),
        store=store,
        env=no_password_env(tmp_path),
    )
    assert init.returncode == 0, init.stderr
    assert "PGPASSWORD" in init.stderr
    recomputed = run_cli("recompute", store=store, env=database.env)
    assert recomputed.returncode == 0, recomputed.stderr

    catalog = (store / "catalog.json").read_text()
    assert "password" not in catalog
    assert files_containing(store, database.password) == []


def test_missing_password_names_pgpassword(
    database: PostgresDatabase, tmp_path: Path
) -> None:
    requires_password(database)
    store = tmp_path / "store"
    Store.create(store, catalog=database.url(database.password))

    result = run_cli("recompute", store=store, env=no_password_env(tmp_path))

    assert result.returncode == ExitCode.USAGE
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "needs a password" in result.stderr
    assert "PGPASSWORD" in result.stderr
    assert "~/.pgpass" in result.stderr


def test_wrong_password_is_redacted(database: PostgresDatabase, tmp_path: Path) -> None:
    requires_password(database)
    store = tmp_path / "store"
    Store.create(store, catalog=database.url(database.password))
    wrong = "wrong-" + secrets.token_hex(4)

    result = run_cli("recompute", store=store, env={"PGPASSWORD": wrong})

    assert result.returncode == ExitCode.USAGE
    assert "rejected the password" in result.stderr
    assert wrong not in result.stderr
    assert files_containing(store, wrong) == []


def test_pgpass_file_supplies_password(
    database: PostgresDatabase, tmp_path: Path
) -> None:
    requires_password(database)
    assert database.password
    store = tmp_path / "store"
    Store.create(store, catalog=database.url(database.password))
    password_file = tmp_path / "pgpass"
    password_file.write_text(f"*:*:*:*:{database.password}\n")
    password_file.chmod(0o600)
    env = {**no_password_env(tmp_path), "PGPASSFILE": str(password_file)}

    result = run_cli("recompute", store=store, env=env)

    assert result.returncode == 0, result.stderr


def test_query_reads_while_writer_holds_lock(
    database: PostgresDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    Store.create(store, catalog=database.url(database.password))
    if database.password:
        monkeypatch.setenv("PGPASSWORD", database.password)
    before = snapshot_id(store)

    with Store.open(store, command="held by the test"):
        result = run_cli("query", "SELECT count(*) FROM purchases", store=store)

    assert result.returncode == 0, result.stderr
    assert snapshot_id(store) == before


def test_second_store_in_same_database_is_rejected(
    database: PostgresDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database.password:
        monkeypatch.setenv("PGPASSWORD", database.password)
    Store.create(tmp_path / "first", catalog=f"postgres:{database.key_values}")

    result = run_cli(
        "init",
        "--catalog",
        f"postgres:{database.key_values}",
        store=tmp_path / "second",
    )

    assert result.returncode == ExitCode.USAGE
    assert "own PostgreSQL database" in result.stderr
    assert not (tmp_path / "second" / "storepipe.toml").exists()
