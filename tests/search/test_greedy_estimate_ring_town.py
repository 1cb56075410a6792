"""The heuristics' estimate on a town whose stop draws its own seniors and a ring of villages.

The ring of tests/core/test_need_ring_around_a_town.py (Ville, its EPN and base at the centre,
1,000 seniors, w = 1; four villages 9.89 road km away, 400 seniors each, gap 0.574, w = 2.15,
forbidden as stops; attendance 0.254 between them), one day (Tuesday 8 September 2026), no
travel cost, and Mi 69 road km east (its own 100 seniors, nobody else within 20 km) with help 7 road
km away: gap (7 - 3) / 12 = 1/3, w = 1.667 (167 integers a tenth).

- A stop in Ville draws its 1,000 seniors and 4 x 101.6 from the ring. Its 24 places go to the
  highest weights first: 24 ring seniors, 240 x 215 = 51,600, the exact value. Shared in
  proportion to who would come (the estimate before: 240 / 1,406.4 of each draw, in whole
  tenths), Ville's own took 17 of them: 170 x 100 + 4 x 17 x 215 = 31,620.
- A stop in Mi seats 24 of its own: 240 x 167 = 40,080, whichever way.

The greedy's one day goes to the commune its estimate prefers: Ville (51,600 > 40,080), as the
exact value has it; sharing in proportion it took Mi (31,620 < 40,080), 11,520 lost.
"""

from __future__ import annotations

from planner.core.instance import build_instance
from planner.domain.scenario import Forbidden
from planner.search.greedy import greedy_stops
from tests.conftest import TUE, commune, service_point, tiny_params, tiny_scenario
from tests.core.test_need_ring_around_a_town import LAT, NEED, RING, RING_EPN, VILLE

MI = commune("18110", LAT, 2.7, 100, name="Mi")
MI_HELP = service_point("18120", LAT + 0.04846, 2.7)  # 5.385 km geodesic north: 7.0 road km
PARAMS = tiny_params(need=NEED, rules=dict(max_visits=1), objective=dict(gap_weight=2.0))


def ring_and_mi():
    return build_instance(tiny_scenario([VILLE, *RING, MI], points=[RING_EPN, MI_HELP], params=PARAMS, end=TUE,
                                        forbidden=[Forbidden(c.insee, None) for c in RING]))


def test_estimate_of_a_stop_is_its_exact_seating_alone():
    instance = ring_and_mi()
    ville, mi = 0, 5
    assert instance.counts_value_q({ville: 1}) == 51_600
    assert int(instance.coverage_q(instance.audience_q[ville])) == 51_600
    assert instance.counts_value_q({mi: 1}) == int(instance.coverage_q(instance.audience_q[mi])) == 40_080


def test_greedy_ring_and_mi_goes_to_the_town_as_the_exact_value_does():
    instance = ring_and_mi()
    (stop,) = greedy_stops(instance)
    assert stop.insee == VILLE.insee
