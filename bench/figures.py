"""The season figures every planning benchmark prints, named once so their rows compare."""

from __future__ import annotations

from planner.domain.plan import PlanMetrics


def season_figures(metrics: PlanMetrics) -> dict:
    """Stops, communes, places, participants and km of a plan's metrics."""
    return {
        "stops": metrics.stops,
        "communes_visited": metrics.communes_visited,
        "seats": metrics.seats,
        "participants": metrics.participants,
        "participants_far": metrics.participants_far,
        "fill_rate": metrics.fill_rate,
        "km_total": metrics.km_total,
    }
