"""Why each stop of a published plan moved in a re-plan, in words a host can be told."""

from __future__ import annotations

from planner.core.instance import Instance
from planner.domain.plan import MovedStop
from planner.domain.stop import Stop


def explain_moves(instance: Instance, previous: tuple[Stop, ...], stops: tuple[Stop, ...]) -> tuple[MovedStop, ...]:
    """One entry per previous stop that is not at the same date, vehicle and commune any more."""
    scenario = instance.scenario
    kept = {(s.date, s.vehicle, s.insee) for s in stops}
    taken = {(s.date, s.vehicle): s for s in stops}
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
            reason=_reason(instance, stop, taken.get((stop.date, stop.vehicle))),
        ))
    return tuple(moves)


def _reason(instance: Instance, stop: Stop, replacement: Stop | None) -> str:
    scenario = instance.scenario
    names = [v.name for v in scenario.vehicles]
    if stop.vehicle in names:
        closed = instance.why_closed(scenario.vehicles[names.index(stop.vehicle)], stop.date)
        if closed:
            return f"jour désormais fermé : {closed}"
    if instance.is_forbidden(stop.date, stop.insee):
        return "arrêt désormais interdit à cette date"
    if stop.insee not in scenario.territory:
        return "commune hors du territoire"
    if replacement is not None:
        for pin in scenario.pins:
            if pin.date == stop.date and pin.insee == replacement.insee:
                return f"date prise par l'arrêt imposé à {replacement.commune or replacement.insee}"
        for request in scenario.requests:
            if (request.active and request.priority == "must" and request.insee == replacement.insee
                    and request.in_window(stop.date)):
                return f"date prise par la demande impérative {request.request_id} ({replacement.commune or request.insee})"
    fixed = [p for p in scenario.pins if p.insee == stop.insee] + [
        r for r in scenario.requests if r.active and r.priority == "must" and r.insee == stop.insee]
    if fixed:
        return "visite de la commune déplacée pour respecter une demande ou un arrêt imposé et l'écart entre visites"
    return "réorganisation pour faire place aux changements (la pénalité par arrêt déplacé a été payée)"
