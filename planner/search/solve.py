"""Solve a scenario with CP-SAT and turn the answer into a Plan with metrics and reasons.

``solve`` is the entry point: progress goes out as SolveEvent values through ``on_event``, and
``should_stop`` ends the search early with the best plan found so far (marked ``stopped``).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from planner.core.control import POLL_S, SolveControl, SolveEvent, gap_of, idle_control
from planner.core.distances import MatrixCache
from planner.core.evaluate import evaluate, served_requests
from planner.core.instance import VALUE_SCALE, Instance, build_instance
from planner.core.reasons import plan_reason, static_reason
from planner.core.unvisited import explain_unvisited
from planner.cpsat.aggregate_model import (
    ANY_WEEKDAY,
    AggregateModel,
    build_aggregate_model,
    continuous_indices,
    hint_from_stops,
    weekday_counts,
)
from planner.cpsat.diagnosis import diagnose, must_overload, pin_conflicts
from planner.cpsat.exact import MipJob, MipResult
from planner.cpsat.relaxation import lp_bound_in_background, lp_upper_bound
from planner.cpsat.season_model import SeasonModel, build_season_model, default_candidates
from planner.cpsat.sequencing import sequence_plan
from planner.cpsat.solver import cp_solver
from planner.domain.plan import Plan, SolverReport, Unserved
from planner.domain.scenario import Forbidden, Scenario
from planner.domain.stop import Stop
from planner.search.candidates import filter_candidates
from planner.search.dating import place_in_rounds, place_units
from planner.search.greedy import greedy_stops
from planner.search.local_search import improve_stops, searchable
from planner.search.mediator_replan import replan_mediator
from planner.search.mediator_solve import solve_mediator
from planner.search.repair import Repair, repair_plan
from planner.search.replan import explain_additions, explain_moves

# Share of the time limit for the aggregate model: nearly all of it when dates do not matter beyond
# their weekday (no requests, pins, dated closures of a commune, previous plan to stay close to or
# overnight weeks to keep sequenceable).
AGGREGATE_SHARE = {False: 0.8, True: 0.5}
FIXED_SHARE = 0.2  # for finding dates for the aggregate counts
MIN_PHASE_S = 1.0  # a phase gets at least this, even when the aggregate used the whole budget
FINISH_RESERVE_S = 0.5  # kept from the time limit for building models, dating and scoring the plan
LARGE_MODEL = 120_000  # stop variables beyond which the season model is not built unless dates matter
LOCAL_SEARCH_SHARE = 0.05  # of the time limit, at most, for each stop-by-stop local search
LARGE_AGGREGATE_SHARE = 0.93  # then the aggregate model has the time, constructive dates take a second
# When SCIP searches for a proof and dates need nothing but their weekday: every second of the
# search counts; constructive dates (in rounds: exact on the Bourges season) and swaps take a few
# tenths (the season model, should they lose value, then only runs if a second is left).
PROOF_SHARE = 0.85
REPLAN_SHARE = 0.2  # of the time limit, at most, for re-solving the days a re-plan touched
MIP_PATIENCE_S = {False: 1.0, True: 0.3}  # to wait for an interrupted MIP search (stopped by the caller or not)
LP_SHARE = 0.4  # of the time limit, at most, for the LP relaxation of a large aggregate model (in a thread)


class Progress(cp_model.CpSolverSolutionCallback):
    """Reports each solution better than the plan already in hand as a "season" event.

    With a ``target`` (a proven upper bound from the aggregate model), the search stops as soon as
    a solution reaches it: that solution is optimal.
    """

    def __init__(self, control: SolveControl, *, target: float | None = None, best: float | None = None) -> None:
        super().__init__()
        self.control = control
        self.solutions = 0
        self.target = target
        self.best = best  # the best plan found by an earlier phase: only better ones are news

    def on_solution_callback(self) -> None:
        self.solutions += 1
        objective = self.ObjectiveValue()
        bound = self.BestObjectiveBound() if self.target is None else min(self.target, self.BestObjectiveBound())
        if self.best is None or objective > self.best:
            self.best = objective
            self.control.emit("season", objective=objective / VALUE_SCALE, bound=bound / VALUE_SCALE,
                              gap=round(gap_of(objective, bound), 6), solutions=self.solutions)
        if self.target is not None and objective >= self.target - 1e-6:
            self.StopSearch()


def solve(scenario: Scenario, *, previous: tuple[Stop, ...] = (), on_event: Callable[[SolveEvent], None] | None = None,
          should_stop: Callable[[], bool] | None = None, cache: MatrixCache | None = None) -> Plan:
    """The best plan within the scenario's solver settings, or a diagnosis; the plan keeps the
    scenario's spec. ``on_event`` hears each phase and better solution (from this thread);
    ``should_stop`` is polled every 0.1 s and, once true, the best plan so far comes back within a
    second with ``solver.stopped`` set."""
    with SolveControl(on_event, should_stop) as control:
        control.emit("model", message="modèle")
        plan = solve_scenario(scenario, previous=previous, control=control, cache=cache)
        if plan.solver is not None:  # a stopped run is not reproducible: the moment of the stop decided it
            stopped = control.stopped()
            plan = replace(plan, solver=replace(plan.solver, stopped=stopped,
                                                reproducible=scenario.params.solver.reproducible and not stopped))
        report = plan.solver
        control.emit("done", objective=report.objective if report else None, bound=report.bound if report else None,
                     gap=report.gap if report else None, solutions=report.solutions if report else 0,
                     message=report.status if report else "")
    return replace(plan, spec=scenario.spec)


def solve_scenario(scenario: Scenario, *, previous: tuple[Stop, ...] = (), control: SolveControl | None = None,
                   cache: MatrixCache | None = None) -> Plan:
    """Buses (season model), mediators (weekly template), or both: mediators first, then the buses
    around them (no commune served twice on a day); a mixed fleet gets no global bound."""
    control = control or idle_control()
    kinds = {v.kind for v in scenario.vehicles}
    if kinds == {"mediator"}:
        instance = build_instance(scenario, cache)
        plan = replan_mediator(instance, previous, control) if previous else None
        if plan is None:  # no previous plan, or its repair cannot keep every rule: a new rotation
            plan = solve_mediator(instance, control=control)
            if previous and plan.stops:
                plan = replace(plan, moved=explain_moves(instance, previous, plan.stops),
                               added=explain_additions(instance, previous, plan.stops))
    elif kinds == {"bus"}:
        instance = build_instance(scenario, cache)
        plan = solve_instance(instance, previous=previous, control=control)
    else:
        plan = _solve_mixed(scenario, previous, control, cache)
        instance = build_instance(scenario, cache)
    return with_unvisited(instance, plan)


def with_unvisited(instance: Instance, plan: Plan, candidates: set[int] | None = None) -> Plan:
    """The plan with its communes that have need and no stop, each with its reason."""
    if not plan.stops:
        return plan
    settings = instance.params.solver
    if candidates is None and settings.max_candidates:
        candidates = filter_candidates(instance, tuple(r for r in instance.scenario.requests if r.active),
                                       settings.max_candidates)
    return replace(plan, unvisited=explain_unvisited(instance, plan.stops, candidates))


def _solve_mixed(scenario: Scenario, previous: tuple[Stop, ...], control: SolveControl, cache) -> Plan:
    mediators = tuple(v for v in scenario.vehicles if v.kind == "mediator")
    buses = tuple(v for v in scenario.vehicles if v.kind != "mediator")
    first = solve_mediator(build_instance(replace(scenario, vehicles=mediators, pins=(), requests=()), cache),
                           control=control)
    blocked = tuple(Forbidden(s.insee, s.date) for s in first.stops)
    bus_scenario = replace(scenario, vehicles=buses, forbidden=scenario.forbidden + blocked)
    bus_previous = tuple(s for s in previous if s.vehicle in {v.name for v in buses})
    second = solve_instance(build_instance(bus_scenario, cache), previous=bus_previous, control=control)
    if not second.feasible:
        return second
    instance = build_instance(scenario, cache)
    evaluation = evaluate(instance, first.stops + second.stops)
    report = SolverReport("FEASIBLE", evaluation.objective_q / VALUE_SCALE, None, None,
                          round(first.solver.wall_s + second.solver.wall_s, 3), second.solver.seed,
                          second.solver.workers, source="médiateur puis bus (décomposition, sans borne globale)")
    metrics = replace(evaluation.metrics, unserved_requests=len(second.unserved))
    return Plan(evaluation.stops, second.unserved, report, metrics, scenario.params.to_dict(), (), second.moved,
                first.template)


@dataclass(frozen=True)
class Incumbent:
    """Best plan so far and its objective in the solver's integers (with re-plan penalties)."""

    stops: tuple[Stop, ...]
    objective_q: int
    source: str


