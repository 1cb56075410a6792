"""The exact re-plan of a bus season: repair the published plan, then re-solve with CP-SAT only the
days the repair touched, the rest of the season frozen as published."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ortools.sat.python import cp_model

from planner.core.evaluate import served_requests
from planner.core.instance import VALUE_SCALE, Instance
from planner.cpsat.aggregate_model import build_aggregate_model
from planner.cpsat.relaxation import lp_upper_bound
from planner.cpsat.season_model import build_season_model
from planner.cpsat.solver import cp_solver
from planner.domain.plan import Plan
from planner.search.finish import Run, finish
from planner.search.incumbent import Incumbent, incumbent
from planner.search.repair import Repair, repair_plan
from planner.search.season_phase import extract_stops, hint


def exact_replan(run: Run) -> Plan | None:
    """Re-plan by repairing the published plan (planner/search/repair.py), then re-solve exactly with
    CP-SAT the days the repair touched and those within the revisit gap of them (plus the windows
    of should requests left unserved), the rest of the season frozen as published. The bound is the
    LP relaxation of the aggregate model (with the same move penalties): global, and solved in
    hundredths of a second. None when the repair cannot keep every rule: the full search then runs."""
    instance, previous, control = run.instance, run.previous, run.control
    settings = instance.params.solver
    repair = repair_plan(instance, previous, run.servable, run.candidates)
    if repair is None:
        return None
    best = incumbent(instance, repair.stops, previous, "plan précédent réparé")
    if best is None:
        return None
    control.emit("repair", objective=best.objective_q / VALUE_SCALE, message=best.source)
    free = _neighbourhood(instance, repair, run.servable)
    index = instance.scenario.territory.index
    at = {(instance.vehicle_index(s.vehicle), s.date): index[s.insee] for s in repair.stops}
    frozen = {(v, d): at.get((v, d)) for v in range(len(instance.scenario.vehicles))
              for d in instance.working_days(v) if (v, d) not in free}
    aggregate = build_aggregate_model(instance, run.servable, run.candidates, previous)
    bound = lp_upper_bound(aggregate.model, run.budget.replan_lp_seconds())
    if free and not control.stopped():
        sm = build_season_model(instance, run.servable, candidates=run.candidates, previous=previous, frozen=frozen)
        hint(sm, best.stops)
        # Measured on bench (e): one worker with the full linearisation proves the neighbourhood
        # optimal in 0.3 s; two default workers had not moved their bound after 4 s.
        solver = cp_solver(run.budget.replan_seconds(), workers=1, seed=settings.seed,
                           reproducible=settings.reproducible)
        solver.parameters.linearization_level = 2
        with control.running(solver):
            status = solver.Solve(sm.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and round(solver.ObjectiveValue()) > best.objective_q:
            best = Incumbent(extract_stops(sm, solver), round(solver.ObjectiveValue()),
                             "plan précédent réparé + semaines touchées (CP-SAT)")
        if status == cp_model.OPTIMAL:
            best = replace(best, source=f"{best.source}, optimal sur les {len(free)} jours revus")
        control.emit("replan", objective=best.objective_q / VALUE_SCALE,
                     message=f"{len(free)} jours revus ({solver.StatusName(status)}), le reste de la saison inchangé")
    return finish(run, best, bound, 0)


def _neighbourhood(instance: Instance, repair: Repair, servable) -> set[tuple[int, dt.date]]:
    """(vehicle, day) pairs a re-plan may change: those the repair touched, the days within the
    revisit gap of them, and the windows of the should requests the repaired plan leaves unserved."""
    gap = dt.timedelta(days=instance.params.rules.gap_days)
    touched = sorted({d for _v, d in repair.touched})
    served = set(served_requests(tuple(servable), list(repair.stops)))
    windows = [r for r in servable if r.priority == "should" and r.request_id not in served]
    free = set()
    for v in range(len(instance.scenario.vehicles)):
        for day in instance.working_days(v):
            near = any(abs(day - t) < gap for t in touched)
            if near or any(r.in_window(day) for r in windows):
                free.add((v, day))
    return free
