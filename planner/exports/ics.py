"""iCalendar files (RFC 5545) of a plan, for a host commune, a vehicle or the whole season.

One event per workshop: a bus day is a morning and an afternoon workshop, a mediator's half-day
is one event, so that seniors and hosts see the two times in their calendar app; a stop whose
times are unknown is one all-day event rather than invented hours. LOCATION is the host site's
address with its postcode and commune (or the commune and its département), GEO its coordinates.

Re-importing an updated season must update events, not duplicate them, so an event's UID depends
only on what identifies it (date, vehicle, commune, half-day slot, workshop), never on its rank
or on the solver run; the first workshop keeps the stop's UID (the one-event-per-day files of
earlier versions update in place). A moved stop is new UIDs plus the cancellation of the old ones:
STATUS:CANCELLED and TRANSP:TRANSPARENT, so that calendars stop showing the time as busy. A
cancellation needs the previously published stops (``previous``) and a ``revision`` greater than
the one they were published with; every event of a file carries the caller's revision as SEQUENCE.

Times are local Europe/Paris times with a VTIMEZONE built from the system's time zone data;
DTSTAMP is in UTC. The text is written by hand (no calendar library needed at run time), every
TEXT value escaped (RFC 5545 3.3.11) with control characters removed, so user text cannot add a
property or an event.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote
from zoneinfo import ZoneInfo

from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop
from planner.exports.host_questions import hour_label, part_of_day
from planner.exports.places import place_of
from planner.exports.stop_details import BRING, UNKNOWN_SITE, details, request_label, season_title, signup_text

TZID = "Europe/Paris"
PRODID = "-//Tournée//Planificateur de saison//FR"
UID_DOMAIN = "tournee"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")  # C0 and C1 controls, but the line breaks
# Line breaks other than CR/LF: NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR (and FF, VT, FS-RS), which
# str.splitlines() and JavaScript parsers take as the end of a line: written as escaped \n like a newline.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def stop_uid(stop: Stop) -> str:
    """Stable identity of a stop across re-plans: date, vehicle, commune and half-day slot."""
    return f"{stop.date:%Y%m%d}-{quote(stop.vehicle, safe='')}-{stop.insee}-{stop.slot}@{UID_DOMAIN}"


def event_uid(stop: Stop, workshop: int) -> str:
    """The UID of the ``workshop``-th (0-based) workshop of a stop; the first keeps the stop's UID."""
    uid = stop_uid(stop)
    return uid if workshop == 0 else uid.replace(f"@{UID_DOMAIN}", f"-{workshop + 1}@{UID_DOMAIN}")


@dataclass(frozen=True)
class _Event:
    stop: Stop
    workshop: int  # 0-based rank of the workshop in the stop; 0 for an all-day event
    times: tuple[dt.time, dt.time] | None  # None: times unknown, an all-day event
    count: int  # workshops of the stop
    cancelled: bool = False

    @property
    def uid(self) -> str:
        return event_uid(self.stop, self.workshop)


def _events_of(stop: Stop, scenario: Scenario, cancelled: bool = False) -> list[_Event]:
    times = details(stop, scenario).times
    if not times:
        return [_Event(stop, 0, None, 0, cancelled)]
    return [_Event(stop, n, t, len(times), cancelled) for n, t in enumerate(times)]


def calendar_text(stops: tuple[Stop, ...], scenario: Scenario, *, name: str, previous: tuple[Stop, ...] = (),
                  revision: int = 0, stamp: dt.datetime | None = None, for_host: bool = False) -> str:
    """The calendar of ``stops``, cancelling the events of ``previous`` stops that are no longer planned.

    ``for_host``: the text a host reads (no request numbers nor the team's internal notes).
    """
    events = [e for s in sorted(stops, key=_order) for e in _events_of(s, scenario)]
    current = {e.uid for e in events}
    cancelled = [e for p in sorted(previous, key=_order) for e in _events_of(p, scenario, cancelled=True)
                 if e.uid not in current]
    cancelled = list({e.uid: e for e in cancelled}.values())
    if cancelled and revision < 1:
        raise ValueError("une révision d'au moins 1 est nécessaire pour annuler des arrêts déjà publiés")
    events += cancelled
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_text(name)}", f"X-WR-TIMEZONE:{TZID}"]
    days = [e.stop.date for e in events]
    if days:
        lines += vtimezone(TZID, min(days), max(days) + dt.timedelta(days=1))
    for event in events:
        lines += _event(event, scenario, revision=revision, stamp=stamp, for_host=for_host)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _order(stop: Stop) -> tuple:
    return stop.date, stop.vehicle, stop.slot


