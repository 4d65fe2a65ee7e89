"""The store: a DuckLake catalog, its Parquet data files, settings and a write lock.

Layout of a store folder:

    storepipe.toml          settings
    catalog.ducklake        embedded DuckLake catalog (a DuckDB file)
    catalog.json            catalog location when it is not the embedded file
    data/                   Parquet data files
    published/              read-only copy of the catalog for analysts
    inbox/                  files waiting for `storepipe nightly`
    runs/                   one folder per run: manifest.json and run.log
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import filelock

from pipeline.catalogs import is_postgres, parse_catalog, redact
from pipeline.errors import StoreBusyError, StorepipeError, UsageError
from pipeline.settings import (
    SETTINGS_FILE,
    EngineSection,
    Settings,
    default_settings_text,
    load_settings,
)
from pipeline.sqlfiles import load_sql, sql_names

log = logging.getLogger(__name__)

CATALOG_FILE = "catalog.ducklake"
CATALOG_CONFIG = "catalog.json"
PUBLISHED_CATALOG = "published/catalog.ducklake"
LOCK_FILE = ".storepipe.lock"
# The folder in the store for the data that DuckDB spills beyond its memory limit,
# so a job started from any working folder spills to the store's disk.
SPILL_FOLDER = "spill"
HOLDER_FILE = ".storepipe.lock.json"
# Every name that a store folder may contain at its top level.
STORE_ENTRIES = frozenset(
    {
        CATALOG_FILE,
        CATALOG_FILE + ".wal",
        CATALOG_CONFIG,
        "published",
        "data",
        "inbox",
        "runs",
        SPILL_FOLDER,
        LOCK_FILE,
        HOLDER_FILE,
        SETTINGS_FILE,
    }
)
LAKE = "lake"
DEFAULT_STORE = Path("data/store")
MAX_AMOUNT_SCALE = 9


def default_store_path() -> Path:
    """Return the store named by STOREPIPE_STORE, or `data/store`."""
    return Path(os.environ.get("STOREPIPE_STORE", DEFAULT_STORE))


def connect(
    settings: Settings | None = None, spill_folder: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """Open an in-memory DuckDB connection with DuckLake loaded and nothing attached.

    `spill_folder` is DuckDB's temp_directory; without it DuckDB uses `.tmp` in the
    working folder.
    """
    config: dict[str, Any] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
    if spill_folder is not None:
        config["temp_directory"] = str(spill_folder)
    if settings is not None and settings.engine.threads:
        config["threads"] = settings.engine.threads
    if settings is not None and settings.engine.memory_limit:
        config["memory_limit"] = settings.engine.memory_limit
    con = duckdb.connect(config=config)
    load_extension(con, "ducklake")
    if settings is not None:
        con.execute("SET TimeZone = ?", [settings.store.time_zone])
    return con


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Load a DuckDB extension, from DuckDB's own folder or from its PyPI package.

    The extension repository may be out of reach, so a failed `LOAD` falls back to
    the binary shipped inside the `duckdb-extension-<name>` package.
    """
    try:
        con.execute(f"LOAD {name}")
        return
    except duckdb.Error:
        pass
    module_name = {"postgres": "duckdb_extension_postgres_scanner"}.get(
        name, f"duckdb_extension_{name}"
    )
    try:
        module = __import__(module_name)
    except ImportError:
        raise UsageError(
            f"DuckDB extension {name!r} is not installed; "
            f"run `pip install {module_name.replace('_', '-')}=={duckdb.__version__}`"
        ) from None
    package_folder = Path(module.__file__ or "").parent
    folder = package_folder / "extensions" / f"v{duckdb.__version__}"
    binaries = sorted(folder.glob("*.duckdb_extension"))
    if not binaries:
        raise UsageError(
            f"no {name} binary for DuckDB {duckdb.__version__} in {folder}"
        )
    con.execute(f"LOAD '{binaries[0]}'")


class CatalogWriteError(StorepipeError):
    """Writing the catalog file or its published copy failed after the commits."""


