"""Benchmark need-bourges: who takes the seats of the default season, old objective against new.

The season of benchmark (a) (one bus based in Bourges, Tuesday to Friday, 7 September 2026 -
25 June 2027, 10 s, 2 workers), solved with the participants' value (planner/core/participants.py),
set against the season the concave coverage of the seniors around a stop chose before
(``need-bourges-old-season.csv``: the stops main's planner returned on this benchmark at commit
410ab26, FEASIBLE 6,661.6, gap 0.1 %, kept as a file since that objective is gone). Both are
scored by today's evaluator, so the participants are counted the same way. Reported for each: distinct communes visited, stops in
communes that have a place of help, places, expected participants and of them far from help,
communes that send participants, the top 10 stops by value; and the new solve's proven gap.
"""

from __future__ import annotations

from pathlib import Path

from bench.figures import season_figures
from bench.scenarios import bus_season
from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.inputs.stops import read_stops
from planner.search.solve import solve_instance

OLD_SEASON = Path(__file__).with_name("need-bourges-old-season.csv")
TOP = 10


def prepare() -> dict:
    return {"instance": build_instance(bus_season("bourges"))}


def figures(instance, stops) -> dict:
    """The figures of issue 19 for evaluated ``stops``."""
    evaluation = evaluate(instance, stops)
    metrics = evaluation.metrics
    index = instance.scenario.territory.index
    helped_at_home = [s for s in evaluation.stops if instance.need.nearest_km[index[s.insee]] == 0.0]
    top = sorted(evaluation.stops, key=lambda s: -s.value)[:TOP]
    return {
        "objective": round(evaluation.objective_q / 1000, 3),
        **season_figures(metrics),
        "stops_where_help_is": len(helped_at_home),
        "communes_reached": metrics.communes_reached,
        "top10": [f"{s.date:%d/%m} {s.commune} {s.value:g} pts {s.participants:g} part." for s in top],
    }


def run(instance) -> dict:
    plan = solve_instance(instance)
    result = {"status": plan.solver.status, "gap_pct": None if plan.solver.gap is None else round(100 * plan.solver.gap, 3),
              "solver_wall_s": plan.solver.wall_s}
    new = figures(instance, plan.stops)
    result |= {f"new_{k}": v for k, v in new.items()}
    if OLD_SEASON.exists():
        old = figures(instance, read_stops(OLD_SEASON))
        result |= {f"old_{k}": v for k, v in old.items()}
    return result


TARGETS = {"need-bourges": "old vs new season: communes visited, stops where help is, participants (far), top 10"}
