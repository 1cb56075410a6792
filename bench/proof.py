"""Benchmark proof-bourges: time to a proof on the season of benchmark (a) (issue 10 item 7).

One bus based in Bourges, Tuesday to Friday, 7 September 2026 - 25 June 2027, 2 workers.
Measured:
- the whole solve with 10 s and 60 s: status, objective, bound, gap, and when the optimum was
  proven (the "aggregate" event whose bound meets its objective) and the plan reached it;
- SCIP alone on the aggregate model, with weekday-indifferent counts pooled (as the solve builds
  it) and with a count per weekday (before symmetry breaking): seconds and tree nodes to the
  proof (nodes and the CPU seconds of SCIP's search do not depend on the machine's load, wall
  seconds do);
- CP-SAT alone on the same aggregate with 2 workers and 10 s: its bound (the one that stalled).
The machine is shared: run it two or three times and read the spread of the seconds.
"""

from __future__ import annotations

import time

from bench.scenarios import bus_season
from planner.core.control import SolveControl
from planner.core.instance import VALUE_SCALE, build_instance
from planner.cpsat.aggregate_model import build_aggregate_model, continuous_indices
from planner.cpsat.exact import MipJob
from planner.cpsat.relaxation import lp_upper_bound
from planner.cpsat.season_model import default_candidates
from planner.cpsat.solver import cp_solver
from planner.search.solve import solve_instance

MIP_LIMIT_S = 60.0
CP_SAT_S = 10.0


def prepare() -> dict:
    return {"instances": {limit: build_instance(bus_season("bourges", limit)) for limit in (10.0, 60.0)}}


def run(instances) -> dict:
    result = {}
    for limit, instance in instances.items():
        result[f"solve_{limit:.0f}s"] = _solve(instance)
    instance = instances[10.0]
    candidates = default_candidates(instance, ())
    for pooled in (True, False):
        am = build_aggregate_model(instance, (), candidates, pool_weekdays=pooled)
        started = time.perf_counter()
        mip = MipJob(am.model, MIP_LIMIT_S, continuous=continuous_indices(am)).result()
        result["scip_pooled" if pooled else "scip_per_weekday"] = {
            "count_variables": len(am.n),
            "optimal": mip.optimal,
            "objective": mip.objective / VALUE_SCALE,
            "bound": mip.bound / VALUE_SCALE,
            "nodes": mip.nodes,
            "seconds": round(time.perf_counter() - started, 2),
            "cpu_s": mip.cpu_s,
        }
    am = build_aggregate_model(instance, (), candidates)
    solver = cp_solver(CP_SAT_S, workers=2)
    solver.Solve(am.model)
    result["cp_sat_aggregate_10s"] = {"objective": solver.ObjectiveValue() / VALUE_SCALE,
                                      "bound": solver.BestObjectiveBound() / VALUE_SCALE}
    result["lp_bound"] = lp_upper_bound(am.model, 10.0) / VALUE_SCALE
    return result


def _solve(instance) -> dict:
    events = []
    with SolveControl(events.append) as control:
        plan = solve_instance(instance, control=control)
    proven = next((e.elapsed_s for e in events if e.phase == "aggregate" and e.gap == 0.0), None)
    reached = next((e.elapsed_s for e in events if e.objective is not None and plan.solver.bound is not None
                    and round(e.objective * VALUE_SCALE) >= round(plan.solver.bound * VALUE_SCALE)), None)
    report = plan.solver
    return {"status": report.status, "objective": report.objective, "bound": report.bound,
            "gap_pct": None if report.gap is None else round(100 * report.gap, 3),
            "aggregate_proven_at_s": proven, "optimum_reached_at_s": reached, "wall_s": report.wall_s,
            "found_by": report.source}


TARGETS = {"proof-bourges": "the Bourges season proven optimal within 10 s on 2 cores"}
