"""Run records: one folder per run with a JSON manifest and its own log file."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import secrets
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline.errors import StorepipeError

log = logging.getLogger(__name__)

# Passed as `extra` to log a record to the run's log file but not to the console.
RUN_LOG_ONLY = {"run_log_only": True}
VERSIONED_PACKAGES = ("storepipe", "duckdb", "polars", "pyarrow", "numpy", "scipy")


def new_run_id(now: dt.datetime | None = None) -> str:
    """Return a sortable, unique run id such as `20261204T153000Z-3f9a1c`."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def package_versions() -> dict[str, str]:
    """Return the versions of storepipe and the engines it computes with."""
    versions = {}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


@dataclass
class RunRecord:
    """The record of one run: its inputs, counts, snapshots and per-step timings."""

    run_id: str
    command: str
    started_at: str
    as_of: str | None = None
    status: str = "running"
    error: str | None = None
    exit_code: int = 0
    finished_at: str | None = None
    inputs: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    snapshots: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    checks: list[dict[str, Any]] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=package_versions)

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time a step of the run and add its seconds to `timings[name]`.

        A step that runs several times in one run, such as staging once per
        generated chunk, records the sum of its runs.
        """
        started = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - started
            self.timings[name] = round(self.timings.get(name, 0.0) + seconds, 4)
            log.info("step %s took %.3fs", name, seconds)


@contextlib.contextmanager
def recorded_run(
    store_path: Path, command: str, as_of: dt.datetime | None = None
) -> Iterator[RunRecord]:
    """Record a run: a log file while it runs, a manifest when it ends.

    The manifest is written whether the run succeeds or fails, and records the
    exception's one-line message and exit code on failure.
    """
    started = dt.datetime.now(dt.UTC)
    record = RunRecord(
        run_id=new_run_id(started),
        command=command,
        started_at=started.isoformat(),
        as_of=as_of.isoformat() if as_of else None,
    )
    folder = store_path / "runs" / record.run_id
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(folder / "run.log", encoding="utf-8")
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.setLevel(logging.DEBUG)
    package_logger = logging.getLogger("pipeline")
    package_logger.addHandler(handler)
    previous_level = package_logger.level
    if package_logger.getEffectiveLevel() > logging.INFO:
        package_logger.setLevel(logging.INFO)
    log.info("run %s started: %s", record.run_id, command)
    try:
        yield record
        record.status = "ok"
    except StorepipeError as exc:
        record.status = "failed"
        record.error = str(exc)
        record.exit_code = int(exc.exit_code)
        # The CLI prints the error itself, so this line goes to the run log only.
        log.error("run %s failed: %s", record.run_id, exc, extra=RUN_LOG_ONLY)
        raise
    except BaseException as exc:
        record.status = "failed"
        record.error = f"{type(exc).__name__}: {exc}"
        record.exit_code = 1
        # The traceback goes to the run log; the console shows it only with --debug.
        log.exception("run %s failed", record.run_id, extra=RUN_LOG_ONLY)
        raise
    finally:
        record.finished_at = dt.datetime.now(dt.UTC).isoformat()
        write_manifest(folder / "manifest.json", record)
        log.info("run %s finished: %s", record.run_id, record.status)
        package_logger.removeHandler(handler)
        package_logger.setLevel(previous_level)
        handler.close()


def write_manifest(path: Path, record: RunRecord) -> None:
    """Write the manifest atomically, so a reader never sees half a file."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(record), indent=2, default=str) + "\n")
    temporary.replace(path)
