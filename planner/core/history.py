"""A past season feeds the next one: the seniors who came leave the pools of willing seniors.

A commune's pool (planner/core/participants.py) is the seniors who would come to a workshop of a
season. Those who came last season were helped and do not come again, so they leave the pools.
The outcomes record how many came to each stop, not where they live (no senior's name or address
is kept): the participants of the stops held in commune s are spread over the home communes c in
proportion to who would come to s, ``attendance[s, c] x pool(c)`` (the arcs of the seating), and
each pool loses its share, never going below zero. A commune whose workshops were full with a
waiting list is marked: the pool there was larger than the places, its waiting seniors stay in it.

Without a history nothing changes: ``came`` is None and the pools are those of the parameters.
"""

from __future__ import annotations

import numpy as np

from planner.domain.outcome import SeasonHistory


def came_by_home(history: SeasonHistory, index: dict[str, int], attendance: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """[home commune] participants of ``history`` spread over the home communes (see the module
    docstring); stop communes outside ``index`` are left out."""
    came = np.zeros(len(pool))
    for insee, participants in history.participants_by_commune().items():
        if insee not in index:
            continue
        draw = attendance[index[insee]] * pool
        total = float(draw.sum())
        if total > 0:
            came += participants * draw / total
    return came
