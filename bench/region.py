"""Benchmark (f): the whole Centre-Val de Loire (1,756 communes), two buses that may stay away up
to two nights, 7 September 2026 to 25 June 2027, 120 s with 2 workers.

Bus A is based in Bourges (Cher), bus B in Blois (Loir-et-Cher), both Tuesday to Friday. The
season model only sees the ``max_candidates`` best day-trip communes and as many only an
overnight run reaches (planner/search/candidates.py); the cost of that filter is measured by
``region-long`` (all communes, 600 s). ``region-400`` keeps 400 of each: a better plan, but a
bound over more communes and a wider gap (measured: 126,161-126,268, gap 2.2 %, against 123,953,
gap 1.5 % with 300 of each and 127,124 for region-long). The bound is the
better of CP-SAT's and the LP relaxation of the aggregate model; with the candidate filter it bounds
plans over the kept communes only.
"""

from __future__ import annotations

from bench.scenarios import season
from planner import VehicleSpec
from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.search.solve import solve_instance

BASES = (("bus-bourges", "18033"), ("bus-blois", "41018"))


def prepare(time_limit_s: float = 120.0, max_candidates: int = 300, sequencing: str = "cpsat",
            nights: int = 2) -> dict:
    vehicles = tuple(VehicleSpec(name, base=insee, weekdays="tue-fri", overnight_nights=nights) for name, insee in BASES)
    scenario = season("centre-val-de-loire", vehicles, {
        "solver": {"time_limit_s": time_limit_s, "workers": 2, "max_candidates": max_candidates, "sequencing": sequencing},
        "vehicle": {"overnight_nights": nights}})
    return {"instance": build_instance(scenario)}


def run(instance) -> dict:
    plan = solve_instance(instance)
    solver = plan.solver
    evaluation = evaluate(instance, plan.stops)
    return {
        "communes": len(instance.communes),
        "max_candidates": instance.params.solver.max_candidates,
        "sequencing": instance.params.solver.sequencing,
        "status": solver.status,
        "objective": solver.objective,
        "bound": solver.bound,
        "gap_pct": None if solver.gap is None else round(100 * solver.gap, 2),
        "found_by": solver.source,
        "stops": plan.metrics.stops,
        "nights_away": sum(s.away_after for s in plan.stops),
        "km_total": plan.metrics.km_total,
        "violations": len(evaluation.violations),
        "solver_wall_s": solver.wall_s,
    }


TARGETS = {"region": "gap <= 2 % in 120 s, peak memory <= 2 GB"}
