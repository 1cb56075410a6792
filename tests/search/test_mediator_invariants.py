"""Invariants every mediator plan keeps (shared by the tests/test_mediator_*.py files)."""

from __future__ import annotations

from collections import Counter, defaultdict

from planner.core.evaluate import evaluate
from planner.cpsat.mediator_patterns import commune_hours
from planner.domain.host_hours import available


def assert_mediator_invariants(instance, plan) -> None:
    """The evaluator finds no broken rule (but for must requests no template can serve, which the
    plan reports unserved with their reason); no stop on a closed day; at most
    ``mediator_visits_per_week`` half-days per commune and ISO week and one per commune and day;
    the day's drive within the limit; no stop where the mairie is known to be closed; every
    stop is a template half-day on its weekday; the bound is not below the objective."""
    evaluation = evaluate(instance, plan.stops)
    excused = {u.request_id for u in plan.unserved if u.priority == "must"}
    broken = [v for v in evaluation.violations if not (v.rule == "must_unserved" and v.request_id in excused)]
    assert broken == [], broken
    scenario = instance.scenario
    index = scenario.territory.index
    hours = commune_hours(instance)
    limit = instance.params.rules.mediator_visits_per_week
    weekly = Counter((s.insee, s.date.isocalendar()[:2]) for s in plan.stops)
    assert max(weekly.values(), default=0) <= limit
    daily = Counter((s.insee, s.date) for s in plan.stops)
    assert max(daily.values(), default=0) <= 1
    minutes = defaultdict(float)
    template = {(t.vehicle, t.weekday, t.slot): t.insee for t in plan.template}
    for stop in evaluation.stops:
        vehicle = scenario.vehicle(stop.vehicle)
        assert instance.why_closed(vehicle, stop.date) is None
        assert not instance.is_forbidden(stop.date, stop.insee)
        assert stop.slot in (1, 2)
        assert template[stop.vehicle, stop.date.isoweekday(), stop.slot] == stop.insee
        assert available(hours[index[stop.insee]], stop.date.isoweekday(), vehicle.sessions[stop.slot - 1]) is not False
        minutes[stop.vehicle, stop.date] += stop.minutes
    for (name, _day), total in minutes.items():
        assert total <= scenario.vehicle(name).max_drive_minutes + 0.1  # stop minutes are rounded to 0.1
    for t in plan.template:
        assert t.hours_known == (hours[index[t.insee]].known)
    if plan.solver.bound is not None:
        assert plan.solver.bound >= plan.solver.objective - 1e-9


# --- the invariants on seeded random seasons of several weeks, one or two mediators ----------------

import datetime as dt  # noqa: E402
import random  # noqa: E402

import pytest  # noqa: E402

from planner.core.instance import build_instance  # noqa: E402
from planner.domain.host_hours import HostHours  # noqa: E402
from planner.domain.scenario import Forbidden, Scenario  # noqa: E402
from planner.domain.season import build_season  # noqa: E402
from planner.domain.vehicle import mediator_vehicle  # noqa: E402
from planner.search.mediator_solve import solve_mediator  # noqa: E402
from tests.conftest import BASE, commune, territory, tiny_params  # noqa: E402

HOURS = ["L au V (10-12h ;14-17h)", "L au V (14-18h) ; S (10-12h)", "L, Ma, Me, V (9-11h)",
         "L et J (9-12h ;16h30-18h30) ; Ma (9-12h) ; V (16h30-18h30)", "n'importe quoi"]


def random_season(seed: int) -> Scenario:
    """October-November 2026 (All Saints' and Armistice inside), 6-9 communes, 1-2 mediators."""
    rng = random.Random(500 + seed)
    communes = [commune(f"182{i:02d}", 47.0 + rng.uniform(-0.2, 0.2), 2.0 + rng.uniform(-0.25, 0.25),
                        seniors=rng.choice([10, 60, 150, 400])) for i in range(rng.randint(6, 9))]
    hours = tuple(HostHours(c.insee, c.name, rng.choice(HOURS), "t", "t") for c in communes if rng.random() < 0.5)
    land = territory(communes)
    land = type(land)(land.name, land.communes, land.service_points, land.markets, hours)
    params = tiny_params(need={"catchment_km": rng.choice([0.5, 10.0])},
                         objective={"km_cost": 0.5, "idle_day_cost": rng.choice([0.0, 50.0])},
                         rules={"mediator_visits_per_week": rng.choice([1, 2])}, solver={"time_limit_s": 5.0})
    vehicle_params = params.with_changes("vehicle", max_drive_minutes=rng.choice([60.0, 120.0]))
    mediators = tuple(mediator_vehicle(f"m{k}", BASE if k == 0 else (47.1, 2.1), tuple(sorted(rng.sample(range(1, 6), 3))),
                                       vehicle_params) for k in range(rng.randint(1, 2)))
    forbidden = (Forbidden(communes[1].insee, dt.date(2026, 10, rng.randint(5, 30))),) if rng.random() < 0.5 else ()
    season = build_season(dt.date(2026, 10, 5), dt.date(2026, 11, 27), (1, 2, 3, 4, 5),
                          custom_closed=(dt.date(2026, 10, 23),))
    return Scenario(land, season, mediators, params, forbidden=forbidden)


@pytest.mark.parametrize("seed", range(8))
def test_invariants_on_random_seasons(seed):
    instance = build_instance(random_season(seed))
    plan = solve_mediator(instance)
    assert plan.solver.status == "OPTIMAL"
    assert_mediator_invariants(instance, plan)
    closed = {dt.date(2026, 11, 11), dt.date(2026, 10, 23)}  # Armistice (a Wednesday), a custom closure
    assert not closed & {s.date for s in plan.stops}
    # Every open date of a template weekday carries its template half-days (bar forbidden dates).
    for t in plan.template:
        v = instance.vehicle_index(t.vehicle)
        expected = [d for d in instance.working_days(v) if d.isoweekday() == t.weekday and d not in t.skipped]
        got = [s.date for s in plan.stops if (s.vehicle, s.slot, s.insee) == (t.vehicle, t.slot, t.insee)
               and s.date.isoweekday() == t.weekday]
        assert got == expected
