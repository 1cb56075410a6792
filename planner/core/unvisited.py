"""Why a commune with need gets no stop, in words a planner can check.

Reasons are tried from the hardest to the softest: the commune is forbidden, out of the driving
limit, closed on every working day by a rule, left out by the candidate filter of large
territories; its seniors are already brought near help by stops in a neighbour; its EPCI or
département quota is full; or a stop there is worth less than any stop of the plan it could
replace. The last one is measured, not asserted: the best single exchange (the commune instead of
one stop of the plan on that stop's day, every rule kept) is computed exactly on the objective's
integers; when that exchange would pay, the reason says the search did not find it in time.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from planner.core.instance import AUDIENCE_SCALE, VALUE_SCALE, Instance
from planner.core.rules import stop_allowed
from planner.domain.formatting import fr_date, fr_number
from planner.domain.plan import Unvisited
from planner.domain.stop import Stop

MIN_NEED = 0.5  # value points: a need that rounds to nothing is not listed


def explain_unvisited(instance: Instance, stops: tuple[Stop, ...], candidates: set[int] | None = None
                      ) -> tuple[Unvisited, ...]:
    """One entry per commune with need and no stop, highest need first. ``candidates``: the
    communes the search could use, when a filter (``max_candidates``) left some out."""
    scenario = instance.scenario
    index = scenario.territory.index
    need = instance.need
    visited = {index[s.insee] for s in stops if s.insee in index}
    vehicles = range(len(scenario.vehicles))
    kept = candidates
    exposure = _exposure(instance, stops)
    swaps = _Swaps(instance, stops, exposure)
    found = []
    for c in np.argsort(-need.need, kind="stable"):
        c = int(c)
        if need.need[c] < MIN_NEED or c in visited:
            continue
        commune = instance.communes[c]
        reason, message = _reason(instance, c, visited, vehicles, kept, swaps)
        found.append(Unvisited(commune.insee, commune.name, round(float(need.need[c]), 1), reason, message))
    return tuple(found)


def _reason(instance: Instance, c: int, visited: set[int], vehicles, kept, swaps: _Swaps) -> tuple[str, str]:
    scenario = instance.scenario
    commune = instance.communes[c]
    if instance.is_forbidden(None, commune.insee):
        return "forbidden", "arrêt interdit dans cette commune pour toute la saison"
    if not any(instance.reachable(v, c) for v in vehicles):
        v = min(vehicles, key=lambda k: instance.round_trip_minutes(k, c))
        vehicle = scenario.vehicles[v]
        return "driving_limit", (f"aller-retour de {instance.round_trip_minutes(v, c):.0f} min depuis "
                                 f"{vehicle.base_label}, au-delà de la limite de {vehicle.max_drive_minutes:.0f} min "
                                 "par jour")
    open_days = [(v, d) for v in vehicles for d in instance.working_days(v) if stop_allowed(instance, v, d, c)]
    if not open_days:
        return "no_open_day", "aucun jour ouvré où un arrêt y est permis (dates interdites ou règle « marché obligatoire »)"
    if kept is not None and c not in kept:
        return "not_candidate", (f"écartée par le filtre des grands territoires (max_candidates = "
                                 f"{instance.params.solver.max_candidates}) : un premier arrêt y rapporte moins "
                                 "qu'ailleurs")
    helpers = [s for s in visited if instance.need.helped[s, c]]
    if helpers:
        s = max(helpers, key=lambda k: float(instance.need.attendance[k, c]))
        half = instance.params.need.decay_half_km
        km = float(instance.need.travel.km[s, c])
        if km <= half:
            count = swaps.visits.get(s, 0)
            return "neighbour", (f"desservie par {_visits(count)} à {instance.communes[s].name}, à "
                                 f"{fr_number(km, 1)} km (lieu d'aide actuel à "
                                 f"{fr_number(float(instance.need.nearest_km[c]), 1)} km)")
    for quota in instance.params.rules.quotas:
        group = commune.epci if quota.kind == "epci" else commune.dep
        if group == quota.code and 0 <= quota.max_days <= swaps.group_count(quota.kind, quota.code):
            return "quota", f"{quota.label()} atteint ({quota.max_days} jours)"
    alone = int(instance.marginal_q(np.zeros(len(instance.communes), dtype=np.int64), np.array([c]))[0])
    best = swaps.best(c)
    if best is None:
        return "days_taken", "tous les jours où un arrêt y est permis sont pris par des arrêts imposés ou demandés"
    delta, stop = best
    text = (f"un premier arrêt ici vaudrait {_points(alone)} à lui seul (avant trajet) ; à la place du meilleur "
            f"candidat à l'échange ({stop.commune or stop.insee}, {fr_date(stop.date)})")
    if delta < 0:
        return "lower_value", f"{text}, le plan perdrait {_points(-delta)} : les arrêts retenus rapportent davantage"
    if delta == 0:
        return "lower_value", f"{text}, le plan n'y gagnerait rien"
    return "search_limit", (f"{text}, le plan gagnerait {_points(delta)} : la recherche ne l'a pas trouvé dans le "
                            "temps imparti (plan non prouvé optimal)")


def _points(value_q: int) -> str:
    return f"{fr_number(value_q / VALUE_SCALE)} points"


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
        """Coverage integers of ``communes`` at these exposures."""
        instance = self.instance
        total = 0
        for k in range(instance.segments):
            filled = np.clip(exposure - k * AUDIENCE_SCALE, 0, AUDIENCE_SCALE)
            total += int((filled * instance.slope_q[communes, k]).sum())
        return total

    def group_count(self, kind: str, code: str) -> int:
        return sum(1 for epci, dep in self.groups if (epci if kind == "epci" else dep) == code)

    def best(self, c: int) -> tuple[int, Stop] | None:
        """(objective change, stop replaced) of the best exchange, or None when no stop can be."""
        instance = self.instance
        insee = instance.communes[c].insee
        market_days = instance.market_weekdays[c]
        market_rule = instance.params.rules.market_required and market_days
        audience = instance.audience_q[c]
        own = np.flatnonzero(audience)
        gain = self._coverage(self.exposure[own] + audience[own], own) - self._coverage(self.exposure[own], own)
        best: tuple[int, Stop] | None = None
        for i, stop in enumerate(self.stops):
            v = self.vehicles[stop.vehicle]
            if not (instance.reachable(v, c) and instance.day_trip(v, c)) or instance.is_forbidden(stop.date, insee):
                continue
            if market_rule and stop.date.isoweekday() not in market_days:
                continue
            sup = self.support[i]
            if np.intersect1d(sup, own, assume_unique=True).size:  # audiences overlap: exact on both
                union = np.union1d(sup, own)
                after = self.exposure[union] - instance.audience_q[self.index[stop.insee], union] + audience[union]
                change = self._coverage(after, union) - self._coverage(self.exposure[union], union)
            else:
                change = gain - self.coverage_lost[i]
            change += instance.market_q(c, stop.date) - 2 * instance.base_leg_q(v, c) - self.own[i]
            if best is None or change > best[0]:
                best = (change, stop)
        return best


def _fixed(instance: Instance, stop: Stop) -> bool:
    """A stop the plan had to make or that earns a request's bonus: not offered for exchange."""
    scenario = instance.scenario
    if any(p.date == stop.date and p.insee == stop.insee for p in scenario.pins):
        return True
    return any(r.active and r.insee == stop.insee and r.in_window(stop.date) for r in scenario.requests)
