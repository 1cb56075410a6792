"""Market days count only when and where the market is held, on one commune A (100 seniors, no
help nearby, tests/conftest.py tiny_params: a bus stop seats 24 of its 100 seniors at 1 point a
seat, so it is worth 24; market bonus 0.3 of that = 7.2 points, no travel cost).

- a seasonal market « d'avril à octobre » on Tuesdays: a Tuesday stop in May gets 24 + 7.2 = 31.2,
  one in December 24;
- the same market « à confirmer » (the public listing's): counted by default, worth 24 when the
  scenario turns unconfirmed markets off (and the market-day rule then ignores it)."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.core.rules import market_violation
from planner.domain.market import Market
from planner.domain.stop import Stop
from tests.conftest import commune, tiny_params, tiny_scenario

A = commune("18001", 47.01, 2.0, seniors=100)
MAY_TUESDAY, DECEMBER_TUESDAY = dt.date(2026, 5, 12), dt.date(2026, 12, 8)


def market(status: str = "confirmed", months=(4, 5, 6, 7, 8, 9, 10)) -> Market:
    return Market("18001", "Commune 18001", 2, "8h-13h", "place de l'Église", "hebdomadaire", "weekly",
                  "d'avril à octobre" if months else "toute l'année", "", "test", tuple(months), status)


def value_of(day: dt.date, markets, **params) -> tuple[bool, float]:
    scenario = tiny_scenario([A], markets=markets, start=dt.date(2026, 5, 4), end=dt.date(2026, 12, 18),
                             params=tiny_params(**params))
    stop = evaluate(build_instance(scenario), [Stop(day, "bus", "18001")]).stops[0]
    return stop.market_day, stop.value


def test_seasonal_market_counts_in_may_and_not_in_december():
    assert value_of(MAY_TUESDAY, [market()]) == (True, pytest.approx(31.2))
    assert value_of(DECEMBER_TUESDAY, [market()]) == (False, pytest.approx(24))
    assert value_of(DECEMBER_TUESDAY, [market(months=())]) == (True, pytest.approx(31.2))  # all year


def test_unconfirmed_market_counts_unless_the_scenario_turns_them_off():
    listed = [market("unconfirmed", months=())]
    assert value_of(MAY_TUESDAY, listed) == (True, pytest.approx(31.2))
    assert value_of(MAY_TUESDAY, listed, rules={"unconfirmed_markets": False}) == (False, pytest.approx(24))
    confirmed = [market("confirmed", months=())]
    assert value_of(MAY_TUESDAY, confirmed, rules={"unconfirmed_markets": False}) == (True, pytest.approx(31.2))


def test_market_rule_follows_the_counted_markets():
    # « marché obligatoire »: Wednesday is refused while the unconfirmed Tuesday market counts, allowed once it does not.
    listed = [market("unconfirmed", months=())]
    for counted, refused in ((True, True), (False, False)):
        scenario = tiny_scenario([A], markets=listed, params=tiny_params(
            rules={"market_required": True, "unconfirmed_markets": counted}))
        assert (market_violation(build_instance(scenario), 3, 0) is not None) is refused


def test_a_summer_market_does_not_bind_a_winter_season():
    scenario = tiny_scenario([A], markets=[market(months=(6, 7, 8))], start=dt.date(2026, 11, 3),
                             end=dt.date(2026, 12, 18), params=tiny_params(rules={"market_required": True}))
    instance = build_instance(scenario)
    assert instance.market_weekdays[0] == frozenset() and market_violation(instance, 3, 0) is None
