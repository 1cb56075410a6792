"""The season report of a hand-made season in two communes: A (EPCI E1, an EPN in the commune)
and B (EPCI E2, 15.6 km north of A: about 20 road km from help, so « far »), 100 seniors each,
every one of whom would come (take_up 1), each stop drawing on its own commune only (catchment
0.5 km), 2 workshops x 12 seats = 24 places a stop. The bus's base is 1.1 km south of A.

Planned: Tuesday 8 A, Wednesday 9 B, Thursday 10 A (September 2026). What happened:
- Tue 8 A held: 24 sign-ups, 3 on the waiting list, 22 came;
- Wed 9 B cancelled (« panne du bus »), moved to Friday 11, held there: 10 sign-ups, 9 came;
- Thu 10 A cancelled (« salle indisponible »), not replaced.
Quotas set by the planner: E1 at least 2 days, E2 at least 1. A cost of 500 € a day.
"""

from __future__ import annotations

import pytest

from planner.core.instance import build_instance
from planner.core.season_report import season_report
from planner.domain.outcome import CANCELLED, HELD, StopOutcome
from planner.domain.params import Quota
from planner.domain.plan import Plan
from planner.domain.stop import Stop
from tests.conftest import FRI, THU, TUE, WED, commune, service_point, tiny_params, tiny_scenario

A = commune("18001", 47.01, 2.0, epci="E1")
B = commune("18002", 47.15, 2.0, epci="E2")
PARAMS = tiny_params(rules=dict(quotas=(Quota("epci", "E1", 2), Quota("epci", "E2", 1))))
INSTANCE = build_instance(tiny_scenario([A, B], points=[service_point(A.insee, 47.01, 2.0)], params=PARAMS))
PLAN = Plan((Stop(TUE, "bus", A.insee), Stop(WED, "bus", B.insee), Stop(THU, "bus", A.insee)))
OUTCOMES = (
    StopOutcome(TUE, "bus", A.insee, HELD, signups=24, waiting=3, participants=22),
    StopOutcome(WED, "bus", B.insee, CANCELLED, reason="panne du bus", replaced_by=FRI),
    StopOutcome(FRI, "bus", B.insee, HELD, signups=10, participants=9),
    StopOutcome(THU, "bus", A.insee, CANCELLED, reason="salle indisponible"),
)


@pytest.fixture(scope="module")
def report():
    return season_report(INSTANCE, PLAN, OUTCOMES, cost_per_day=500.0)


def test_planned_and_held_stops_workshops_places_and_participants(report):
    # Planned: 3 stops, 3 x 2 = 6 workshops, 3 x 24 = 72 places, each filled from its commune's
    # pool of 100: 72 expected, of whom B's 24 live far from help; fill 72 / 72 = 100 %.
    p = report.planned
    assert (p.stops, p.presence_days, p.workshops, p.places, p.participants, p.participants_far) == (3, 3, 6, 72, 72, 24)
    assert (p.fill_rate, p.communes, p.communes_reached, p.signups) == (1.0, 2, 2, None)
    # Held: Tue A and Fri B (the replacement): 2 stops, 4 workshops, 48 places; 24 + 10 = 34
    # sign-ups, 3 waiting, 22 + 9 = 31 came, fill 31 / 48 = 0.646; far: B's 9 (A has help at hand).
    h = report.held
    assert (h.stops, h.presence_days, h.workshops, h.places, h.signups, h.waiting) == (2, 2, 4, 48, 34, 3)
    assert (h.participants, h.participants_far, h.fill_rate, h.communes) == (31, 9, 0.646, 2)
    # Each stop drew on its own commune only: A's 22 came from A, B's 9 from B, 2 home communes.
    assert h.communes_reached == 2 and dict(report.stops[0].homes) == {A.insee: 22.0}
    c = report.counts
    assert (c.planned, c.held, c.cancelled, c.replaced, c.not_entered, c.added) == (3, 2, 2, 1, 0, 1)


def test_km_and_driving_time_of_the_stops_held(report):
    # Road km = 1.3 x geodesic; 0.01 degree of latitude is 1.112 km here. A: 2 x 1.112 x 1.3 =
    # 2.9 km round trip, 3.5 min at 50 km/h; B (0.15 degree from the base): 2 x 16.68 x 1.3 =
    # 43.4 km, 52 min. Planned A + B + A = 49.2 km, 59 min; held A + B = 46.3 km, 55.5 -> 56 min.
    assert (report.planned.km, report.planned.drive_minutes) == (49.2, 59)
    assert (report.held.km, report.held.drive_minutes) == (46.3, 56)


def test_each_stop_line_says_what_became_of_it(report):
    lines = {(line.date, line.insee): line for line in report.stops}
    assert [(line.date, line.status, line.in_plan) for line in report.stops] == [
        (TUE, HELD, True), (WED, CANCELLED, True), (THU, CANCELLED, True), (FRI, HELD, False)]
    assert lines[TUE, A.insee].fill == pytest.approx(22 / 24)
    assert lines[WED, B.insee].status_label == "annulé, remplacé le 11/09/2026"
    assert lines[FRI, B.insee].status_label == "tenu (hors plan)" and lines[FRI, B.insee].far == 9
    assert [(r.reason, r.count, r.replaced) for r in report.reasons] == [("panne du bus", 1, 1),
                                                                         ("salle indisponible", 1, 0)]


def test_groups_put_the_quota_beside_the_days_delivered(report):
    # E1 planned 2 days (quota: at least 2), delivered 1: not met. E2 planned 1, delivered 1 (the
    # replacement on Friday): met. One département, 18, without a quota.
    e1, e2 = report.epcis
    assert (e1.code, e1.planned_stops, e1.held_stops, e1.cancelled, e1.expected, e1.participants) == ("E1", 2, 1, 1, 48, 22)
    assert (e1.quota_text, e1.quota_met) == ("au moins 2 jours", False)
    assert (e2.code, e2.planned_stops, e2.held_stops, e2.participants, e2.participants_far, e2.quota_met) == (
        "E2", 1, 1, 9, 9, True)
    (dep,) = report.departements
    assert (dep.code, dep.held_stops, dep.participants, dep.quota_met) == ("18", 2, 31, None)
    (month,) = report.months
    assert (month.label, month.planned_stops, month.held_stops, month.expected, month.participants) == (
        "septembre 2026", 3, 2, 72, 31)


def test_cost_per_participant_from_the_days_of_presence(report):
    # Planned: 3 days x 500 = 1,500 € for 72 expected: 20.83 €; held: 2 x 500 = 1,000 € for 31: 32.26 €.
    cost = report.cost
    assert (cost.planned, cost.held, cost.per_participant_planned, cost.per_participant_held) == (1500, 1000, 20.83, 32.26)
    assert season_report(INSTANCE, PLAN, OUTCOMES).cost is None
    labels = [row.label for row in report.summary_rows()]
    assert labels[-1] == "Coût par participant" and "Coût par participant" not in [
        row.label for row in season_report(INSTANCE, PLAN, OUTCOMES).summary_rows()]


def test_a_plan_without_outcomes_reports_every_stop_as_not_entered():
    report = season_report(INSTANCE, PLAN, ())
    assert (report.counts.not_entered, report.held.stops, report.held.participants, report.held.fill_rate) == (3, 0, 0, None)
    assert report.held.signups is None
