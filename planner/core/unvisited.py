"""Why a commune with need gets no stop, in words a planner can check.

Reasons are tried from the hardest to the softest: the commune is forbidden, out of the driving
limit, closed on every working day by a rule, left out by the candidate filter of large
territories; its seniors are already brought near help by stops in a neighbour; its EPCI or
département quota is full; or a stop there is worth less than any stop of the plan it could
replace. The last one is measured, not asserted: the best single exchange (the commune instead of
one stop of the plan on that stop's day, every rule kept) is computed on the heuristics' estimate
of the participants (Instance.marginal_q), in the objective's integers; when that exchange would
pay, the reason says the search did not find it in time.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from planner.core.instance import VALUE_SCALE, Instance
from planner.core.rules import driving_violation, forbidden_violation, hours_violation, market_violation, stop_allowed
from planner.domain.formatting import fr_date, fr_number, plural
from planner.domain.plan import Unvisited
from planner.domain.stop import Stop

MIN_NEED = 0.5  # value points: a need that rounds to nothing is not listed


def explain_unvisited(instance: Instance, stops: tuple[Stop, ...], candidates: set[int] | None = None
                      ) -> tuple[Unvisited, ...]:
    """One entry per commune with need and no stop, highest need first. ``candidates``: the
    communes the search could use, when a filter (``max_candidates``) left some out.

    Computed once per plan, in arrays over the unvisited communes: the reasons that need no
    figure first, commune by commune; then the nearest helping stop of every commune at once,
    and the best exchange of every commune still unexplained against every stop of the plan at
    once (the region: ~1,400 unvisited communes, ~330 stops)."""
    need = instance.need
    index = instance.scenario.territory.index
    visited = {index[s.insee] for s in stops if s.insee in index}
    order = [int(c) for c in np.argsort(-need.need, kind="stable") if need.need[c] >= MIN_NEED and int(c) not in visited]
    if not order:
        return ()
    reasons: dict[int, tuple[str, str]] = {}
    working = [instance.working_days(v) for v in range(len(instance.scenario.vehicles))]  # computed on each call
    for c in order:
        reason = _rule_reason(instance, c, candidates, working)
        if reason is not None:
            reasons[c] = reason
    rest = [c for c in order if c not in reasons]
    swaps = _Swaps(instance, stops, _exposure(instance, stops))
    reasons.update(_neighbour_reasons(instance, rest, sorted(visited), swaps))
    rest = [c for c in rest if c not in reasons]
    for c in rest:
        reason = _quota_reason(instance, c, swaps)
        if reason is not None:
            reasons[c] = reason
    rest = [c for c in rest if c not in reasons]
    reasons.update(_exchange_reasons(instance, rest, swaps))
    return tuple(Unvisited(instance.communes[c].insee, instance.communes[c].name, round(float(need.need[c]), 1),
                           *reasons[c]) for c in order)


def _rule_reason(instance: Instance, c: int, candidates: set[int] | None, working: list[tuple[dt.date, ...]]
                 ) -> tuple[str, str] | None:
    """Forbidden, out of reach, no open day, left out by the candidate filter; or None."""
    scenario = instance.scenario
    vehicles = range(len(scenario.vehicles))
    forbidden = forbidden_violation(instance, None, c)
    if forbidden:
        return "forbidden", forbidden
    if not any(instance.reachable(v, c) for v in vehicles):
        v = min(vehicles, key=lambda k: instance.round_trip_minutes(k, c))
        vehicle = scenario.vehicles[v]
        # a vehicle that may sleep away is limited leg by leg: even the drive from its base is too long
        return "driving_limit", driving_violation(instance, v, c) or (
            f"trajet de {float(instance.base_minutes[v, c]):.0f} min depuis {vehicle.base_label}, au-delà de la "
            f"limite de {vehicle.max_drive_minutes:.0f} min par jour")
    closed = _host_closed(instance, c)
    if closed:
        return "host_closed", closed
    if not any(stop_allowed(instance, v, d, c) for v in vehicles for d in working[v]):
        return "no_open_day", "aucun jour ouvré où un arrêt y est permis (dates interdites ou règle « marché obligatoire »)"
    if candidates is not None and c not in candidates:
        return "not_candidate", (f"écartée par le filtre des grands territoires (max_candidates = "
                                 f"{instance.params.solver.max_candidates}) : un premier arrêt y rapporte moins "
                                 "qu'ailleurs")
    return None


def _host_closed(instance: Instance, c: int) -> str | None:
    """Every vehicle is a mediator and c's mairie is known closed at each of their half-days: the
    first of those closures (planner.core.rules.hours_violation), else None."""
    vehicles = instance.scenario.vehicles
    if not vehicles or any(v.kind != "mediator" for v in vehicles):
        return None
    first = None
    for v, vehicle in enumerate(vehicles):
        for weekday in vehicle.weekdays:
            for slot in range(1, instance.slots_per_day(v) + 1):
                reason = hours_violation(instance, v, weekday, slot, c)
                if reason is None:
                    return None
                first = first or reason
    return f"{first} : aucune demi-journée du médiateur n'y tombe pendant l'ouverture" if first else None


def _neighbour_reasons(instance: Instance, communes: list[int], visited: list[int], swaps: _Swaps
                       ) -> dict[int, tuple[str, str]]:
    """Communes whose seniors a visited neighbour within ``decay_half_km`` brings nearer to help:
    of the visited communes that help c, the one most of c's seniors would come to."""
    if not communes or not visited:
        return {}
    need = instance.need
    rows, cols = np.array(visited), np.array(communes)
    helped = need.helped[np.ix_(rows, cols)]
    attendance = np.where(helped, need.attendance[np.ix_(rows, cols)], -np.inf)
    nearest = rows[np.argmax(attendance, axis=0)]
    half = instance.params.need.decay_half_km
    found = {}
    for c, s, any_help in zip(communes, nearest, helped.any(axis=0)):
        km = float(need.travel.km[s, c])
        if any_help and km <= half:
            found[c] = "neighbour", (f"desservie par {_visits(swaps.visits.get(int(s), 0))} à {instance.communes[s].name}, "
                                     f"à {fr_number(km, 1)} km (lieu d'aide actuel à "
                                     f"{fr_number(float(need.nearest_km[c]), 1)} km)")
    return found


