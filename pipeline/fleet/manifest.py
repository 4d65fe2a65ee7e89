"""The fleet manifest: one JSON file with every store's outcome, and the exit code."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ExitCode

# The fleet exits with the code of its most severe failed store. A crash or bug
# comes first, then a failed data check, bad input, a usage error such as a missing
# store, and last a store that stayed busy.
SEVERITY = (
    ExitCode.INTERNAL,
    ExitCode.DATA_CHECK_FAILED,
    ExitCode.BAD_INPUT,
    ExitCode.USAGE,
    ExitCode.STORE_BUSY,
)
FAILURE_LABELS: dict[int, str] = {
    ExitCode.INTERNAL: "internal error",
    ExitCode.USAGE: "usage error",
    ExitCode.BAD_INPUT: "bad input",
    ExitCode.STORE_BUSY: "store busy",
    ExitCode.DATA_CHECK_FAILED: "data check failed",
}
# The summary line names this many failed stores and shortens their errors to this
# many characters. The manifest keeps every store and the full errors.
SUMMARY_FAILURES = 3
SUMMARY_ERROR_CHARS = 100


@dataclass
class StoreResult:
    """One store's outcome: status, its own run's ids, counts and timings."""

    name: str
    path: str
    status: str = "pending"
    exit_code: int = 0
    error: str | None = None
    attempts: int = 0
    as_of: str | None = None
    run_id: str | None = None
    manifest: str | None = None
    counts: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    started_at: str | None = None
    finished_at: str | None = None
    seconds: float | None = None
    host: str | None = None
    pid: int | None = None


@dataclass
class FleetResult:
    """A fleet run: its options and every store's result, in store list order."""

    fleet_run_id: str
    started_at: str
    as_of: str
    address: str
    settings: dict[str, Any]
    stores: list[StoreResult]
    finished_at: str | None = None
    seconds: float | None = None

    @property
    def failed(self) -> list[StoreResult]:
        return [store for store in self.stores if store.status != "ok"]

    @property
    def exit_code(self) -> int:
        """Return 0 when every store is ok, else the most severe store's code."""
        codes = {store.exit_code or int(ExitCode.INTERNAL) for store in self.failed}
        for code in SEVERITY:
            if int(code) in codes:
                return int(code)
        return max(codes, default=int(ExitCode.OK))

    def summary_line(self) -> str:
        """Return `20 stores: 19 ok, 1 failed (store-07: bad input ...)`."""
        total = len(self.stores)
        failed = self.failed
        line = f"{total} stores: {total - len(failed)} ok, {len(failed)} failed"
        if not failed:
            return line
        named = [_describe_failure(store) for store in failed[:SUMMARY_FAILURES]]
        if len(failed) > SUMMARY_FAILURES:
            named.append(f"{len(failed) - SUMMARY_FAILURES} more in the manifest")
        return f"{line} ({'; '.join(named)})"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["summary"] = {
            "stores": len(self.stores),
            "ok": len(self.stores) - len(self.failed),
            "failed": len(self.failed),
            "exit_code": self.exit_code,
        }
        return data


def _describe_failure(store: StoreResult) -> str:
    label = FAILURE_LABELS.get(store.exit_code, "failed")
    return f"{store.name}: {label}: {_shorten(store.error or store.status)}"


def _shorten(text: str) -> str:
    if len(text) <= SUMMARY_ERROR_CHARS:
        return text
    return text[: SUMMARY_ERROR_CHARS - 3].rstrip() + "..."


def write_fleet_manifest(path: Path, result: FleetResult) -> None:
    """Write the fleet manifest atomically, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(result.to_json(), indent=2, default=str) + "\n")
    temporary.replace(path)
