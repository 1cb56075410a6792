"""Benchmark (e): re-plan benchmark (a) after one new must request, 3 s limit (target 1 s).

The published plan is benchmark (a)'s season (10 s, not timed here). The new request asks for a
stop in Ourouer-les-Bourdelins (18175), far from services and not visited in its window, during the
week of 16 November 2026. Measured: wall time of the re-plan, stops moved and their reasons.
A re-plan without stops, or a request reported served that the plan does not serve, is listed
under ``failures`` (an empty list is the pass).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bench.scenarios import bus_season
from planner.core.instance import build_instance
from planner.domain.request import Request
from planner.search.solve import solve_instance

WINDOW = (dt.date(2026, 11, 17), dt.date(2026, 11, 20))


def prepare() -> dict:
    scenario = bus_season("bourges")
    published = solve_instance(build_instance(scenario))
    visited = {s.insee for s in published.stops if WINDOW[0] <= s.date <= WINDOW[1]}
    target = "18175" if "18175" not in visited else next(
        c.insee for c in scenario.territory.communes if c.insee not in visited)
    request = Request("NOUVELLE", target, (WINDOW,), priority="must")
    changed = replace(scenario, requests=(request,), params=scenario.params.with_changes("solver", time_limit_s=3.0))
    return {"instance": build_instance(changed), "previous": published.stops, "published": published}


def run(instance, previous, published) -> dict:
    plan = solve_instance(instance, previous=previous)
    request = instance.scenario.requests[0]
    in_plan = sum(1 for s in plan.stops if s.insee == request.insee and request.in_window(s.date))
    reported = request.request_id not in {u.request_id for u in plan.unserved}
    failures = []
    if not plan.stops:
        failures.append("plan sans arrêt")
    if reported and in_plan < request.days:
        failures.append("demande annoncée servie mais absente du plan")
    return {
        "requested": instance.scenario.requests[0].insee,
        "published_objective": published.solver.objective,
        "status": plan.solver.status,
        "objective": plan.solver.objective,
        "moved_stops": len(plan.moved),
        "moves": [f"{m.commune} {m.from_date} -> {', '.join(map(str, m.to_dates)) or 'retiré'}" for m in plan.moved],
        "added": [f"{a.commune} {a.date}" for a in plan.added],
        "request_served": reported,
        "request_in_plan": in_plan >= request.days,
        "stops": len(plan.stops),
        "bound": plan.solver.bound,
        "gap_pct": None if plan.solver.gap is None else round(100 * plan.solver.gap, 3),
        "found_by": plan.solver.source,
        "failures": failures,
        "solver_wall_s": plan.solver.wall_s,
    }


TARGETS = {"replan": "<= 1 s, <= 2 stops moved, no failures"}
