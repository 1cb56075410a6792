"""Mediator mode: solve the weekly template with CP-SAT, lay it on the season's dates, report.

``solve_mediator`` is the entry point (``run.py plan --mode mediator``): it plans every vehicle of
kind "mediator" of the scenario together, then expands their template over the season's open dates
(public holidays, school holidays and custom closures are skipped, since ``Instance.working_days``
excludes them) into dated stops (slot 1 morning, 2 afternoon), which evaluate() scores on the same
figures as any bus plan. The solver's objective and bound are those of one week (see
planner/cpsat/mediator_model.py); the metrics are the season's.

Rules and inputs: a forbidden commune for the whole season never enters the template; a forbidden
(commune, date) drops that one dated stop, and the template slot lists the date in ``skipped`` (the
half-day stays idle that week). A pin (date, commune) forces the commune into the template on that
weekday. An accepted must request forces enough template half-days in its commune to give it
``days`` dated stops inside its windows; a should request earns its bonus when it gets them.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

from ortools.sat.python import cp_model, cp_model_helper

from planner.core.control import SolveControl, gap_of, idle_control
from planner.core.evaluate import evaluate
from planner.core.instance import VALUE_SCALE, Instance
from planner.core.rules import hours_violation
from planner.cpsat.mediator_model import MediatorModel, build_mediator_model
from planner.cpsat.mediator_patterns import MAX_SLOTS, Pattern, mediator_indices, occurrences
from planner.cpsat.mediator_template import assign_days, greedy_template, template_value_q
from planner.cpsat.solver import cp_solver
from planner.domain.formatting import fr_date, plural
from planner.domain.host_hours import available
from planner.domain.plan import Conflict, Plan, SolverReport, TemplateMetrics, TemplateSlot, Unserved
from planner.domain.problems import DataError, Problem
from planner.domain.request import Request
from planner.domain.scenario import Pin
from planner.domain.stop import Stop
from planner.domain.weekdays import french_weekday
from planner.search.budget import Budget
from planner.search.criteria import StopCriteria

DIAGNOSIS_TIME_S = 10.0
SOURCE = "semaine type (médiateur)"
EXTRA_SUBSOLVERS = ("default_lp", "max_lp", "no_lp", "core", "pseudo_costs", "reduced_costs", "quick_restart_no_lp")


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports each improving template as a "season" event (its objective is one week's)."""

    def __init__(self, control: SolveControl) -> None:
        super().__init__()
        self.control = control
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        objective, bound = self.ObjectiveValue(), self.BestObjectiveBound()
        self.control.emit("season", objective=objective / VALUE_SCALE, bound=bound / VALUE_SCALE,
                          gap=round(gap_of(objective, bound), 6), solutions=self.solutions, message="semaine type")


