"""Calendars of the five communes of tests/test_export_workbooks.py, read back with ``icalendar``.

Stops are hand-made and evaluated (so they carry sessions, requests and figures as a solved plan
does): a first published plan, then a re-plan that keeps two stops, moves Bois-Joli from Wed 9
to Wed 16 Sept, drops Écueillé-le-Haut and adds Chêne-sur-Yèvre.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest

from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.domain.plan import Plan
from planner.domain.stop import Stop
from planner.exports.ics import calendar_text, host_calendar, season_calendar, stop_uid, vehicle_calendar
from tests.exports.test_export_workbooks import HOST, HOST_SITE, five_communes_scenario

PARIS = ZoneInfo("Europe/Paris")
STAMP = dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.UTC)


def day(d: int, month: int = 9) -> dt.date:
    return dt.date(2026, month, d)


FIRST_PLAN = ((day(8), HOST), (day(9), "18002"), (day(10), "18005"), (day(15), HOST))
REPLAN = ((day(8), HOST), (day(15), HOST), (day(16), "18002"), (day(11), "18003"))


@pytest.fixture(scope="module")
def instance():
    return build_instance(five_communes_scenario())


def plan_of(instance, stops) -> Plan:
    evaluation = evaluate(instance, [Stop(date=d, vehicle="bus", insee=code) for d, code in stops])
    return Plan(evaluation.stops, metrics=evaluation.metrics)


def events(text: str) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text)
    found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(found) == len(calendar.walk("VEVENT")), "UIDs must be unique"
    return found


def uids(stops) -> set[str]:
    """A bus day is two workshops: the stop's UID for the morning, ``-2`` for the afternoon."""
    return {f"{d:%Y%m%d}-bus-{code}-0{suffix}@tournee" for d, code in stops for suffix in ("", "-2")}


def test_two_workshop_events_per_bus_day_in_paris_time_with_stable_uids(instance):
    plan = plan_of(instance, FIRST_PLAN)
    found = events(season_calendar(plan, instance.scenario, stamp=STAMP))
    assert set(found) == uids(FIRST_PLAN)
    morning, afternoon = found["20260908-bus-18004-0@tournee"], found["20260908-bus-18004-0-2@tournee"]
    start, end = morning.decoded("DTSTART"), morning.decoded("DTEND")
    assert start == dt.datetime(2026, 9, 8, 9, 30, tzinfo=PARIS) and end == dt.datetime(2026, 9, 8, 12, 30, tzinfo=PARIS)
    assert (afternoon.decoded("DTSTART").hour, afternoon.decoded("DTEND").hour) == (14, 17)
    assert str(start.tzinfo) == "Europe/Paris" and start.utcoffset() == dt.timedelta(hours=2)
    assert morning.decoded("DTSTAMP") == STAMP
    assert str(morning["STATUS"]) == "CONFIRMED" and morning["SEQUENCE"] == 0 and str(morning["TRANSP"]) == "OPAQUE"
    assert str(morning["SUMMARY"]) == "Bus numérique à Dun-la-Forêt · atelier numérique du matin"
    assert str(afternoon["SUMMARY"]) == "Bus numérique à Dun-la-Forêt · atelier numérique de l'après-midi"
    assert str(morning["LOCATION"]) == f"{HOST_SITE}, Cher"  # the site names its commune: the département is added
    assert "09:30-12:30 et 14:00-17:00, 12 places par atelier" in str(morning["DESCRIPTION"])
    assert "Demande : R1 (CC E2) ; contact : mairie@dun.example" in str(morning["DESCRIPTION"])
    assert "Contact de l'équipe : contact de l'équipe à renseigner." in str(morning["DESCRIPTION"])
    # No host site known: the commune and its département, at the commune's centre.
    bois_joli = found["20260909-bus-18002-0@tournee"]
    assert str(bois_joli["LOCATION"]) == "Bois-Joli, Cher"
    assert (bois_joli["GEO"].latitude, bois_joli["GEO"].longitude) == (47.0, 2.15)
    assert "Lieu : à confirmer avec la mairie (Bois-Joli, Cher)" in str(bois_joli["DESCRIPTION"])


