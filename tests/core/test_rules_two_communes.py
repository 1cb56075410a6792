"""Each stop rule alone, binding and not binding, on two communes: Near (1 km from the base)
and Far (0.5° of latitude north, ~56 km straight, ~72 road km at circuity 1.3: a round trip of
~174 min at 50 km/h). The season runs Monday 7 to Friday 11 September 2026; the bus works Tuesday to Friday, 120 min a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from planner.core.instance import build_instance
from planner.core.rules import closed_violation, driving_violation, forbidden_violation, market_violation, stop_allowed, violation
from planner.domain.market import Market
from planner.domain.scenario import Forbidden
from tests.conftest import BASE, FRI, THU, TUE, WED, bus, commune, tiny_params, tiny_scenario

NEAR, FAR = 0, 1
MONDAY = dt.date(2026, 9, 7)


def instance(*, market_required=False, forbidden=(), closed=(), overnight=0):
    communes = [commune("18001", BASE[0] + 0.01, BASE[1]), commune("18002", BASE[0] + 0.5, BASE[1])]
    market = Market("18001", "Commune 18001", 3, "matin", "place", "hebdomadaire", "weekly", "", "sûre", "test")
    vehicle = replace(bus(max_drive_minutes=120.0), overnight_nights=overnight)
    params = tiny_params(rules=dict(market_required=market_required))
    return build_instance(tiny_scenario(communes, markets=(market,), params=params, vehicles=(vehicle,), start=MONDAY,
                                        forbidden=forbidden, closed=closed))


def test_closed_day_rule_names_the_closure():
    # Monday is not a working day of the bus; Thursday is closed by hand; Wednesday is open.
    inst = instance(closed=(THU,))
    assert closed_violation(inst, 0, MONDAY - dt.timedelta(days=1)) == "hors saison"
    assert closed_violation(inst, 0, MONDAY) == "jour non travaillé"
    assert closed_violation(inst, 0, THU) == "fermeture (date saisie)"
    assert closed_violation(inst, 0, WED) is None


def test_driving_rule_binds_only_a_vehicle_home_every_evening():
    # Far: ~174 min there and back > 120 min; Near: ~3 min. A vehicle that may sleep away is
    # limited leg by leg elsewhere, so the round-trip rule does not bind it.
    inst = instance()
    reason = driving_violation(inst, 0, FAR)
    assert reason.startswith("aller-retour de 17") and "depuis Base" in reason and "limite de 120 min" in reason
    assert driving_violation(inst, 0, NEAR) is None
    assert driving_violation(instance(overnight=2), 0, FAR) is None


def test_forbidden_rule_on_one_date_and_all_season():
    inst = instance(forbidden=(Forbidden("18001", WED), Forbidden("18002")))
    assert forbidden_violation(inst, WED, NEAR) == "arrêt interdit à cette date"
    assert forbidden_violation(inst, THU, NEAR) is None
    assert forbidden_violation(inst, None, NEAR) is None  # not forbidden all season
    assert forbidden_violation(inst, THU, FAR) == forbidden_violation(inst, None, FAR) == \
        "arrêt interdit dans cette commune toute la saison"


def test_market_rule_binds_only_when_on_and_the_commune_has_a_market():
    # Near has a weekly market on Wednesday (ISO 3); Far has none.
    on, off = instance(market_required=True), instance()
    assert "marché obligatoire" in market_violation(on, TUE.isoweekday(), NEAR)
    assert market_violation(on, WED.isoweekday(), NEAR) is None
    assert market_violation(on, TUE.isoweekday(), FAR) is None  # no known market: any day
    assert market_violation(off, TUE.isoweekday(), NEAR) is None


def test_violation_is_the_first_broken_rule_and_stop_allowed_its_absence():
    inst = instance(market_required=True, forbidden=(Forbidden("18001", FRI),))
    assert violation(inst, 0, MONDAY, NEAR) == "jour non travaillé"  # closed before market
    assert violation(inst, 0, FRI, NEAR) == "arrêt interdit à cette date"  # forbidden before market
    assert "marché obligatoire" in violation(inst, 0, TUE, NEAR)
    assert violation(inst, 0, WED, FAR).startswith("aller-retour")
    assert violation(inst, 0, WED, NEAR) is None and stop_allowed(inst, 0, WED, NEAR)
    assert not stop_allowed(inst, 0, TUE, NEAR)


def test_gap_days_is_at_least_one():
    # 0 days apart would be two visits on one day: the gap never goes below one day.
    assert tiny_params(rules=dict(min_gap_days=0)).rules.gap_days == 1
    assert tiny_params(rules=dict(min_gap_days=1)).rules.gap_days == 1
    assert tiny_params(rules=dict(min_gap_days=21)).rules.gap_days == 21
