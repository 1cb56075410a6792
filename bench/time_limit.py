"""Benchmark ``time-limit``: does ``run.py plan --time-limit L`` return within L + 5 % + 2 s?

Each case runs the command as a planner types it, in its own process, and measures that process
from outside: wall time from its start to its exit (Python's start, loading the territory,
building the models, the search, explaining the plan, writing the stops to a CSV file and the
summary to stdout) and its peak resident memory. Cases (7 September 2026 to 25 June 2027):

- ``bourges``: the basin (103 communes), one bus based in Bourges, Tuesday to Friday;
- ``cher``: the Cher (287 communes), the same bus;
- ``region``: Centre-Val de Loire (1,756 communes), two buses (Bourges and Blois, Tuesday to
  Friday) that may stay away two nights, default settings otherwise.

``python -m bench time-limit`` runs them at 10, 60 and 60 s; ``TOURNEE_BENCH_LIMITS=10,20,30``
gives other limits (in case order) on a loaded machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.scenarios import END, START

ROOT = Path(__file__).resolve().parents[1]
BUS = "bus:18033:tue-fri"
CASES = {
    "bourges": ("bourges", (BUS,), 10.0),
    "cher": ("cher", (BUS,), 60.0),
    "region": ("centre-val-de-loire", ("bus-bourges:18033:tue-fri:180:2", "bus-blois:41018:tue-fri:180:2"), 60.0),
}
SLACK_SHARE, SLACK_S = 0.05, 2.0  # the promise: limit + 5 % + 2 s


def prepare() -> dict:
    limits = os.environ.get("TOURNEE_BENCH_LIMITS")
    given = [float(x) for x in limits.split(",")] if limits else [case[2] for case in CASES.values()]
    return {"limits": dict(zip(CASES, given))}


def run(limits: dict[str, float]) -> dict:
    rows = {}
    for name, (territory, fleet, _default) in CASES.items():
        if name in limits:
            rows[name] = run_case(territory, fleet, limits[name])
    return {"cases": rows, "kept": all(row["kept"] for row in rows.values())}


def run_case(territory: str, fleet: tuple[str, ...], limit: float, extra: tuple[str, ...] = ()) -> dict:
    """One ``run.py plan`` process: its wall time, peak memory (its own rusage) and plan summary;
    ``extra``: more arguments (``--params FILE``)."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, str(ROOT / "run.py"), "plan", "--territory", territory, "--start", START,
                   "--end", END, "--time-limit", str(limit), "--json", "--out", str(Path(folder) / "saison.csv")]
        for vehicle in fleet:
            command += ["--fleet", vehicle]
        command += list(extra)
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        with out.open("w") as stdout, err.open("w") as stderr:
            started = time.perf_counter()
            process = subprocess.Popen(command, cwd=ROOT, stdout=stdout, stderr=stderr)
            _pid, status, usage = os.wait4(process.pid, 0)  # reaped here: its rusage is its own
            wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        summary_text, error_text = out.read_text(), err.read_text()
    if process.returncode not in (0, 1):
        return {"limit_s": limit, "wall_s": round(wall, 1), "kept": False, "error": error_text.strip().splitlines()[-1:]}
    summary = json.loads(summary_text)
    promise = limit * (1 + SLACK_SHARE) + SLACK_S
    return {
        "limit_s": limit,
        "wall_s": round(wall, 1),
        "promise_s": round(promise, 1),
        "kept": wall <= promise,
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "solver_wall_s": summary.get("wall_s"),
        "status": summary.get("status"),
        "objective": summary.get("objective"),
        "bound": summary.get("bound"),
        "gap_pct": None if summary.get("gap") is None else round(100 * summary["gap"], 2),
        "found_by": summary.get("found_by"),
        "candidates": summary.get("candidates"),
        "communes": summary.get("communes"),
        "stops": summary.get("stops"),
    }


TARGETS = {"time-limit": "every case returns within limit + 5 % + 2 s (process wall time)"}
