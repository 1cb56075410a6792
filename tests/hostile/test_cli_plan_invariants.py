"""Property-based tests of plans (Hypothesis) on tiny random seasons built as the front ends
build them (a ScenarioSpec of 3 to 5 communes around Bourges, 2 to 3 weeks around 11 November):
every plan keeps the closed days (public and school holidays, closures), the revisit spacing, the
driving limit and nights away, and its reported objective is the evaluator's (tests/conftest.py
assert_invariants); short solves (1 s, one worker)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import ScenarioSpec, VehicleSpec, build_scenario, solve
from planner.core.instance import build_instance
from planner.domain.problems import DataError
from tests.conftest import assert_invariants

# Communes of the Bourges basin within a day trip of each other.
NEAR_BOURGES = ("18033", "18145", "18160", "18213", "18004", "18141", "18207", "18050")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codes=st.lists(st.sampled_from(NEAR_BOURGES), min_size=3, max_size=5, unique=True),
       weeks=st.integers(min_value=2, max_value=3), max_drive=st.integers(min_value=30, max_value=240),
       nights=st.integers(min_value=0, max_value=2), gap=st.integers(min_value=1, max_value=10),
       zone=st.sampled_from(["", "B"]), closed=st.sets(st.integers(min_value=0, max_value=13), max_size=3),
       weekdays=st.sampled_from(["tue-fri", "mon,wed", "lundi-vendredi"]))
def test_tiny_random_season_keeps_every_rule(codes, weeks, max_drive, nights, gap, zone, closed, weekdays):
    start = dt.date(2026, 11, 2)
    spec = ScenarioSpec(
        territory="bourges", territory_rows=tuple({"insee_com": code} for code in codes),
        start=start.isoformat(), end=(start + dt.timedelta(days=7 * weeks - 1)).isoformat(), school_zone=zone,
        closed=tuple((start + dt.timedelta(days=d)).isoformat() for d in sorted(closed)),
        vehicles=(VehicleSpec("bus", base=codes[0], weekdays=weekdays, max_drive_minutes=max_drive,
                              overnight_nights=nights),),
        params={"rules": {"min_gap_days": gap}, "solver": {"time_limit_s": 1.0, "workers": 1}})
    try:
        scenario = build_scenario(spec)
    except DataError as exc:  # only a season left without a working day may be refused here
        assert all("aucun jour travaillé" in p.message for p in exc.problems), exc.problems
        return
    plan = solve(scenario)
    assert plan.feasible
    instance = build_instance(scenario)
    assert_invariants(instance, plan)
    holidays = {dt.date(2026, 11, 11)}  # Armistice, a Wednesday
    assert not any(s.date in holidays for s in plan.stops)
    by_commune: dict[str, list[dt.date]] = {}
    for stop in sorted(plan.stops, key=lambda s: s.date):
        by_commune.setdefault(stop.insee, []).append(stop.date)
    for dates in by_commune.values():
        assert all((b - a).days >= gap for a, b in zip(dates, dates[1:]))