def solve_instance(instance: Instance, *, previous: tuple[Stop, ...] = (), candidates: set[int] | None = None,
                   control: SolveControl | None = None) -> Plan:
    """Best plan within the solver settings of the scenario's params, or a diagnosis.

    The time limit is shared by: the aggregate model (counts per commune and weekday, hinted with
    the greedy plan; its bound bounds the season's optimum), finding dates for its counts with the
    season model, and the season model itself, hinted with the best plan so far, which stops as
    soon as it meets the aggregate bound. The best plan found by any phase is returned, also when
    the caller stops the solve early (each phase is then cut short or skipped).
    """
    control = control or idle_control()
    scenario = instance.scenario
    settings = instance.params.solver
    static = {r.request_id: static_reason(instance, r) for r in scenario.requests}
    unserved = [u for u in static.values() if u is not None]
    servable = tuple(r for r in scenario.requests if r.active and static[r.request_id] is None)
    conflicts = pin_conflicts(instance) or must_overload(instance, servable)
    if conflicts:
        report = SolverReport("INFEASIBLE", None, None, None, 0.0, settings.seed, settings.workers)
        return Plan((), tuple(unserved), report, params=instance.params.to_dict(), conflicts=tuple(conflicts))
    started = time.perf_counter()
    budget = Budget(settings.time_limit_s, started, settings.reproducible)
    if candidates is None:
        candidates = (filter_candidates(instance, servable, settings.max_candidates) if settings.max_candidates
                      else default_candidates(instance, servable))
    if previous:
        # The published stops stay possible, whatever the candidate filter says of their communes.
        index = scenario.territory.index
        candidates = candidates | {index[s.insee] for s in previous if s.insee in index}
        replanned = _replan(instance, previous, servable, unserved, candidates, started, budget, control)
        if replanned is not None:
            return replanned
    best: Incumbent | None = None
    local_search = searchable(instance, previous, servable)

    aggregate = build_aggregate_model(instance, servable, candidates, previous)
    large = sum(len(instance.working_days(v)) for v in range(len(scenario.vehicles))) * len(candidates) > LARGE_MODEL
    # On large models CP-SAT's bound lags the LP relaxation's: take the better of the two. The LP
    # is solved beside the greedy start and the aggregate search.
    # A reproducible run has no LP bound: whether it is ready in time depends on the clock.
    lp_job = (lp_bound_in_background(aggregate.model, LP_SHARE * settings.time_limit_s)
              if large and not settings.reproducible else None)
    # Dates matter beyond their weekday: the season model must place them (constructive dates
    # ignore requests, pins, dated closures of a commune and the previous plan).
    needs_dates = bool(servable or scenario.pins or previous or any(f.date for f in scenario.forbidden))
    proof = not large and not settings.reproducible
    share = (LARGE_AGGREGATE_SHARE if large and not needs_dates
             else PROOF_SHARE if proof and not (needs_dates or instance.has_overnight)
             else AGGREGATE_SHARE[needs_dates or instance.has_overnight])
    # CP-SAT's bound on the aggregate stalls above the optimum; SCIP's branch and cut proves it
    # (planner/cpsat/exact.py). It runs in a thread from now on, beside the greedy start and one
    # CP-SAT worker fewer. Not in a reproducible run (its time limit is the clock's), nor on large
    # models (their aggregate is beyond a proof in the time limit; the LP bounds them).
    mip_job = (MipJob(aggregate.model, budget.share(share), seed=settings.seed,
                      continuous=continuous_indices(aggregate))
               if proof else None)
    start_stops, start = _start(instance, candidates, previous, servable, budget.local_search_deadline(), control)
    if start is not None:
        best = start
    if control.stopped():
        _interrupted(mip_job, control)
        return _finish(instance, servable, unserved, previous, best, None, started, control, 0, candidates)
    hint_from_stops(aggregate, start_stops)
    deadline = budget.deadline
    answer = _solve_aggregate(aggregate, mip_job, settings, budget.share(share), control)
    if answer.infeasible:
        return _infeasible(instance, servable, unserved, settings, started, control)
    found = answer.objective is not None
    bound = answer.bound
    lp_bound = _ready(lp_job, deadline, control)
    if bound is not None and lp_bound is not None:
        bound = min(bound, lp_bound)
    if found:
        objective = answer.objective
        control.emit("aggregate", objective=objective / VALUE_SCALE,
                     bound=None if bound is None else bound / VALUE_SCALE,
                     gap=None if bound is None else round(gap_of(objective, bound), 6), message=answer.status)

    agg_objective = answer.objective
    if found:
        placed = _placed(instance, aggregate, answer.value, previous, candidates, "modèle agrégé",
                         local_search and not control.stopped(), budget, control)
        if placed is not None and (best is None or placed.objective_q > best.objective_q):
            best = placed
    solutions = 0
    realised = best is not None and agg_objective is not None and best.objective_q >= agg_objective
    # Building the season model takes seconds on a loaded machine: not when the time is up and a
    # plan is in hand (the limit would be overrun for a search that could not run).
    late = best is not None and budget.left() < MIN_PHASE_S
    if control.stopped() or (not needs_dates and (large or realised or late)):
        return _finish(instance, servable, unserved, previous, best, bound, started, control, solutions, candidates)
    chains = _chains_used(aggregate, answer.value) if found and instance.has_overnight else None
    sm = build_season_model(instance, servable, candidates=candidates, previous=previous, chains=chains)
    if found and not realised:
        dated_plan = _dates_for_counts(sm, aggregate, answer.value, settings, budget, control)
        if dated_plan is not None and (best is None or dated_plan.objective_q > best.objective_q):
            best = dated_plan
            control.emit("dating", objective=best.objective_q / VALUE_SCALE, message=best.source)
    remaining = budget.rest(share)
    if not control.stopped() and (best is None or (bound is not None and best.objective_q < bound
                                                   and remaining >= MIN_PHASE_S / 2)):
        if best is not None:
            _hint(sm, best.stops)
        solver = _solver(settings, max(MIN_PHASE_S, remaining))
        callback = Progress(control, target=bound, best=best.objective_q if best else None)
        with control.running(solver):
            status = solver.Solve(sm.model, callback)
        solutions = callback.solutions
        if status == cp_model.INFEASIBLE:
            return _infeasible(instance, servable, unserved, settings, started, control)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if chains is None:  # with nights restricted to the aggregate's pairs, its bound is not global
                full_bound = solver.BestObjectiveBound()
                bound = full_bound if bound is None else min(bound, full_bound)
            if best is None or solver.ObjectiveValue() > best.objective_q:
                best = Incumbent(extract_stops(sm, solver), round(solver.ObjectiveValue()), "modèle saisonnier")
    return _finish(instance, servable, unserved, previous, best, bound, started, control, solutions, candidates)


