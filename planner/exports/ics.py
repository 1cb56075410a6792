"""iCalendar files (RFC 5545) of a plan, for a host commune, a vehicle or the whole season.

One event per stop, from the first session's start to the last one's end: the bus occupies its
parking spot, and the host its room, for the whole day, and one event keeps updates and
cancellations simple; each session's times are in the description.

Re-importing an updated season must update events, not duplicate them, so a stop's UID depends
only on what identifies it (date, vehicle, commune, half-day slot), never on its rank or on the
solver run: an unchanged stop keeps its UID, a moved stop is a new UID plus the cancellation of
the old one. A cancellation needs the previously published stops (``previous``) and a
``revision`` greater than the one they were published with; every event of a file carries its
revision as SEQUENCE.

Times are local Europe/Paris times with a VTIMEZONE built from the system's time zone data;
DTSTAMP is in UTC. The text is written by hand (no calendar library needed at run time).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote
from zoneinfo import ZoneInfo

from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop
from planner.exports.stop_details import UNKNOWN_SITE, details, request_label

TZID = "Europe/Paris"
PRODID = "-//Tournée//Planificateur de saison//FR"
UID_DOMAIN = "tournee"


def stop_uid(stop: Stop) -> str:
    """Stable identity of a stop across re-plans: date, vehicle, commune and half-day slot."""
    return f"{stop.date:%Y%m%d}-{quote(stop.vehicle, safe='')}-{stop.insee}-{stop.slot}@{UID_DOMAIN}"


def calendar_text(stops: tuple[Stop, ...], scenario: Scenario, *, name: str, previous: tuple[Stop, ...] = (),
                  revision: int = 0, stamp: dt.datetime | None = None) -> str:
    """The calendar of ``stops``, cancelling the ``previous`` stops that are no longer planned."""
    current = {stop_uid(s) for s in stops}
    cancelled = sorted((p for p in previous if stop_uid(p) not in current), key=lambda s: (s.date, s.vehicle, s.slot))
    if cancelled and revision < 1:
        raise ValueError("une révision d'au moins 1 est nécessaire pour annuler des arrêts déjà publiés")
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    events = [(s, False) for s in sorted(stops, key=lambda s: (s.date, s.vehicle, s.slot))]
    events += [(s, True) for s in cancelled]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_text(name)}", f"X-WR-TIMEZONE:{TZID}"]
    days = [s.date for s, _ in events]
    if days:
        lines += vtimezone(TZID, min(days), max(days) + dt.timedelta(days=1))
    for stop, is_cancelled in events:
        lines += _event(stop, scenario, cancelled=is_cancelled, revision=revision, stamp=stamp)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def host_calendar(plan: Plan, scenario: Scenario, insee: str, *, previous: tuple[Stop, ...] = (), revision: int = 0,
                  stamp: dt.datetime | None = None) -> str:
    stops = tuple(s for s in plan.stops if s.insee == insee)
    commune = scenario.territory.commune(insee).name if insee in scenario.territory else insee
    return calendar_text(stops, scenario, name=f"Tournée · {commune}", previous=tuple(p for p in previous if p.insee == insee),
                         revision=revision, stamp=stamp)


def vehicle_calendar(plan: Plan, scenario: Scenario, vehicle: str, *, previous: tuple[Stop, ...] = (), revision: int = 0,
                     stamp: dt.datetime | None = None) -> str:
    stops = tuple(s for s in plan.stops if s.vehicle == vehicle)
    return calendar_text(stops, scenario, name=f"Tournée · {vehicle}", previous=tuple(p for p in previous if p.vehicle == vehicle),
                         revision=revision, stamp=stamp)


def season_calendar(plan: Plan, scenario: Scenario, *, previous: tuple[Stop, ...] = (), revision: int = 0,
                    stamp: dt.datetime | None = None) -> str:
    return calendar_text(plan.stops, scenario, name=f"Tournée · saison {scenario.territory.name}", previous=previous,
                         revision=revision, stamp=stamp)


def _event(stop: Stop, scenario: Scenario, *, cancelled: bool, revision: int, stamp: dt.datetime) -> list[str]:
    info = details(stop, scenario)
    vehicle, times, label, site = info.vehicle, info.times, info.vehicle_label, info.site
    commune = stop.commune or (scenario.territory.commune(stop.insee).name if stop.insee in scenario.territory else stop.insee)
    summary = f"{label[0].upper()}{label[1:]} à {commune}"
    lines = ["BEGIN:VEVENT", f"UID:{stop_uid(stop)}", f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}", f"SEQUENCE:{revision}",
             f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}"]
    if times:
        start = dt.datetime.combine(stop.date, min(a for a, _ in times))
        end = dt.datetime.combine(stop.date, max(b for _, b in times))
        lines += [f"DTSTART;TZID={TZID}:{start:%Y%m%dT%H%M%S}", f"DTEND;TZID={TZID}:{end:%Y%m%dT%H%M%S}"]
    else:  # no time known: an all-day event rather than invented hours
        lines += [f"DTSTART;VALUE=DATE:{stop.date:%Y%m%d}", f"DTEND;VALUE=DATE:{stop.date + dt.timedelta(days=1):%Y%m%d}"]
    base = f" (base {vehicle.base_label})" if vehicle else ""
    description = [f"Ateliers : {info.sessions()} ({info.seats} places par atelier)", f"Lieu : {site or UNKNOWN_SITE}",
                   f"Véhicule : {stop.vehicle}{base}"]
    if info.market:
        description.append(f"Jour de marché : {info.market}")
    for request in info.requests:
        contact = f" ; contact : {request.contact}" if request.contact else ""
        description.append(f"Demande : {request_label(request)}{contact}")
    if cancelled:
        summary = f"ANNULÉ : {summary}"
        description.insert(0, "Arrêt annulé : il ne figure plus dans le plan.")
    lines += [f"SUMMARY:{_text(summary)}", f"LOCATION:{_text(site or commune)}",
              f"DESCRIPTION:{_text(chr(10).join(description))}", "TRANSP:OPAQUE", "END:VEVENT"]
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
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


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
