"""Re-planning the tiny mediator season (tests/test_mediator_tiny.py: B then D on Tuesdays, C then
A on Wednesdays, three weeks from 3 November 2026, Armistice on Wednesday 11) from its published
dates, as ``plan --mode mediator --from`` does.

- Nothing changed: nothing moves.
- D's mairie closed on Tuesday 10 November: that afternoon leaves (reason: forbidden on that
  date). Wednesday 11 is Armistice, so A and C have no visit that week; C's mairie opens only in
  the mornings, A can come (base -> B -> A -> base = 17.3 + 34.7 + 17.3 = 69.4 min <= 90): A
  takes the afternoon. Every other date stays as published; the season changes by -400 (D's
  week) + 100 (A's) - 200 (the move penalty).
- A host asks (must) for A on Tuesday 17 November (A is published on Wednesday afternoons). Taking
  B's Tuesday morning costs B's 200 points, D's afternoon 400: A takes the morning (base -> A ->
  D -> base = 17.3 + 29.4 + 23.7 = 70.4 min <= 90). A's published Wednesday 18 afternoon leaves
  (one half-day per commune and week) and B, free that week, takes it (base -> C -> B -> base
  = 70.4 min). Two published stops move, each to the other's half-day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.domain.request import Request
from planner.domain.scenario import Forbidden
from planner.search.mediator_replan import replan_mediator
from tests.search.test_mediator_tiny import scenario, solve

TUE_10, TUE_17, WED_18 = dt.date(2026, 11, 10), dt.date(2026, 11, 17), dt.date(2026, 11, 18)


def published():
    return solve()[1]


def replan(**kwargs):
    instance = build_instance(scenario(**kwargs))
    return instance, replan_mediator(instance, published().stops)


def test_nothing_changed_nothing_moves():
    plan = published()
    _, again = replan()
    assert again.moved == () and again.added == ()
    assert [(s.date, s.slot, s.insee) for s in again.stops] == [(s.date, s.slot, s.insee) for s in plan.stops]


def test_mairie_closed_one_afternoon_moves_only_that_stop():
    plan = published()
    instance, again = replan(forbidden=[Forbidden("18004", TUE_10)])
    assert evaluate(instance, again.stops).violations == ()
    (move,) = again.moved
    assert (move.insee, move.from_date, move.to_dates) == ("18004", TUE_10, ())
    assert move.reason == "arrêt désormais interdit à cette date"
    (gain,) = again.added
    assert (gain.insee, gain.date, gain.replaces) == ("18001", TUE_10, "D")
    expected = [(s.date, s.slot, s.insee if not (s.date == TUE_10 and s.insee == "18004") else "18001")
                for s in plan.stops]
    assert [(s.date, s.slot, s.insee) for s in again.stops] == expected
    assert again.solver.objective == pytest.approx(plan.metrics.objective - 400 + 100 - 200)


def test_host_request_swaps_two_half_days():
    request = Request("HOTE", "18001", ((TUE_17, TUE_17),), priority="must")
    changed = build_instance(replace(scenario(), requests=(request,)))
    again = replan_mediator(changed, published().stops)
    assert evaluate(changed, again.stops).violations == ()
    on = {(s.date, s.slot): s.insee for s in again.stops}
    assert on[TUE_17, 1] == "18001" and on[WED_18, 2] == "18002"
    moved = {(m.insee, m.from_date) for m in again.moved}
    assert moved == {("18002", TUE_17), ("18001", WED_18)}
    reasons = {m.insee: m.reason for m in again.moved}
    assert reasons["18002"] == "date prise par la demande impérative HOTE (A)"
    assert {(a.insee, a.date) for a in again.added} == {("18001", TUE_17), ("18002", WED_18)}