def _replan(instance: Instance, previous: tuple[Stop, ...], servable, unserved: list, candidates: set[int],
            started: float, budget: Budget, control: SolveControl) -> Plan | None:
    """Re-plan by repairing the published plan (planner/search/repair.py), then re-solve exactly with
    CP-SAT the days the repair touched and those within the revisit gap of them (plus the windows
    of should requests left unserved), the rest of the season frozen as published. The bound is the
    LP relaxation of the aggregate model (with the same move penalties): global, and solved in
    hundredths of a second. None when the repair cannot keep every rule: the full search then runs."""
    settings = instance.params.solver
    repair = repair_plan(instance, previous, servable, candidates)
    if repair is None:
        return None
    best = _incumbent(instance, repair.stops, previous, "plan précédent réparé")
    if best is None:
        return None
    control.emit("repair", objective=best.objective_q / VALUE_SCALE, message=best.source)
    free = _neighbourhood(instance, repair, servable)
    index = instance.scenario.territory.index
    at = {(instance.vehicle_index(s.vehicle), s.date): index[s.insee] for s in repair.stops}
    frozen = {(v, d): at.get((v, d)) for v in range(len(instance.scenario.vehicles))
              for d in instance.working_days(v) if (v, d) not in free}
    aggregate = build_aggregate_model(instance, servable, candidates, previous)
    bound = lp_upper_bound(aggregate.model, max(MIN_PHASE_S / 2, 0.2 * settings.time_limit_s))
    if free and not control.stopped():
        sm = build_season_model(instance, servable, candidates=candidates, previous=previous, frozen=frozen)
        _hint(sm, best.stops)
        # Measured on bench (e): one worker with the full linearisation proves the neighbourhood
        # optimal in 0.3 s; two default workers had not moved their bound after 4 s.
        solver = cp_solver(budget.capped(REPLAN_SHARE * settings.time_limit_s), workers=1, seed=settings.seed,
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
    return _finish(instance, servable, unserved, previous, best, bound, started, control, 0, candidates)


def _neighbourhood(instance: Instance, repair: Repair, servable) -> set[tuple[int, dt.date]]:
    """(vehicle, day) pairs a re-plan may change: those the repair touched, the days within the
    revisit gap of them, and the windows of the should requests the repaired plan leaves unserved."""
    gap = dt.timedelta(days=max(1, instance.params.rules.min_gap_days))
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


@dataclass(frozen=True)
class Budget:
    """Seconds for each phase out of the time limit: what the clock leaves of it, or, in a
    reproducible run, fixed shares of it (CP-SAT then counts deterministic seconds and the local
    search runs to its local optimum), so that no clock steers the search."""

    limit: float
    started: float
    reproducible: bool

    @property
    def deadline(self) -> float:
        """When the phases must end, leaving time to score and explain the plan."""
        return self.started + self.limit - max(FINISH_RESERVE_S, 0.05 * self.limit)

    def share(self, fraction: float) -> float:
        """Seconds of a phase that may last until ``fraction`` of the time to the deadline."""
        span = self.deadline - self.started
        used = 0.0 if self.reproducible else time.perf_counter() - self.started
        return max(MIN_PHASE_S / 2, fraction * span - used)

    def rest(self, fraction_used: float) -> float:
        """Seconds left to the deadline once ``fraction_used`` of it went to earlier phases."""
        if self.reproducible:
            return (1 - fraction_used) * (self.deadline - self.started)
        return self.deadline - time.perf_counter()

    def left(self) -> float:
        """Seconds to the deadline (a reproducible run always has its shares)."""
        return math.inf if self.reproducible else self.deadline - time.perf_counter()

    def capped(self, seconds: float) -> float:
        """``seconds``, or what is left to the deadline if that is less."""
        left = seconds if self.reproducible else min(seconds, self.deadline - time.perf_counter())
        return max(MIN_PHASE_S / 2, left)

    def local_search_deadline(self) -> float:
        return math.inf if self.reproducible else time.perf_counter() + LOCAL_SEARCH_SHARE * self.limit

    def finish_deadline(self) -> float:
        return math.inf if self.reproducible else self.started + self.limit - FINISH_RESERVE_S


def _finish(instance: Instance, servable, unserved: list, previous: tuple[Stop, ...], best: Incumbent | None,
            bound: float | None, started: float, control: SolveControl, solutions: int, candidates: set[int]) -> Plan:
    """Polish overnight weeks (then swap stops again in the time left: new dates open new swaps),
    score the best plan, explain unserved requests and moves, report."""
    settings = instance.params.solver
    if best is not None and instance.has_overnight and not control.stopped():
        best = _polish_weeks(instance, previous, best, settings.sequencing, control)
        end = Budget(settings.time_limit_s, started, settings.reproducible).finish_deadline()
        if searchable(instance, previous, servable) and time.perf_counter() < end and not control.stopped():
            best = _improve(instance, best, candidates, end, control)
    wall = round(time.perf_counter() - started, 3)
    if best is None:
        report = SolverReport("UNKNOWN", None, None, None, wall, settings.seed, settings.workers, solutions)
        unserved += [Unserved(r.request_id, r.insee, r.priority, "no_plan", "aucun plan trouvé dans le temps imparti")
                     for r in servable]
        return Plan((), tuple(unserved), report, params=instance.params.to_dict())
    evaluation = evaluate(instance, best.stops)
    for request in servable:
        if request.request_id not in evaluation.served_requests:
            unserved.append(plan_reason(instance, request, evaluation.stops))
    if bound is None:  # no phase proved anything: say so rather than claim a gap
        report = SolverReport("FEASIBLE", best.objective_q / VALUE_SCALE, None, None, wall, settings.seed,
                              settings.workers, solutions, best.source)
    else:
        bound = max(bound, best.objective_q)  # integer rounding of CP-SAT's bound only
        gap = gap_of(best.objective_q, bound)
        report = SolverReport("OPTIMAL" if gap <= 1e-9 else "FEASIBLE", best.objective_q / VALUE_SCALE,
                              bound / VALUE_SCALE, round(gap, 6), wall, settings.seed, settings.workers, solutions,
                              best.source)
    moved = explain_moves(instance, previous, evaluation.stops)
    added = explain_additions(instance, previous, evaluation.stops) if previous else ()
    metrics = replace(evaluation.metrics, unserved_requests=len(unserved))
    return Plan(evaluation.stops, tuple(unserved), report, metrics, instance.params.to_dict(), (), moved, added=added)


@dataclass(frozen=True)
class AggregateAnswer:
    """The aggregate phase's best counts (``value`` of each model variable), their objective and
    the best proven bound, from CP-SAT, SCIP or both; ``status`` names who proved what."""

    objective: int | None
    bound: float | None
    value: Callable[[cp_model.IntVar], int] | None
    status: str
    infeasible: bool = False


def _solve_aggregate(aggregate: AggregateModel, mip_job: MipJob | None, settings, time_limit_s: float,
                     control: SolveControl) -> AggregateAnswer:
    """CP-SAT on the aggregate model, beside SCIP when a MIP search runs: CP-SAT stops as soon as
    SCIP has proven the optimum, SCIP is interrupted when CP-SAT's time is up (it then gives its
    best solution and bound); the better solution and the lower bound are kept."""
    workers = settings.workers if mip_job is None else max(1, settings.workers - 1)
    solver = cp_solver(time_limit_s, workers=workers, seed=settings.seed, reproducible=settings.reproducible)
    status = cp_model.UNKNOWN
    if mip_job is None or not _proven(mip_job):
        if mip_job is not None:
            mip_job.add_done_callback(lambda result: result is not None and result.optimal and solver.stop_search())
        with control.running(solver):
            status = solver.Solve(aggregate.model)
    mip = _interrupted(mip_job, control)
    answers: list[tuple[int, Callable, str]] = []
    bounds: list[float] = []
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        answers.append((round(solver.ObjectiveValue()), solver.Value, solver.StatusName(status)))
        bounds.append(solver.BestObjectiveBound())
    if mip is not None and mip.bound is not None:
        bounds.append(mip.bound)
        if mip.objective is not None:
            answers.append((mip.objective, mip.value, f"{'OPTIMAL' if mip.optimal else 'FEASIBLE'} (SCIP)"))
    if not answers:
        return AggregateAnswer(None, min(bounds, default=None), None, solver.StatusName(status),
                               infeasible=status == cp_model.INFEASIBLE)
    objective, value, name = max(answers, key=lambda answer: answer[0])
    bound = min(bounds)
    if bound <= objective:
        name = name.replace("FEASIBLE", "OPTIMAL")
    return AggregateAnswer(objective, bound, value, name)


def _proven(job: MipJob) -> bool:
    if not job.done():
        return False
    result = job.result()
    return result is not None and result.optimal


def _interrupted(job: MipJob | None, control: SolveControl) -> MipResult | None:
    """The MIP search's answer now: interrupted if it still runs (SCIP returns within moments),
    waited for less long when the caller asked to stop."""
    if job is None:
        return None
    return job.stop(MIP_PATIENCE_S[control.stopped()])


def _placed(instance: Instance, aggregate: AggregateModel, value: Callable, previous: tuple[Stop, ...],
            candidates: set[int], source: str, local_search: bool, budget: Budget, control: SolveControl
            ) -> Incumbent | None:
    """The aggregate's answer with constructive dates, then swapped stop by stop if allowed."""
    counts = weekday_counts(aggregate, value)
    nights = {key: value(var) for key, var in aggregate.night.items()}
    placed = _incumbent(instance, place_units(instance, counts, nights), previous, source)
    pooled = {(v, s): value(var) for (v, s, w), var in aggregate.n.items() if w == ANY_WEEKDAY}
    if pooled:  # weekday-indifferent counts packed in rounds: often exact where the spread placement is not
        bound_counts = {key: value(var) for key, var in aggregate.n.items() if key[2] != ANY_WEEKDAY}
        rounds = place_in_rounds(instance, bound_counts, pooled)
        in_rounds = None if rounds is None else _incumbent(instance, rounds, previous, source)
        if in_rounds is not None and (placed is None or in_rounds.objective_q > placed.objective_q):
            placed = in_rounds
    if placed is None or not local_search:
        return placed
    return _improve(instance, placed, candidates, budget.local_search_deadline(), control)


def _ready(job: Future[float | None] | None, deadline: float, control: SolveControl) -> float | None:
    """The LP bound if it is solved by the deadline: a slow LP must not hold the plan back, nor a stop."""
    if job is None:
        return None
    while not control.stopped():
        try:
            return job.result(timeout=max(0.0, min(POLL_S, deadline - time.perf_counter())))
        except TimeoutError:
            if time.perf_counter() >= deadline:
                return None
    return None


def _start(instance: Instance, candidates: set[int], previous: tuple[Stop, ...], servable, deadline: float,
           control: SolveControl) -> tuple[tuple[Stop, ...], Incumbent | None]:
    """Stops to hint the models with, and the plan they make if it breaks no rule: the previous
    plan when re-planning, else the better greedy plan (day by day, and for vehicles that may stay
    away also preferring overnight runs), improved by the local search when the scenario allows."""
    if previous:
        return previous, _incumbent(instance, previous, previous, "précédent")
    variants = [greedy_stops(instance, candidates, prefer_runs=runs)
                for runs in ([False, True] if instance.has_overnight else [False])]
    plans = [p for p in (_incumbent(instance, stops, (), "glouton") for stops in variants) if p is not None]
    if not plans:
        return variants[0], None
    best = max(plans, key=lambda p: p.objective_q)
    control.emit("greedy", objective=best.objective_q / VALUE_SCALE, message=best.source)
    if searchable(instance, previous, servable) and not control.stopped():
        best = _improve(instance, best, candidates, deadline, control)
    return best.stops, best


def _improve(instance: Instance, plan: Incumbent, candidates: set[int], deadline: float,
             control: SolveControl) -> Incumbent:
    """The plan after the stop-by-stop local search, if that scores better."""
    stops = improve_stops(instance, plan.stops, candidates, deadline, instance.params.solver.seed,
                          stopped=control.stopped)
    improved = _incumbent(instance, stops, (), f"{plan.source} + échanges")
    if improved is not None and improved.objective_q > plan.objective_q:
        control.emit("local_search", objective=improved.objective_q / VALUE_SCALE, message=improved.source)
        return improved
    return plan


def _chains_used(aggregate: AggregateModel, value: Callable) -> dict[int, set[tuple[int, int]]]:
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


def _polish_weeks(instance: Instance, previous: tuple[Stop, ...], best: Incumbent, method: str,
                  control: SolveControl) -> Incumbent:
    """Re-sequence each week of the vehicles that may stay away; keep it only if it scores better."""
    if method == "none":
        return best
    stops = sequence_plan(instance, best.stops, method, stopped=control.stopped)
    polished = _incumbent(instance, stops, previous, f"{best.source} + semaines ({method})")
    if polished is not None and polished.objective_q > best.objective_q:
        control.emit("sequencing", objective=polished.objective_q / VALUE_SCALE, message=polished.source)
        return polished
    return best


def _incumbent(instance: Instance, stops: tuple[Stop, ...], previous: tuple[Stop, ...], source: str) -> Incumbent | None:
    """A starting plan counts only if it breaks no rule (the greedy ignores must requests and quotas).
    A must request that no plan can serve (a static reason, reported unserved) is not held against it:
    otherwise every greedy and dated plan was refused and a short solve fell back on CP-SAT's first,
    poor solution."""
    evaluation = evaluate(instance, stops)
    if any(not _excused(instance, v) for v in evaluation.violations):
        return None
    kept = {(s.date, s.vehicle, s.insee) for s in stops}
    moved = sum(1 for p in previous if (p.date, p.vehicle, p.insee) not in kept)
    return Incumbent(stops, evaluation.objective_q - instance.move_penalty_q * moved, source)


def _excused(instance: Instance, violation) -> bool:
    """A must request left unserved because no plan can serve it (it is reported with its reason)."""
    if violation.rule != "must_unserved":
        return False
    request = next((r for r in instance.scenario.requests if r.request_id == violation.request_id), None)
    return request is not None and static_reason(instance, request) is not None


def _hint(sm: SeasonModel, stops: tuple[Stop, ...]) -> None:
    """Hint every stop variable with ``stops`` (replacing the previous plan's hints: a variable
    hinted twice makes the model invalid)."""
    sm.model.ClearHints()
    instance = sm.instance
    index = instance.scenario.territory.index
    chosen = {(instance.vehicle_index(s.vehicle), s.date, index[s.insee]) for s in stops}
    for key, var in sm.x.items():
        sm.model.AddHint(var, key in chosen)


def _solver(settings, time_limit_s: float) -> cp_model.CpSolver:
    return cp_solver(time_limit_s, workers=settings.workers, seed=settings.seed, reproducible=settings.reproducible)


def _dates_for_counts(sm: SeasonModel, aggregate: AggregateModel, value: Callable, settings,
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
        solver = _solver(settings, budget.capped(FIXED_SHARE * settings.time_limit_s / len(attempts)))
        with control.running(solver):
            status = solver.Solve(fixed)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Incumbent(extract_stops(sm, solver), round(solver.ObjectiveValue()), "modèle agrégé")
    return None


DIAGNOSIS_FLOOR_S = 0.5


def _infeasible(instance: Instance, servable, unserved, settings, started: float, control: SolveControl) -> Plan:
    # The diagnosis shares the run's time limit (at least a moment to name a conflict).
    remaining = settings.time_limit_s - (time.perf_counter() - started)
    conflicts = diagnose(instance, servable, control, time_limit_s=max(DIAGNOSIS_FLOOR_S, remaining))
    report = SolverReport("INFEASIBLE", None, None, None, round(time.perf_counter() - started, 3), settings.seed,
                          settings.workers)
    return Plan((), tuple(unserved), report, params=instance.params.to_dict(), conflicts=tuple(conflicts))


def extract_stops(sm: SeasonModel, solver: cp_model.CpSolver) -> tuple[Stop, ...]:
    scenario = sm.instance.scenario
    away = {(v, day, s) for (v, day, s, _t), var in sm.chain.items() if solver.BooleanValue(var)}
    stops = [
        Stop(date=day, vehicle=scenario.vehicles[v].name, insee=sm.instance.communes[s].insee,
             away_after=(v, day, s) in away)
        for (v, day, s), var in sm.x.items() if solver.BooleanValue(var)
    ]
    return tuple(sorted(stops, key=lambda stop: (stop.date, stop.vehicle)))
