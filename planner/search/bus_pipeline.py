"""The bus pipeline: a season for buses, phase after phase, each improving the plan in hand.

1. a start: the previous plan when re-planning (the exact re-plan, planner/search/exact_replan.py,
   is tried first), else the better greedy plan, swapped stop by stop;
2. the aggregate race (planner/search/aggregate_race.py): counts per commune and weekday, and the
   bound of the season's optimum (a large model's, only if time is left after the start);
3. constructive dates for those counts, swapped stop by stop;
4. the season model (planner/search/season_phase.py): dates for the counts, then the season
   itself, hinted with the best plan so far, until it meets the bound;
5. the end (planner/search/finish.py): weeks away re-sequenced, the plan scored and reported.

The time limit is split by planner/search/budget.py; the stop criteria end any phase early, and
the best plan of any phase is returned.
"""

from __future__ import annotations

import time

from planner.core.control import SolveControl, gap_of, idle_control
from planner.core.instance import VALUE_SCALE, Instance
from planner.core.reasons import static_reason
from planner.cpsat.aggregate_model import (
    ANY_WEEKDAY,
    AggregateModel,
    begin_aggregate_model,
    build_aggregate_model,
    complete_aggregate_model,
    continuous_indices,
    hint_from_stops,
    weekday_counts,
)
from planner.cpsat.diagnosis import must_overload, pin_conflicts
from planner.cpsat.exact import MipJob
from planner.cpsat.priced_lp import PricedLp
from planner.cpsat.relaxation import lagrangian_duals, lp_bound_in_background
from planner.cpsat.season_model import build_season_model
from planner.domain.plan import Plan, SolverReport
from planner.domain.stop import Stop
from planner.search.aggregate_race import BoundJob, interrupted, lp_ready, race_aggregate
from planner.search.budget import MIN_PHASE_S, Budget, aggregate_share
from planner.search.candidates import filter_candidates, reachable_candidates
from planner.search.criteria import StopCriteria
from planner.search.dating import place_in_rounds, place_units
from planner.search.exact_replan import exact_replan
from planner.search.finish import Run, finish, infeasible
from planner.search.greedy import greedy_stops
from planner.search.incumbent import Incumbent, better, improve, incumbent
from planner.search.local_search import searchable
from planner.search.season_phase import chains_used, dates_for_counts, search_season

LARGE_MODEL = 120_000  # stop variables beyond which the season model is not built unless dates matter
# Aggregate variables beyond which its LP is not solved (CLP found no optimum for the region's
# 143,000 in 100 CPU seconds, beside the search): the Lagrangian bound alone bounds it then.
LP_MAX_VARIABLES = 100_000
# Whether a large model with nights away races its aggregate model once the start is found. On
# the region (two buses, 143,000 variables) CP-SAT's search never found better counts than the
# greedy start's in 17 s (4 runs of 4, load 3-7), and held 550 MB and both cores that the
# Lagrangian bound's descents put to use (region: bound 120,882 and 968 MB with the race, 120,788
# and 418 MB without; see the README).
RACE_LARGE_OVERNIGHT = False


def solve_instance(instance: Instance, *, previous: tuple[Stop, ...] = (), candidates: set[int] | None = None,
                   control: SolveControl | None = None, criteria: StopCriteria | None = None) -> Plan:
    """Best plan within the stop criteria (by default those of the scenario's solver settings),
    or a diagnosis. The best plan found by any phase is returned, also when the caller stops the
    solve early (each phase is then cut short or skipped)."""
    control = control or idle_control()
    scenario = instance.scenario
    settings = instance.params.solver
    criteria = criteria or StopCriteria.of(settings)
    static = {r.request_id: static_reason(instance, r) for r in scenario.requests}
    unserved = [u for u in static.values() if u is not None]
    servable = tuple(r for r in scenario.requests if r.active and static[r.request_id] is None)
    conflicts = pin_conflicts(instance) or must_overload(instance, servable)
    if conflicts:
        report = SolverReport("INFEASIBLE", None, None, None, 0.0, settings.seed, settings.workers)
        return Plan((), tuple(unserved), report, params=instance.params.to_dict(), conflicts=tuple(conflicts))
    started = time.perf_counter()
    budget = Budget.of(criteria, settings.reproducible, len(instance.communes))
    if candidates is None:
        candidates = (filter_candidates(instance, servable, settings.max_candidates) if settings.max_candidates
                      else reachable_candidates(instance, servable))
    if previous:
        # The published stops stay possible, whatever the candidate filter says of their communes.
        index = scenario.territory.index
        candidates = candidates | {index[s.insee] for s in previous if s.insee in index}
    run = Run(instance, servable, unserved, previous, candidates, budget, started, control)
    if previous:
        replanned = exact_replan(run)
        if replanned is not None:
            return replanned
    try:
        return _search(run, criteria)
    finally:  # the bounds still searching beside the plan are no longer read
        control.end_background()


