"""Benchmarks (a) and (b): the CP-SAT season of one bus, with its proven gap."""

from __future__ import annotations

from bench.figures import season_figures
from bench.scenarios import bus_season
from planner.core.instance import build_instance
from planner.search.solve import solve_instance


def prepare(territory: str) -> dict:
    return {"instance": build_instance(bus_season(territory))}


def run(instance) -> dict:
    plan = solve_instance(instance)
    solver = plan.solver
    return {
        "communes": len(instance.communes),
        "working_days": len(instance.working_days(0)),
        "status": solver.status,
        "objective": solver.objective,
        "bound": solver.bound,
        "gap_pct": round(100 * solver.gap, 3),
        "found_by": solver.source,
        **season_figures(plan.metrics),
        "solver_wall_s": solver.wall_s,
        "time_limit_s": instance.params.solver.time_limit_s,
    }


TARGETS = {"plan-bourges": "optimal or gap <= 0.5 % in 10 s, 2 workers", "plan-cher": "gap <= 1 % in 60 s"}
