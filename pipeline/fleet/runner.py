"""Fan a fleet's nightly runs out over Ray: bounded concurrency, retries, manifest."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from pipeline.errors import ExitCode, StoreBusyError, UsageError
from pipeline.fleet.manifest import FleetResult, StoreResult, write_fleet_manifest
from pipeline.fleet.stores import StoreEntry
from pipeline.fleet.task import AttemptCounter, TaskOptions, run_store_attempt
from pipeline.runs import new_run_id

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install -e '.[fleet]'"
FLEET_RUNS = "fleet-runs"


@dataclass(frozen=True)
class FleetOptions:
    """Options of one fleet run; see `storepipe fleet nightly --help`."""

    address: str | None = None
    as_of: str | None = None
    max_concurrent: int = 0
    retries: int = 2
    lock_wait_seconds: float = 30.0
    threads: int = 1
    memory_limit: str = ""
    manifest: Path | None = None


@dataclass(frozen=True)
class FleetProgress:
    """Counts of stores by state, reported after every change."""

    total: int
    ok: int
    failed: int
    running: int


ProgressCallback = Callable[[FleetProgress], None]


def import_ray() -> ModuleType:
    """Import Ray, or raise a UsageError naming the install command."""
    try:
        import ray
    except ImportError:
        raise UsageError(
            f"Ray is not installed, and fleet commands need it; run `{INSTALL_HINT}`"
        ) from None
    return ray


@contextmanager
def ray_session(ray: ModuleType, address: str | None) -> Iterator[None]:
    """Connect to Ray for the block; shut down only a Ray this block started.

    Without an address, start a local Ray instance with one CPU per core, no
    dashboard, and the loopback address as its node address. A Ray that the
    caller has already initialized is used as it is.
    """
    if ray.is_initialized():
        yield
        return
    # Worker output stays in Ray's log files; stdout carries the fleet's summary.
    # NOTE: Ray 2.60 advertises the loopback address here, but its gRPC servers
    # still listen on every interface, so only a firewall closes them.
    if address is None:
        # "local" starts a new instance even when RAY_ADDRESS or a cluster started
        # with `ray start` exists, which a plain ray.init() would join.
        ray.init(
            address="local",
            num_cpus=os.cpu_count(),
            include_dashboard=False,
            log_to_driver=False,
            _node_ip_address="127.0.0.1",
        )
    else:
        try:
            ray.init(address=address, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise UsageError(
                f"cannot connect to the Ray cluster at {address}: {exc}; check "
                "--address and that the cluster is running"
            ) from None
    try:
        yield
    finally:
        ray.shutdown()


def default_manifest_path(source: Path, fleet_run_id: str) -> Path:
    """Return `fleet-runs/<id>/manifest.json` in the store folder or list's folder."""
    base = source if source.is_dir() else source.parent
    return base / FLEET_RUNS / fleet_run_id / "manifest.json"


def run_fleet(
    stores: list[StoreEntry],
    options: FleetOptions,
    manifest_path: Path,
    progress: ProgressCallback | None = None,
) -> FleetResult:
    """Run every store's nightly job as a Ray task and write the fleet manifest.

    A store's failure is recorded in its result and never stops the others. Ray
    reruns a task whose worker died, and a task that found its store busy, up to
    `options.retries` times. Bad input and failed data checks are not retried.
    """
    ray = import_ray()
    started = dt.datetime.now(dt.UTC)
    result = FleetResult(
        fleet_run_id=manifest_path.parent.name,
        started_at=started.isoformat(),
        # One instant for every store, so that their outputs describe the same time.
        as_of=options.as_of or started.isoformat(),
        address=options.address or "local",
        settings={
            key: value
            for key, value in asdict(options).items()
            if key not in ("address", "as_of", "manifest")
        },
        stores=[StoreResult(entry.name, str(entry.path)) for entry in stores],
    )
    handler = _fleet_log_handler(manifest_path.with_name("fleet.log"))
    log.addHandler(handler)
    previous_level = log.level
    if log.getEffectiveLevel() > logging.INFO:
        log.setLevel(logging.INFO)
    clock = time.perf_counter()
    try:
        with ray_session(ray, options.address):
            _run_tasks(ray, result, options, progress)
    finally:
        result.finished_at = dt.datetime.now(dt.UTC).isoformat()
        result.seconds = round(time.perf_counter() - clock, 4)
        write_fleet_manifest(manifest_path, result)
        log.removeHandler(handler)
        log.setLevel(previous_level)
        handler.close()
    return result


