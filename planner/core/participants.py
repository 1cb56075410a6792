"""Participants: who takes the places of a season's stops, the value every model and figure shares.

A stop day offers a fixed number of places: ``seats x workshops`` for the bus (12 x 2 = 24), ``seats``
for one half-day of a mediator. Two shares of a home commune c's seniors say who would come:

- ``take_up`` (calibrated): one visit in s draws at most ``seniors(c) x take_up x attendance[s, c]``
  of them (the distance decay of planner/core/need.py), the arc's capacity per visit;
- ``season_share`` (Insee's illectronisme share, see NeedParams): over the season at most
  ``pool(c) = seniors(c) x season_share`` of them come, and a senior who came does not come again.

With the stops fixed (n[s] visits in s, their places) who comes is a transportation problem:

    f[s, c] >= 0   participants from home commune c at the stops of commune s (attendance > 0)
    sum_c f[s, c] <= places of the stops in s
    f[s, c]       <= n[s] x seniors(c) x take_up x attendance[s, c]      (what n visits draw)
    sum_s f[s, c] <= pool(c)                                            (the season's pool)
    value          = sum w(c) x f[s, c],  w(c) = seat_points x (1 + gap_weight x access_gap(c) x fragility)

Why two shares: take_up was calibrated on the study's 12 bus days of 2018-2019, one visit per commune
but Bourges: it measures what one visit draws, not what a season can. Read as a season pool (the
form before), it left the Bourges basin ~296 seniors for a whole season of 3,936 places, so every far
pool was empty after one visit and the optimum drove to the communes nearest the base. Here each
visit draws again, and the pool bounds the sum: a commune's later visits draw the same until its
pool is used up, then nothing more. With the defaults (0.006 a visit, 0.33 a season) a pool holds
55 visits' draws, so in practice a commune's fourth visit is worth its first and the rules
(``max_visits``, ``min_gap_days``) spread the season; a lower ``season_share`` brings the pools in
(the README gives the figures). A bipartite transportation problem's matrix is totally
unimodular: with integer places and capacities some optimal flow is integer, so the exact value of
any list of stops is a min-cost flow (OR-Tools), and the CP-SAT models, which carry the same flows
as integer variables beside their visit counts (planner/cpsat/seats.py), reach the same integer to
the unit. Flows are counted in tenths of a participant (``FLOW_SCALE``) so that a village that
draws 1.6 seniors a visit keeps them. ``seat_points`` (10) puts a seat on the scale the km,
idle-day, request and move weights were set on. The per-visit capacity is linear in n[s], so the
models' linear relaxation values a fraction of a visit at that fraction of a visit's seats, which
keeps the proofs' bounds tight (the cuts of planner/cpsat/seats.py handle the pool).

Why not the concave coverage of an exposure (the value before issue 19): it grew with the whole
decay-weighted population around a stop, so one day in Saint-Doulchard counted ~10,000 « seniors
touchés ». Here a day is worth at most its places, and what differs between two days is who takes
the seats. Worked example (take_up 0.2 and season_share 0.25 to keep round numbers, seat_points 1):
a town T of 2,000 seniors with help at hand (w = 1; a visit draws 400, pool 500) and a village V of
150 seniors far from help (gap 1, gap_weight 2: w = 3; a visit draws 30, pool 37.5), 12 km apart
with an attendance of 0.19 between them (a visit in V draws 76 town seniors, one in T 5.7 villagers).

- one stop in V, 24 places: the best use of the seats is 24 villagers, 24 x 3 = 72 points;
- one stop in T: the 5.7 villagers who would come (17.1) and 18.3 town seniors: 35.4 points;
  the village wins. Without the cap on places (1,000 seats) T would seat 400 + 5.7 and be worth
  417.1 against V's 30 x 3 + 76 = 166: the town would win;
- a second stop in V draws 30 villagers again, but only 37.5 - 24 = 13.5 are left in the pool:
  13.5 villagers (40.5) and 10.5 town seniors (10.5), 51 points; a third draws no villager and 24
  town seniors, 24 points: the pool, not a repeat factor, makes later visits worth less.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

FLOW_SCALE = 10  # flow units per participant (flows and pools in tenths of a participant)


@dataclass(frozen=True)
class Seating:
    """The transportation problem's fixed data, in flow units and objective integers, per commune
    in the order of the territory. ``cap_q[s, c]`` is the arc capacity (0: no arc)."""

    pool_q: np.ndarray  # [home commune] seniors who would come over the season, in flow units
    weight: np.ndarray  # [home commune] w(c), points per participant
    weight_q: np.ndarray  # [home commune] objective integers per flow unit
    cap_q: np.ndarray  # [stop commune, home commune] what one visit draws (at most the pool)

    @property
    def arcs(self) -> tuple[np.ndarray, np.ndarray]:
        """(stop communes, home communes) of the arcs."""
        return np.nonzero(self.cap_q)


@dataclass(frozen=True)
class Seated:
    """An optimal seating: its value in objective integers and its flows [stop, home] in flow units."""

    value_q: int
    flows: np.ndarray

    def participants(self) -> float:
        return float(self.flows.sum()) / FLOW_SCALE


def season_pool_q(seniors: np.ndarray, season_share: float, came: np.ndarray | None = None) -> np.ndarray:
    """[home commune] seniors who would come over the season, in flow units (unknown seniors: none).
    The one place a pool is computed: seniors who already came in past seasons (``came``, per home
    commune, planner/core/history.py) leave it here."""
    pool = np.nan_to_num(seniors) * season_share * FLOW_SCALE
    if came is not None:
        pool = np.maximum(pool - came * FLOW_SCALE, 0.0)
    return np.rint(pool).astype(np.int64)


def build_seating(seniors: np.ndarray, attendance: np.ndarray, weight: np.ndarray, take_up: float,
                  season_share: float, value_scale: int, came: np.ndarray | None = None) -> Seating:
    """Pools (less ``came``, a past season's participants), per-visit arc capacities and weights
    rounded once to integers."""
    pool_q = season_pool_q(seniors, season_share, came)
    draw = np.nan_to_num(seniors) * take_up * FLOW_SCALE
    cap_q = np.minimum(np.rint(attendance * draw[None, :]).astype(np.int64), pool_q[None, :])
    weight_q = np.rint(weight * value_scale / FLOW_SCALE).astype(np.int64)
    cap_q[:, weight_q <= 0] = 0
    return Seating(pool_q, weight, weight_q, cap_q)


def arc_caps_q(seating: Seating, visits: np.ndarray) -> np.ndarray:
    """[stop, home] what ``visits[s]`` visits in each stop commune s may draw: n x the per-visit
    capacity, at most the home commune's pool."""
    return np.minimum(seating.cap_q * np.asarray(visits, dtype=np.int64)[:, None], seating.pool_q[None, :])


def seat(seating: Seating, supply_q: np.ndarray, visits: np.ndarray) -> Seated:
    """The best seating of ``supply_q[s]`` places (flow units) offered by ``visits[s]`` stops in
    each stop commune s.

    Min-cost flow: source -> stop communes (their places), stop -> home (``arc_caps_q``, cost
    -w(c)), home -> sink (its pool), and a free arc source -> sink for the places left empty."""
    n = len(seating.pool_q)
    open_stops = np.flatnonzero(supply_q > 0)
    flows = np.zeros((n, n), dtype=np.int64)
    if not len(open_stops):
        return Seated(0, flows)
    caps = arc_caps_q(seating, visits)[open_stops]
    rows, homes = np.nonzero(caps)
    stops = open_stops[rows]
    total = int(supply_q[open_stops].sum())
    source, sink = 2 * n, 2 * n + 1
    solver = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([np.full(len(open_stops), source), stops, n + np.arange(n), [source]])
    heads = np.concatenate([open_stops, n + homes, np.full(n, sink), [sink]])
    capacities = np.concatenate([supply_q[open_stops], caps[rows, homes], seating.pool_q, [total]])
    costs = np.concatenate([np.zeros(len(open_stops)), -seating.weight_q[homes], np.zeros(n), [0]])
    arcs = solver.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                                       capacities.astype(np.int64), costs.astype(np.int64))
    solver.set_node_supply(source, total)
    solver.set_node_supply(sink, -total)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow: status {status}")
    flow = solver.flows(arcs[len(open_stops):len(open_stops) + len(stops)])
    flows[stops, homes] = flow
    return Seated(-int(solver.optimal_cost()), flows)


