"""Tiny models holding one constraint family at a time: the stop (or count) variables of a model,
the one ``add_*`` under test, and an objective chosen by the test, so that the family's effect is
read on the optimum alone (the way the Timefold quickstarts verify each constraint)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.core.instance import build_instance
from planner.cpsat.aggregate_model import AggregateModel, create_count_variables
from planner.cpsat.mediator_model import MediatorModel, create_pattern_variables
from planner.cpsat.mediator_patterns import commune_hours, day_types, mediator_indices, template_days
from planner.cpsat.season_model import SeasonModel, create_stop_variables
from tests.conftest import commune, tiny_scenario

# Communes 1.1 km apart (more than the 0.5 km catchment of tiny_params: each reaches its own
# seniors only), a few km from the base: every stop is a day trip.
A = commune("18001", 47.01, 2.0, epci="E1")
B = commune("18002", 47.02, 2.0, epci="E2")


def stops_only(communes=(A,), **scenario) -> SeasonModel:
    """The season model's x[v, d, s] for every allowed stop, and no constraint yet."""
    instance = build_instance(tiny_scenario(list(communes), **scenario))
    sm = SeasonModel(instance)
    create_stop_variables(sm, set(range(len(instance.communes))))
    return sm


def optimum(model: cp_model.CpModel, objective, *, maximise: bool = True) -> tuple[str, int | None]:
    """(status name, optimal objective or None) of ``model`` with ``objective``."""
    if maximise:
        model.Maximize(objective)
    else:
        model.Minimize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10.0
    status = solver.Solve(model)
    value = round(solver.ObjectiveValue()) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    return solver.StatusName(status), value


def counts_only(communes=(A,), *, pool_weekdays: bool = False, dated=(), **scenario) -> AggregateModel:
    """The aggregate model's counts n[v, s, w] of every commune, and no constraint yet (a count
    per weekday unless ``pool_weekdays``; ``dated``: communes whose weekday matters)."""
    instance = build_instance(tiny_scenario(list(communes), **scenario))
    am = AggregateModel(instance)
    create_count_variables(am, set(range(len(instance.communes))), set(dated), pool_weekdays)
    return am


def patterns_only(scenario) -> MediatorModel:
    """The mediator model's pattern variables x[p] of ``scenario``, and no constraint yet."""
    instance = build_instance(scenario)
    mediators = mediator_indices(instance)
    mm = MediatorModel(instance=instance, mediators=mediators, days={v: template_days(instance, v) for v in mediators},
                       hours=commune_hours(instance))
    mm.types = day_types(mm)
    create_pattern_variables(mm)
    return mm


def best(m: SeasonModel | AggregateModel, *, maximise: bool = True) -> tuple[str, int | None]:
    """(status, optimum) of the most (or fewest) stops: the x of a season model, the n of an aggregate one."""
    stops = m.x.values() if isinstance(m, SeasonModel) else m.n.values()
    return optimum(m.model, sum(stops), maximise=maximise)


def with_family(m, add):
    """``m`` after ``add(m)``: the one constraint family under test."""
    add(m)
    return m
