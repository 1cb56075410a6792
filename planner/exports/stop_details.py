"""What a stop tells a person, shared by the workbooks and the calendars: where, when, who asked.

Nothing here is guessed: a host site comes from the stop itself (a plan edited by hand) or from a
request it serves, else it is the commune's usual host site (the planner's, or its mairie « à
confirmer »), else it is shown as unknown; session times come from the stop or its vehicle.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from planner.domain.host_site import HostSite, join_place
from planner.domain.market import STATUS_LABELS
from planner.domain.request import Request
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop
from planner.domain.territory import Territory
from planner.domain.vehicle import Vehicle
from planner.domain.weekdays import french_weekday

UNKNOWN_SITE = "à confirmer avec la mairie"
# The team arrives this long before the first workshop to park, connect and set up (the service's
# usual practice; every file says it is to be confirmed with the team).
SETUP_MINUTES = {"bus": 45, "mediator": 15}
BRING = "un téléphone ou une tablette si vous en avez un, son chargeur, vos identifiants et mots de passe, la carte Vitale"
KIND_LABELS = {"bus": "bus numérique", "mediator": "médiateur numérique"}
_SESSION = re.compile(r"(\d{1,2})[:hH](\d{2})\s*-\s*(\d{1,2})[:hH](\d{2})")


PRESET_NAMES = {"bourges": "bassin de vie de Bourges", "cher": "Cher", "centre-val-de-loire": "Centre-Val de Loire"}


def season_title(scenario: Scenario) -> str:
    """The season's own name (the scenario's), else "saison 2026-2027 · bassin de vie de Bourges"."""
    name = scenario.spec.name.strip() if scenario.spec is not None else ""
    if name:
        return name
    first, last = scenario.season.start.year, scenario.season.end.year
    years = f"{first}-{last}" if first != last else f"{first}"
    return f"saison {years} · {PRESET_NAMES.get(scenario.territory.name, scenario.territory.name)}"


def stop_requests(stop: Stop, requests: tuple[Request, ...]) -> tuple[Request, ...]:
    """The requests this stop serves (the evaluator lists their ids on the stop)."""
    wanted = set(stop.request_ids)
    return tuple(r for r in requests if r.request_id in wanted)


def site_requests(stop: Stop, requests: tuple[Request, ...]) -> tuple[Request, ...]:
    """The requests that say where the stop takes place: the ones it serves, else the commune's other
    accepted requests (a date outside the requested periods is still hosted by the commune that asked)."""
    return stop_requests(stop, requests) or tuple(r for r in requests if r.active and r.insee == stop.insee)


def host_site(stop: Stop, requests: tuple[Request, ...]) -> str:
    """The host site and address, or "" when no one has told us where the stop takes place."""
    if stop.host_site.strip():
        return stop.host_site.strip()
    return next((r.host_site.strip() for r in site_requests(stop, requests) if r.host_site.strip()), "")


def signup_text(scenario: Scenario, insee: str) -> str:
    """How to sign up: the team's own words, else « auprès de la mairie de Bourges (02 48 57 80 00,
    contact@...) », the mairie's public contact from the directory where it gives one."""
    team = scenario.team_contact.signup.strip()
    if team:
        return team
    mairie = scenario.territory.mairie(insee)
    if mairie is None:
        return "auprès de la mairie"
    contact = ", ".join(p for p in (mairie.phone, mairie.email) if p)
    return f"auprès de la mairie de {mairie.commune}" + (f" ({contact})" if contact else "")


def vehicle_of(stop: Stop, scenario: Scenario) -> Vehicle | None:
    """The stop's vehicle; a plan read from a file may name one the scenario does not have."""
    return next((v for v in scenario.vehicles if v.name == stop.vehicle), None)


def vehicle_label(vehicle: Vehicle | None) -> str:
    return KIND_LABELS.get(vehicle.kind, vehicle.kind) if vehicle else "service numérique itinérant"


def session_times(stop: Stop, vehicle: Vehicle | None) -> tuple[tuple[dt.time, dt.time], ...]:
    """Start and end of each session of the stop, from its text ("09:30-12:30 / 14:00-17:00") or
    its vehicle; empty when neither says. A mediator's half-day (slot 1 or 2) keeps its own session
    even when the text lists the whole day."""
    times = tuple((dt.time(int(a), int(b)), dt.time(int(c), int(d))) for a, b, c, d in _SESSION.findall(stop.sessions))
    if not times and vehicle is not None:
        times = tuple((s.start, s.end) for s in vehicle.sessions)
    if stop.slot in (1, 2) and len(times) >= 2:
        times = (times[stop.slot - 1],)
    return times


def sessions_label(times: tuple[tuple[dt.time, dt.time], ...], separator: str = " / ") -> str:
    """'09:30-12:30 / 14:00-17:00', or the unknown marker when no time is known."""
    return separator.join(f"{a:%H:%M}-{b:%H:%M}" for a, b in times) if times else "horaires à confirmer"