def alone_flows_q(seating: Seating, places_q: int) -> np.ndarray:
    """[stop, home] flow units one stop of ``places_q`` places in each commune seats from each home
    commune on its own: the highest weights first, which is optimal for a single stop."""
    order = np.argsort(-seating.weight_q, kind="stable")
    taken = np.minimum(np.cumsum(seating.cap_q[:, order], axis=1), places_q)
    flows = np.empty_like(taken)
    flows[:, order] = np.diff(taken, axis=1, prepend=0)
    return flows


def alone_q(seating: Seating, places_q: int) -> np.ndarray:
    """Value of one stop of ``places_q`` places in each commune on its own (objective integers)."""
    return alone_flows_q(seating, places_q) @ seating.weight_q


def shares_q(seating: Seating, places_q: int) -> np.ndarray:
    """[stop, home] places a stop in s gives commune c: its seating on its own (``alone_flows_q``),
    the heuristics' separable estimate (see Instance.audience_q), never used for a figure or an
    objective. Capped by the pools (``Instance.coverage_q``) it stays a feasible seating of any
    set of stops, and equals the exact one while no pool is full: on the region, where the pools
    of a two-bus season stay slack, the exact value of the plan's stops is their sum to the unit.
    Sharing the places in proportion to who would come (the estimate before) undervalued a stop
    whose draw mixes many seniors near help with some far from it: the 100 best stop communes of
    the region by 30 % on average (up to 68 %), which misled the greedy there (112,906 against
    116,230 with this estimate) and put the run moves' gains at about twice their exact value."""
    return alone_flows_q(seating, places_q)
