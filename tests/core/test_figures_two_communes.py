"""Figures of a plan computed once in planner/core/figures.py, on communes A (EPCI E1, 100
seniors) and B (EPCI E2, 100 seniors) 1.1 km apart (catchment 0.5 km: a stop draws on its own
commune's seniors only; take_up 1: all 100 would come; 24 places a stop) and a bus working Tuesday 8 to Friday 11 September 2026,
Friday closed by hand; the plan stops in A on Tuesday and Thursday."""

from __future__ import annotations

import datetime as dt

import numpy as np

from planner.core.evaluate import evaluate
from planner.core.figures import (
    closed_periods,
    duty_days,
    group_figures,
    participants_by_commune,
    period_figures,
    visit_dates,
)
from planner.core.instance import build_instance
from planner.domain.stop import Stop
from tests.conftest import FRI, THU, TUE, WED, tiny_scenario
from tests.cpsat.constraints.tiny import A, B

INSTANCE = build_instance(tiny_scenario([A, B], closed=(FRI,)))
STOPS = evaluate(INSTANCE, [Stop(TUE, "bus", A.insee), Stop(THU, "bus", A.insee)]).stops


def test_a_period_counts_its_days_stops_and_participants():
    # Working days Tue, Wed, Thu (Friday closed): stops on 2 of them, Wednesday idle: 1. The two
    # stops offer 48 places and seat 48 of A's 100 seniors, each once (before: « 100 seniors
    # reached », the whole catchment).
    period = period_figures(INSTANCE, list(STOPS), TUE, FRI)
    assert (period.first, period.last, period.stop_days, period.idle_days, period.intercommunalities) == (TUE, THU, 2, 1, 1)
    metrics = period.metrics
    assert (metrics.stops, metrics.communes_visited, metrics.seats, metrics.participants) == (2, 1, 48, 48)
    assert (metrics.fill_rate, metrics.communes_reached) == (1.0, 1)
    empty = period_figures(INSTANCE, [], WED, WED)
    assert (empty.first, empty.stop_days, empty.idle_days, empty.metrics.participants) == (None, 0, 1, 0)


def test_an_intercommunality_counts_its_members():
    reached = participants_by_commune(INSTANCE, STOPS)
    assert np.allclose(reached, [48, 0])
    e1, e2 = group_figures(INSTANCE, STOPS, [0]), group_figures(INSTANCE, STOPS, [1])
    assert (e1.communes, e1.communes_visited, e1.seniors, e1.participants, e1.left_out) == (1, 1, 100, 48, ())
    assert (e2.communes_visited, e2.participants, e2.left_out) == (0, 0, ("Commune 18002",))


def test_duty_days_name_the_closed_ones_and_closures_group_into_periods():
    assert duty_days(INSTANCE.scenario, THU, FRI) == [(THU, "bus", ""), (FRI, "bus", "fermeture (date saisie)")]
    monday = dt.date(2026, 9, 14)
    runs = closed_periods(((TUE, "x"), (WED, "x"), (FRI, "x"), (monday, "y")))
    assert runs == [(TUE, WED, "x"), (FRI, FRI, "x"), (monday, monday, "y")]
    assert visit_dates(STOPS) == {A.insee: [TUE, THU]}
