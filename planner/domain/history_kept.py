"""A published season re-planned mid-season: what has happened, or happens today, stays as it was.

The minimal-change re-plan fills idle days with the stop that adds most (planner/search/repair.py);
on a season that started weeks ago, the idle days already past, and today, were candidates, so a
moved date could land on the day of the re-plan itself (« déplacé au 04/12/2026 » mailed on
04/12/2026). Before the re-plan, every published stop up to today is pinned where it was, and
every other day up to today is closed; the re-plan then changes only days from tomorrow on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from planner.domain.spec import ScenarioSpec
from planner.domain.stop import Stop


def history_kept(spec: ScenarioSpec, published: tuple[Stop, ...], today: dt.date) -> ScenarioSpec:
    """``spec`` with the days up to ``today`` fixed as ``published`` has them: its stops there
    pinned (unless the spec forbids one: a cancelled stop stays cancelled), its other days closed,
    dates the spec already pins left open for their pin. Unchanged when the season starts later."""
    start = dt.date.fromisoformat(spec.start) if spec.start else None
    if start is None or start > today:
        return spec
    forbidden = {(f.get("insee"), f.get("date")) for f in spec.forbids}
    pins = list(spec.pins)
    pinned_days = {p.get("date") for p in pins}
    kept_days = set()
    for stop in published:
        day = stop.date.isoformat()
        if stop.date > today or (stop.insee, day) in forbidden or (stop.insee, "") in forbidden:
            continue
        kept_days.add(day)
        if not any(p.get("date") == day and p.get("insee") == stop.insee for p in pins):
            pins.append({"date": day, "insee": stop.insee, "vehicle": stop.vehicle})
    closed = set(spec.closed)
    day = start
    while day <= today:
        iso = day.isoformat()
        if iso not in kept_days and iso not in pinned_days:
            closed.add(iso)
        day += dt.timedelta(days=1)
    return replace(spec, pins=tuple(pins), closed=tuple(sorted(closed)))
