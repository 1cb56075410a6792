"""The season model's phases of a bus solve: dates for the aggregate's counts, then the season
model itself, hinted with the best plan so far, until it meets the bound or the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.core.control import SolveControl, gap_of
from planner.core.instance import VALUE_SCALE
from planner.cpsat.aggregate_model import ANY_WEEKDAY, AggregateModel
from planner.cpsat.season_model import SeasonModel
from planner.cpsat.solver import cp_solver
from planner.domain.params import SolverParams
from planner.domain.stop import Stop
from planner.search.budget import MIN_PHASE_S, Budget
from planner.search.criteria import StopCriteria
from planner.search.incumbent import Incumbent


class Progress(cp_model.CpSolverSolutionCallback):
    """Reports each solution better than the plan already in hand as a "season" event.

    With a ``target`` (a proven upper bound from the aggregate model), the search stops as soon as
    a solution reaches it (that solution is optimal), or comes within the criteria's gap of it.
    """

    def __init__(self, control: SolveControl, *, target: float | None = None, best: float | None = None,
                 criteria: StopCriteria | None = None) -> None:
        super().__init__()
        self.control = control
        self.solutions = 0
        self.target = target
        self.best = best  # the best plan found by an earlier phase: only better ones are news
        self.criteria = criteria

    def on_solution_callback(self) -> None:
        self.solutions += 1
        objective = self.ObjectiveValue()
        bound = self.BestObjectiveBound() if self.target is None else min(self.target, self.BestObjectiveBound())
        if self.best is None or objective > self.best:
            self.best = objective
            self.control.emit("season", objective=objective / VALUE_SCALE, bound=bound / VALUE_SCALE,
                              gap=round(gap_of(objective, bound), 6), solutions=self.solutions)
        reached = self.target is not None and objective >= self.target - 1e-6
        close = self.criteria is not None and self.criteria.gap > 0 and self.criteria.good_enough(objective, bound)
        if reached or close:
            self.StopSearch()


@dataclass(frozen=True)
class SeasonAnswer:
    """The season search's plan (None when it found none better), its bound, its solutions."""

    best: Incumbent | None
    bound: float | None
    solutions: int
    infeasible: bool = False


def season_solver(settings: SolverParams, time_limit_s: float, gap: float = 0.0) -> cp_model.CpSolver:
    solver = cp_solver(time_limit_s, workers=settings.workers, seed=settings.seed, reproducible=settings.reproducible)
    if gap > 0:
        solver.parameters.relative_gap_limit = gap
    return solver


def search_season(sm: SeasonModel, best: Incumbent | None, bound: float | None, seconds: float, *,
                  global_bound: bool, settings: SolverParams, criteria: StopCriteria,
                  control: SolveControl) -> SeasonAnswer:
    """The season model hinted with ``best``, stopped once it reaches ``bound``. Its own bound
    tightens ``bound`` only when it is ``global_bound`` (nights not restricted to the aggregate's)."""
    if best is not None:
        hint(sm, best.stops)
    solver = season_solver(settings, max(MIN_PHASE_S, seconds), criteria.gap)
    callback = Progress(control, target=bound, best=best.objective_q if best else None, criteria=criteria)
    with control.running(solver):
        status = solver.Solve(sm.model, callback)
    if status == cp_model.INFEASIBLE:
        return SeasonAnswer(None, bound, callback.solutions, infeasible=True)
    found = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if global_bound:
            full_bound = solver.BestObjectiveBound()
            bound = full_bound if bound is None else min(bound, full_bound)
        if best is None or solver.ObjectiveValue() > best.objective_q:
            found = Incumbent(extract_stops(sm, solver), round(solver.ObjectiveValue()), "modèle saisonnier")
    return SeasonAnswer(found, bound, callback.solutions)


def chains_used(aggregate: AggregateModel, value: Callable) -> dict[int, set[tuple[int, int]]]:
    """Pairs the aggregate plan chains: the only nights away the season model then considers."""
    used: dict[int, set[tuple[int, int]]] = {}
    for (v, s, t, _w), count in _chain_counts(aggregate, value).items():
        if count > 0:
            used.setdefault(v, set()).add((s, t))
    return used


def _chain_counts(aggregate: AggregateModel, value: Callable) -> dict[tuple[int, int, int, int], int]:
    """Nights away of the aggregate plan per (v, s, t, weekday): its night counts summed over
    their position in the run (``AggregateModel.chain``, evaluated)."""
    counts = dict.fromkeys(aggregate.chain, 0)
    for (v, s, t, w, _k), var in aggregate.night.items():
        counts[v, s, t, w] += value(var)
    return counts


def hint(sm: SeasonModel, stops: tuple[Stop, ...]) -> None:
    """Hint every stop variable with ``stops`` (replacing the previous plan's hints: a variable
    hinted twice makes the model invalid)."""
    sm.model.ClearHints()
    instance = sm.instance
    index = instance.scenario.territory.index
    chosen = {(instance.vehicle_index(s.vehicle), s.date, index[s.insee]) for s in stops}
    for key, var in sm.x.items():
        sm.model.AddHint(var, key in chosen)


def dates_for_counts(sm: SeasonModel, aggregate: AggregateModel, value: Callable, settings: SolverParams,
                     budget: Budget, control: SolveControl) -> Incumbent | None:
    """Dates for the aggregate plan: the season model with its counts imposed, and its nights away
    too when they can be placed (else the counts alone)."""
    by_weekday: dict[tuple[int, int, int], list] = {}  # and (v, s, ANY_WEEKDAY): every day
    for (v, day, s), var in sm.x.items():
        by_weekday.setdefault((v, s, day.isoweekday()), []).append(var)
        by_weekday.setdefault((v, s, ANY_WEEKDAY), []).append(var)
    by_pair: dict[tuple[int, int, int, int], list] = {}
    for (v, day, s, t), var in sm.chain.items():
        by_pair.setdefault((v, s, t, day.isoweekday()), []).append(var)
    attempts = [True, False] if aggregate.chain else [False]
    for with_chains in attempts:
        if control.stopped():
            return None
        fixed = sm.model.clone()
        for key, var in aggregate.n.items():
            fixed.Add(sum(by_weekday.get(key, [])) == value(var))
        if with_chains:
            for key, count in _chain_counts(aggregate, value).items():
                fixed.Add(sum(by_pair.get(key, [])) == count)
        solver = season_solver(settings, budget.dating_seconds(len(attempts)))
        with control.running(solver):
            status = solver.Solve(fixed)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Incumbent(extract_stops(sm, solver), round(solver.ObjectiveValue()), "modèle agrégé")
    return None


def extract_stops(sm: SeasonModel, solver: cp_model.CpSolver) -> tuple[Stop, ...]:
    scenario = sm.instance.scenario
    away = {(v, day, s) for (v, day, s, _t), var in sm.chain.items() if solver.BooleanValue(var)}
    stops = [
        Stop(date=day, vehicle=scenario.vehicles[v].name, insee=sm.instance.communes[s].insee,
             away_after=(v, day, s) in away)
        for (v, day, s), var in sm.x.items() if solver.BooleanValue(var)
    ]
    return tuple(sorted(stops, key=lambda stop: (stop.date, stop.vehicle)))
