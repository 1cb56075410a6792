"""The unvisited communes' explanations, computed in arrays once per plan, agree with the old
per-pair computation (one commune and one stop at a time, kept here as a slow reference).

Instance: the Bourges basin (103 communes), one bus, 8 September to 2 October 2026 (four weeks of
Tuesdays to Fridays), the greedy plan (16 stops, cheap to make); with the market-day rule on (only
the shipped weekly markets' weekdays), one commune forbidden on two dates, one for the whole
season, and an EPCI quota of 2 days, so that every reason but the candidate filter is exercised.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from planner import ScenarioSpec, build_scenario
from planner.core.instance import build_instance
from planner.core.rules import stop_allowed
from planner.core.unvisited import MIN_NEED, _exposure, _Swaps, explain_unvisited
from planner.search.greedy import greedy_stops

SEASON = dict(territory="bourges", start="2026-09-08", end="2026-10-02")


def _instance(rules: dict):
    scenario = build_scenario(ScenarioSpec(**SEASON, params={"rules": rules}))
    greedy = greedy_stops(build_instance(scenario), set(range(len(scenario.territory.communes))))
    first, second = greedy[0].insee, greedy[1].insee
    # forbid the first greedy commune on the dates of its stops, the second for the whole season
    forbids = tuple({"insee": first, "date": s.date.isoformat()} for s in greedy if s.insee == first)
    scenario = build_scenario(ScenarioSpec(**SEASON, params={"rules": rules},
                                           forbids=forbids + ({"insee": second, "date": ""},)))
    instance = build_instance(scenario)
    return instance, greedy_stops(instance, set(range(len(instance.communes))))


def _reference_best(instance, swaps: _Swaps, c: int):
    """The old per-pair loop: every stop of the plan in turn, the best exchange kept (first on a tie)."""
    insee = instance.communes[c].insee
    market_days = instance.market_weekdays[c]
    market_rule = instance.params.rules.market_required and market_days
    audience = instance.audience_q[c]
    own = np.flatnonzero(audience)
    gain = swaps._coverage(swaps.exposure[own] + audience[own], own) - swaps._coverage(swaps.exposure[own], own)
    best = None
    for i, stop in enumerate(swaps.stops):
        v = swaps.vehicles[stop.vehicle]
        if not (instance.reachable(v, c) and instance.day_trip(v, c)) or instance.is_forbidden(stop.date, insee):
            continue
        if market_rule and stop.date.isoweekday() not in market_days:
            continue
        sup = swaps.support[i]
        if np.intersect1d(sup, own, assume_unique=True).size:
            union = np.union1d(sup, own)
            after = swaps.exposure[union] - instance.audience_q[swaps.index[stop.insee], union] + audience[union]
            change = swaps._coverage(after, union) - swaps._coverage(swaps.exposure[union], union)
        else:
            change = gain - swaps.coverage_lost[i]
        change += instance.market_q(c, stop.date) - 2 * instance.base_leg_q(v, c) - swaps.own[i]
        if best is None or change > best[0]:
            best = (change, i)
    return best


def _reference_reason(instance, c: int, visited: set[int], swaps: _Swaps) -> str:
    """The old order of reasons, one commune at a time (no candidate filter here)."""
    vehicles = range(len(instance.scenario.vehicles))
    if instance.is_forbidden(None, instance.communes[c].insee):
        return "forbidden"
    if not any(instance.reachable(v, c) for v in vehicles):
        return "driving_limit"
    if not [(v, d) for v in vehicles for d in instance.working_days(v) if stop_allowed(instance, v, d, c)]:
        return "no_open_day"
    helpers = [s for s in visited if instance.need.audience[s, c] > 0]
    if helpers:
        s = max(helpers, key=lambda k: float(instance.need.attendance[k, c]))
        if float(instance.need.travel.km[s, c]) <= instance.params.need.decay_half_km:
            return "neighbour"
    commune = instance.communes[c]
    for quota in instance.params.rules.quotas:
        group = commune.epci if quota.kind == "epci" else commune.dep
        if group == quota.code and 0 <= quota.max_days <= swaps.group_count(quota.kind, quota.code):
            return "quota"
    best = _reference_best(instance, swaps, c)
    if best is None:
        return "days_taken"
    return "search_limit" if best[0] > 0 else "lower_value"


@pytest.mark.parametrize("rules", [{}, {"market_required": True}], ids=["markets-as-bonus", "market-rule"])
def test_explanations_agree_with_the_per_pair_reference_on_the_bourges_basin(rules):
    instance, stops = _instance(rules)
    index = instance.scenario.territory.index
    visited = {index[s.insee] for s in stops}
    swaps = _Swaps(instance, stops, _exposure(instance, stops))
    found = explain_unvisited(instance, stops)
    expected = [c for c in np.argsort(-instance.need.need, kind="stable")
                if instance.need.need[c] >= MIN_NEED and int(c) not in visited]
    assert [u.insee for u in found] == [instance.communes[c].insee for c in expected]
    reasons = [u.reason for u in found]
    assert reasons == [_reference_reason(instance, int(c), visited, swaps) for c in expected]
    assert {"forbidden", "neighbour"} <= set(reasons) and {"lower_value", "search_limit"} & set(reasons)
    # the exchange itself, for every unvisited commune: same change, same stop replaced
    cols = np.array([int(c) for c in expected])
    best, replaced = swaps.best(cols)
    for k, c in enumerate(cols):
        reference = _reference_best(instance, swaps, int(c))
        assert (None if replaced[k] < 0 else (int(best[k]), int(replaced[k]))) == reference


def test_a_full_epci_quota_is_the_reason_before_any_exchange():
    # An EPCI quota of at most 0 days: every commune of that EPCI left unexplained so far gets "quota".
    instance, stops = _instance({})
    epci = instance.communes[instance.scenario.territory.index[stops[0].insee]].epci
    quota_rules = {"quotas": [{"kind": "epci", "code": epci, "min_days": 0, "max_days": 0}]}
    scenario = build_scenario(ScenarioSpec(**SEASON, params={"rules": quota_rules}))
    instance = build_instance(scenario)
    found = explain_unvisited(instance, stops)
    index = instance.scenario.territory.index
    visited = {index[s.insee] for s in stops}
    swaps = _Swaps(instance, stops, _exposure(instance, stops))
    assert "quota" in {u.reason for u in found}
    assert [u.reason for u in found] == [_reference_reason(instance, index[u.insee], visited, swaps) for u in found]
    assert dt.date(2026, 9, 8) <= min(s.date for s in stops)