@dataclass
class Store:
    """An open store: settings, a DuckDB connection with the lake attached as `lake`."""

    path: Path
    settings: Settings
    con: duckdb.DuckDBPyConnection
    writable: bool
    amount_scale: int
    _in_transaction: bool = field(default=False, repr=False)

    # -- opening --------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        *,
        time_zone: str = "UTC",
        amount_scale: int = 2,
        catalog: str | None = None,
    ) -> None:
        """Create an empty store with default settings and every contract table.

        `catalog` names a PostgreSQL catalog (see `pipeline.catalogs`); the default
        is the embedded file `catalog.ducklake`. A password in `catalog` is used for
        this call only and never written down.
        """
        if not 0 <= amount_scale <= MAX_AMOUNT_SCALE:
            raise UsageError(
                f"invalid amount scale {amount_scale}; use 0 to {MAX_AMOUNT_SCALE}"
            )
        if path.exists() and not path.is_dir():
            raise UsageError(
                f"{path} is a file, not a store folder; pass another --store"
            )
        if (path / SETTINGS_FILE).exists():
            raise UsageError(f"a store already exists at {path}; choose another path")
        if path.is_dir() and any(path.iterdir()):
            raise UsageError(
                f"{path} is a folder with files in it and not a store; "
                "pass a new or empty folder as --store"
            )
        password = None
        stored_catalog = None
        if catalog:
            postgres, password = parse_catalog(catalog)
            stored_catalog = postgres.ducklake_catalog
        path.mkdir(parents=True, exist_ok=True)
        for folder in ("data", "published", "inbox/deletions", "runs"):
            (path / folder).mkdir(parents=True, exist_ok=True)
        if stored_catalog:
            (path / CATALOG_CONFIG).write_text(
                json.dumps({"catalog": stored_catalog}) + "\n"
            )
        settings_text = default_settings_text(time_zone)
        (path / SETTINGS_FILE).write_text(settings_text, encoding="utf-8")
        try:
            load_settings(path)
            with cls.open(
                path, command="init", create_scale=amount_scale, _password=password
            ) as store:
                _reject_existing_tables(store)
                with store.transaction():
                    for name in sql_names("schema"):
                        store.con.execute(schema_statement(name, amount_scale))
        except BaseException:
            # Leave no half-made store behind, so that a corrected init can run.
            (path / SETTINGS_FILE).unlink(missing_ok=True)
            (path / CATALOG_CONFIG).unlink(missing_ok=True)
            raise
        log.info("created store %s (amount scale %d)", path, amount_scale)
        if password is not None:
            log.warning(
                "the catalog password was used for init only and is not stored; "
                "later commands read it from PGPASSWORD or ~/.pgpass"
            )

    @classmethod
    @contextlib.contextmanager
    def open(
        cls,
        path: Path,
        *,
        write: bool = True,
        command: str = "",
        wait: float = 0.0,
        create_scale: int | None = None,
        engine: EngineSection | None = None,
        _password: str | None = None,
    ) -> Iterator[Store]:
        """Open a store; a writer holds the store's lock until the block ends.

        On a clean exit a writer republishes the embedded catalog. A block that
        raises publishes nothing, because every commit it made is published by the
        next writer, and readers keep the last published state meanwhile.
        """
        path = path.resolve()
        if path.exists() and not path.is_dir():
            raise UsageError(
                f"{path} is a file, not a store folder; pass another --store"
            )
        if not (path / SETTINGS_FILE).exists():
            raise UsageError(
                f"no store at {path}; create one with `storepipe init --store {path}`"
            )
        settings = load_settings(path)
        if engine is not None:
            settings = with_engine(settings, engine)
        with contextlib.ExitStack() as stack:
            if write:
                stack.enter_context(_write_lock(path, command, wait))
            con = connect(settings, path / SPILL_FOLDER)
            stack.callback(con.close)
            attach_lake(con, path, read_only=not write, password=_password)
            scale = create_scale if create_scale is not None else _amount_scale(con)
            store = cls(path, settings, con, write, scale)
            yield store
            if write:
                con.execute("USE memory")
                try:
                    con.execute(f"DETACH {LAKE}")
                except duckdb.Error as exc:
                    raise CatalogWriteError(
                        f"writing the catalog of {path} failed at checkpoint "
                        f"({_checkpoint_cause(exc)}); the commits are kept in the "
                        "catalog's write-ahead log, so free disk space and run any "
                        "writing command to finish the checkpoint and publish them"
                    ) from None
                store.publish()

    # -- state ----------------------------------------------------------------------

    def snapshot_id(self) -> int:
        """Return the id of the lake's current snapshot."""
        row = self.con.execute(
            f"SELECT max(snapshot_id) FROM {LAKE}.snapshots()"
        ).fetchone()
        assert row is not None
        return int(row[0])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Run a block in one DuckLake transaction: one commit, or nothing."""
        if self._in_transaction:
            yield
            return
        self.con.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")
        finally:
            self._in_transaction = False

    def publish(self) -> None:
        """Copy the embedded catalog to `published/` for readers, atomically.

        Readers attach the copy read-only, so they never wait on the writer's file
        lock and always see a committed state. The copy shares the data files, because
        DuckLake writes new Parquet files instead of changing old ones. Only purge
        deletes old files, which a query on an older copy may still name.
        """
        source = self.path / CATALOG_FILE
        if not source.exists():
            return
        target = self.path / PUBLISHED_CATALOG
        target.parent.mkdir(exist_ok=True)
        temporary = target.with_suffix(".tmp")
        try:
            shutil.copyfile(source, temporary)
            with open(temporary, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise CatalogWriteError(
                f"publishing the catalog copy {target} failed ({exc.strerror}); "
                "the store is committed, so free disk space and run any writing "
                "command to publish it"
            ) from None

    @property
    def run_dir(self) -> Path:
        return self.path / "runs"

    @property
    def inbox(self) -> Path:
        return self.path / "inbox"


def catalog_location(path: Path) -> str:
    """Return the DuckLake catalog string of a store: embedded file or configured."""
    config = path / CATALOG_CONFIG
    if config.exists():
        return str(json.loads(config.read_text())["catalog"])
    return str(path / CATALOG_FILE)


def attach_lake(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    read_only: bool,
    snapshot: int | None = None,
    password: str | None = None,
) -> None:
    """Attach the store's DuckLake catalog as `lake`, the default database.

    A PostgreSQL catalog takes its password from `password` when given, else from
    PGPASSWORD or the libpq password file. Connection errors are raised as
    UsageError with every password replaced by asterisks.
    """
    catalog = catalog_location(path)
    postgres = is_postgres(catalog)
    if postgres:
        load_extension(con, "postgres")
        parsed, stored_password = parse_catalog(catalog)
        password = password or stored_password
        catalog = parsed.with_password(password)
    # The data path may differ from the one the catalog was created with: another
    # machine may mount a shared store elsewhere. DuckLake keeps file paths
    # relative to it, so overriding it for this connection is safe.
    options = [
        f"DATA_PATH '{_quote(str(path / 'data'))}/'",
        "DATA_INLINING_ROW_LIMIT 0",
        "OVERRIDE_DATA_PATH true",
    ]
    if read_only:
        options.append("READ_ONLY")
    if snapshot is not None:
        options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
    # The catalog string and paths are not values a SQL parameter can carry in ATTACH.
    statement = f"ATTACH 'ducklake:{_quote(catalog)}' AS {LAKE} ({', '.join(options)})"
    try:
        con.execute(statement)
    except duckdb.Error as exc:
        if not postgres:
            raise
        raise UsageError(_postgres_attach_error(exc, password)) from None
    con.execute(f"USE {LAKE}")


def _postgres_attach_error(exc: duckdb.Error, password: str | None) -> str:
    message = redact(str(exc).strip(), password).replace("\n", " ")
    detail = message.split("Unable to connect to Postgres at", 1)[-1].strip()
    if "no password supplied" in message:
        return (
            f"the PostgreSQL catalog needs a password ({detail}); set PGPASSWORD or "
            "add a line host:port:dbname:user:password to ~/.pgpass (or PGPASSFILE)"
        )
    if "password authentication failed" in message:
        return (
            f"the PostgreSQL catalog rejected the password ({detail}); correct "
            "PGPASSWORD or the line in ~/.pgpass"
        )
    return f"cannot attach the PostgreSQL catalog: {detail}; check catalog.json"


def schema_statement(name: str, amount_scale: int) -> str:
    """Return a schema statement with the store's amount types filled in."""
    return (
        load_sql(name)
        .replace("{amount_sum}", f"DECIMAL(38, {amount_scale})")
        .replace("{amount_avg}", f"DECIMAL(38, {amount_scale + 6})")
        .replace("{amount}", f"DECIMAL(18, {amount_scale})")
    )


