"""Run benchmark commands as child processes and measure wall time and peak memory."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# ru_maxrss is in kibibytes on Linux (getrusage(2)).
MAXRSS_UNIT_BYTES = 1024


class BenchmarkError(RuntimeError):
    """Failure of a benchmark step; the message names the command and its stderr."""


@dataclass
class CommandRun:
    """One finished command: wall and CPU seconds, peak RSS and its output."""

    seconds: float
    cpu_seconds: float
    peak_rss_bytes: int
    stdout: str


@dataclass
class Figure:
    """Repeated measurements of one benchmark step, summarized by their median."""

    name: str
    seconds: list[float] = field(default_factory=list)
    # User plus system CPU time of all threads. Other processes on a shared machine
    # inflate wall time but not CPU time.
    cpu_seconds: list[float] = field(default_factory=list)
    peak_rss_bytes: list[int] = field(default_factory=list)
    manifests: list[dict[str, Any]] = field(default_factory=list)

    def add(self, run: CommandRun, manifest: dict[str, Any] | None = None) -> None:
        """Record one repetition."""
        self.seconds.append(run.seconds)
        self.cpu_seconds.append(run.cpu_seconds)
        self.peak_rss_bytes.append(run.peak_rss_bytes)
        if manifest is not None:
            self.manifests.append(manifest)

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_cpu_seconds(self) -> float:
        return statistics.median(self.cpu_seconds) if self.cpu_seconds else 0.0

    @property
    def max_rss_bytes(self) -> int:
        return max(self.peak_rss_bytes, default=0)

    def median_timing(self, key: str) -> float | None:
        """Return the median of one manifest timing over the repetitions."""
        values = [m["timings"][key] for m in self.manifests if key in m["timings"]]
        return statistics.median(values) if values else None


def storepipe_command() -> list[str]:
    """Return the `storepipe` entry point of the interpreter running this script."""
    script = Path(sys.executable).with_name("storepipe")
    if not script.exists():
        raise BenchmarkError(
            f"{script} not found; install the project into this interpreter's venv "
            "with `pip install -e .`"
        )
    return [str(script)]


def run_command(arguments: list[str], log_folder: Path, label: str) -> CommandRun:
    """Run a command to completion and return its wall time and peak RSS.

    The child is reaped with wait4(2), so its peak RSS is its own, unaffected by
    other children of this process. stderr goes to `<label>.stderr` in
    `log_folder`.
    """
    log_folder.mkdir(parents=True, exist_ok=True)
    stderr_path = log_folder / f"{label}.stderr"
    with open(stderr_path, "wb") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=stderr)
        assert process.stdout is not None
        stdout = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        process.stdout.close()
    if process.returncode != 0:
        tail = stderr_path.read_text(errors="replace").strip().splitlines()[-5:]
        raise BenchmarkError(
            f"`{' '.join(arguments)}` failed with exit code {process.returncode}: "
            + " | ".join(tail)
        )
    return CommandRun(
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_bytes=usage.ru_maxrss * MAXRSS_UNIT_BYTES,
        stdout=stdout.decode(errors="replace"),
    )


def fresh_copy(source: Path, target: Path) -> Path:
    """Copy a store folder to `target`, replacing an earlier copy; not timed."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target


def latest_manifest(store: Path, command: str) -> dict[str, Any]:
    """Return the newest run manifest of `command` in a store."""
    # Run ids start with a UTC timestamp, so name order is start order.
    for folder in sorted((store / "runs").iterdir(), reverse=True):
        manifest_path = folder / "manifest.json"
        if not manifest_path.exists():
            continue
        manifest: dict[str, Any] = json.loads(manifest_path.read_text())
        if manifest.get("command") == command:
            return manifest
    raise BenchmarkError(f"no manifest of a `{command}` run in {store / 'runs'}")
