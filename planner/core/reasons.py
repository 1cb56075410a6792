"""Why a request is not served, in words a planner can act on.

``static_reason`` looks at the request alone (dates, closures, driving, spacing inside its own
window); ``plan_reason`` looks at the solved plan (days taken by must requests or pins, visits
used up, quotas full, or simply better stops elsewhere).
"""

from __future__ import annotations

import datetime as dt

from planner.core.instance import Instance
from planner.core.rules import closed_violation, driving_violation, forbidden_violation, stop_allowed
from planner.domain.formatting import plural
from planner.domain.plan import Unserved
from planner.domain.request import Request
from planner.domain.stop import Stop

STATUS_LABELS = {"pending": "en attente", "refused": "refusée"}


def _unserved(request: Request, reason: str, message: str) -> Unserved:
    return Unserved(request.request_id, request.insee, request.priority, reason, message)


def window_days(instance: Instance, request: Request) -> list[dt.date]:
    """Calendar days of the request's windows that fall inside the season."""
    season = instance.scenario.season
    days = []
    for start, end in request.windows:
        day = max(start, season.start)
        while day <= min(end, season.end):
            days.append(day)
            day += dt.timedelta(days=1)
    return sorted(set(days))


def open_days(instance: Instance, request: Request, s: int) -> list[dt.date]:
    """Window days on which some vehicle could stop in the request's commune."""
    days = []
    for day in window_days(instance, request):
        if any(stop_allowed(instance, v, day, s) for v in range(len(instance.scenario.vehicles))):
            days.append(day)
    return days


def max_spaced(days: list[dt.date], gap: int) -> int:
    """Most days that can be picked from ``days`` at least ``gap`` days apart (greedy is optimal)."""
    count, last = 0, None
    for day in sorted(days):
        if last is None or (day - last).days >= gap:
            count, last = count + 1, day
    return count


def static_reason(instance: Instance, request: Request) -> Unserved | None:
    """Reason why the request cannot be served by any plan, or None."""
    scenario = instance.scenario
    if not request.active:
        return _unserved(request, "not_accepted", f"demande {STATUS_LABELS.get(request.status, request.status)} : "
                         "non prise en compte tant qu'elle n'est pas acceptée")
    if request.insee not in scenario.territory.index:
        return _unserved(request, "outside_territory", "commune hors du territoire planifié")
    s = scenario.territory.index[request.insee]
    in_season = window_days(instance, request)
    if not in_season:
        return _unserved(request, "outside_season", "période demandée hors de la saison")
    vehicles = scenario.vehicles
    working = [d for d in in_season if any(closed_violation(instance, v, d) is None for v in range(len(vehicles)))]
    if not working:
        reasons = sorted({closed_violation(instance, 0, d) for d in in_season})
        return _unserved(request, "closed_days", "aucun jour ouvré dans la période : " + "; ".join(reasons))
    if all(driving_violation(instance, i, s) for i in range(len(vehicles))):
        nearest = min(range(len(vehicles)), key=lambda k: instance.round_trip_minutes(k, s))
        return _unserved(request, "driving_limit", driving_violation(instance, nearest, s))
    if all(forbidden_violation(instance, d, s) for d in working):
        return _unserved(request, "forbidden", "arrêt interdit dans cette commune sur toute la période")
    available = open_days(instance, request, s)
    if not available:
        return _unserved(request, "market_day_required", "aucun jour de marché de la commune dans la période "
                         "(règle « marché obligatoire »)")
    if len(available) < request.days:
        return _unserved(request, "window_too_short", f"{request.days} jours demandés pour "
                         f"{plural(len(available), 'jour ouvré')} dans la période")
    rules = instance.params.rules
    if request.days > rules.max_visits:
        return _unserved(request, "max_visits", f"{request.days} jours demandés, maximum {rules.max_visits} visites "
                         "par commune et par saison")
    if max_spaced(available, rules.gap_days) < request.days:
        return _unserved(request, "spacing", f"{request.days} jours demandés ne tiennent pas dans la période avec "
                         f"{rules.min_gap_days} jours d'écart entre deux visites")
    return None