def host_calendar(plan: Plan, scenario: Scenario, insee: str, *, previous: tuple[Stop, ...] = (), revision: int = 0,
                  stamp: dt.datetime | None = None) -> str:
    stops = tuple(s for s in plan.stops if s.insee == insee)
    commune = scenario.territory.commune(insee).name if insee in scenario.territory else insee
    return calendar_text(stops, scenario, name=f"Ateliers numériques · {commune}",
                         previous=tuple(p for p in previous if p.insee == insee), revision=revision, stamp=stamp,
                         for_host=True)


def vehicle_calendar(plan: Plan, scenario: Scenario, vehicle: str, *, previous: tuple[Stop, ...] = (), revision: int = 0,
                     stamp: dt.datetime | None = None) -> str:
    stops = tuple(s for s in plan.stops if s.vehicle == vehicle)
    return calendar_text(stops, scenario, name=f"Tournée · {vehicle}", previous=tuple(p for p in previous if p.vehicle == vehicle),
                         revision=revision, stamp=stamp)


def season_calendar(plan: Plan, scenario: Scenario, *, previous: tuple[Stop, ...] = (), revision: int = 0,
                    stamp: dt.datetime | None = None) -> str:
    return calendar_text(plan.stops, scenario, name=f"Tournée · {season_title(scenario)}", previous=previous,
                         revision=revision, stamp=stamp)


def _event(event: _Event, scenario: Scenario, *, revision: int, stamp: dt.datetime, for_host: bool) -> list[str]:
    stop = event.stop
    info = details(stop, scenario)
    place = place_of(stop, scenario)
    commune = stop.commune or (scenario.territory.commune(stop.insee).name if stop.insee in scenario.territory else stop.insee)
    label = info.vehicle_label
    what = "atelier numérique" if info.vehicle is None or info.vehicle.kind == "bus" else "médiation numérique"
    summary = f"{label[0].upper()}{label[1:]} à {commune}"
    if event.times is not None and event.count > 1:
        summary += f" · {what} du {part_of_day(event.times[0])}".replace("du après-midi", "de l'après-midi")
    lines = ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}", f"SEQUENCE:{revision}",
             f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}"]
    if event.times is not None:
        start = dt.datetime.combine(stop.date, event.times[0])
        end = dt.datetime.combine(stop.date, event.times[1])
        lines += [f"DTSTART;TZID={TZID}:{start:%Y%m%dT%H%M%S}", f"DTEND;TZID={TZID}:{end:%Y%m%dT%H%M%S}"]
    else:  # no time known: an all-day event rather than invented hours
        lines += [f"DTSTART;VALUE=DATE:{stop.date:%Y%m%d}", f"DTEND;VALUE=DATE:{stop.date + dt.timedelta(days=1):%Y%m%d}"]
    description = [f"{what[0].upper()}{what[1:]} pour les seniors : {info.sessions(' et ')}, {info.seats} places par "
                   f"atelier, sur inscription."]
    description.append(f"Lieu : {place.label if info.site or place.geocoded else f'{UNKNOWN_SITE} ({place.label})'}")
    if info.setup_from is not None and event.workshop == 0:
        description.append(f"Installation de l'équipe à partir de {hour_label(info.setup_from)} environ.")
    description.append(f"À apporter : {BRING}.")
    team = scenario.team_contact
    signup = signup_text(scenario, stop.insee)
    description.append(f"Inscriptions : {signup}.")
    description.append(f"Contact de l'équipe : {team.label()}.")
    if info.market:
        description.append(f"Jour de marché : {info.market}.")
    if not for_host:
        vehicle = info.vehicle
        description.append(f"Véhicule : {stop.vehicle}" + (f" (base {vehicle.base_label})" if vehicle else ""))
        if place.note:
            description.append(f"Adresse : {place.note}")
        for request in info.requests:
            who = ", ".join(p for p in (request.contact, request.contact_role, request.contact_phone,
                                        request.contact_email) if p)
            description.append(f"Demande : {request_label(request)}" + (f" ; contact : {who}" if who else ""))
            if request.note:
                description.append(f"Note de la demande : {request.note}")
    if event.cancelled:
        summary = f"ANNULÉ : {summary}"
        description.insert(0, "Atelier annulé : il ne figure plus dans le calendrier publié.")
    lines += [f"SUMMARY:{_text(summary)}", f"LOCATION:{_text(place.label)}"]
    if place.lat is not None and place.lon is not None:
        lines.append(f"GEO:{place.lat:.6f};{place.lon:.6f}")
    lines += [f"DESCRIPTION:{_text(chr(10).join(description))}",
              f"TRANSP:{'TRANSPARENT' if event.cancelled else 'OPAQUE'}", "END:VEVENT"]
    return lines