def _search(run: Run, criteria: StopCriteria) -> Plan:
    """Phases 1 to 5 of the module docstring."""
    instance, previous, servable, candidates = run.instance, run.previous, run.servable, run.candidates
    budget, control = run.budget, run.control
    scenario = instance.scenario
    settings = instance.params.solver
    best: Incumbent | None = None
    local_search = searchable(instance, previous, servable)

    large = sum(len(instance.working_days(v)) for v in range(len(scenario.vehicles))) * len(candidates) > LARGE_MODEL
    # Dates matter beyond their weekday: the season model must place them (constructive dates
    # ignore requests, pins, dated closures of a commune and the previous plan).
    needs_dates = bool(servable or scenario.pins or previous or any(f.date for f in scenario.forbidden))
    proof = not large and not settings.reproducible
    share = aggregate_share(large=large, proof=proof, needs_dates=needs_dates, overnight=instance.has_overnight)
    lagrange_job = None
    if large:
        # The Lagrangian bound (planner/cpsat/relaxation.py) needs only the counts and seat flows
        # of the aggregate model (seconds on the region): it is computed in a thread beside the
        # greedy start, and bounds the plan even when no time is left for the rest. The greedy
        # start comes before the rest of the aggregate model and its LP: with a short limit the
        # greedy plan is all there is. A reproducible run has neither bound (the clock decides
        # whether they are ready in time).
        aggregate = begin_aggregate_model(instance, servable, candidates, previous)
        aim: list[int] = []  # the best plan's objective steers the descent once known
        duals: tuple = ()
        if not settings.reproducible:
            # its descents may last to the deadline (the pairs reading needs tens of seconds on the
            # region); the plan is never held back for it: the bound is read when the plan is final
            duals = lagrangian_duals(aggregate, servable)
            lagrange_job = BoundJob.start(duals, budget.left(), lambda: aim[-1] if aim else None, control)
        start_stops, best = _start(instance, candidates, previous, servable, budget, control)
        if best is not None:
            aim.append(best.objective_q)
        if control.stopped() or not budget.room_for_a_large_model():
            return finish(run, best, lambda: lagrange_job.now() if lagrange_job else None, 0)
        if not RACE_LARGE_OVERNIGHT and instance.has_overnight and not needs_dates and best is not None:
            # the plan is the better of the start's and the priced LP's, polished; the time left
            # goes to the bound
            best = better(_priced_plan(run, duals, control), best)
            return finish(run, best, lambda: lagrange_job.by(budget.deadline) if lagrange_job else None, 0)
        complete_aggregate_model(aggregate, servable, candidates, previous)
    else:
        aggregate = build_aggregate_model(instance, servable, candidates, previous)
    # On large models CP-SAT's bound lags the LP relaxation's: take the better of the two. The LP
    # is solved beside the aggregate search, up to LP_MAX_VARIABLES.
    lp_job = (control.adopt(lp_bound_in_background(aggregate.model, budget.lp_seconds()))
              if large and not settings.reproducible and len(aggregate.model.Proto().variables) <= LP_MAX_VARIABLES
              else None)
    # CP-SAT's bound on the aggregate stalls above the optimum; SCIP's branch and cut proves it
    # (planner/cpsat/exact.py). It runs in a child process from now on, beside the greedy start and one
    # CP-SAT worker fewer. Not in a reproducible run (its time limit is the clock's), nor on large
    # models (their aggregate is beyond a proof in the time limit; the LP bounds them).
    mip_job = (control.adopt(MipJob(aggregate.model, budget.share(share), seed=settings.seed,
                                    continuous=continuous_indices(aggregate)))
               if proof else None)
    if not large:
        start_stops, best = _start(instance, candidates, previous, servable, budget, control)
    if control.stopped():
        interrupted(mip_job, control)
        return finish(run, best, None, 0)
    hint_from_stops(aggregate, start_stops)
    answer = race_aggregate(aggregate, mip_job, settings, budget.share(share), control, criteria.gap)
    if answer.infeasible:
        return infeasible(run)
    found = answer.objective is not None
    bound = _lower(answer.bound, lp_ready(lp_job, budget.deadline, control))
    if lagrange_job is not None:  # it bounds the season whether or not the race found counts
        bound = _lower(bound, lagrange_job.so_far())
    if found:
        control.emit("aggregate", objective=answer.objective / VALUE_SCALE,
                     bound=None if bound is None else bound / VALUE_SCALE,
                     gap=None if bound is None else round(gap_of(answer.objective, bound), 6), message=answer.status)
        best = better(_placed(instance, aggregate, answer.value, previous, candidates, "modèle agrégé",
                              local_search and not control.stopped(), budget, control), best)
    realised = best is not None and found and best.objective_q >= answer.objective
    # Building the season model takes seconds on a loaded machine: not when the time is up and a
    # plan is in hand (the limit would be overrun for a search that could not run).
    late = best is not None and budget.left() < MIN_PHASE_S
    good = best is not None and criteria.gap > 0 and criteria.good_enough(best.objective_q, bound)
    if large and best is not None:
        aim.append(best.objective_q)
    if control.stopped() or good or (not needs_dates and (large or realised or late)):
        return finish(run, best, lambda: _lower(bound, lagrange_job.now() if lagrange_job else None), 0)
    if lagrange_job is not None:  # the season model takes the bound as it is now
        bound = _lower(bound, lagrange_job.now())
    chains = chains_used(aggregate, answer.value) if found and instance.has_overnight else None
    sm = build_season_model(instance, servable, candidates=candidates, previous=previous, chains=chains)
    if found and not realised:
        dated_plan = dates_for_counts(sm, aggregate, answer.value, settings, budget, control)
        if dated_plan is not None and (best is None or dated_plan.objective_q > best.objective_q):
            best = dated_plan
            control.emit("dating", objective=best.objective_q / VALUE_SCALE, message=best.source)
    remaining = budget.rest(share)
    solutions = 0
    if not control.stopped() and (best is None or (bound is not None and best.objective_q < bound
                                                   and remaining >= MIN_PHASE_S / 2)):
        # with nights restricted to the aggregate's pairs, the season model's bound is not global
        season = search_season(sm, best, bound, remaining, global_bound=chains is None, settings=settings,
                               criteria=criteria, control=control)
        if season.infeasible:
            return infeasible(run)
        best, bound, solutions = better(season.best, best), season.bound, season.solutions
    return finish(run, best, bound, solutions)


