"""A published season while it runs: each stop with what its host and the team entered (host site,
sign-ups, waiting list, participants, held or cancelled), the alerts of the coming stops, and
``recorded_outcomes``, the planner's StopOutcome records the season report is built on.

What is stored is per workshop (``WorkshopOutcome``); a stop sums its workshops. The alert
thresholds are settings (``TOURNEE_ALERT_DAYS``, ``TOURNEE_ALERT_MIN_SIGNUPS``), read here only.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace

from flask import current_app

from web import planning
from web.extensions import db
from web.models import DateChangeRequest, HostSite, Publication, StopRequest, WorkshopOutcome
from web.published import Published, published

ALERT_DAYS = 14  # a coming stop this close is watched ...
ALERT_MIN_SIGNUPS = 6  # ... and alerts with fewer sign-ups than this, or no confirmed host site
PLANNED, HELD, CANCELLED = planning.OUTCOME_STATUSES
STATUS_LABELS = {PLANNED: "prévu", HELD: "tenu", CANCELLED: "annulé"}
ENTERED_BY_HOST, ENTERED_BY_TEAM = "hôte", "équipe"
MAX_COUNT = 500  # no workshop seats more; a larger count is a typing error


def init_app(app) -> None:
    app.config.setdefault("TOURNEE_ALERT_DAYS", int(os.environ.get("TOURNEE_ALERT_DAYS", ALERT_DAYS)))
    app.config.setdefault("TOURNEE_ALERT_MIN_SIGNUPS",
                          int(os.environ.get("TOURNEE_ALERT_MIN_SIGNUPS", ALERT_MIN_SIGNUPS)))


def thresholds() -> tuple[int, int]:
    """(days ahead watched, fewest sign-ups without an alert)."""
    return current_app.config["TOURNEE_ALERT_DAYS"], current_app.config["TOURNEE_ALERT_MIN_SIGNUPS"]


def latest_publication(scenario_id: int) -> Published | None:
    """The season as it is published now (its latest revision), or None before any publication."""
    publication_id = db.session.scalar(db.select(Publication.id).filter_by(scenario_id=scenario_id)
                                       .order_by(Publication.revision.desc()).limit(1))
    return published(publication_id) if publication_id else None


@dataclass
class Workshop:
    index: int
    label: str  # « atelier du matin », « atelier de l'après-midi », or « atelier » when there is one
    times: tuple[str, str] | None
    outcome: WorkshopOutcome | None


@dataclass
class SeasonStop:
    """One stop of the published season with what was entered about it."""

    date: dt.date
    vehicle: str
    insee: str
    commune: str
    places: int
    workshops: list[Workshop]
    site: HostSite | None
    alerts: list[str] = field(default_factory=list)

    def _sum(self, name: str) -> int | None:
        values = [getattr(w.outcome, name) for w in self.workshops if w.outcome is not None
                  and getattr(w.outcome, name) is not None]
        return sum(values) if values else None

    @property
    def signups(self) -> int | None:
        return self._sum("signups")

    @property
    def waiting(self) -> int | None:
        return self._sum("waiting")

    @property
    def participants(self) -> int | None:
        return self._sum("participants")

    @property
    def status(self) -> str:
        """Held when a workshop was held, cancelled when every workshop was, planned otherwise."""
        statuses = [w.outcome.status if w.outcome else PLANNED for w in self.workshops]
        if HELD in statuses:
            return HELD
        return CANCELLED if statuses and all(s == CANCELLED for s in statuses) else PLANNED

    @property
    def reason(self) -> str:
        return "; ".join(dict.fromkeys(w.outcome.reason for w in self.workshops if w.outcome and w.outcome.reason))

    @property
    def fill_rate(self) -> float | None:
        return self.signups / self.places if self.signups is not None and self.places else None

    @property
    def confirmed(self) -> bool:
        return self.site is not None and self.site.confirmed_at is not None

    @property
    def site_text(self) -> str:
        """« Salle des fêtes, 4 rue de la Croix Blanche · prise électrique, toilettes » as the host
        confirmed it, for the planner ("" before it confirms)."""
        if not self.confirmed:
            return ""
        place = ", ".join(p for p in (self.site.host_site, self.site.address) if p)
        facilities = [label for label, present in (("prise électrique", self.site.parking_power),
                                                   ("toilettes", self.site.toilets), ("salle", self.site.room)) if present]
        return f"{place} · {', '.join(facilities)}" if facilities else place

    @property
    def key(self) -> str:
        """How forms name this stop: « ISO date|vehicle|INSEE »."""
        return f"{self.date.isoformat()}|{self.vehicle}|{self.insee}"


def workshop_slots(stop, season: Published) -> list[tuple[str, tuple[str, str] | None]]:
    """(label, (start, end)) of each workshop of a stop: the bus gives two, a mediator's half-day one."""
    times = planning.host_stop(stop, season.scenario)["times"]
    count = max(1, len(times))
    labels = ("atelier du matin", "atelier de l'après-midi") if count == 2 else ("atelier",) * count
    hours = [(f"{a:%H:%M}", f"{b:%H:%M}") for a, b in times]
    return [(labels[i], hours[i] if i < len(hours) else None) for i in range(max(1, len(times)))]


