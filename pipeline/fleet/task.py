"""One store's nightly run as a Ray task: the code that runs on a worker."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import StoreBusyError, StorepipeError
from pipeline.fleet.engine import engine_for_run
from pipeline.nightly import run_nightly

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskOptions:
    """Options that every store task of a fleet run shares."""

    as_of: str
    lock_wait_seconds: float
    threads: int
    memory_limit: str


class AttemptCounter:
    """A Ray actor that numbers each store's attempts, across worker processes.

    Ray reruns a task whose worker died with the same arguments, so the attempt
    number cannot be an argument.
    """

    def __init__(self) -> None:
        self.attempts: dict[str, int] = {}

    def next_attempt(self, name: str) -> int:
        """Count one more attempt of the store and return its number, from 1."""
        self.attempts[name] = self.attempts.get(name, 0) + 1
        return self.attempts[name]

    def attempts_of(self, name: str) -> int:
        """Return how many attempts of the store have started."""
        return self.attempts.get(name, 0)


def run_store_attempt(
    name: str, path: str, options: TaskOptions, counter: Any
) -> dict[str, Any]:
    """Number this attempt with the counter actor, then run the store's nightly job."""
    import ray

    attempt = int(ray.get(counter.next_attempt.remote(name)))
    return run_store_task(name, path, options, attempt)


def run_store_task(
    name: str, path: str, options: TaskOptions, attempt: int = 1
) -> dict[str, Any]:
    """Run one store's nightly job and return its result as a plain dict.

    A failed run returns status "failed" with its error and exit code, except a
    busy store: StoreBusyError is raised, so that Ray retries the task.
    """
    store_path = Path(path)
    handler = _store_log_handler(name)
    package_logger = logging.getLogger("pipeline")
    package_logger.addHandler(handler)
    previous_level = package_logger.level
    package_logger.setLevel(logging.INFO)
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    runs_before = _run_folders(store_path)
    result: dict[str, Any] = {
        "name": name,
        "path": path,
        "attempt": attempt,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "started_at": started.isoformat(),
    }
    log.info("attempt %d started on %s (pid %d)", attempt, result["host"], os.getpid())
    try:
        record = run_nightly(
            store_path,
            options.as_of,
            options.lock_wait_seconds,
            engine=engine_for_run(options.threads, options.memory_limit),
        )
    except StoreBusyError as exc:
        log.warning("attempt %d failed, store busy: %s", attempt, exc)
        raise
    except StorepipeError as exc:
        log.error("attempt %d failed: %s", attempt, exc)
        result.update(status="failed", exit_code=int(exc.exit_code), error=str(exc))
        result.update(_manifest_fields(store_path, runs_before))
    except Exception as exc:  # noqa: BLE001 - a bug in one store must not stop the rest
        log.exception("attempt %d failed with an internal error", attempt)
        result.update(
            status="failed",
            exit_code=1,
            error=f"internal error: {type(exc).__name__}: {exc}",
        )
        result.update(_manifest_fields(store_path, runs_before))
    else:
        result.update(
            status="ok",
            exit_code=0,
            error=None,
            run_id=record.run_id,
            as_of=record.as_of,
            counts=record.counts,
            timings=record.timings,
            manifest=str(store_path / "runs" / record.run_id / "manifest.json"),
        )
        log.info("attempt %d ok: run %s", attempt, record.run_id)
    finally:
        package_logger.removeHandler(handler)
        package_logger.setLevel(previous_level)
        handler.close()
    result["finished_at"] = dt.datetime.now(dt.UTC).isoformat()
    result["seconds"] = round(time.perf_counter() - clock, 4)
    return result


def _store_log_handler(name: str) -> logging.Handler:
    """Return a stderr handler whose lines name the store; Ray keeps them per worker."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter(f"%(asctime)s %(levelname)s [{name}] %(name)s: %(message)s")
    )
    handler.setLevel(logging.INFO)
    return handler


def _run_folders(store_path: Path) -> set[str]:
    folder = store_path / "runs"
    return {child.name for child in folder.iterdir()} if folder.is_dir() else set()


def _manifest_fields(store_path: Path, runs_before: set[str]) -> dict[str, Any]:
    """Return the run id, as_of and manifest path of the run a failed attempt made.

    A run that failed before it started (no store, invalid settings) has none.
    """
    new_runs = sorted(_run_folders(store_path) - runs_before)
    if not new_runs:
        return {}
    run_id = new_runs[-1]
    manifest = store_path / "runs" / run_id / "manifest.json"
    fields: dict[str, Any] = {"run_id": run_id}
    if manifest.is_file():
        data = json.loads(manifest.read_text())
        fields.update(
            manifest=str(manifest),
            as_of=data.get("as_of"),
            counts=data.get("counts", {}),
            timings=data.get("timings", {}),
        )
    return fields
