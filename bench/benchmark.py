"""Benchmark storepipe at store scale and write the figures to docs/benchmarks.md.

    python bench/benchmark.py --contacts 1000000 --purchases 10000000 --seed 1 \\
        --repetitions 3 --workdir /tmp/bench --output docs/benchmarks.md

Every figure is the median of the repetitions. The script times `storepipe generate`,
the floor (plain DuckDB aggregates over the same Parquet files), a deletion batch, the
full recompute and the nightly run. Each of the last three runs on a fresh copy of the
generated store, and the copy is not timed. It also records every command's peak RSS
and times lifetimes against storepipe's CLV step. Every storepipe command runs as a
child process of this script.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import multiprocessing
import os
import shlex
import shutil
import sys
from pathlib import Path

from floor import run_floor
from measure import (
    BenchmarkError,
    Figure,
    fresh_copy,
    latest_manifest,
    run_command,
    storepipe_command,
)
from peer import (
    PeerExport,
    PeerResult,
    export_purchases,
    missing_peer_reason,
    run_peer,
)
from report import BenchmarkResult, machine_facts, write_report

from pipeline.generate import REFERENCE_TIME
from pipeline.settings import SETTINGS_FILE
from pipeline.store import Store

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PEER_PYTHON = REPO.parent / "peer-venv" / "bin" / "python"
# Generated purchases end at REFERENCE_TIME, so every run includes all of them.
AS_OF = REFERENCE_TIME.isoformat()
MAX_DELETIONS = 100_000


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--contacts", type=int, required=True, help="Contacts of the generated store."
    )
    parser.add_argument(
        "--purchases", type=int, required=True, help="Purchases to generate."
    )
    parser.add_argument("--seed", type=int, default=1, help="Generator seed.")
    parser.add_argument(
        "--repetitions", type=int, default=3, help="Runs of each measured step."
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        required=True,
        help="Folder for the stores, copies and logs; its subfolders are replaced.",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=REPO / "docs/benchmarks.md",
        help="Markdown report to write.",
    )
    parser.add_argument(
        "--memory-limit", default="", help="DuckDB memory_limit, for example 4GB."
    )
    parser.add_argument(
        "--deletions",
        type=int,
        default=None,
        help=f"Purchases per deletion batch; default: 1%% of the purchases, "
        f"at most {MAX_DELETIONS:,}.",
    )
    parser.add_argument(
        "--peer-python",
        type=Path,
        default=DEFAULT_PEER_PYTHON,
        help="Python of the venv with lifetimes (see bench/clv_peer.py).",
    )
    parser.add_argument(
        "--peer-max-purchases",
        type=int,
        default=2_000_000,
        help="Above this many purchases, lifetimes fits a sample of contacts.",
    )
    arguments = parser.parse_args(argv)
    for name in ("contacts", "purchases", "repetitions", "peer_max_purchases"):
        if getattr(arguments, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be 1 or more")
    if arguments.deletions is None:
        arguments.deletions = max(1, min(MAX_DELETIONS, arguments.purchases // 100))
    return arguments


def generate_stores(arguments: argparse.Namespace, logs: Path) -> tuple[Path, Figure]:
    """Generate the store once per repetition; keep the first as the base store."""
    figure = Figure("generate")
    base = arguments.workdir / "generated"
    for repetition in range(arguments.repetitions):
        target = base if repetition == 0 else arguments.workdir / "generated-again"
        if target.exists():
            shutil.rmtree(target)
        Store.create(target)
        if arguments.memory_limit:
            set_memory_limit(target, arguments.memory_limit)
        command = storepipe_command() + [
            "generate",
            f"--contacts={arguments.contacts}",
            f"--purchases={arguments.purchases}",
            f"--seed={arguments.seed}",
            f"--store={target}",
        ]
        run = run_command(command, logs, f"generate-{repetition}")
        figure.add(run, latest_manifest(target, "generate"))
        if target != base:
            shutil.rmtree(target)
    return base, figure


def set_memory_limit(store: Path, limit: str) -> None:
    """Set `[engine] memory_limit` in a store's settings file."""
    path = store / SETTINGS_FILE
    text = path.read_text()
    default = 'memory_limit = ""'
    if default not in text:
        raise BenchmarkError(f"{path} has no `{default}` line to set the limit in")
    path.write_text(text.replace(default, f'memory_limit = "{limit}"'))


