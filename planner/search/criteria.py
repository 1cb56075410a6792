"""When a solve hands back its best plan: the stop criteria, one value passed in.

As PyVRP passes ``MultipleCriteria([MaxRuntime(...), ...])`` to its search, a solve here gets one
``StopCriteria``: a time limit, a cancel request and a gap, the first one met ends the search.
The time limit is read from the scenario's settings in one place (``StopCriteria.of``) and split
between the phases in one place (planner/search/budget.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from planner.core.control import gap_of
from planner.domain.params import SolverParams


@dataclass(frozen=True)
class StopCriteria:
    """- ``time_limit_s``: the whole run from ``started`` (building the models, every phase of the
      search, scoring and explaining the plan); CP-SAT's deterministic seconds in a reproducible run;
    - ``cancel``: polled every POLL_S (planner/core/control.py); once true, the best plan so far
      comes back within a second, marked ``stopped``;
    - ``gap``: a plan proven within this fraction of its bound is good enough (0.01 = 1 %); at 0
      only a proof of optimality or the clock ends the search early.

    ``started`` is when the clock started: the command line takes it before it loads the
    territory, so that loading counts against the limit too."""

    time_limit_s: float
    cancel: Callable[[], bool] | None = None
    gap: float = 0.0
    started: float = field(default_factory=time.perf_counter)

    @classmethod
    def of(cls, settings: SolverParams, cancel: Callable[[], bool] | None = None, *, gap: float = 0.0,
           started: float | None = None) -> StopCriteria:
        """The criteria of a scenario's solver settings: the one place their time limit is read."""
        return cls(settings.time_limit_s, cancel, gap, time.perf_counter() if started is None else started)

    def good_enough(self, objective: float, bound: float | None) -> bool:
        """True when ``objective`` is proven within the gap of ``bound`` (optimal when the gap is 0)."""
        return bound is not None and (objective >= bound - 1e-6 or gap_of(objective, bound) <= self.gap)


def process_started() -> float:
    """The ``time.perf_counter()`` reading of this process's start, so that a command's time limit
    also covers Python's start and its imports (about a second or two). Read from /proc on Linux;
    elsewhere, now."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return time.perf_counter()
    age = max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    return time.perf_counter() - age