def _run_tasks(
    ray: ModuleType,
    result: FleetResult,
    options: FleetOptions,
    progress: ProgressCallback | None,
) -> None:
    """Submit the store tasks, at most max_concurrent at a time, and collect them."""
    limit = options.max_concurrent or max(1, int(ray.cluster_resources().get("CPU", 1)))
    task_options = TaskOptions(
        as_of=result.as_of,
        lock_wait_seconds=options.lock_wait_seconds,
        threads=options.threads,
        memory_limit=options.memory_limit,
    )
    counter = ray.remote(num_cpus=0)(AttemptCounter).remote()
    remote_attempt = ray.remote(run_store_attempt).options(
        num_cpus=1,
        max_retries=options.retries,
        retry_exceptions=[StoreBusyError],
    )
    waiting = list(result.stores)
    running: dict[Any, StoreResult] = {}
    ok = failed = 0
    while waiting or running:
        while waiting and len(running) < limit:
            store = waiting.pop(0)
            store.status = "running"
            ref = remote_attempt.remote(store.name, store.path, task_options, counter)
            running[ref] = store
            log.info("store %s: submitted", store.name, extra={"store": store.name})
        if progress is not None:
            progress(FleetProgress(len(result.stores), ok, failed, len(running)))
        # NOTE: there is no per-store timeout, so a hung store run keeps its slot
        # until it ends or its worker dies.
        done, _ = ray.wait(list(running), num_returns=1)
        for ref in done:
            store = running.pop(ref)
            _collect(ray, ref, store, counter)
            if store.status == "ok":
                ok += 1
            else:
                failed += 1
    if progress is not None:
        progress(FleetProgress(len(result.stores), ok, failed, 0))


def _collect(ray: ModuleType, ref: Any, store: StoreResult, counter: Any) -> None:
    """Fill a store's result from its finished task, or from the task's error."""
    extra = {"store": store.name}
    try:
        data = ray.get(ref)
    except StoreBusyError as exc:
        # Ray raises a RayTaskError that is also an instance of the task's error.
        cause = getattr(exc, "cause", exc)
        store.status = "failed"
        store.exit_code = int(ExitCode.STORE_BUSY)
        store.error = str(cause)
    except ray.exceptions.RayError as exc:
        store.status = "failed"
        store.exit_code = int(ExitCode.INTERNAL)
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        store.error = f"the task failed: {type(exc).__name__}: {first_line}"
    else:
        attempt = data.pop("attempt")
        for key, value in data.items():
            setattr(store, key, value)
        store.attempts = attempt
    if not store.attempts:
        store.attempts = int(ray.get(counter.attempts_of.remote(store.name)))
    if store.status == "ok":
        level = logging.INFO if store.attempts == 1 else logging.WARNING
        log.log(
            level,
            "store %s: ok in %.1fs after %d attempt(s), run %s",
            store.name,
            store.seconds or 0.0,
            store.attempts,
            store.run_id,
            extra=extra,
        )
    else:
        log.error(
            "store %s: failed after %d attempt(s), exit code %d: %s",
            store.name,
            store.attempts,
            store.exit_code,
            store.error,
            extra=extra,
        )


def _fleet_log_handler(path: Path) -> logging.Handler:
    """Return a handler for the fleet log, which keeps only the per-store lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.addFilter(lambda record: hasattr(record, "store"))
    return handler


def new_fleet_run_id() -> str:
    """Return a sortable, unique id for a fleet run, like a store run's id."""
    return new_run_id()
