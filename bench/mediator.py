"""Benchmark (d): the weekly rotation of a digital mediator in CC Terres du Haut Berry.

EPCI 200066330 (30 communes), base at Saint-Martin-d'Auxigny (18223): the EPCI's France Services
is there, and it is also the most populous commune. Monday to Friday, morning and afternoon,
7 September 2026 to 25 June 2027 (public holidays closed), 5 s of CP-SAT, 2 workers.
"""

from __future__ import annotations

from bench.figures import season_figures
from bench.scenarios import season
from planner import VehicleSpec
from planner.core.instance import build_instance
from planner.cpsat.mediator_model import build_mediator_model
from planner.search.mediator_solve import solve_mediator


def prepare(epci: str = "200066330", base: str = "18223", time_limit_s: float = 5.0, workers: int = 2) -> dict:
    mediator = VehicleSpec("médiateur", kind="mediator", base=base, weekdays="mon-fri")
    scenario = season(f"epci:{epci}", (mediator,), {"solver": {"time_limit_s": time_limit_s, "workers": workers}})
    return {"instance": build_instance(scenario)}


def run(instance) -> dict:
    plan = solve_mediator(instance)
    solver = plan.solver
    model = build_mediator_model(instance)  # only to report its size
    return {
        "communes": len(instance.communes),
        "day_types": len(model.types),
        "patterns": len(model.patterns),
        "status": solver.status,
        "objective_week": solver.objective,
        "bound_week": solver.bound,
        "gap_pct": round(100 * solver.gap, 3),
        "solver_wall_s": solver.wall_s,
        "time_limit_s": instance.params.solver.time_limit_s,
        "workers": solver.workers,
        "template": " | ".join(f"{t.weekday}.{t.slot} {t.commune}" for t in plan.template),
        "template_hours_unknown": plan.metrics.template.hours_unknown,
        "season_weeks": plan.metrics.template.season_weeks,
        **season_figures(plan.metrics),
    }


TARGETS = {"mediator-thb": "optimal within 5 s, 2 workers"}