def season_stops(season: Published, insee: str | None = None) -> list[SeasonStop]:
    """The stops of a publication (one commune's when ``insee`` is given), with their outcomes and
    host sites, by date."""
    query = db.select(WorkshopOutcome).filter_by(scenario_id=season.scenario_id)
    sites_query = db.select(HostSite).filter_by(scenario_id=season.scenario_id)
    if insee:
        query, sites_query = query.filter_by(insee=insee), sites_query.filter_by(insee=insee)
    outcomes = {(o.date, o.vehicle, o.insee, o.workshop): o for o in db.session.scalars(query)}
    sites = {s.insee: s for s in db.session.scalars(sites_query)}
    stops = sorted((s for s in season.plan.stops if insee is None or s.insee == insee),
                   key=lambda s: (s.date, s.vehicle, s.insee))
    names = planning.shipped_by_insee()
    rows = []
    for stop in stops:
        workshops = [Workshop(i, label, times, outcomes.get((stop.date, stop.vehicle, stop.insee, i)))
                     for i, (label, times) in enumerate(workshop_slots(stop, season))]
        commune = stop.commune or (names[stop.insee].name if stop.insee in names else stop.insee)
        rows.append(SeasonStop(stop.date, stop.vehicle, stop.insee, commune, int(stop.places or 0), workshops,
                               sites.get(stop.insee)))
    return rows


def with_alerts(stops: list[SeasonStop], today: dt.date) -> list[SeasonStop]:
    """Marks the alerts of each coming stop (French): within the watched days, too few sign-ups or no
    confirmed host site. A cancelled or past stop raises none."""
    days, fewest = thresholds()
    for stop in stops:
        stop.alerts = []
        if stop.status != PLANNED or not (today <= stop.date <= today + dt.timedelta(days=days)):
            continue
        signups = stop.signups or 0
        if signups < fewest:
            stop.alerts.append(f"{planning.plural(signups, 'inscrit')} {in_days((stop.date - today).days)} : moins de {fewest}")
        if not stop.confirmed:
            stop.alerts.append("lieu d'accueil non confirmé par la mairie")
    return stops


def in_days(days: int) -> str:
    """« aujourd'hui », « demain », « dans 5 jours »."""
    return "aujourd'hui" if days == 0 else "demain" if days == 1 else f"dans {days} jours"


def outcome_row(scenario_id: int, key: tuple[dt.date, str, str], workshop: int) -> WorkshopOutcome:
    """The stored outcome of one workshop, created (planned, nothing entered) when there is none."""
    date, vehicle, insee = key
    row = db.session.scalar(db.select(WorkshopOutcome).filter_by(scenario_id=scenario_id, date=date, vehicle=vehicle,
                                                                 insee=insee, workshop=workshop))
    if row is None:
        row = WorkshopOutcome(scenario_id=scenario_id, date=date, vehicle=vehicle, insee=insee, workshop=workshop,
                              status=PLANNED, reason="", entered_by="")
        db.session.add(row)
    return row


def host_site_of(scenario_id: int, insee: str) -> HostSite | None:
    return db.session.scalar(db.select(HostSite).filter_by(scenario_id=scenario_id, insee=insee))


def requested_site(season: Published, insee: str) -> dict:
    """The host site as the plan or the commune's accepted request names it, before the host confirms
    it: the form's starting values."""
    record = db.session.scalar(db.select(StopRequest).filter(StopRequest.scenario_id == season.scenario_id,
                                                             StopRequest.insee == insee,
                                                             StopRequest.status == "accepted")
                               .order_by(StopRequest.id.desc()).limit(1))
    place = next((planning.host_stop(s, season.scenario)["place"] for s in season.stops_in(insee)), "")
    if record is None:
        return {"host_site": place, "address": "", "parking_power": False, "toilets": False, "room": False}
    return {"host_site": record.host_site or place,
            "address": ", ".join(x for x in (record.address, f"{record.postcode} {record.commune}".strip()) if x),
            "parking_power": record.parking_power, "toilets": record.toilets, "room": record.room}


def open_change_requests(scenario_id: int) -> list[DateChangeRequest]:
    return db.session.scalars(db.select(DateChangeRequest).filter_by(scenario_id=scenario_id, status="open")
                              .order_by(DateChangeRequest.date)).all()


# --- stops a later revision moved or cancelled ------------------------------------------------

