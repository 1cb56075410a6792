"""Two plans side by side on the same figures: the API the web app and ``run.py compare`` use."""

from __future__ import annotations

from planner.core.evaluate import evaluate
from planner.core.instance import Instance
from planner.domain.stop import Stop

FIGURES = ("value", "stops", "communes_visited", "seniors_reached", "underserved_seniors_reached", "km_total",
           "drive_minutes_total", "market_day_stops", "idle_days", "requests_served")


def compare_plans(instance: Instance, a: tuple[Stop, ...], b: tuple[Stop, ...], names: tuple[str, str] = ("A", "B")) -> dict:
    """Figures of both plans (evaluated on one instance), their differences, and the stops that differ."""
    first, second = evaluate(instance, a), evaluate(instance, b)
    keys_a = {(s.date, s.vehicle, s.insee) for s in first.stops}
    keys_b = {(s.date, s.vehicle, s.insee) for s in second.stops}
    figures = []
    for key in FIGURES:
        x, y = first.metrics.get(key, 0), second.metrics.get(key, 0)
        figures.append({"figure": key, names[0]: x, names[1]: y, "difference": round(y - x, 3)})
    return {
        "names": list(names),
        "figures": figures,
        "violations": {names[0]: len(first.violations), names[1]: len(second.violations)},
        "common_stops": len(keys_a & keys_b),
        "only_in": {
            names[0]: [_row(s) for s in first.stops if (s.date, s.vehicle, s.insee) not in keys_b],
            names[1]: [_row(s) for s in second.stops if (s.date, s.vehicle, s.insee) not in keys_a],
        },
    }


def _row(stop: Stop) -> dict:
    return {"date": stop.date.isoformat(), "vehicle": stop.vehicle, "insee_com": stop.insee, "commune": stop.commune}