def solve_mediator(instance: Instance, control: SolveControl | None = None,
                   criteria: StopCriteria | None = None) -> Plan:
    """Best weekly template of the scenario's mediators within the stop criteria (by default those
    of the solver settings), dated over the season; or the pins and must requests that clash
    (status INFEASIBLE)."""
    _check_vehicles(instance)
    control = control or idle_control()
    settings = instance.params.solver
    started = time.perf_counter()
    budget = Budget.of(criteria or StopCriteria.of(settings), settings.reproducible, len(instance.communes))
    mm = build_mediator_model(instance)  # without requests: to find which ones can be served at all
    unserved = [u for u in (static_reason(mm, r) for r in instance.scenario.requests) if u is not None]
    excluded = {u.request_id for u in unserved}
    servable = tuple(r for r in instance.scenario.requests if r.active and r.request_id not in excluded)
    conflicts = [c for c in (pin_conflict(mm, pin) for pin in instance.scenario.pins) if c is not None]
    if conflicts:
        return _failed(instance, "INFEASIBLE", unserved, conflicts, started)
    if servable:
        mm = build_mediator_model(instance, servable)
    start = greedy_template(mm)  # only a fallback: as a hint it slowed the proof down (measured)
    solver = _solver(instance, budget.to_deadline())
    if criteria is not None and criteria.gap > 0:
        solver.parameters.relative_gap_limit = criteria.gap
    callback = _Progress(control)
    with control.running(solver):
        status = solver.Solve(mm.model, callback)
    if status == cp_model.INFEASIBLE:
        conflicts = diagnose(instance, servable, control, budget.diagnosis_seconds())
        return _failed(instance, "INFEASIBLE", unserved, conflicts, started)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [p for p, var in zip(mm.patterns, mm.x) for _ in range(solver.Value(var))]
        source = SOURCE
    elif not (instance.scenario.pins or any(r.priority == "must" for r in servable)):
        chosen, source = start, f"{SOURCE}, glouton"  # no solution in time: the greedy start
    else:
        return _failed(instance, solver.StatusName(status), unserved, [], started)
    template = template_slots(mm, chosen)
    stops = expand_template(instance, template)
    evaluation = evaluate(instance, stops)
    served = sum(1 for r in servable if r.priority == "should" and r.request_id in evaluation.served_requests)
    objective = template_value_q(mm, chosen, served)
    proven = solver.BestObjectiveBound() if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else math.nan
    bound = max(round(proven), objective) if math.isfinite(proven) else None  # no bound without a solve
    for request in servable:
        if request.request_id not in evaluation.served_requests:
            unserved.append(Unserved(request.request_id, request.insee, request.priority, "not_in_template",
                                     "la semaine type passe ailleurs : d'autres communes apportent plus"))
    gap = None if bound is None else round((bound - objective) / max(abs(objective), 1), 6)
    report = SolverReport("OPTIMAL" if gap == 0 else "FEASIBLE", objective / VALUE_SCALE,
                          None if bound is None else bound / VALUE_SCALE, gap, round(time.perf_counter() - started, 3),
                          settings.seed, settings.workers, callback.solutions, source)
    metrics = replace(evaluation.metrics, unserved_requests=len(unserved),
                      template=template_metrics(instance, mm, template, objective))
    return Plan(evaluation.stops, tuple(unserved), report, metrics, instance.params.to_dict(), (), (), template)


def _check_vehicles(instance: Instance) -> None:
    vehicles = instance.scenario.vehicles
    problems = []
    if not mediator_indices(instance):
        problems.append(Problem("véhicules", 0, "kind", "", "aucun médiateur dans le scénario (mode médiateur)"))
    for vehicle in vehicles:
        if vehicle.kind != "mediator":
            problems.append(Problem("véhicules", 0, vehicle.name, vehicle.kind,
                                    "le mode médiateur ne planifie que des médiateurs (pas de bus dans le même scénario)"))
        elif not 1 <= len(vehicle.sessions) <= MAX_SLOTS:
            problems.append(Problem("véhicules", 0, vehicle.name, str(len(vehicle.sessions)),
                                    f"un médiateur a 1 à {MAX_SLOTS} demi-journées par jour"))
    if problems:
        raise DataError(problems)


def _solver(instance: Instance, time_limit_s: float) -> cp_model.CpSolver:
    """CP-SAT with the scenario's workers and seed, and a portfolio suited to this model.

    The proof of optimality comes from the linear relaxation of the coverage (a tree search on
    the LP at linearization level 2). CP-SAT's default portfolio for two workers has no such worker
    (measured on CC Terres du Haut Berry: the bound stays at its trivial value), so the first worker
    is one ("lp_tree"), the second a quick-restart search; more workers add default subsolvers.
    """
    settings = instance.params.solver
    solver = cp_solver(time_limit_s, workers=settings.workers, seed=settings.seed, reproducible=settings.reproducible)
    parameters = solver.parameters
    if settings.workers == 1:
        parameters.linearization_level = 2
    else:
        lp_tree = cp_model_helper.SatParameters()
        lp_tree.name = "lp_tree"
        lp_tree.linearization_level = 2
        parameters.subsolver_params.append(lp_tree)
        parameters.subsolvers.extend(["lp_tree", "quick_restart", *EXTRA_SUBSOLVERS][:settings.workers])
    return solver


