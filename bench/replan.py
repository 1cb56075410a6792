"""Benchmark (e): re-plan benchmark (a) after one new must request, within 3 s.

The published plan is benchmark (a)'s season (10 s, not timed here). The new request asks for a
stop in Ourouer-les-Bourdelins (18175), far from services and not visited in its window, during the
week of 16 November 2026. Measured: wall time of the re-plan, stops moved and their reasons.
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
    return {
        "requested": instance.scenario.requests[0].insee,
        "published_objective": published.solver.objective,
        "status": plan.solver.status,
        "objective": plan.solver.objective,
        "moved_stops": len(plan.moved),
        "moves": [f"{m.commune} {m.from_date} -> {', '.join(map(str, m.to_dates)) or 'retiré'}" for m in plan.moved],
        "request_served": "NOUVELLE" not in {u.request_id for u in plan.unserved},
        "solver_wall_s": plan.solver.wall_s,
    }


TARGETS = {"replan": "<= 3 s, <= 3 stops moved"}
