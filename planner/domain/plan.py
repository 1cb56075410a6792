"""Plan: the stops of a season, the requests left unserved and why, and the solver's honesty."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

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
class MovedStop:
    """A stop of the published plan that a re-plan moved or removed, and why (for its host)."""

    insee: str
    commune: str
    vehicle: str
    from_date: dt.date
    to_dates: tuple[dt.date, ...]  # the commune's new dates; () = removed
    reason: str  # French, for the planner: the rule or trade-off that moved it
    host_reason: str = ""  # French, for the host's page and e-mail: the same cause without the planner's words

    def to_dict(self) -> dict:
        return {"insee_com": self.insee, "commune": self.commune, "vehicle": self.vehicle,
                "from_date": self.from_date.isoformat(), "to_dates": [d.isoformat() for d in self.to_dates],
                "reason": self.reason, "host_reason": self.host_reason}


@dataclass(frozen=True)
class AddedStop:
    """A date the re-plan gives a commune that the published plan did not have, and why."""

    insee: str
    commune: str
    vehicle: str
    date: dt.date
    replaces: str  # the commune published on that day and vehicle, "" when the day was free
    reason: str  # French

    def to_dict(self) -> dict:
        return {"insee_com": self.insee, "commune": self.commune, "vehicle": self.vehicle,
                "date": self.date.isoformat(), "replaces": self.replaces, "reason": self.reason}


@dataclass(frozen=True)
class Unvisited:
    """A commune with need and no stop, and why (planner/core/unvisited.py)."""

    insee: str
    commune: str
    need: float  # value points
    reason: str  # machine code: neighbour, lower_value, driving_limit, forbidden, ...
    message: str  # French explanation for the planner

    def to_dict(self) -> dict:
        return {"insee_com": self.insee, "commune": self.commune, "need": self.need, "reason": self.reason,
                "message": self.message}


@dataclass(frozen=True)
class TemplateMetrics:
    """Mediator mode: figures of the weekly rotation (its value is one week's, as the solver's objective)."""

    value: float
    half_days: int
    half_days_total: int
    hours_unknown: int  # half-days in a mairie whose opening hours are unknown
    season_weeks: int
    skipped_stops: int  # dated stops left out because forbidden that day

    def to_dict(self) -> dict:
        return {"template_value": self.value, "template_half_days": self.half_days,
                "template_half_days_total": self.half_days_total, "template_hours_unknown": self.hours_unknown,
                "season_weeks": self.season_weeks, "skipped_stops": self.skipped_stops}


@dataclass(frozen=True)
class PlanMetrics:
    """Totals of a plan, computed by the evaluator for solved and hand-made plans alike."""

    objective: float = 0.0  # value points of the stops (the solver's objective without re-plan penalties)
    stops: int = 0
    communes_visited: int = 0
    seats: int = 0  # places offered: seats x workshops of every stop
    participants: int = 0  # expected participants (planner/core/participants.py)
    participants_far: int = 0  # of them, living more than far_km from help
    fill_rate: float = 0.0  # participants / seats
    communes_reached: int = 0  # home communes sending at least half a participant
    far_km: float = 0.0
    km_total: float = 0.0
    drive_minutes_total: int = 0
    market_day_stops: int = 0
    unconfirmed_market_stops: int = 0  # of them, on a day whose only markets are « à confirmer »
    unconfirmed_markets: tuple[str, ...] = ()  # those markets (Market.label), for the planner to check
    requests_served: int = 0
    requests_total: int = 0  # accepted requests
    idle_days: float = 0.0  # working days without a stop (a mediator's empty half-day counts half)
    unserved_requests: int = 0
    template: TemplateMetrics | None = None  # mediator mode

    def to_dict(self) -> dict:
        """Flat JSON keys (the template's prefixed ``template_``)."""
        figures = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "template"}
        return figures | (self.template.to_dict() if self.template else {})


# The solver's status as a planner reads it (pages, workbooks, reports).
SOLVER_STATUS_LABELS = {"OPTIMAL": "optimal (prouvé)", "FEASIBLE": "réalisable (pas prouvé optimal)",
                        "INFEASIBLE": "impossible", "UNKNOWN": "aucun plan trouvé", "MODEL_INVALID": "modèle invalide",
                        "ÉVALUÉ": "évalué (sans optimisation)"}


def solver_status_label(status: str) -> str:
    return SOLVER_STATUS_LABELS.get(status or "", status or "—")


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
    # communes the search could place a stop in (a vehicle reaches them under its rules), out of
    # the territory's ``communes``; 0 when the solve does not say (mediators, hand-made plans)
    candidates: int = 0
    communes: int = 0


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
    metrics: PlanMetrics = field(default_factory=PlanMetrics)
    params: dict = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()
    moved: tuple[MovedStop, ...] = ()
    template: tuple[TemplateSlot, ...] = ()  # mediator mode: the weekly rotation behind the stops
    spec: ScenarioSpec | None = None  # the scenario it was solved or evaluated in
    unvisited: tuple[Unvisited, ...] = ()  # communes with need and no stop, highest need first
    added: tuple[AddedStop, ...] = ()  # with a previous plan: each new date a commune gains

    @property
    def feasible(self) -> bool:
        return self.solver is None or self.solver.status in ("OPTIMAL", "FEASIBLE")