@dataclass(frozen=True)
class Withdrawn:
    """A stop an earlier revision published that the current one no longer has."""

    date: dt.date
    vehicle: str
    insee: str
    moved_to: dt.date | None  # the commune's new date, when the stop moved
    reason: str  # in the planner's words (planner.search.replan)
    stop: object = None  # the planner's Stop as the earlier revision published it
    host_reason: str = ""  # the same cause as the host's page and e-mail say it


def withdrawn_stops(season: Published) -> tuple[Withdrawn, ...]:
    """Every stop an earlier revision published that this one lacks, judged at the revision that
    withdrew it: moved (to the new date that revision's re-plan gave the commune, else the commune's
    new dates paired with its removed ones in date order) or cancelled; a date moved to a date that a
    later revision moved again points at the last one (or is cancelled with it). Read from
    publications, which never change."""
    chain = [p for p in (published(pid) for pid in db.session.scalars(
        db.select(Publication.id).filter(Publication.scenario_id == season.scenario_id,
                                         Publication.revision < season.revision).order_by(Publication.revision)))
        if p is not None] + [season]
    current = {(s.date, s.vehicle, s.insee) for s in season.plan.stops}
    found: dict[tuple, Withdrawn] = {}
    for before, after in zip(chain, chain[1:]):
        kept = {(s.date, s.vehicle, s.insee) for s in after.plan.stops}
        dates_before, dates_after = _dates_by_commune(before.plan.stops), _dates_by_commune(after.plan.stops)
        moves = {(m.insee, m.from_date): m for m in after.plan.moved}
        unclaimed = {insee: sorted(dates - dates_before.get(insee, set())) for insee, dates in dates_after.items()}
        removed = sorted((s for s in before.plan.stops if (s.date, s.vehicle, s.insee) not in kept),
                         key=lambda s: (s.insee, s.date, s.vehicle))
        for s in removed:
            key = (s.date, s.vehicle, s.insee)
            if key in current or key in found:
                continue
            move = moves.get((s.insee, s.date))
            new = unclaimed.get(s.insee, [])
            if move is not None:
                moved_to = next((d for d in move.to_dates if d in new), None)
                reason, host_reason = move.reason, move.host_reason
            else:
                moved_to, reason, host_reason = (new[0] if new else None), "", ""
            if moved_to in new:
                new.remove(moved_to)
            found[key] = Withdrawn(s.date, s.vehicle, s.insee, moved_to, reason, s, host_reason)
    by_date = {(w.insee, w.date): w for w in found.values()}
    resolved = []
    for w in found.values():
        target, seen = w.moved_to, set()
        while target is not None and (w.insee, target) in by_date and target not in seen:
            seen.add(target)
            target = by_date[(w.insee, target)].moved_to
        resolved.append(replace(w, moved_to=target))
    return tuple(sorted(resolved, key=lambda w: (w.date, w.vehicle, w.insee)))


def _dates_by_commune(stops) -> dict[str, set[dt.date]]:
    dates: dict[str, set[dt.date]] = {}
    for s in stops:
        dates.setdefault(s.insee, set()).add(s.date)
    return dates


def withdrawn_in(season: Published, insee: str) -> list[Withdrawn]:
    return [w for w in withdrawn_stops(season) if w.insee == insee]


# --- the record for the season report ---------------------------------------------------------

def recorded_outcomes(scenario_id: int, today: dt.date | None = None) -> tuple:
    """What became of every stop the season published, as the planner's StopOutcome records, summed
    over each stop's workshops: the stops of the latest revision with what was entered, and the stops
    an earlier revision published that a later one moved (``replaced_by``) or cancelled. Empty before
    any publication. ``today`` is unused by the sums; kept for callers that report « as of »."""
    del today
    season = latest_publication(scenario_id)
    if season is None:
        return ()
    outcomes = []
    for stop in season_stops(season):
        outcomes.append(planning.StopOutcome(date=stop.date, vehicle=stop.vehicle, insee=stop.insee, status=stop.status,
                                             signups=stop.signups, waiting=stop.waiting,
                                             participants=stop.participants, reason=stop.reason))
    stored = {(o.date, o.vehicle, o.insee): o for o in db.session.scalars(
        db.select(WorkshopOutcome).filter_by(scenario_id=scenario_id).order_by(WorkshopOutcome.workshop))}
    for gone in withdrawn_stops(season):
        entered = stored.get((gone.date, gone.vehicle, gone.insee))
        reason = gone.reason or (entered.reason if entered else "")
        outcomes.append(planning.StopOutcome(date=gone.date, vehicle=gone.vehicle, insee=gone.insee, status=CANCELLED,
                                             signups=None, waiting=None, participants=None,
                                             reason=reason or ("déplacé" if gone.moved_to else "annulé"),
                                             replaced_by=gone.moved_to))
    return tuple(sorted(outcomes, key=lambda o: (o.date, o.vehicle, o.insee)))
