"""What a past season changes for the next one, in words a planner reads beside the new plan:
per commune of the past season, its participants, its pool of willing seniors before and after
(planner/core/history.py takes those who came out of it), the fill observed beside the fill the
model expected of the same stops, and a mark where workshops were full with a waiting list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from planner.core.evaluate import evaluate
from planner.core.instance import Instance
from planner.core.participants import FLOW_SCALE
from planner.domain.outcome import HELD
from planner.domain.stop import Stop


@dataclass(frozen=True)
class CommuneHistory:
    """What a past season did in one stop commune, and what it changes for the next one."""

    insee: str
    name: str
    participants: int  # seniors who came to its held stops
    held: int  # stops held
    waiting: int  # seniors left on a waiting list
    full_with_waiting: bool  # its workshops were full and seniors waited: marked for the planner
    observed_fill: float | None  # participants / places of its held stops
    expected_fill: float | None  # what the model expected of those stops without the history
    pool_before: float  # its own pool without the history (seniors who would come)
    pool_after: float  # and with it

    @property
    def reduced(self) -> bool:
        return self.pool_after < self.pool_before - 0.05


@dataclass(frozen=True)
class HistoryEffect:
    label: str
    participants: int
    communes: tuple[CommuneHistory, ...]  # most participants first


def history_effect(instance: Instance) -> HistoryEffect | None:
    """What the scenario's past season changes (None without one): per stop commune, its
    participants, the pools before and after, the observed fill beside the expected one."""
    history = instance.scenario.history
    if history is None:
        return None
    plain = Instance(replace(instance.scenario, history=None), instance.need, instance.base_km, instance.base_minutes)
    index = instance.scenario.territory.index
    vehicle = instance.scenario.vehicles[0].name
    held = [o for o in history.outcomes if o.status == HELD and o.insee in index]
    names = {v.name for v in instance.scenario.vehicles}
    expected = evaluate(plain, [Stop(o.date, o.vehicle if o.vehicle in names else vehicle, o.insee) for o in held]).stops
    by_key: dict[tuple[dt.date, str], Stop] = {(s.date, s.insee): s for s in expected}
    before, after = plain.seating.pool_q, instance.seating.pool_q
    communes = []
    for insee, participants in history.participants_by_commune().items():
        if insee not in index:
            continue
        mine = [o for o in held if o.insee == insee]
        stops = [by_key[(o.date, o.insee)] for o in mine if (o.date, o.insee) in by_key]
        places = sum(s.places for s in stops)
        entered = [o for o in mine if o.participants is not None]
        waiting = sum(o.waiting or 0 for o in mine)
        i = index[insee]
        communes.append(CommuneHistory(
            insee, instance.communes[i].name, participants, len(mine), waiting, waiting > 0,
            round(sum(o.participants for o in entered) / places, 3) if places and entered else None,
            round(sum(s.participants for s in stops) / places, 3) if places else None,
            float(before[i]) / FLOW_SCALE, float(after[i]) / FLOW_SCALE))
    communes.sort(key=lambda c: (-c.participants, c.name))
    return HistoryEffect(history.label, sum(c.participants for c in communes), tuple(communes))
