"""Run the nightly job once on a large generated store under a DuckDB memory limit.

    python bench/large_nightly.py --contacts 3400000 --purchases 34000000 \\
        --memory-limit 4GB --workdir /tmp/large

It generates the store with `[engine] memory_limit` set, writes a deletion batch into
`inbox/deletions/` and runs `storepipe nightly` once as a child process. It then
prints a Markdown table of sizes, wall and CPU seconds, peak RSS, the nightly run's
steps and the largest size of DuckDB's spill folder seen during the run. This is one
run with no median, so it shows that the run completes within the limit, not how
fast it is.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import threading
from pathlib import Path

from benchmark import AS_OF, MAX_DELETIONS, set_memory_limit, write_deletion_ids
from measure import BenchmarkError, latest_manifest, run_command, storepipe_command

from pipeline.store import SPILL_FOLDER, Store

GIB = 1024**3
# Seconds between two measurements of the size of DuckDB's spill folder.
SPILL_POLL_SECONDS = 0.5


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, required=True)
    parser.add_argument("--purchases", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument(
        "--workdir",
        type=Path,
        required=True,
        help="Folder for the store and logs; its store subfolder is replaced.",
    )
    return parser.parse_args(argv)


class SpillWatcher:
    """Track the largest total size of the files under a folder while a run lasts."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> SpillWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(SPILL_POLL_SECONDS):
            total = 0
            for root, _, files in os.walk(self.folder):
                for name in files:
                    try:
                        total += (Path(root) / name).stat().st_size
                    except FileNotFoundError:
                        continue
            self.peak_bytes = max(self.peak_bytes, total)


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    command = "python bench/large_nightly.py " + shlex.join(
        argv if argv is not None else sys.argv[1:]
    )
    workdir: Path = arguments.workdir
    store = workdir / "store"
    logs = workdir / "logs"
    if store.exists():
        raise BenchmarkError(
            f"{store} already exists; remove it or pass another --workdir"
        )
    workdir.mkdir(parents=True, exist_ok=True)
    Store.create(store)
    set_memory_limit(store, arguments.memory_limit)

    storepipe = storepipe_command()
    generate = run_command(
        storepipe
        + [
            "generate",
            f"--contacts={arguments.contacts}",
            f"--purchases={arguments.purchases}",
            f"--seed={arguments.seed}",
            f"--store={store}",
        ],
        logs,
        "generate",
    )
    lines = latest_manifest(store, "generate")["counts"]["generate.lines"]

    deletions = min(MAX_DELETIONS, arguments.purchases // 100)
    ids = workdir / "deletions.csv"
    write_deletion_ids(store, deletions, arguments.seed, ids)
    (store / "inbox" / "deletions").mkdir(parents=True, exist_ok=True)
    ids.replace(store / "inbox" / "deletions" / ids.name)

    # storepipe sets DuckDB's temp_directory to the store's spill folder.
    with SpillWatcher(store / SPILL_FOLDER) as spill:
        nightly = run_command(
            storepipe + ["nightly", f"--as-of={AS_OF}", f"--store={store}"],
            logs,
            "nightly",
        )
    manifest = latest_manifest(store, "nightly")

    print(f"Command: `{command}`\n")
    print("| figure | value |\n| --- | --- |")
    print(f"| purchase lines | {lines:,} |")
    print(f"| purchases | {arguments.purchases:,} |")
    print(f"| deletions in the batch | {deletions:,} |")
    print(f"| DuckDB memory_limit | {arguments.memory_limit} |")
    print(f"| generate wall time | {generate.seconds:.1f} s |")
    print(f"| nightly wall time | {nightly.seconds:.1f} s |")
    print(f"| nightly CPU time | {nightly.cpu_seconds:.1f} s |")
    print(f"| nightly peak RSS | {nightly.peak_rss_bytes / GIB:.2f} GiB |")
    print(f"| largest spill folder size seen | {spill.peak_bytes / GIB:.2f} GiB |")
    print(f"| nightly status | {manifest.get('status')} |")
    print("\n| nightly step | seconds |\n| --- | --- |")
    timings = sorted(manifest["timings"].items(), key=lambda item: -item[1])
    for step, seconds in timings:
        print(f"| {step} | {seconds:.2f} |")


if __name__ == "__main__":
    try:
        main()
    except BenchmarkError as exc:
        print(f"benchmark: error: {exc}", file=sys.stderr)
        sys.exit(1)
