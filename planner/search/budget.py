"""How the time limit is split between the phases of a bus solve: the one place it is divided.

The limit (``StopCriteria.time_limit_s``) covers the whole run from ``StopCriteria.started``. Of it:

| phase | its seconds |
| --- | --- |
| scoring, explaining and writing the plan | the reserve: every phase ends at ``deadline``, the reserve before the limit |
| greedy start | ``GREEDY_SHARE`` of the span, at least ``GREEDY_FLOOR_S``; a second variant before ``SECOND_GREEDY_SHARE`` |
| a large model's aggregate race | only if ``LARGE_MODEL_SHARE`` of the span is left after the greedy start |
| LP bound of a large aggregate model (a child process) | at most ``LP_SHARE`` of the limit |
| Lagrangian bound of a large model (a thread) | to the deadline, read when the plan is final |
| a large model with nights away: waiting for its priced LP's solution | until ``PRICED_PLAN_SHARE`` of the span |
| aggregate race (CP-SAT beside SCIP) | until ``aggregate_share(...)`` of the span to the deadline |
| dates for the aggregate's counts | ``FIXED_SHARE`` of the limit, shared by its attempts |
| each stop-by-stop local search | ``LOCAL_SEARCH_SHARE`` of the limit, and never past ``deadline`` |
| season model | what is left to the deadline, at least ``MIN_PHASE_S`` |
| re-plan: its LP bound, its exact search | ``REPLAN_LP_SHARE`` and ``REPLAN_SHARE`` of the limit |
| diagnosis of an infeasible scenario | what is left of the limit, at least ``DIAGNOSIS_FLOOR_S`` |
| rebuilding runs of nights away (at the end) | ``RUNS_SHARE`` of the time left to ``deadline`` |
| re-sequencing weeks away, last swaps | until ``deadline`` too |
| a mediators' template | until ``deadline``; in a mixed fleet, ``MEDIATOR_SHARE`` of the limit, the buses the rest |

The reserve is the most of ``FINISH_RESERVE_S``, ``FINISH_SHARE`` of the limit and
``FINISH_PER_COMMUNE_S`` per commune of the territory.

In a reproducible run no clock is read: each phase gets its fixed share of the limit (CP-SAT then
counts deterministic seconds, the local search runs to its local optimum), so no clock steers the search.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

from planner.search.criteria import StopCriteria

# Share of the span for the aggregate race: nearly all of it when dates do not matter beyond their
# weekday (no requests, pins, dated closures of a commune, previous plan to stay close to or
# overnight weeks to keep sequenceable).
AGGREGATE_SHARE = {False: 0.8, True: 0.5}
LARGE_AGGREGATE_SHARE = 0.93  # large models: the aggregate has the time, constructive dates take a second
# When SCIP searches for a proof and dates need nothing but their weekday: every second of the
# search counts; constructive dates (in rounds: exact on the Bourges season) and swaps take a few
# tenths (the season model, should they lose value, then only runs if a second is left).
PROOF_SHARE = 0.85
FIXED_SHARE = 0.2  # for finding dates for the aggregate counts
# The greedy start stops adding stops at this share of the span (a partial plan rather than none),
# and its second variant (preferring nights away) starts only before the second share.
GREEDY_SHARE = 0.9
# The greedy start always has this long: the Cher's takes 0.04 s, so `--time-limit 2`, whose loading
# takes 1.2-1.4 s of it, still gets a whole plan (it returned no stop at all, 115 idle days)
GREEDY_FLOOR_S = 0.3
SECOND_GREEDY_SHARE = 0.5
LARGE_MODEL_SHARE = 0.4  # of the span, left after the greedy start, for a large model's aggregate race
MIN_PHASE_S = 1.0  # a phase gets at least this, even when the aggregate used the whole budget
FINISH_RESERVE_S = 0.5  # at least, kept from the time limit for scoring and explaining the plan
FINISH_SHARE = 0.05  # of the time limit, kept for the same when that is more
# per commune of the territory, kept for the same when that is more: the region's 1,756 communes
# (5.3 s) take about 1 s to explain, 3 s when the machine is loaded, and its process 1-3 s to exit
FINISH_PER_COMMUNE_S = 0.003
RUNS_SHARE = 0.7  # of the time left at the end, for rebuilding runs of nights away (the rest polishes)
LOCAL_SEARCH_SHARE = 0.05  # of the time limit, at most, for each stop-by-stop local search
# A large model with nights away waits after its greedy start for the priced LP's solution
# (planner/cpsat/priced_lp.py) until this share of the span at most: on the region it is ready
# after 18 s of 55 under load 3, and its plan then needs about 10 s of polishing
PRICED_PLAN_SHARE = 0.6
LP_SHARE = 0.4  # of the time limit, at most, for the LP relaxation of a large aggregate model (in a child process)
REPLAN_SHARE = 0.2  # of the time limit, at most, for re-solving the days a re-plan touched
REPLAN_LP_SHARE = 0.2  # of the time limit, at most, for the LP bound of a re-plan
# To wait for an interrupted MIP search (stopped by the caller or not) before its child process is
# killed. SCIP checks its interrupt between its LP solves and presolve rounds, not within them: it
# answered 0-1.5 s after the request on the Cher with two buses and nights away (load 3-4), while
# its root LP took 4 s. A stopped solve returns within a second: it waits less for the answer.
MIP_PATIENCE_S = {False: 1.0, True: 0.5}
# To wait for the Lagrangian bound once asked for it: its descents stop at their next step
# (0.01-0.05 s on the region, a second under heavy load at most)
LAGRANGE_ANSWER_S = 2.0
DIAGNOSIS_FLOOR_S = 0.5  # a diagnosis gets at least a moment to name a conflict
MEDIATOR_SHARE = 0.5  # of the limit, for the mediators' template of a mixed fleet (the buses have the rest)


def mediators_first(criteria: StopCriteria) -> StopCriteria:
    """The criteria of the mediators' template in a mixed fleet: ``MEDIATOR_SHARE`` of the limit
    (the same start); the buses then have what is left of the whole limit."""
    return replace(criteria, time_limit_s=MEDIATOR_SHARE * criteria.time_limit_s)


def aggregate_share(*, large: bool, proof: bool, needs_dates: bool, overnight: bool) -> float:
    """The share of the span the aggregate race may last until. ``needs_dates``: dates matter
    beyond their weekday; ``overnight``: weeks away must stay sequenceable."""
    if large and not needs_dates:
        return LARGE_AGGREGATE_SHARE
    if proof and not (needs_dates or overnight):
        return PROOF_SHARE
    return AGGREGATE_SHARE[needs_dates or overnight]


@dataclass(frozen=True)
class Budget:
    """Seconds for each phase out of the time limit: what the clock leaves of it, or, in a
    reproducible run, fixed shares of it."""

    limit: float
    started: float
    reproducible: bool
    communes: int = 0  # of the territory: explaining and writing a plan takes longer on a larger one

    @classmethod
    def of(cls, criteria: StopCriteria, reproducible: bool, communes: int = 0) -> Budget:
        return cls(criteria.time_limit_s, criteria.started, reproducible, communes)

    @property
    def deadline(self) -> float:
        """When the phases must end, leaving time to score and explain the plan."""
        reserve = max(FINISH_RESERVE_S, FINISH_SHARE * self.limit, FINISH_PER_COMMUNE_S * self.communes)
        return self.started + self.limit - reserve

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

    def to_deadline(self) -> float:
        """For one search that may last until the deadline (a mediator's template): the whole limit
        in a reproducible run."""
        return self.limit if self.reproducible else max(MIN_PHASE_S / 2, self.deadline - time.perf_counter())

    def lp_seconds(self) -> float:
        """For the LP relaxation of a large aggregate model, solved in a child process."""
        return LP_SHARE * self.limit

    def dating_seconds(self, attempts: int) -> float:
        """For each attempt at dating the aggregate's counts."""
        return self.capped(FIXED_SHARE * self.limit / attempts)

    def replan_lp_seconds(self) -> float:
        return max(MIN_PHASE_S / 2, REPLAN_LP_SHARE * self.limit)

    def replan_seconds(self) -> float:
        return self.capped(REPLAN_SHARE * self.limit)

    def diagnosis_seconds(self) -> float:
        """What is left of the limit, at least a moment to name a conflict."""
        return max(DIAGNOSIS_FLOOR_S, self.limit - (time.perf_counter() - self.started))

    def greedy_deadline(self) -> float:
        """When the greedy start must stop adding stops: ``GREEDY_SHARE`` of the span to the
        deadline (the region's greedy takes seconds; a basin's, hundredths), and never sooner than
        ``GREEDY_FLOOR_S`` from now: when loading ate the limit, a plan over the limit by a fraction
        of a second beats an empty one (each idle day scored as a penalty)."""
        if self.reproducible:
            return math.inf
        return max(self.started + GREEDY_SHARE * (self.deadline - self.started), time.perf_counter() + GREEDY_FLOOR_S)

    def room_for_a_large_model(self) -> bool:
        """After the greedy start of a large model: at least ``LARGE_MODEL_SHARE`` of the span is
        left for building its aggregate model and LP (the region's take seconds) and racing them."""
        return self.reproducible or self.left() >= LARGE_MODEL_SHARE * (self.deadline - self.started)

    def priced_plan_deadline(self) -> float:
        """When a large model with nights away stops waiting for its priced LP's solution."""
        return self.started + PRICED_PLAN_SHARE * (self.deadline - self.started)

    def second_greedy(self) -> bool:
        """Time for the second greedy variant: less than ``SECOND_GREEDY_SHARE`` of the span is gone."""
        return self.reproducible or time.perf_counter() < self.started + SECOND_GREEDY_SHARE * (self.deadline - self.started)

    def local_search_deadline(self) -> float:
        """``LOCAL_SEARCH_SHARE`` of the limit from now, and never past the deadline."""
        return math.inf if self.reproducible else min(self.deadline, time.perf_counter() + LOCAL_SEARCH_SHARE * self.limit)

    def runs_deadline(self) -> float:
        """``RUNS_SHARE`` of the time left to the deadline, from now (the rest polishes the plan)."""
        now = time.perf_counter()
        return math.inf if self.reproducible else now + RUNS_SHARE * max(0.0, self.deadline - now)

    def finish_deadline(self) -> float:
        """The last moment for improving the plan: the reserve for scoring and explaining it stays."""
        return math.inf if self.reproducible else self.deadline