def write_deletion_ids(store: Path, count: int, seed: int, target: Path) -> int:
    """Write `count` store purchase ids, chosen by a seeded hash, as a CSV file."""
    with Store.open(store, write=False) as opened:
        # COPY takes its target path as text; this function builds the path.
        opened.con.execute(
            f"COPY (SELECT purchase_id FROM lake.purchases "
            f"ORDER BY hash(purchase_id || $seed), purchase_id LIMIT $count) "
            f"TO '{target}' (FORMAT csv, HEADER true)",
            {"seed": str(seed), "count": count},
        )
    return len(target.read_text().splitlines()) - 1


def measure_commands(
    base: Path, ids: Path, repetitions: int, workdir: Path, logs: Path
) -> dict[str, Figure]:
    """Time delete, recompute and nightly, each on a fresh copy of the base store."""
    storepipe = storepipe_command()
    figures = {name: Figure(name) for name in ("delete", "recompute", "nightly")}
    for repetition in range(repetitions):
        for name, figure in figures.items():
            store = fresh_copy(base, workdir / "runs" / name)
            if name == "delete":
                command = ["delete", f"--file={ids}", "--force", "--format=csv"]
            elif name == "nightly":
                shutil.copy(ids, store / "inbox" / "deletions" / ids.name)
                command = ["nightly"]
            else:
                command = ["recompute"]
            command += [f"--as-of={AS_OF}", f"--store={store}"]
            run = run_command(storepipe + command, logs, f"{name}-{repetition}")
            figure.add(run, latest_manifest(store, name))
    return figures


def fitted_parameters(store: Path) -> dict[str, float]:
    """Return the parameters of the newest CLV model fitted in a store."""
    names = "r, alpha, a, b, p, q, gamma"
    with Store.open(store, write=False) as opened:
        row = opened.con.execute(
            f"SELECT status, {names} FROM lake.clv_model ORDER BY fitted_at DESC"
        ).fetchone()
    if row is None or row[0] != "fitted":
        status = row[0] if row else "no model"
        raise BenchmarkError(f"storepipe fitted no CLV model in {store}: {status}")
    return dict(
        zip(names.split(", "), (float(value) for value in row[1:]), strict=True)
    )


def measure_peer(
    arguments: argparse.Namespace, base: Path, logs: Path
) -> tuple[PeerExport | None, PeerResult]:
    """Export the purchases and fit lifetimes on them, unless its venv is missing."""
    reason = missing_peer_reason(arguments.peer_python)
    if reason is not None:
        return None, PeerResult(skipped=reason)
    as_of = dt.datetime.fromisoformat(AS_OF)
    export = export_purchases(
        base,
        as_of,
        arguments.workdir / "peer" / "purchases.csv",
        arguments.peer_max_purchases,
        arguments.seed,
    )
    return export, run_peer(arguments.peer_python, export, arguments.repetitions, logs)


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    command = "python bench/benchmark.py " + shlex.join(
        argv if argv is not None else sys.argv[1:]
    )
    facts = machine_facts()
    workdir: Path = arguments.workdir
    logs = workdir / "logs"
    workdir.mkdir(parents=True, exist_ok=True)

    # Generate the base store, then measure the floor on its data files.
    base, generate = generate_stores(arguments, logs)
    floor = Figure("floor")
    # The floor runs in a child process. On Linux a child's reported peak RSS
    # includes the parent's resident memory when the child started, so a parent
    # grown by DuckDB would inflate the peak of every storepipe command after it.
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        for _ in range(arguments.repetitions):
            seconds, cpu_seconds = pool.submit(
                run_floor, base, workdir / "floor"
            ).result()
            floor.seconds.append(seconds)
            floor.cpu_seconds.append(cpu_seconds)

    # Time each command of the pipeline on fresh copies.
    ids = workdir / "deletions.csv"
    deletions = write_deletion_ids(base, arguments.deletions, arguments.seed, ids)
    figures = measure_commands(base, ids, arguments.repetitions, workdir, logs)
    parameters = fitted_parameters(workdir / "runs" / "recompute")

    # Fit the peer on the same purchases.
    export, peer = measure_peer(arguments, base, logs)

    facts["load_average_end"] = os.getloadavg()
    result = BenchmarkResult(
        command=command,
        arguments=vars(arguments),
        facts=facts,
        base_store=base,
        generate=generate,
        floor=floor,
        deletions=deletions,
        figures=figures,
        storepipe_parameters=parameters,
        peer_export=export,
        peer=peer,
    )
    write_report(arguments.output, result)
    print(f"wrote {arguments.output}")


if __name__ == "__main__":
    try:
        main()
    except BenchmarkError as exc:
        print(f"benchmark: error: {exc}", file=sys.stderr)
        sys.exit(1)