def test_replan_updates_kept_stops_and_cancels_the_others(instance):
    before = plan_of(instance, FIRST_PLAN)
    after = plan_of(instance, REPLAN)
    published = events(season_calendar(before, instance.scenario, revision=1, stamp=STAMP))
    updated = events(season_calendar(after, instance.scenario, previous=before.stops, revision=2, stamp=STAMP))
    kept = {stop_uid(s) for s in after.stops} & set(published)
    assert kept == {"20260908-bus-18004-0@tournee", "20260915-bus-18004-0@tournee"}
    cancelled = {uid for uid, e in updated.items() if str(e["STATUS"]) == "CANCELLED"}
    assert cancelled == uids(((day(9), "18002"), (day(10), "18005")))  # moved, dropped
    assert set(updated) == cancelled | uids(REPLAN)
    assert {str(updated[uid]["TRANSP"]) for uid in cancelled} == {"TRANSPARENT"}
    assert {e["SEQUENCE"] for e in updated.values()} == {2}
    assert all(updated[uid]["SEQUENCE"] > published[uid]["SEQUENCE"] for uid in cancelled)
    moved = updated["20260909-bus-18002-0@tournee"]
    assert str(moved["SUMMARY"]).startswith("ANNULÉ : ") and moved.decoded("DTSTART").date() == day(9)
    assert str(updated["20260916-bus-18002-0@tournee"]["STATUS"]) == "CONFIRMED"


def test_cancelling_needs_a_new_revision(instance):
    before = plan_of(instance, FIRST_PLAN)
    after = plan_of(instance, REPLAN)
    with pytest.raises(ValueError, match="révision"):
        season_calendar(after, instance.scenario, previous=before.stops, revision=0)


def test_host_and_vehicle_calendars_hold_their_own_stops(instance):
    before = plan_of(instance, FIRST_PLAN)
    after = plan_of(instance, REPLAN)
    host = events(host_calendar(after, instance.scenario, HOST, previous=before.stops, revision=2))
    assert set(host) == uids(((day(8), HOST), (day(15), HOST)))
    assert not any("R1" in str(e["DESCRIPTION"]) for e in host.values())  # no request numbers for the host
    bois_joli = events(host_calendar(after, instance.scenario, "18002", previous=before.stops, revision=2))
    assert {uid: str(e["STATUS"]) for uid, e in bois_joli.items()} == {
        "20260909-bus-18002-0@tournee": "CANCELLED", "20260909-bus-18002-0-2@tournee": "CANCELLED",
        "20260916-bus-18002-0@tournee": "CONFIRMED", "20260916-bus-18002-0-2@tournee": "CONFIRMED"}
    assert len(events(vehicle_calendar(after, instance.scenario, "bus"))) == 2 * len(REPLAN)
    assert events(vehicle_calendar(after, instance.scenario, "minibus")) == {}


def test_time_zone_follows_zoneinfo_across_the_october_change(instance):
    plan = plan_of(instance, ((day(22, 10), "18002"), (day(29, 10), HOST)))
    text = season_calendar(plan, instance.scenario, stamp=STAMP)
    calendar = icalendar.Calendar.from_ical(text)
    found = events(text)
    assert found["20261022-bus-18002-0@tournee"].decoded("DTSTART").astimezone(dt.UTC).hour == 7  # 09:30 CEST
    assert found["20261029-bus-18004-0@tournee"].decoded("DTSTART").astimezone(dt.UTC).hour == 8  # 09:30 CET
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Paris"
    parts = [(p.name, p.decoded("DTSTART"), p["TZOFFSETFROM"].td, p["TZOFFSETTO"].td) for p in timezone.subcomponents]
    assert ("STANDARD", dt.datetime(2026, 10, 25, 3, 0), dt.timedelta(hours=2), dt.timedelta(hours=1)) in parts
    assert {name for name, *_ in parts} == {"STANDARD", "DAYLIGHT"}
    for _, onset, offset_from, offset_to in parts:  # each onset is a real change of the zone's offset
        utc = (onset - offset_from).replace(tzinfo=dt.UTC)
        assert utc.astimezone(PARIS).utcoffset() == offset_to
        assert (utc - dt.timedelta(seconds=1)).astimezone(PARIS).utcoffset() == offset_from


def test_lines_are_folded_at_75_octets_without_splitting_accents(instance):
    plan = plan_of(instance, FIRST_PLAN)
    raw = season_calendar(plan, instance.scenario, stamp=STAMP).encode("utf-8")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert all(line.decode("utf-8") for line in lines if line)  # no UTF-8 character cut in two
    assert any(line.startswith(b" ") for line in lines)
    assert HOST_SITE in str(events(raw.decode("utf-8"))["20260908-bus-18004-0@tournee"]["DESCRIPTION"])


def test_stop_without_known_times_is_an_all_day_event(instance):
    stop = Stop(date=day(8), vehicle="inconnu", insee="18002", commune="Bois-Joli")
    found = events(calendar_text((stop,), instance.scenario, name="essai", stamp=STAMP))
    event = found["20260908-inconnu-18002-0@tournee"]
    assert event.decoded("DTSTART") == day(8) and event.decoded("DTEND") == day(9)
    assert "horaires à confirmer" in str(event["DESCRIPTION"])