def _amount_scale(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(
        "SELECT numeric_scale FROM information_schema.columns "
        "WHERE table_catalog = ? AND table_name = 'purchases' "
        "AND column_name = 'total_price'",
        [LAKE],
    ).fetchone()
    if row is None:
        raise UsageError("the store has no purchases table; recreate it with init")
    return int(row[0])


def _reject_existing_tables(store: Store) -> None:
    row = store.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_catalog = ?",
        [LAKE],
    ).fetchone()
    if row is not None and row[0] > 0:
        raise UsageError(
            f"the catalog of {store.path} already contains {row[0]} tables of another "
            "store; give each store its own PostgreSQL database"
        )


def _checkpoint_cause(exc: Exception) -> str:
    # DuckDB puts the failed write after "Original error:" on a later line.
    text = str(exc).strip()
    if "Original error:" in text:
        return text.rsplit("Original error:", 1)[1].strip().splitlines()[0]
    return text.splitlines()[0]


def _quote(text: str) -> str:
    return text.replace("'", "''")


@contextlib.contextmanager
def _write_lock(path: Path, command: str, wait: float) -> Iterator[None]:
    """Hold the store's write lock; fail at once, or after `wait` seconds.

    NOTE: the lock excludes writers on other machines only where the file system
    shares `flock` locks between clients, as local disks and Linux NFS clients do.
    """
    lock = filelock.FileLock(path / LOCK_FILE)
    holder_file = path / HOLDER_FILE
    # The kernel releases an flock lock when its holder dies, even by SIGKILL, so a
    # holder file left behind by a killed writer does not block the next one
    # (tests/reliability/test_crash_safety.py kills writers to check this).
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        if wait <= 0:
            raise _busy_error(path, holder_file) from None
        log.info(
            "store %s is busy: %s; waiting up to %.0fs",
            path,
            _describe_holder(holder_file),
            wait,
        )
        try:
            lock.acquire(timeout=wait)
        except filelock.Timeout:
            raise _busy_error(path, holder_file) from None
    try:
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": command,
            "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        holder_file.write_text(json.dumps(holder) + "\n")
        yield
    finally:
        holder_file.unlink(missing_ok=True)
        lock.release()


def _busy_error(path: Path, holder_file: Path) -> StoreBusyError:
    return StoreBusyError(
        f"store {path} is busy: {_describe_holder(holder_file)}; "
        "retry later or pass --wait SECONDS"
    )


def _describe_holder(holder_file: Path) -> str:
    try:
        holder = json.loads(holder_file.read_text())
    except (OSError, ValueError):
        return "held by another process"
    return (
        f"held by pid {holder.get('pid')} on {holder.get('host')} "
        f"running `{holder.get('command')}` since {holder.get('since')}"
    )


def with_engine(settings: Settings, engine: EngineSection) -> Settings:
    """Return settings whose DuckDB threads and memory limit come from `engine`.

    0 threads or an empty memory limit keep the store's own value. The settings
    file is not changed: this is how a fleet gives one run its own resources.
    """
    update: dict[str, object] = {}
    if engine.threads:
        update["threads"] = engine.threads
    if engine.memory_limit:
        update["memory_limit"] = engine.memory_limit
    merged = settings.engine.model_copy(update=update)
    return settings.model_copy(update={"engine": merged})