def _failed(instance: Instance, status: str, unserved: list[Unserved], conflicts: list[Conflict], started: float) -> Plan:
    settings = instance.params.solver
    report = SolverReport(status, None, None, None, round(time.perf_counter() - started, 3), settings.seed,
                          settings.workers, 0, SOURCE)
    return Plan((), tuple(unserved), report, params=instance.params.to_dict(), conflicts=tuple(conflicts))


def template_slots(mm: MediatorModel, chosen: list[Pattern]) -> tuple[TemplateSlot, ...]:
    """The chosen half-days, by vehicle, weekday and slot, with what the planner must know."""
    instance = mm.instance
    slots = []
    for pattern, weekday in assign_days(mm, chosen):
        vehicle = instance.scenario.vehicles[pattern.v]
        for slot, s in pattern.stops():
            commune = instance.communes[s]
            session = vehicle.sessions[slot - 1]
            hours = mm.hours[s]
            skipped = tuple(d for d in mm.days[pattern.v][weekday] if instance.is_forbidden(d, commune.insee))
            slots.append(TemplateSlot(vehicle.name, weekday, slot, commune.insee, commune.name,
                                      session.label(), available(hours, weekday, session) is not None,
                                      hours.text, weekday in instance.market_weekdays[s], skipped))
    return tuple(sorted(slots, key=lambda t: (t.vehicle, t.weekday, t.slot)))


def expand_template(instance: Instance, template: tuple[TemplateSlot, ...]) -> tuple[Stop, ...]:
    """Dated stops of the template: each slot on every working date of its vehicle and weekday
    (closed days are not working dates), except the dates it lists as skipped."""
    stops = []
    for v, vehicle in enumerate(instance.scenario.vehicles):
        mine = [t for t in template if t.vehicle == vehicle.name]
        for day in instance.working_days(v):
            for t in mine:
                if t.weekday == day.isoweekday() and day not in t.skipped:
                    stops.append(Stop(date=day, vehicle=vehicle.name, insee=t.insee, commune=t.commune, slot=t.slot))
    return tuple(sorted(stops, key=lambda s: (s.date, s.vehicle, s.slot)))


def template_metrics(instance: Instance, mm: MediatorModel, template: tuple[TemplateSlot, ...],
                     objective_q: int) -> TemplateMetrics:
    weeks = {d.isocalendar()[:2] for v in mm.mediators for d in instance.working_days(v)}
    return TemplateMetrics(
        value=round(objective_q / VALUE_SCALE, 3),
        half_days=len(template),
        half_days_total=sum(len(mm.days[v]) * instance.slots_per_day(v) for v in mm.mediators),
        hours_unknown=sum(1 for t in template if not t.hours_known),
        season_weeks=len(weeks),
        skipped_stops=sum(len(t.skipped) for t in template),
    )


def static_reason(mm: MediatorModel, request: Request) -> Unserved | None:
    """Why no template can serve ``request``, or None. The most dated stops a commune can get in
    the windows is the sum of its best ``mediator_visits_per_week`` weekdays (an upper bound)."""
    def unserved(reason: str, message: str) -> Unserved:
        return Unserved(request.request_id, request.insee, request.priority, reason, message)

    if not request.active:
        return unserved("not_accepted", f"demande non acceptée ({request.status})")
    index = mm.instance.scenario.territory.index
    if request.insee not in index:
        return unserved("outside_territory", "commune hors du territoire")
    s = index[request.insee]
    best: dict[tuple[int, int], int] = {}
    for p in mm.patterns:
        if s in p.communes:
            for weekday in mm.types[p.t].weekdays:
                best[p.v, weekday] = occurrences(mm, p.v, weekday, s, request)
    if not best:
        return unserved("no_half_day", "aucune demi-journée possible : commune trop loin de la base, mairie fermée "
                                       "aux heures du médiateur, ou commune interdite")
    limit = mm.instance.params.rules.mediator_visits_per_week
    most = sum(sorted(best.values(), reverse=True)[:limit])
    if most < request.days:
        return unserved("closed_days", f"au plus {plural(most, 'passage possible')} dans la fenêtre, {request.days} demandés")
    return None


