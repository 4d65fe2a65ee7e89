"""A fleet run from the command line over stores whose catalogs live in PostgreSQL.

The server comes from STOREPIPE_TEST_PG_DSN (libpq key/value pairs, without a
password) and STOREPIPE_TEST_PG_PASSWORD. The script `.ci/postgres.sh` starts one
on the loopback address. The command runs in a subprocess, so it starts its own local
Ray instance, and its workers find the password in PGPASSWORD.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipeline.catalogs import parse_catalog
from pipeline.generate import GeneratorSpec, generate_store
from pipeline.runs import recorded_run
from pipeline.store import Store, connect, load_extension
from tests.fleet.conftest import AS_OF
from tests.rows import table_rows

pytestmark = [pytest.mark.fleet, pytest.mark.postgres]

STORE_COUNT = 2


@pytest.fixture
def catalogs() -> Iterator[tuple[list[str], str | None]]:
    """Create STORE_COUNT empty databases, and yield their catalogs and the password."""
    pytest.importorskip(
        "ray", reason="Ray is not installed; run pip install -e '.[fleet]'"
    )
    dsn = os.environ.get("STOREPIPE_TEST_PG_DSN")
    if not dsn:
        pytest.skip(
            "STOREPIPE_TEST_PG_DSN is not set; start a server with "
            "`source .ci/postgres.sh && start_postgres`"
        )

    password = os.environ.get("STOREPIPE_TEST_PG_PASSWORD")
    parameters, _ = parse_catalog("postgres:" + dsn)
    con = connect()
    load_extension(con, "postgres")
    conninfo = parameters.with_password(password).removeprefix("postgres:")
    try:
        con.execute(f"ATTACH '{conninfo}' AS server (TYPE postgres)")
    except duckdb.Error as exc:
        con.close()
        pytest.skip(f"PostgreSQL server at {dsn} is not reachable: {exc}")

    names = [f"storepipe_fleet_{secrets.token_hex(4)}" for _ in range(STORE_COUNT)]
    try:
        for name in names:
            con.execute(
                "CALL postgres_execute('server', ?, use_transaction := false)",
                [f"CREATE DATABASE {name}"],
            )
        yield (
            [catalog_string(parameters.parameters, name) for name in names],
            password,
        )
    finally:
        for name in names:
            con.execute(
                "CALL postgres_execute('server', ?, use_transaction := false)",
                [f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            )
        con.close()


def catalog_string(parameters: dict[str, str], dbname: str) -> str:
    """Return the `postgres:` catalog of database `dbname` on the test server."""
    pairs = {**parameters, "dbname": dbname}
    return "postgres:" + " ".join(f"{key}={value}" for key, value in pairs.items())


def test_fleet_cli_runs_postgres_catalog_stores(
    catalogs: tuple[list[str], str | None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalog_strings, password = catalogs
    if password:
        monkeypatch.setenv("PGPASSWORD", password)
    folder = tmp_path / "stores"
    for number, catalog in enumerate(catalog_strings, start=1):
        path = folder / f"pg-{number}"
        Store.create(path, catalog=catalog)
        with Store.open(path, command="test generate") as store:
            with recorded_run(store.path, "test generate") as record:
                generate_store(store, GeneratorSpec(100, 300, seed=number), record)
    manifest_path = tmp_path / "manifest.json"
    storepipe = Path(sys.executable).parent / "storepipe"

    outcome = subprocess.run(
        [
            str(storepipe),
            "fleet",
            "nightly",
            "--stores",
            str(folder),
            "--as-of",
            AS_OF,
            "--manifest",
            str(manifest_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert outcome.returncode == 0, outcome.stderr
    assert outcome.stdout.splitlines()[0] == "2 stores: 2 ok, 0 failed"
    manifest = json.loads(manifest_path.read_text())
    assert [store["status"] for store in manifest["stores"]] == ["ok", "ok"]
    for number in range(1, STORE_COUNT + 1):
        rows = table_rows(
            folder / f"pg-{number}", "SELECT count(*) FROM contact_metrics"
        )
        assert rows == [(100,)]
    if password:
        written = manifest_path.read_text() + (tmp_path / "fleet.log").read_text()
        assert password not in written
