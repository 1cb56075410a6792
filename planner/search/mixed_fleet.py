"""A fleet of mediators and buses: the mediators' weekly template first, then the buses around
it (no commune served twice on a day). The decomposition proves no global bound."""

from __future__ import annotations

from dataclasses import replace

from planner.core.control import SolveControl
from planner.core.distances import MatrixCache
from planner.core.evaluate import evaluate
from planner.core.instance import VALUE_SCALE, Instance, build_instance
from planner.domain.plan import Plan, SolverReport
from planner.domain.scenario import Forbidden
from planner.domain.stop import Stop
from planner.search.budget import mediators_first
from planner.search.bus_pipeline import solve_instance
from planner.search.criteria import StopCriteria
from planner.search.mediator_solve import solve_mediator


def solve_mixed(instance: Instance, previous: tuple[Stop, ...], control: SolveControl, cache: MatrixCache | None,
                criteria: StopCriteria) -> Plan:
    """``instance``: the whole fleet's, which scores the two plans together."""
    scenario = instance.scenario
    mediators = tuple(v for v in scenario.vehicles if v.kind == "mediator")
    buses = tuple(v for v in scenario.vehicles if v.kind != "mediator")
    first = solve_mediator(build_instance(replace(scenario, vehicles=mediators, pins=(), requests=()), cache),
                           control=control, criteria=mediators_first(criteria))
    blocked = tuple(Forbidden(s.insee, s.date) for s in first.stops)
    bus_scenario = replace(scenario, vehicles=buses, forbidden=scenario.forbidden + blocked)
    bus_previous = tuple(s for s in previous if s.vehicle in {v.name for v in buses})
    second = solve_instance(build_instance(bus_scenario, cache), previous=bus_previous, control=control,
                            criteria=criteria)
    if not second.feasible:
        return second
    evaluation = evaluate(instance, first.stops + second.stops)
    report = SolverReport("FEASIBLE", evaluation.objective_q / VALUE_SCALE, None, None,
                          round(first.solver.wall_s + second.solver.wall_s, 3), second.solver.seed,
                          second.solver.workers, source="médiateur puis bus (décomposition, sans borne globale)")
    metrics = replace(evaluation.metrics, unserved_requests=len(second.unserved))
    return Plan(evaluation.stops, second.unserved, report, metrics, scenario.params.to_dict(), (), second.moved,
                first.template)
