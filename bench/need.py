"""Benchmark need-bourges: does the season go where the seniors are far from help?

The season of benchmark (a) (one bus based in Bourges, Tuesday to Friday, 7 September 2026 -
25 June 2027, 10 s, 2 workers). Measured, with the targets of issue 10:
- share of stops in communes within ``gap_start_km`` of a service (target <= 5 %), and stops in
  Bourges (target: none, since nothing requests or pins one);
- whether each of the 20 communes of highest need is visited at least once;
- share of the seniors living more than ``far_km`` from help that the season reaches
  (decay-weighted, ``underserved_seniors_reached`` over the territory's total; target >= 90 %);
- the proven gap (target <= 0.5 %).
Targets missed are listed under ``failures``.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from bench.scenarios import bus_season
from planner.core.instance import build_instance
from planner.search.solve import solve_instance

TOP = 20


def prepare() -> dict:
    return {"instance": build_instance(bus_season("bourges"))}


def run(instance) -> dict:
    plan = solve_instance(instance)
    need = instance.need
    index = instance.scenario.territory.index
    near = [s for s in plan.stops if need.nearest_km[index[s.insee]] <= instance.params.need.gap_start_km]
    visits = Counter(s.insee for s in plan.stops)
    top = [instance.communes[int(i)] for i in np.argsort(-need.need, kind="stable")[:TOP]]
    far = need.nearest_km > instance.params.need.far_km
    far_total = float((np.nan_to_num(need.seniors) * far).sum())
    far_share = plan.metrics.underserved_seniors_reached / far_total
    near_share = len(near) / max(1, len(plan.stops))
    gap = plan.solver.gap
    failures = []
    if near_share > 0.05:
        failures.append(f"stops near a service {100 * near_share:.1f} % > 5 %")
    if visits.get("18033"):
        failures.append(f"{visits['18033']} stop(s) in Bourges")
    missed = [c.name for c in top if not visits.get(c.insee)]
    if missed:
        failures.append("not visited: " + ", ".join(missed))
    if far_share < 0.9:
        failures.append(f"far seniors reached {100 * far_share:.1f} % < 90 %")
    if gap is None or gap > 0.005:
        failures.append(f"gap {gap} > 0.5 %")
    return {
        "status": plan.solver.status,
        "objective": plan.solver.objective,
        "bound": plan.solver.bound,
        "gap_pct": None if gap is None else round(100 * gap, 3),
        "stops": len(plan.stops),
        "near_service_stops": len(near),
        "near_service_share_pct": round(100 * near_share, 1),
        "near_service_communes": dict(Counter(s.commune for s in near)),
        "bourges_stops": visits.get("18033", 0),
        "top20_visited": f"{TOP - len(missed)}/{TOP}",
        "top20_visits": {c.name: visits.get(c.insee, 0) for c in top},
        "far_communes": int(far.sum()),
        "far_communes_visited": int(sum(1 for i in np.flatnonzero(far) if visits.get(instance.communes[i].insee))),
        "far_seniors_reached_pct": round(100 * far_share, 1),
        "communes_visited": plan.metrics.communes_visited,
        "km_total": plan.metrics.km_total,
        "failures": failures,
        "solver_wall_s": plan.solver.wall_s,
    }


TARGETS = {"need-bourges": "<= 5 % of stops near a service, none in Bourges, top 20 visited, >= 90 % far seniors, "
                           "gap <= 0.5 % in 10 s"}