def vtimezone(tzid: str, first: dt.date, last: dt.date) -> list[str]:
    """VTIMEZONE lines of ``tzid`` covering ``first`` to ``last``: one observance per transition.

    The transitions are read from zoneinfo (not hard-coded EU rules), so a change of the law
    reaches the calendars with the system's time zone data.
    """
    zone = ZoneInfo(tzid)
    start = dt.datetime.combine(first, dt.time(), dt.UTC) - dt.timedelta(days=366)
    end = dt.datetime.combine(last, dt.time(), dt.UTC) + dt.timedelta(days=1)
    transitions = _transitions(zone, start, end)
    first_instant = dt.datetime.combine(first, dt.time(), dt.UTC)
    before = [t for t in transitions if t <= first_instant]
    # The two last transitions before the first day: the observance in force, and one of the other
    # kind, since some clients (Outlook) expect both a STANDARD and a DAYLIGHT part.
    kept = before[-2:] + [t for t in transitions if t > first_instant]
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    if not before:  # no transition in the past year (no daylight saving time): the offset of the first day
        offset = first_instant.astimezone(zone).utcoffset()
        lines += _observance(zone, first_instant, dt.datetime(1970, 1, 1), offset, offset)
    for instant in kept:
        before_offset = (instant - dt.timedelta(seconds=1)).astimezone(zone).utcoffset()
        after_offset = instant.astimezone(zone).utcoffset()
        onset = (instant + before_offset).replace(tzinfo=None)
        lines += _observance(zone, instant, onset, before_offset, after_offset)
    lines.append("END:VTIMEZONE")
    return lines


def _observance(zone: ZoneInfo, instant: dt.datetime, onset: dt.datetime, offset_from: dt.timedelta,
                offset_to: dt.timedelta) -> list[str]:
    local = instant.astimezone(zone)
    kind = "DAYLIGHT" if local.dst() else "STANDARD"
    return [f"BEGIN:{kind}", f"DTSTART:{onset:%Y%m%dT%H%M%S}", f"TZOFFSETFROM:{_offset(offset_from)}",
            f"TZOFFSETTO:{_offset(offset_to)}", f"TZNAME:{local.tzname()}", f"END:{kind}"]


def _transitions(zone: ZoneInfo, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """UTC instants at which the zone's offset changes, found day by day, then to the second."""
    found = []
    day = start
    while day < end:
        nxt = day + dt.timedelta(days=1)
        if day.astimezone(zone).utcoffset() != nxt.astimezone(zone).utcoffset():
            low, high = day, nxt  # offset(low) != offset(high): narrow to the first second of the new offset
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high)
        day = nxt
    return found


def _offset(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11); every kind of line break becomes \\n (an escaped newline),
    other control characters go, so no user text can start a line of its own."""
    value = _CONTROL.sub("", _LINE_BREAKS.sub("\n", value))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued by CRLF and a space, never inside a UTF-8 character."""
    if len(line.encode("utf-8")) <= 75:
        return line
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            parts.append(current)
            current, size = "", 1  # the continuation's leading space counts
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
