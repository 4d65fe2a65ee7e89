"""The CLV peer: lifetimes fitting BG/NBD and Gamma-Gamma on the store's purchases."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from measure import BenchmarkError, run_command

from pipeline.store import Store

PARAMETERS = ("r", "alpha", "a", "b", "p", "q", "gamma")
# Largest relative difference between the two fits' parameters counted as close.
# A sample of contacts moves the estimates by sampling error, hence the wider bound.
TOLERANCE_FULL = 0.05
TOLERANCE_SAMPLE = 0.15

# One row per purchase of a known contact, in the columns clv_peer reads. The day
# is taken in the store time zone, as storepipe's CLV summary takes it. A sample
# keeps whole contacts: those whose id hashes below the sample share.
EXPORT = """
COPY (
    SELECT
        contact_id AS customer_id,
        timezone($time_zone, purchased_at)::DATE AS date,
        total_price AS dollar_value
    FROM lake.purchases
    WHERE contact_id IS NOT NULL
      AND purchased_at <= $as_of
      AND hash(contact_id || $seed) % 1000000 < $share_millionths
    ORDER BY customer_id, date
) TO '{target}' (FORMAT csv, HEADER true)
"""


@dataclass
class PeerExport:
    """The exported purchase file and how much of the store it covers."""

    path: Path
    purchases: int
    store_purchases: int
    observation_end: str

    @property
    def sampled(self) -> bool:
        return self.purchases < self.store_purchases


@dataclass
class PeerResult:
    """lifetimes' timings and parameters, or the reason it was not run."""

    skipped: str | None = None
    seconds: float = 0.0
    peak_rss_bytes: int = 0
    parameters: dict[str, float] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    contacts_used: int = 0


def export_purchases(
    store_path: Path,
    as_of: dt.datetime,
    target: Path,
    max_purchases: int,
    seed: int,
) -> PeerExport:
    """Write the purchases the peer fits on, all of them or a sample of contacts."""
    with Store.open(store_path, write=False) as store:
        time_zone = store.settings.store.time_zone
        row = store.con.execute(
            "SELECT count(*) FROM lake.purchases "
            "WHERE contact_id IS NOT NULL AND purchased_at <= ?",
            [as_of],
        ).fetchone()
        store_purchases = int(row[0]) if row else 0
        share = min(1.0, max_purchases / store_purchases) if store_purchases else 1.0
        target.parent.mkdir(parents=True, exist_ok=True)
        # COPY takes its target path as text; this module builds the path.
        store.con.execute(
            EXPORT.format(target=target),
            {
                "time_zone": time_zone,
                "as_of": as_of,
                "seed": str(seed),
                "share_millionths": round(share * 1_000_000),
            },
        )
        exported = store.con.execute(
            "SELECT count(*) FROM read_csv(?)", [str(target)]
        ).fetchone()
    end = as_of.astimezone(zoneinfo.ZoneInfo(time_zone)).date().isoformat()
    return PeerExport(target, int(exported[0]) if exported else 0, store_purchases, end)


def missing_peer_reason(peer_python: Path) -> str | None:
    """Return why the peer cannot run, or None when its interpreter exists."""
    if peer_python.exists():
        return None
    return (
        f"peer interpreter {peer_python} not found; create the venv as "
        "bench/clv_peer.py describes, or pass --peer-python"
    )


def run_peer(
    peer_python: Path, export: PeerExport, runs: int, log_folder: Path
) -> PeerResult:
    """Run clv_peer's lifetimes side on the export in the peer's interpreter."""
    runner = Path(__file__).resolve().with_name("peer_runner.py")
    arguments = [str(peer_python), str(runner), str(export.path)]
    arguments += [export.observation_end, str(runs)]
    run = run_command(arguments, log_folder, "peer")
    try:
        output: dict[str, Any] = json.loads(run.stdout)
    except json.JSONDecodeError:
        raise BenchmarkError(
            f"the peer printed no JSON result; see {log_folder / 'peer.stderr'}"
        ) from None
    return PeerResult(
        seconds=float(output["seconds_median"]),
        peak_rss_bytes=run.peak_rss_bytes,
        parameters={name: float(output[name]) for name in PARAMETERS},
        versions=output["versions"],
        contacts_used=int(output.get("contacts_used", 0)),
    )


def relative_differences(
    peer: dict[str, float], storepipe: dict[str, float]
) -> dict[str, float]:
    """Return |peer - storepipe| / |storepipe| for every model parameter."""
    return {
        name: abs(peer[name] - storepipe[name]) / abs(storepipe[name])
        for name in PARAMETERS
        if storepipe.get(name)
    }