def pin_conflict(mm: MediatorModel, pin: Pin) -> Conflict | None:
    """Why ``pin`` cannot be kept by any template, or None."""
    instance = mm.instance
    label = pin.label()
    index = instance.scenario.territory.index
    if pin.insee not in index:
        return Conflict((label,), f"{label} : commune hors du territoire")
    vehicles = [v for v in mm.mediators if not pin.vehicle or instance.scenario.vehicles[v].name == pin.vehicle]
    if not vehicles:
        return Conflict((label,), f"{label} : médiateur inconnu {pin.vehicle}")
    reasons = [instance.why_closed(instance.scenario.vehicles[v], pin.date) for v in vehicles]
    if all(reasons):
        return Conflict((label,), f"{label} : {reasons[0]}")
    if instance.is_forbidden(pin.date, pin.insee):
        return Conflict((label,), f"{label} : arrêt interdit à cette date")
    s = index[pin.insee]
    weekday = pin.date.isoweekday()
    closures = [hours_violation(instance, v, weekday, k, s) for v in vehicles for k in range(1, instance.slots_per_day(v) + 1)]
    if closures and all(closures):
        return Conflict((label,), f"{label} : {closures[0]}")
    if not any(s in p.communes and weekday in mm.types[p.t].weekdays and p.v in vehicles
               for p in mm.patterns):
        return Conflict((label,), f"{label} : aucune demi-journée possible ce jour-là (mairie fermée aux heures du "
                                  f"médiateur, trajet au-delà de la limite de conduite, ou jour de marché imposé)")
    return None


def diagnose(instance: Instance, requests: tuple[Request, ...], control: SolveControl,
             time_limit_s: float = DIAGNOSIS_TIME_S) -> list[Conflict]:
    """Pins and must requests that cannot hold together: a minimal set, by deletion from CP-SAT's
    sufficient assumptions (less minimal when ``time_limit_s``, shared by every search, runs out)."""
    deadline = time.perf_counter() + time_limit_s
    mm = build_mediator_model(instance, requests, diagnose=True)
    labels = list(mm.enforce)

    def budget() -> float:
        return max(0.05, min(DIAGNOSIS_TIME_S, deadline - time.perf_counter()))

    def feasible(subset: list[str]) -> bool:
        model = mm.model.clone()
        model.ClearObjective()
        model.AddAssumptions([mm.enforce[label] for label in subset])
        with control.running(_solver(instance, budget())) as solver:
            return solver.Solve(model) != cp_model.INFEASIBLE

    model = mm.model.clone()
    model.ClearObjective()
    model.AddAssumptions([mm.enforce[label] for label in labels])
    with control.running(_solver(instance, budget())) as solver:
        status = solver.Solve(model)
    if status != cp_model.INFEASIBLE:
        return [Conflict(tuple(labels), "configuration irréalisable (diagnostic non concluant)")]
    by_index = {mm.enforce[label].Index(): label for label in labels}
    core = [by_index[i] for i in solver.SufficientAssumptionsForInfeasibility()]
    for label in list(core):
        trial = [other for other in core if other != label]
        if control.stopped() or time.perf_counter() >= deadline:
            break
        if trial and not feasible(trial):
            core = trial
    pins = {p.label(): p for p in instance.scenario.pins}
    details = [f"{label} ({fr_date(pins[label].date)}, {french_weekday(pins[label].date.isoweekday())})"
               if label in pins else label for label in core]
    return [Conflict(tuple(core), "ces règles ne peuvent pas tenir ensemble dans une semaine type : " + " ; ".join(details))]
