"""Plan: the stops of a season, the requests left unserved and why, and the solver's honesty."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planner.domain.spec import ScenarioSpec
from planner.domain.stop import Stop


@dataclass(frozen=True)
class Unserved:
    request_id: str
    insee: str
    priority: str
    reason: str  # machine code, e.g. "driving_limit"
    message: str  # French explanation for the planner


@dataclass(frozen=True)
class SolverReport:
    status: str  # CP-SAT status name: OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
    objective: float | None
    bound: float | None
    gap: float | None  # fraction: 0.004 = 0.4 %
    wall_s: float
    seed: int
    workers: int
    solutions: int = 0
    source: str = ""  # which phase found the plan: glouton, précédent, modèle agrégé, modèle saisonnier
    stopped: bool = False  # the caller stopped the solve: the best plan found until then
    reproducible: bool = False  # solved on a work budget: the same inputs and seed give the same plan


@dataclass(frozen=True)
class Conflict:
    """A set of rules that cannot hold together (infeasibility diagnosis)."""

    rules: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class TemplateSlot:
    """One half-day of a mediator's weekly rotation, repeated on every open date of its weekday."""

    vehicle: str
    weekday: int  # ISO, 1 = Monday
    slot: int  # 1 morning, 2 afternoon
    insee: str
    commune: str
    session: str = ""  # e.g. "09:00-12:00"
    hours_known: bool = False  # False: the mairie's opening hours are unknown, check with the host
    hours: str = ""  # the mairie's hours as the source wrote them
    market: bool = False  # the commune's weekly market is on this weekday
    skipped: tuple[dt.date, ...] = ()  # open dates left out because the stop is forbidden then


@dataclass(frozen=True)
class Plan:
    stops: tuple[Stop, ...]
    unserved: tuple[Unserved, ...] = ()
    solver: SolverReport | None = None
    metrics: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()
    moved: tuple[dict, ...] = ()
    template: tuple[TemplateSlot, ...] = ()  # mediator mode: the weekly rotation behind the stops
    spec: ScenarioSpec | None = None  # the scenario it was solved or evaluated in

    @property
    def feasible(self) -> bool:
        return self.solver is None or self.solver.status in ("OPTIMAL", "FEASIBLE")