def plan_reason(instance: Instance, request: Request, stops: tuple[Stop, ...],
                previous: tuple[Stop, ...] = ()) -> Unserved:
    """Reason why a request that could be served is not served by this plan; ``previous`` is the
    published plan a re-plan started from (keeping its stops may be what decided)."""
    scenario = instance.scenario
    s = scenario.territory.index[request.insee]
    available = open_days(instance, request, s)
    fixed = {(stop.date, stop.vehicle): stop for stop in stops if _is_fixed(instance, stop)}
    names = [v.name for v in scenario.vehicles]
    blocking = [fixed[d, n] for d in available for n in names if (d, n) in fixed]
    if all(all((d, n) in fixed for n in names) for d in available):
        others = sorted({_fixed_label(instance, stop) for stop in blocking})
        return _unserved(request, "must_conflict", "tous les jours possibles sont pris par : " + ", ".join(others))
    rules = instance.params.rules
    gap = rules.gap_days
    own_fixed = sorted(stop.date for stop in stops if stop.insee == request.insee and _is_fixed(instance, stop))
    if own_fixed and not [d for d in available if all(abs((d - o).days) >= gap for o in own_fixed)]:
        return _unserved(request, "spacing", "les visites imposées de la commune ("
                         + ", ".join(f"{d:%d/%m/%Y}" for d in own_fixed) + f") sont à moins de {gap} jours "
                         "de toutes les dates possibles")
    own = [stop for stop in stops if stop.insee == request.insee]
    moving = move_reason(instance, request, stops, previous, available)
    if moving is not None:
        return moving
    if len(own) >= rules.max_visits:
        return _unserved(request, "max_visits", f"la commune a déjà {len(own)} visites (maximum {rules.max_visits})")
    commune = instance.communes[s]
    for quota in rules.quotas:
        group = commune.epci if quota.kind == "epci" else commune.dep
        if group == quota.code and quota.max_days >= 0:
            used = sum(1 for stop in stops if _group(instance, stop.insee, quota.kind) == quota.code)
            if used >= quota.max_days:
                return _unserved(request, "quota", f"{quota.label()} atteint ({used} jours)")
    return _unserved(request, "lower_value", "les arrêts retenus ces jours-là rapportent davantage "
                     f"(valeur d'un arrêt ici : {plural(round(instance.values[s]), 'point')}, "
                     f"bonus de demande : {plural(round(instance.params.objective.should_bonus), 'point')})")


def move_reason(instance: Instance, request: Request, stops: tuple[Stop, ...], previous: tuple[Stop, ...],
                available: list[dt.date]) -> Unserved | None:
    """A re-plan keeps published stops: when serving the request means moving some (the commune's
    own, outside its periods, against the visit limit; or the ones on every possible day), and each
    move costs more than the request's bonus, that is what decided."""
    if not previous:
        return None
    objective = instance.params.objective
    if objective.move_penalty <= objective.should_bonus:
        return None
    published = {(p.date, p.vehicle, p.insee) for p in previous}
    kept = [s for s in stops if (s.date, s.vehicle, s.insee) in published]
    own = [s for s in stops if s.insee == request.insee]
    missing = request.days - len(request.stops_in_window(stops))
    max_visits = instance.params.rules.max_visits
    outside = sorted((s for s in kept if s.insee == request.insee and not request.in_window(s.date)), key=lambda s: s.date)
    cost = f"chaque arrêt publié déplacé coûte {plural(objective.move_penalty, 'point')}, plus que le bonus de la " \
           f"demande ({plural(objective.should_bonus, 'point')})"
    if outside and len(own) + missing > max_visits:
        dates = ", ".join(f"{s.date:%d/%m/%Y}" for s in outside)
        return _unserved(request, "move_cost", f"la commune a déjà {plural(len(own), 'visite')} (maximum {max_visits}), "
                         f"dont {plural(len(outside), 'arrêt publié')} hors des périodes demandées ({dates}) : "
                         f"les déplacer dans ces périodes la servirait, mais {cost}")
    names = [v.name for v in instance.scenario.vehicles]
    taken = {(s.date, s.vehicle) for s in kept}
    if available and all((d, n) in taken for d in available for n in names):
        return _unserved(request, "move_cost", "tous les jours possibles sont pris par des arrêts publiés : "
                         f"en déplacer un servirait la demande, mais {cost}")
    return None


def _group(instance: Instance, insee: str, kind: str) -> str:
    commune = instance.communes[instance.scenario.territory.index[insee]]
    return commune.epci if kind == "epci" else commune.dep


def _is_fixed(instance: Instance, stop: Stop) -> bool:
    """A stop the plan had to make: a pin, or serving a must request."""
    scenario = instance.scenario
    if any(p.date == stop.date and p.insee == stop.insee for p in scenario.pins):
        return True
    return any(r.active and r.priority == "must" and r.insee == stop.insee and r.in_window(stop.date)
               for r in scenario.requests)


def _fixed_label(instance: Instance, stop: Stop) -> str:
    for request in instance.scenario.requests:
        if request.active and request.priority == "must" and request.insee == stop.insee and request.in_window(stop.date):
            return f"demande impérative {request.request_id} ({stop.commune}, {stop.date:%d/%m/%Y})"
    return f"arrêt imposé ({stop.commune}, {stop.date:%d/%m/%Y})"
