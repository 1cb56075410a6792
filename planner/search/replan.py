"""What a re-plan changed, in words a host can be told: each published stop that moved or went,
and each new date a commune gains, with its reason."""

from __future__ import annotations

from planner.core.instance import Instance
from planner.domain.plan import AddedStop, MovedStop
from planner.domain.stop import Stop
from planner.search.replacement import best_replacement


def explain_moves(instance: Instance, previous: tuple[Stop, ...], stops: tuple[Stop, ...]) -> tuple[MovedStop, ...]:
    """One entry per previous stop that is not at the same date, vehicle and commune any more."""
    scenario = instance.scenario
    kept = {(s.date, s.vehicle, s.insee) for s in stops}
    taken = {(s.date, s.vehicle, s.slot): s for s in stops}
    moves = []
    for stop in previous:
        if (stop.date, stop.vehicle, stop.insee) in kept:
            continue
        new_dates = sorted(s.date for s in stops if s.insee == stop.insee
                           and all(p.date != s.date for p in previous if p.insee == stop.insee))
        moves.append(MovedStop(
            insee=stop.insee,
            commune=stop.commune or (scenario.territory.commune(stop.insee).name if stop.insee in scenario.territory else ""),
            vehicle=stop.vehicle,
            from_date=stop.date,
            to_dates=tuple(new_dates),
            **_reasons(instance, stop, taken.get((stop.date, stop.vehicle, stop.slot))),
        ))
    return tuple(moves)


def _reasons(instance: Instance, stop: Stop, replacement: Stop | None) -> dict[str, str]:
    """Why the stop moved, twice from the one cause that decided: ``reason`` in the planner's words
    (the rule, the request, the penalty paid) and ``host_reason`` for the host, who needs the cause
    but not the planner's trade-offs nor other communes' requests."""
    scenario = instance.scenario
    names = [v.name for v in scenario.vehicles]
    if stop.vehicle in names:
        closed = instance.why_closed(scenario.vehicles[names.index(stop.vehicle)], stop.date)
        if closed:
            return _said(f"jour désormais fermé : {closed}", f"le véhicule ne circule pas ce jour-là ({closed})")
    if instance.is_forbidden(stop.date, stop.insee):
        if replacement is not None and _pinned(instance, replacement):  # « Remplacer » from the season view
            return _said(f"arrêt désormais interdit à cette date ; remplacé ce jour-là par {_label(replacement, instance)}",
                         "date retirée par l'équipe de la tournée")
        return _said("arrêt désormais interdit à cette date", "date retirée par l'équipe de la tournée")
    if stop.insee not in scenario.territory:
        return _said("commune hors du territoire", "commune retirée du territoire de la tournée")
    taken = "date réservée à une autre commune par l'équipe de la tournée"
    if replacement is not None:
        for pin in scenario.pins:
            if pin.date == stop.date and pin.insee == replacement.insee:
                return _said(f"date prise par l'arrêt imposé à {replacement.commune or replacement.insee}", taken)
        for request in scenario.requests:
            if (request.active and request.priority == "must" and request.insee == replacement.insee
                    and request.in_window(stop.date)):
                return _said(f"date prise par la demande impérative {request.request_id} "
                             f"({replacement.commune or request.insee})", taken)
    fixed = [p for p in scenario.pins if p.insee == stop.insee] + [
        r for r in scenario.requests if r.active and r.priority == "must" and r.insee == stop.insee]
    if fixed:
        return _said("visite de la commune déplacée pour respecter une demande ou un arrêt imposé et l'écart entre visites",
                     "date déplacée pour tenir une date demandée et l'écart entre deux passages")
    return _said("réorganisation pour faire place aux changements (la pénalité par arrêt déplacé a été payée)",
                 "calendrier réorganisé par l'équipe de la tournée")


def _said(reason: str, host_reason: str) -> dict[str, str]:
    return {"reason": reason, "host_reason": host_reason}


def explain_additions(instance: Instance, previous: tuple[Stop, ...], stops: tuple[Stop, ...]) -> tuple[AddedStop, ...]:
    """One entry per stop of the new plan that the previous plan did not have (same date, vehicle
    and commune): the communes that gain a date, and why."""
    scenario = instance.scenario
    before = {(s.date, s.vehicle, s.insee) for s in previous}
    replaced = {(s.date, s.vehicle, s.slot): s for s in previous}
    added = []
    for stop in stops:
        if (stop.date, stop.vehicle, stop.insee) in before:
            continue
        instead = replaced.get((stop.date, stop.vehicle, stop.slot))
        added.append(AddedStop(
            insee=stop.insee,
            commune=stop.commune or (scenario.territory.commune(stop.insee).name if stop.insee in scenario.territory else ""),
            vehicle=stop.vehicle,
            date=stop.date,
            replaces=_label(instead, instance),
            reason=_gain_reason(instance, stop, instead, previous),
        ))
    return tuple(added)


def _label(stop: Stop | None, instance: Instance | None = None) -> str:
    """The stop's commune by name (the territory's when the stop lacks it), "" for no stop."""
    if stop is None:
        return ""
    territory = instance.scenario.territory if instance is not None else None
    return stop.commune or (territory.commune(stop.insee).name if territory and stop.insee in territory else stop.insee)


def _pinned(instance: Instance, stop: Stop) -> bool:
    return any(p.date == stop.date and p.insee == stop.insee and p.vehicle in ("", stop.vehicle)
               for p in instance.scenario.pins)


def _gain_reason(instance: Instance, stop: Stop, replaced: Stop | None, previous: tuple[Stop, ...] = ()) -> str:
    scenario = instance.scenario
    if _pinned(instance, stop):
        if replaced is not None and instance.is_forbidden(stop.date, replaced.insee):
            # a stop put in the place of one now forbidden that day: say why this commune, when it is
            # the best one (what « Remplacer » pins), else only that it was imposed
            best = best_replacement(instance, previous, stop.date, stop.vehicle, replaced.insee)
            if best is not None and best.insee == stop.insee:
                return best.reason
            return f"arrêt imposé à la place de {_label(replaced, instance)}, interdit ce jour-là"
        return "arrêt imposé"
    for request in scenario.requests:
        if request.active and request.insee == stop.insee and request.in_window(stop.date):
            kind = "impérative" if request.priority == "must" else "souhaitée"
            return f"demande {kind} {request.request_id}"
    if replaced is None:
        return "jour libre dans le plan précédent"
    return (f"jour libéré par {_label(replaced)} : la commune apporte le plus ce jour-là, "
            "toutes règles respectées")
