"""Fit lifetimes on an exported purchase file, in the peer venv; print JSON.

    /work/peer-venv/bin/python bench/peer_runner.py PURCHASES.csv END_DATE RUNS

The file has the columns customer_id, date and dollar_value. END_DATE
(YYYY-MM-DD) ends the observation period. The timing and fitting code is
`clv_peer.bench_lifetimes`, whose observation end is set here instead of CDNOW's.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import clv_peer  # noqa: E402


def main() -> None:
    data, end, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    clv_peer.CALIBRATION_END = end
    result = clv_peer.bench_lifetimes(Path(data), runs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