def _quota_reason(instance: Instance, c: int, swaps: _Swaps) -> tuple[str, str] | None:
    commune = instance.communes[c]
    for quota in instance.params.rules.quotas:
        group = commune.epci if quota.kind == "epci" else commune.dep
        if group == quota.code and 0 <= quota.max_days <= swaps.group_count(quota.kind, quota.code):
            return "quota", f"{quota.label()} atteint ({quota.max_days} jours)"
    return None


def _exchange_reasons(instance: Instance, communes: list[int], swaps: _Swaps) -> dict[int, tuple[str, str]]:
    """What a first stop in each commune is worth alone, and the best exchange with a stop of the plan."""
    if not communes:
        return {}
    cols = np.array(communes)
    alone = np.rint(instance.values[cols] * VALUE_SCALE).astype(np.int64)
    best, replaced = swaps.best(cols)
    found = {}
    for k, c in enumerate(communes):
        if replaced[k] < 0:
            found[c] = "days_taken", "tous les jours où un arrêt y est permis sont pris par des arrêts imposés ou demandés"
            continue
        delta, stop = int(best[k]), swaps.stops[replaced[k]]
        text = (f"un premier arrêt ici vaudrait {_points(int(alone[k]))} à lui seul (avant trajet) ; à la place du "
                f"meilleur candidat à l'échange ({stop.commune or stop.insee}, {fr_date(stop.date)})")
        if delta < 0:
            found[c] = "lower_value", f"{text}, le plan perdrait {_points(-delta)} : les arrêts retenus rapportent davantage"
        elif delta == 0:
            found[c] = "lower_value", f"{text}, le plan n'y gagnerait rien"
        else:
            found[c] = "search_limit", (f"{text}, le plan gagnerait {_points(delta)} : la recherche ne l'a pas trouvé "
                                        "dans le temps imparti (plan non prouvé optimal)")
    return found