def _priced_plan(run: Run, duals: tuple, control: SolveControl) -> Incumbent | None:
    """The priced LP's solution (planner/cpsat/priced_lp.py, solved in the bound's thread) rounded
    and dated, once it is ready: on the region 116,283 points before polishing where the greedy
    start gave about 112,900 (its LP is nearly integral)."""
    priced = next((d for d in duals if isinstance(d, PricedLp)), None)
    solution = None if priced is None else priced.solution_by(run.budget.priced_plan_deadline(), control.stopped)
    if solution is None:
        return None
    placed = incumbent(run.instance, place_units(run.instance, *solution), run.previous, "LP des tournées")
    if placed is not None:
        control.emit("dating", objective=placed.objective_q / VALUE_SCALE, message=placed.source)
    return placed


def _lower(bound: float | None, other: float | None) -> float | None:
    return other if bound is None else bound if other is None else min(bound, other)


def _placed(instance: Instance, aggregate: AggregateModel, value, previous: tuple[Stop, ...],
            candidates: set[int], source: str, local_search: bool, budget: Budget, control: SolveControl
            ) -> Incumbent | None:
    """The aggregate's answer with constructive dates, then swapped stop by stop if allowed."""
    counts = weekday_counts(aggregate, value)
    nights = {key: value(var) for key, var in aggregate.night.items()}
    placed = incumbent(instance, place_units(instance, counts, nights), previous, source)
    pooled = {(v, s): value(var) for (v, s, w), var in aggregate.n.items() if w == ANY_WEEKDAY}
    if pooled:  # weekday-indifferent counts packed in rounds: often exact where the spread placement is not
        bound_counts = {key: value(var) for key, var in aggregate.n.items() if key[2] != ANY_WEEKDAY}
        rounds = place_in_rounds(instance, bound_counts, pooled)
        placed = better(None if rounds is None else incumbent(instance, rounds, previous, source), placed)
    if placed is None or not local_search:
        return placed
    return improve(instance, placed, candidates, budget.local_search_deadline(), control)


def _start(instance: Instance, candidates: set[int], previous: tuple[Stop, ...], servable, budget: Budget,
           control: SolveControl) -> tuple[tuple[Stop, ...], Incumbent | None]:
    """Stops to hint the models with, and the plan they make if it breaks no rule: the previous
    plan when re-planning, else the better greedy plan (day by day, and for vehicles that may stay
    away also preferring overnight runs, if time is left), improved by the local search when the
    scenario allows."""
    if previous:
        return previous, incumbent(instance, previous, previous, "précédent")
    deadline = budget.greedy_deadline()
    variants = [greedy_stops(instance, candidates, deadline=deadline)]
    if instance.has_overnight and budget.second_greedy():
        variants.append(greedy_stops(instance, candidates, prefer_runs=True, deadline=deadline))
    plans = [p for p in (incumbent(instance, stops, (), "glouton") for stops in variants) if p is not None]
    if not plans:
        return variants[0], None
    best = max(plans, key=lambda p: p.objective_q)
    control.emit("greedy", objective=best.objective_q / VALUE_SCALE, message=best.source)
    if searchable(instance, previous, servable) and not control.stopped():
        best = improve(instance, best, candidates, budget.local_search_deadline(), control)
    return best.stops, best
