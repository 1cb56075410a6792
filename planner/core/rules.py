"""Rules a single stop must obey, shared by the models, the heuristics, the evaluator and the
explanations: each rule is one predicate that returns its French reason, or None when the stop
keeps it, so that a filter (``stop_allowed``) and a message can never disagree."""

from __future__ import annotations

import datetime as dt

import numpy as np

from planner.core.instance import Instance
from planner.domain.host_hours import available
from planner.domain.request import Request
from planner.domain.weekdays import french_weekday


def closed_violation(instance: Instance, v: int, day: dt.date) -> str | None:
    """Vehicle ``v`` does not work on ``day`` (outside the season, a weekday it does not work, a closure)."""
    return instance.why_closed(instance.scenario.vehicles[v], day)


def driving_violation(instance: Instance, v: int, s: int) -> str | None:
    """A vehicle home every evening cannot make the round trip to commune ``s`` within its daily
    driving limit. (A vehicle that may sleep away is limited leg by leg, in its routes.)"""
    vehicle = instance.scenario.vehicles[v]
    if vehicle.overnight_nights > 0 or instance.reachable(v, s):
        return None
    return (f"aller-retour de {instance.round_trip_minutes(v, s):.0f} min depuis {vehicle.base_label}, "
            f"au-delà de la limite de {vehicle.max_drive_minutes:.0f} min par jour")


def forbidden_violation(instance: Instance, day: dt.date | None, s: int) -> str | None:
    """A forbidden stop names commune ``s`` on ``day`` or all season (``day`` None: all season only)."""
    insee = instance.communes[s].insee
    if (None, insee) in instance.forbidden_pairs:
        return "arrêt interdit dans cette commune toute la saison"
    if day is not None and (day, insee) in instance.forbidden_pairs:
        return "arrêt interdit à cette date"
    return None


def market_violation(instance: Instance, weekday: int, s: int) -> str | None:
    """The market-day rule is on, commune ``s`` has a known weekly market and ISO ``weekday`` is not its day."""
    market_days = instance.market_weekdays[s]
    if instance.params.rules.market_required and market_days and weekday not in market_days:
        return "la commune a un jour de marché connu et la règle « marché obligatoire » est active"
    return None


def hours_violation(instance: Instance, v: int, weekday: int, slot: int, s: int) -> str | None:
    """A mediator works inside the mairie: its half-day ``slot`` (1-based; 0 = the whole day) on ISO
    ``weekday`` needs commune ``s``'s mairie open for a sizeable part of it (``host_hours.available``).
    Unknown hours restrict nothing (the plan says they are unknown); a bus parks outside and is
    never refused here (its host is asked instead, planner/exports/host_questions.py)."""
    vehicle = instance.scenario.vehicles[v]
    if vehicle.kind != "mediator":
        return None
    sessions = vehicle.sessions[slot - 1:slot] if 0 < slot <= len(vehicle.sessions) else vehicle.sessions
    hours = instance.host_hours[s]
    if not sessions or any(available(hours, weekday, session) is not False for session in sessions):
        return None
    when = " et ".join(session.label() for session in sessions)
    return f"mairie fermée le {french_weekday(weekday)} {when} d'après ses horaires (« {hours.text} »)"


def violation(instance: Instance, v: int, day: dt.date, s: int) -> str | None:
    """The first rule a stop of vehicle ``v`` in commune ``s`` on ``day`` breaks: closed day, driving
    limit, forbidden stop, market day; None when it keeps them all."""
    return (closed_violation(instance, v, day) or driving_violation(instance, v, s)
            or forbidden_violation(instance, day, s) or market_violation(instance, day.isoweekday(), s))


def stop_allowed(instance: Instance, v: int, day: dt.date, s: int) -> bool:
    """The stop keeps every rule, as a domain filter: a stop that breaks one gets no variable at
    all, which keeps the model small."""
    return violation(instance, v, day, s) is None


def seats_someone(instance: Instance) -> np.ndarray:
    """True for the communes where a stop would seat someone (in the objective's integers, so that
    a pool rounded to nothing counts as nothing). Every such stop has a value, also beside an EPN
    (its seniors count 1, those far from help 1 + gap_weight): leaving one out of the models would
    make their proven optimum miss plans the evaluator scores higher."""
    return instance.values > 0


def named_communes(instance: Instance, requests: tuple[Request, ...]) -> set[int]:
    """Communes a request or a pin names: candidates whatever they add."""
    index = instance.scenario.territory.index
    return ({index[r.insee] for r in requests if r.insee in index}
            | {index[p.insee] for p in instance.scenario.pins if p.insee in index})


def allowed_mask(instance: Instance, v: int, day: dt.date, communes: np.ndarray, cache: dict) -> np.ndarray:
    """``stop_allowed`` for each of ``communes`` on ``day``, by predicate: the driving and market
    rules depend on the weekday only (kept in ``cache``, one per list of communes), few communes
    have forbidden dates. Stop by stop, the local search on the region spent 11 s of its 60 here."""
    weekday = day.isoweekday()
    if (v, weekday) not in cache:
        cache[v, weekday] = np.array([driving_violation(instance, v, int(s)) is None
                                      and market_violation(instance, weekday, int(s)) is None for s in communes],
                                     dtype=bool)
    if "forbidden" not in cache:
        named = {insee for _day, insee in instance.forbidden_pairs}
        cache["forbidden"] = [i for i, s in enumerate(communes) if instance.communes[int(s)].insee in named]
    mask = cache[v, weekday] & (closed_violation(instance, v, day) is None)
    for i in cache["forbidden"]:
        mask[i] = mask[i] and forbidden_violation(instance, day, int(communes[i])) is None
    return mask