def _points(value_q: int) -> str:
    return plural(round(value_q / VALUE_SCALE), "point")


def _visits(count: int) -> str:
    return "la visite" if count == 1 else f"les {count} visites"


def _exposure(instance: Instance, stops: tuple[Stop, ...]) -> np.ndarray:
    index = instance.scenario.territory.index
    counts: dict[int, int] = {}
    for stop in _valued(instance, stops):
        s = index[stop.insee]
        counts[s] = counts.get(s, 0) + 1
    return instance.exposure(counts)


def _valued(instance: Instance, stops: tuple[Stop, ...]) -> list[Stop]:
    """The stops whose exposure adds up: the whole season for buses; for a mediator, whose
    coverage restarts every week, the fullest week of its rotation."""
    index = instance.scenario.territory.index
    known = [s for s in stops if s.insee in index]
    kinds = {v.name: v.kind for v in instance.scenario.vehicles}
    if not any(kinds.get(s.vehicle) == "mediator" for s in known):
        return known
    weeks: dict[tuple[int, int], list[Stop]] = {}
    for stop in known:
        weeks.setdefault(stop.date.isocalendar()[:2], []).append(stop)
    return max(weeks.values(), key=len) if weeks else []


class _Swaps:
    """Exact value of putting commune c in place of one stop of the plan, on that stop's day.

    Sparse: a stop's audience reaches only the communes within the catchment, so the change in
    coverage is computed on those alone (the whole region has 1,756 communes and ~330 stops)."""

    def __init__(self, instance: Instance, stops: tuple[Stop, ...], exposure: np.ndarray) -> None:
        self.instance = instance
        index = instance.scenario.territory.index
        self.index = index
        self.vehicles = {v.name: i for i, v in enumerate(instance.scenario.vehicles)}
        self.exposure = exposure
        after_night = {(s.vehicle, s.date + dt.timedelta(days=1)) for s in stops if s.away_after}
        self.stops = [s for s in _valued(instance, stops) if not s.away_after and (s.vehicle, s.date) not in after_night
                      and s.vehicle in self.vehicles and not _fixed(instance, s)
                      and instance.why_closed(instance.scenario.vehicles[self.vehicles[s.vehicle]], s.date) is None]
        self.visits: dict[int, int] = {}
        for stop in stops:
            if stop.insee in index:
                self.visits[index[stop.insee]] = self.visits.get(index[stop.insee], 0) + 1
        self.groups = [(instance.communes[index[s.insee]].epci, instance.communes[index[s.insee]].dep) for s in stops
                       if s.insee in index]
        self.support = [np.flatnonzero(instance.audience_q[index[s.insee]]) for s in self.stops]
        # What each replaceable stop brings: its coverage (given the others), and its market bonus
        # minus its drive.
        self.coverage_lost = [self._coverage(self.exposure[sup], sup)
                              - self._coverage(self.exposure[sup] - instance.audience_q[index[s.insee], sup], sup)
                              for s, sup in zip(self.stops, self.support)]
        self.own = [instance.market_q(index[s.insee], s.date)
                    - 2 * instance.base_leg_q(self.vehicles[s.vehicle], index[s.insee]) for s in self.stops]

    def _coverage(self, exposure: np.ndarray, communes: np.ndarray) -> int:
        """The estimated value (Instance.coverage_q) of ``communes`` at these exposures."""
        instance = self.instance
        return int((np.minimum(exposure, instance.width_q[communes]) * instance.seating.weight_q[communes]).sum())

    def group_count(self, kind: str, code: str) -> int:
        return sum(1 for epci, dep in self.groups if (epci if kind == "epci" else dep) == code)

    def best(self, communes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each commune c of ``communes``: the objective change of its best exchange and the
        position in ``self.stops`` of the stop it replaces (-1 when no stop can be; the first
        stop on a tie). A stop can be replaced by c when its vehicle reaches c in a day trip, c
        is not forbidden that day and the market-day rule allows c on it."""
        instance = self.instance
        n = len(communes)
        if not self.stops:
            return np.zeros(n, dtype=np.int64), np.full(n, -1)
        vehicle = np.array([self.vehicles[s.vehicle] for s in self.stops])
        weekday = np.array([s.date.isoweekday() for s in self.stops])
        allowed = np.zeros((len(self.stops), n), dtype=bool)
        for v in np.unique(vehicle):
            limit = instance.scenario.vehicles[v].max_drive_minutes + 1e-6
            trip = 2.0 * instance.base_minutes[v, communes] <= limit
            allowed[vehicle == v] = trip
        market = np.zeros((n, 8), dtype=bool)  # [commune, ISO weekday]: market day
        market_rule = np.ones((n, 8), dtype=bool)  # [commune, ISO weekday]: the market-day rule allows it
        for k, c in enumerate(communes):
            market[k, list(instance.market_weekdays[c])] = True
            market_rule[k, 1:] = [market_violation(instance, w, int(c)) is None for w in range(1, 8)]
        on_market = market[:, weekday].T  # [stop, commune]
        allowed &= market_rule[:, weekday].T
        position = {int(c): k for k, c in enumerate(communes)}
        for insee in {insee for _day, insee in instance.forbidden_pairs}:
            k = position.get(self.index.get(insee, -1))
            if k is not None:
                c = int(communes[k])
                allowed[:, k] &= np.array([forbidden_violation(instance, s.date, c) is None for s in self.stops])
        # The coverage change, where the audiences do not overlap: what c adds minus what the stop brought.
        gain = instance.marginal_q(self.exposure, communes)
        change = gain[None, :] - np.array(self.coverage_lost)[:, None]
        reach = instance.audience_q[communes] != 0
        stop_reach = instance.audience_q[[self.index[s.insee] for s in self.stops]] != 0
        overlap = (stop_reach.astype(np.float32) @ reach.T.astype(np.float32)) > 0
        for i, k in zip(*np.nonzero(overlap & allowed)):  # audiences overlap: exact on both
            change[i, k] = self._exchange(i, int(communes[k]))
        bonus = np.array([round(VALUE_SCALE * instance.params.objective.market_bonus * float(instance.values[c]))
                          for c in communes])
        change += np.where(on_market, bonus[None, :], 0)
        legs = np.rint(VALUE_SCALE * instance.params.objective.km_cost * instance.base_km[:, communes]).astype(np.int64)
        change -= 2 * legs[vehicle] + np.array(self.own)[:, None]
        change = np.where(allowed, change, np.iinfo(np.int64).min)
        replaced = np.argmax(change, axis=0)
        best = change[replaced, np.arange(n)]
        return best, np.where(allowed.any(axis=0), replaced, -1)

    def _exchange(self, i: int, c: int) -> int:
        """Exact coverage change of c in place of stop i when their audiences overlap."""
        instance = self.instance
        stop = self.stops[i]
        audience = instance.audience_q[c]
        union = np.union1d(self.support[i], np.flatnonzero(audience))
        after = self.exposure[union] - instance.audience_q[self.index[stop.insee], union] + audience[union]
        return self._coverage(after, union) - self._coverage(self.exposure[union], union)


def _fixed(instance: Instance, stop: Stop) -> bool:
    """A stop the plan had to make or that earns a request's bonus: not offered for exchange."""
    scenario = instance.scenario
    if any(p.date == stop.date and p.insee == stop.insee for p in scenario.pins):
        return True
    return any(r.active and r.insee == stop.insee and r.in_window(stop.date) for r in scenario.requests)
