"""Diagnosis of a configuration that cannot be satisfied: which pins, must requests and quotas clash.

Pins are first checked one by one (a pin on a holiday needs no solver). Joint conflicts are found
by CP-SAT: each named rule is enforced by a literal, all literals are assumed true, and the
solver's sufficient set of assumptions for infeasibility is shrunk to a minimal one by deletion.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from planner.core.control import SolveControl, idle_control
from planner.core.instance import Instance
from planner.core.rules import violation
from planner.cpsat.season_model import build_season_model
from planner.cpsat.solver import cp_solver
from planner.domain.formatting import plural
from planner.domain.plan import Conflict
from planner.domain.request import Request

DIAGNOSIS_TIME_S = 10.0  # at most, per search; the whole diagnosis shares the caller's time limit
MIN_SEARCH_S = 0.05


def pin_conflicts(instance: Instance) -> list[Conflict]:
    """Pins that no plan can keep, each with the rule that forbids it."""
    scenario = instance.scenario
    index = scenario.territory.index
    conflicts = []
    for pin in scenario.pins:
        label = pin.label()
        if pin.insee not in index:
            conflicts.append(Conflict((label,), f"{label} : commune hors du territoire"))
            continue
        s = index[pin.insee]
        vehicles = [i for i, v in enumerate(scenario.vehicles) if not pin.vehicle or v.name == pin.vehicle]
        if not vehicles:
            conflicts.append(Conflict((label,), f"{label} : véhicule inconnu {pin.vehicle}"))
            continue
        reasons = [violation(instance, v, pin.date, s) for v in vehicles]
        if None not in reasons:
            conflicts.append(Conflict((label,), f"{label} : {reasons[0]}"))
    return conflicts


def must_overload(instance: Instance, requests: tuple[Request, ...]) -> list[Conflict]:
    """Must requests that ask for more stop days between two dates than the fleet has working
    days there (Hall's condition on their windows): found without a model, in milliseconds, and
    named; the worst such period, or [] (then only CP-SAT can tell)."""
    musts = [r for r in requests if r.active and r.priority == "must" and r.windows]
    if len(musts) < 2:
        return []
    days = sorted(d for v in range(len(instance.scenario.vehicles)) for d in instance.working_days(v))
    starts = sorted({min(a for a, _b in r.windows) for r in musts})
    ends = sorted({max(b for _a, b in r.windows) for r in musts})
    worst = None
    for first in starts:
        for last in (e for e in ends if e >= first):
            inside = [r for r in musts if all(first <= a and b <= last for a, b in r.windows)]
            wanted = sum(r.days for r in inside)
            slots = sum(1 for d in days if first <= d <= last)
            if wanted > slots and (worst is None or wanted - slots > worst[0]):
                worst = (wanted - slots, first, last, inside, wanted, slots)
    if worst is None:
        return []
    _excess, first, last, inside, wanted, slots = worst
    labels = tuple(f"demande {r.request_id}" for r in inside)
    described = " ; ".join(_describe(instance, tuple(inside), label) for label in labels)
    return [Conflict(labels, f"Ces demandes impératives veulent {plural(wanted, 'jour')} d'arrêt du {first:%d/%m/%Y} au "
                             f"{last:%d/%m/%Y}, où la flotte n'a que {plural(slots, 'jour')} de travail : {described}.")]


def diagnose(instance: Instance, requests: tuple[Request, ...], control: SolveControl | None = None,
             time_limit_s: float = DIAGNOSIS_TIME_S) -> list[Conflict]:
    """A minimal set of named rules that cannot hold together, as one Conflict (less minimal when
    the solve is stopped meanwhile or ``time_limit_s``, shared by all its searches, runs out)."""
    control = control or idle_control()
    deadline = time.perf_counter() + time_limit_s
    sm = build_season_model(instance, requests, diagnose=True)
    labels = list(sm.enforce)
    core = _infeasible_core(sm, labels, control, deadline)
    if core is None:
        return [Conflict((), "configuration irréalisable, mais aucun sous-ensemble de règles nommées n'a été isolé "
                         "dans le temps imparti")]
    for label in list(core):
        trial = [c for c in core if c != label]
        if control.stopped() or time.perf_counter() >= deadline:
            break
        if _status(sm, trial, control, deadline) == cp_model.INFEASIBLE:
            core = trial
    rules = instance.params.rules
    general = (f"règles générales : un arrêt par véhicule et par jour, {rules.min_gap_days} jours d'écart entre deux "
               f"visites d'une commune, {rules.max_visits} visites au plus par commune")
    described = [_describe(instance, requests, label) for label in core]
    return [Conflict(tuple(core), "Ces règles ne peuvent pas être respectées ensemble : " + " ; ".join(described)
                     + f" ({general}).")]


def _infeasible_core(sm, labels: list[str], control: SolveControl, deadline: float) -> list[str] | None:
    solver = _solver(sm, deadline)
    sm.model.ClearAssumptions()
    sm.model.AddAssumptions([sm.enforce[label] for label in labels])
    with control.running(solver):
        status = solver.Solve(sm.model)
    if status != cp_model.INFEASIBLE:
        return None
    by_index = {sm.enforce[label].Index(): label for label in labels}
    core = [by_index[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in by_index]
    return core or labels


def _status(sm, labels: list[str], control: SolveControl, deadline: float) -> int:
    sm.model.ClearAssumptions()
    sm.model.AddAssumptions([sm.enforce[label] for label in labels])
    with control.running(_solver(sm, deadline)) as solver:
        return solver.Solve(sm.model)


def _solver(sm, deadline: float) -> cp_model.CpSolver:
    remaining = min(DIAGNOSIS_TIME_S, deadline - time.perf_counter())
    return cp_solver(max(MIN_SEARCH_S, remaining), reproducible=sm.instance.params.solver.reproducible)


def _describe(instance: Instance, requests: tuple[Request, ...], label: str) -> str:
    for request in requests:
        if label == f"demande {request.request_id}":
            commune = instance.communes[instance.scenario.territory.index[request.insee]].name
            windows = ", ".join(f"du {a:%d/%m/%Y} au {b:%d/%m/%Y}" for a, b in request.windows)
            return f"demande impérative {request.request_id} ({commune}, {plural(request.days, 'jour')} {windows})"
    return label
