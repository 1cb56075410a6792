"""Benchmark ``scaling``: how each step of a solve grows with the number of communes.

Territories of 50, 103, 286, 600, 1,000 and 1,756 communes: the nearest to Bourges (straight
line from its centre) among the Centre-Val de Loire's, with the region's markets, town halls and
service points. One bus based in Bourges, Tuesday to Friday, 7 September 2026 to 25 June 2027,
default settings and a 20 s limit. Each size runs in its own process, as ``run.py plan`` would:
the limit covers the process from its start, and the plan is explained and formatted.

Per size: ``load_s`` (the process's start, imports and the region's data: the same at every
size), ``build_s`` (keeping the nearest communes, the need model and the matrices),
``first_plan_s`` (from the built instance to the first plan a phase announces), ``solve_s`` (the
solve with its explanations and the plan's text), the gap, the candidates, ``process_s`` (the
process from its start to its exit, measured from outside) and its peak resident memory. The
growth exponent of a step between two sizes is log(t2 / t1) / log(n2 / n1); ``exponents``
gives them per step and size, ``fit`` the least-squares slope over the sizes from 103 on (the
smallest is dominated by fixed costs). No step may grow faster than n^2.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (50, 103, 286, 600, 1000, 1756)
LIMIT_S = 20.0
BOURGES = "18033"
STEPS = ("build_s", "first_plan_s", "solve_s", "process_s", "peak_rss_mb")
FIT_FROM = 103
MAX_EXPONENT = 2.0


def prepare(sizes: tuple[int, ...] = SIZES, limit_s: float = LIMIT_S) -> dict:
    given = os.environ.get("TOURNEE_BENCH_SIZES")
    return {"sizes": tuple(int(x) for x in given.split(",")) if given else sizes, "limit_s": limit_s}


def run(sizes: tuple[int, ...], limit_s: float) -> dict:
    rows = [run_size(n, limit_s) for n in sizes]
    exponents = {step: growth(rows, step) for step in STEPS}
    fits = {step: fit(rows, step) for step in STEPS}
    return {
        "rows": rows,
        "exponents": exponents,
        "fit": fits,
        "kept": all(e is None or e <= MAX_EXPONENT for e in fits.values()),
        "table": table(rows, exponents, fits),
    }


def run_size(n: int, limit_s: float) -> dict:
    """One child process: its own figures, plus its wall time and peak memory seen from outside."""
    command = [sys.executable, "-m", "bench.scaling", str(n), str(limit_s)]
    started = time.perf_counter()
    process = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    out, err = process.stdout, process.stderr
    if process.returncode != 0:
        return {"communes": n, "error": err.strip().splitlines()[-1:]}
    row = json.loads(out.strip().splitlines()[-1])
    return {**row, "process_s": round(wall, 2)}


def step(n: int, limit_s: float) -> dict:
    """Child side: the nearest ``n`` communes, one bus, ``limit_s``; figures from the process's start."""
    import resource

    from bench.scenarios import season
    from planner import VehicleSpec
    from planner.core.control import SolveControl
    from planner.core.geodesy import geodesic_km
    from planner.core.instance import build_instance
    from planner.exports.plan_report import format_plan, plan_summary
    from planner.search.criteria import StopCriteria, process_started
    from planner.search.solve import solve_instance, with_unvisited

    started = process_started()
    region = season("centre-val-de-loire", (VehicleSpec("bus", base=BOURGES, weekdays="tue-fri"),),
                    {"solver": {"time_limit_s": limit_s, "workers": 2}})
    territory = region.territory
    loaded = time.perf_counter()
    centre = territory.commune(BOURGES)
    communes = territory.communes
    distance = geodesic_km(centre.lat, centre.lon, [c.lat for c in communes], [c.lon for c in communes])
    kept = sorted(sorted(range(len(communes)), key=lambda i: (float(distance[i]), communes[i].insee))[:n])
    insees = {communes[i].insee for i in kept}
    territory = replace(territory, communes=tuple(communes[i] for i in kept),
                        markets=tuple(m for m in territory.markets if m.insee in insees),
                        host_hours=tuple(h for h in territory.host_hours if h.insee in insees),
                        mairies=tuple(m for m in territory.mairies if m.insee in insees))
    instance = build_instance(replace(region, territory=territory))
    built = time.perf_counter()
    first: list[float] = []

    def on_event(event) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {event.phase} {event.objective} {event.bound} {event.message}",
              file=sys.stderr, flush=True)
        if event.objective is not None and event.phase != "done" and not first:
            first.append(time.perf_counter())

    criteria = StopCriteria.of(instance.params.solver, started=started)
    with SolveControl(on_event, criteria.cancel) as control:  # what solve_scenario does for buses
        plan = with_unvisited(instance, solve_instance(instance, control=control, criteria=criteria))
    format_plan(plan, plan_summary(plan))
    solved = time.perf_counter()
    solver = plan.solver
    return {
        "communes": n,
        "candidates": solver.candidates,
        "load_s": round(loaded - started, 2),
        "build_s": round(built - loaded, 2),
        "first_plan_s": round(first[0] - built, 2) if first else None,
        "solve_s": round(solved - built, 2),
        "status": solver.status,
        "gap_pct": None if solver.gap is None else round(100 * solver.gap, 2),
        "stops": plan.metrics.stops,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def growth(rows: list[dict], key: str) -> list[float | None]:
    """The exponent between each size and the next."""
    out = []
    for a, b in zip(rows, rows[1:]):
        ta, tb = a.get(key), b.get(key)
        out.append(round(math.log(tb / ta) / math.log(b["communes"] / a["communes"]), 2)
                   if ta and tb and ta > 0 and tb > 0 else None)
    return out


def fit(rows: list[dict], key: str) -> float | None:
    """Least-squares slope of log(t) against log(n) from ``FIT_FROM`` communes on."""
    points = [(math.log(r["communes"]), math.log(r[key])) for r in rows
              if r["communes"] >= FIT_FROM and r.get(key) and r[key] > 0]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return round(sum((x - mx) * (y - my) for x, y in points) / sxx, 2) if sxx else None


def table(rows: list[dict], exponents: dict, fits: dict) -> str:
    """The README's table: one line per size, then the exponents per step."""
    head = "| communes | candidates | load s | build s | first plan s | solve s | gap % | process s | peak MB |"
    lines = [head, "|" + " --- |" * 9]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['communes']} | error: {r['error']} |")
            continue
        cells = [r[key] for key in ("communes", "candidates", "load_s", "build_s", "first_plan_s", "solve_s", "gap_pct",
                                    "process_s", "peak_rss_mb")]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    sizes = [r["communes"] for r in rows]
    lines += ["", "| step | " + " | ".join(f"{a}→{b}" for a, b in zip(sizes, sizes[1:])) + f" | fit (≥ {FIT_FROM}) |",
              "|" + " --- |" * (len(sizes) + 1)]
    for key in STEPS:
        lines.append(f"| {key} | " + " | ".join(str(e) for e in exponents[key]) + f" | {fits[key]} |")
    return "\n".join(lines)


TARGETS = {"scaling": "no step grows faster than n^2 in communes (fit from 103 communes)"}


if __name__ == "__main__":
    print(json.dumps(step(int(sys.argv[1]), float(sys.argv[2]))))