def market_label(stop: Stop, territory: Territory) -> str:
    """'marché le mercredi matin, place de l'Église' on a known market day, '' otherwise; a market
    not yet confirmed ends with « (à confirmer) ».

    The sources' own wording ("matin (7h30-13h lors de la reprise de mai 2020)") stays in the data:
    a reader needs the day, the part of the day and the place.
    """
    if not stop.market_day:
        return ""
    weekday = french_weekday(stop.date.isoweekday())
    markets = sorted((m for m in territory.markets_of(stop.insee) if m.held_on(stop.date)), key=lambda m: not m.confirmed)
    if not markets:
        return f"marché le {weekday}"
    when = _part_of_day(markets[0].time_of_day)
    place = _plain(markets[0].place)
    place = "" if place.lower().startswith("non précisé") else place
    # A market from the region's listing nobody has checked yet says so, wherever a stop is explained.
    unchecked = "" if markets[0].confirmed else f" ({STATUS_LABELS[markets[0].status]})"
    return f"marché le {weekday}{' ' + when if when else ''}{', ' + place if place else ''}{unchecked}"


def _plain(text: str) -> str:
    """A source's text without its parenthesised remarks."""
    return re.sub(r"\s+", " ", re.sub(r"\([^()]*\)", "", re.sub(r"\([^()]*\)", "", text or ""))).strip(" ,;")


def _part_of_day(text: str) -> str:
    plain = _plain(text).lower()
    for words in ("toute la journée", "journée", "après-midi", "matin", "soir"):
        if words in plain:
            return "en journée" if "journée" in words else words
    return ""


def request_label(request: Request) -> str:
    """'R3 (CC Terres du Haut Berry)': the request and who made it."""
    return f"{request.request_id} ({request.requester})" if request.requester else request.request_id


@dataclass(frozen=True)
class StopDetails:
    """Everything a stop tells a person, read once from the stop and its scenario."""

    vehicle: Vehicle | None
    vehicle_label: str
    seats: int  # per session: the vehicle's, or the planner's setting for a vehicle the scenario lacks
    site: str  # host site and address; "" when nobody said where
    times: tuple[tuple[dt.time, dt.time], ...]
    market: str  # market_label
    requests: tuple[Request, ...]
    usual_site: HostSite | None = None  # the commune's host site when no request names one
    address: str = ""  # the street and town of the request that names the site ("" when none gives one)

    @property
    def site_label(self) -> str:
        """The request's site with its address, each part once (« parking de la mairie, 1 place de
        l'Église, 18510 Menetou-Salon »), else « Mairie, 11 rue Jacques-Rimbault, 18000 Bourges — à confirmer »."""
        if self.site:
            return join_place(self.site, self.address)
        return self.usual_site.label() if self.usual_site is not None and self.usual_site.address else UNKNOWN_SITE

    @property
    def site_to_confirm(self) -> bool:
        """No request nor planner said where: the default (the mairie, or nothing) is to be confirmed."""
        return not self.site and (self.usual_site is None or not self.usual_site.confirmed)

    @property
    def requests_label(self) -> str:
        return ", ".join(request_label(r) for r in self.requests)

    def sessions(self, separator: str = " / ") -> str:
        return sessions_label(self.times, separator)

    @property
    def setup_from(self) -> dt.time | None:
        """When the team arrives to set up: SETUP_MINUTES before the first workshop."""
        if not self.times:
            return None
        minutes = SETUP_MINUTES.get(self.vehicle.kind if self.vehicle else "bus", 30)
        first = dt.datetime.combine(dt.date(2000, 1, 1), min(a for a, _ in self.times))
        return (first - dt.timedelta(minutes=minutes)).time()


def site_address(stop: Stop, requests: tuple[Request, ...]) -> str:
    """« 1 place de l'Église, 18510 Menetou-Salon »: the address of the request that says where the stop is."""
    request = next((r for r in site_requests(stop, requests) if r.address.strip()), None)
    if request is None:
        return ""
    return join_place(request.address, " ".join(p for p in (request.postcode, stop.commune) if p))


def details(stop: Stop, scenario: Scenario) -> StopDetails:
    vehicle = vehicle_of(stop, scenario)
    return StopDetails(vehicle, vehicle_label(vehicle), vehicle.seats if vehicle else scenario.params.vehicle.seats,
                       host_site(stop, scenario.requests), session_times(stop, vehicle),
                       market_label(stop, scenario.territory), stop_requests(stop, scenario.requests),
                       scenario.territory.host_site(stop.insee) if stop.insee in scenario.territory else None,
                       site_address(stop, scenario.requests) if not stop.host_site.strip() else "")
