"""The season report (« Bilan de saison »): what a published season planned beside what it did.

Funders (CARSAT, ASEPT, conférences des financeurs) pay the bus by the day and judge it by whom it
reached. The report puts the plan's expectations (its evaluated stops: places, expected
participants, km) beside the outcomes recorded for each stop (planner/domain/outcome.py: held or
cancelled, sign-ups, waiting list, participants), so that a gap is visible. Every figure is
computed here, once, by one function per family (stop lines, totals, months, groups, reasons,
cost); the web page, the workbook and the command line only format ``summary_rows`` and the lines.

Where the figures come from:

- planned: the plan's stops evaluated in the plan's scenario (planner/core/evaluate.py);
- held: the outcomes whose status is « held », matched to the plan's stops by date and commune
  (a held stop the plan did not have is a replacement or an addition, counted as held and marked);
- km and driving time held: the routes of the held stops, evaluated as one list of stops;
- participants far from help: the outcomes record how many came, not where they live (no senior's
  name or address is ever kept), so each held stop's participants are split like the evaluator's
  expected origins of that stop, and those from communes more than ``need.far_km`` road km from
  help are counted (the rule of the plan's own « dont à plus de 10 km » figure);
- cost: a cost per day of presence (a vehicle's day with a stop), when the planner gives one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.core.evaluate import evaluate
from planner.core.figures import REACHED, part_metrics
from planner.core.instance import Instance
from planner.domain.outcome import CANCELLED, HELD, PLANNED, StopOutcome
from planner.domain.plan import Plan
from planner.domain.stop import Stop

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
STATUS_LABELS = {PLANNED: "non renseigné", HELD: "tenu", CANCELLED: "annulé"}
NO_REASON = "raison non précisée"


@dataclass(frozen=True)
class StopLine:
    """One stop of the season: planned, held, or both. ``None`` is « not entered », never zero."""

    date: dt.date
    vehicle: str
    insee: str
    commune: str
    epci: str
    epci_name: str
    dep: str
    status: str  # planner.domain.outcome STATUSES; PLANNED = nothing entered yet
    in_plan: bool  # False: held without being planned (a replacement or an addition)
    workshops: int
    places: int
    expected: float  # participants the plan expected at this stop (0 when not in the plan)
    signups: int | None
    waiting: int | None
    participants: int | None
    far: float  # of the participants, estimated from communes more than far_km from help (held stops)
    km: float  # driven that day for it (held stops: the route actually driven; planned: the plan's)
    minutes: float
    reason: str = ""
    replaced_by: dt.date | None = None
    homes: tuple[tuple[str, float], ...] = ()  # held: its participants split by home commune like its expected origins

    @property
    def held(self) -> bool:
        return self.status == HELD

    @property
    def fill(self) -> float | None:
        """Participants per place, when they are entered for a held stop."""
        if not self.held or self.participants is None or not self.places:
            return None
        return self.participants / self.places

    @property
    def status_label(self) -> str:
        label = STATUS_LABELS[self.status]
        if self.status == CANCELLED and self.replaced_by:
            label += f", remplacé le {self.replaced_by:%d/%m/%Y}"
        if self.held and not self.in_plan:
            label += " (hors plan)"
        return label


@dataclass(frozen=True)
class Tally:
    """One column of the report: what the plan planned, or what was held."""

    stops: int
    presence_days: int  # (day, vehicle) pairs with a stop: what a funder pays by the day
    workshops: int
    places: int
    signups: int | None  # None: none entered (the planned column has none)
    waiting: int | None
    participants: int
    participants_far: int
    fill_rate: float | None  # participants / places of the stops whose participants are entered
    communes: int  # communes with a stop
    communes_reached: int  # home communes sending at least REACHED participants (held: estimated, see homes)
    km: float
    drive_minutes: int


@dataclass(frozen=True)
class StatusCounts:
    planned: int  # stops of the plan
    held: int  # held, planned or not
    cancelled: int
    replaced: int  # of the cancelled, moved to another date
    not_entered: int  # planned stops whose outcome nobody entered yet
    added: int  # held stops the plan did not have


@dataclass(frozen=True)
class MonthLine:
    label: str  # « septembre 2026 »
    first: dt.date
    planned_stops: int
    held_stops: int
    expected: int
    participants: int


@dataclass(frozen=True)
class GroupLine:
    """An intercommunality or a département: stop days planned and delivered, beside its quota."""

    kind: str  # "epci" or "dep", as Quota.kind
    code: str
    name: str
    planned_stops: int
    held_stops: int
    cancelled: int
    expected: int  # participants expected at its stops
    participants: int  # participants of its held stops
    participants_far: int
    quota_min: int | None  # None: no quota set for it
    quota_max: int | None  # None: no maximum

    @property
    def quota_text(self) -> str:
        if self.quota_min is None:
            return ""
        if self.quota_max is None:
            return f"au moins {self.quota_min} jours"
        return f"{self.quota_min} à {self.quota_max} jours"

    @property
    def quota_met(self) -> bool | None:
        """Held stop days within the quota (None without one)."""
        if self.quota_min is None:
            return None
        return self.held_stops >= self.quota_min and (self.quota_max is None or self.held_stops <= self.quota_max)


@dataclass(frozen=True)
class ReasonLine:
    reason: str
    count: int
    replaced: int
    dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class CostFigures:
    per_day: float  # euros per day of presence, as the planner set it
    planned: float
    held: float
    per_participant_planned: float | None
    per_participant_held: float | None


@dataclass(frozen=True)
class SummaryRow:
    """A line of the summary table every form prints: planned beside held."""

    label: str
    planned: float | int | None
    held: float | int | None
    kind: str = "int"  # int, dec1, pct, euro: how the forms format it


@dataclass(frozen=True)
class SeasonReport:
    title: str
    first: dt.date | None
    last: dt.date | None
    far_km: float
    planned: Tally
    held: Tally
    counts: StatusCounts
    stops: tuple[StopLine, ...]
    months: tuple[MonthLine, ...]
    epcis: tuple[GroupLine, ...]
    departements: tuple[GroupLine, ...]
    reasons: tuple[ReasonLine, ...]
    cost: CostFigures | None

    def summary_rows(self) -> tuple[SummaryRow, ...]:
        return summary_rows(self)


# --- stop lines -------------------------------------------------------------------------------

def _key(stop: Stop | StopOutcome) -> tuple[dt.date, str]:
    """Outcomes meet plan stops by date and commune (a commune has one stop a day, evaluate's
    same_day rule; a past season imported from a CSV names no vehicle)."""
    return (stop.date, stop.insee)


def workshops_of(instance: Instance, vehicle: str) -> int:
    """Workshops of one stop: a bus's sessions, one for a mediator's half-day."""
    names = [v.name for v in instance.scenario.vehicles]
    if vehicle not in names:
        return max(1, len(instance.scenario.vehicles[0].sessions)) if instance.scenario.vehicles else 1
    kept = instance.scenario.vehicles[names.index(vehicle)]
    return 1 if kept.kind == "mediator" else max(1, len(kept.sessions))


def stop_lines(instance: Instance, planned: tuple[Stop, ...], outcomes: tuple[StopOutcome, ...]) -> tuple[StopLine, ...]:
    """Every planned stop (evaluated) with its outcome (none: « non renseigné »), and every held
    stop the plan did not have, by date. Outcomes of communes outside the territory are left out
    (the import refuses them)."""
    territory = instance.scenario.territory
    by_key = {_key(o): o for o in outcomes if o.insee in territory}
    plan_keys = {_key(s) for s in planned}
    default_vehicle = instance.scenario.vehicles[0].name
    held_stops = [s for s in planned if by_key.get(_key(s)) and by_key[_key(s)].status == HELD]
    held_stops += [Stop(o.date, o.vehicle or default_vehicle, o.insee) for k, o in by_key.items()
                   if k not in plan_keys and o.status == HELD]
    driven = {_key(s): s for s in evaluate(instance, held_stops).stops}
    lines = []
    for stop in planned:
        outcome = by_key.get(_key(stop), StopOutcome(stop.date, stop.vehicle, stop.insee))
        lines.append(_line(instance, stop, outcome, True, driven.get(_key(stop))))
    for key, outcome in by_key.items():
        if key not in plan_keys and outcome.status == HELD:
            lines.append(_line(instance, driven[key], outcome, False, driven[key]))
    return tuple(sorted(lines, key=lambda line: (line.date, line.vehicle, line.insee)))


def _line(instance: Instance, stop: Stop, outcome: StopOutcome, in_plan: bool, driven: Stop | None) -> StopLine:
    commune = instance.scenario.territory.commune(stop.insee)
    held = outcome.status == HELD
    far, homes = 0.0, ()
    if held and outcome.participants and driven is not None:
        if driven.participants > 0:
            far = outcome.participants * driven.participants_far / driven.participants
            homes = tuple((insee, outcome.participants * n / driven.participants) for insee, _name, n in driven.origins)
        else:  # nobody expected: the stop's own commune tells
            index = instance.scenario.territory.index[stop.insee]
            far = float(outcome.participants) if instance.need.nearest_km[index] > instance.params.need.far_km else 0.0
            homes = ((stop.insee, float(outcome.participants)),)
    source = driven if held and driven is not None else stop
    return StopLine(
        date=stop.date, vehicle=stop.vehicle, insee=stop.insee, commune=commune.name, epci=commune.epci,
        epci_name=commune.epci_name, dep=commune.dep, status=outcome.status, in_plan=in_plan,
        workshops=workshops_of(instance, stop.vehicle), places=stop.places,
        expected=stop.participants if in_plan else 0.0, signups=outcome.signups, waiting=outcome.waiting,
        participants=outcome.participants, far=far, km=source.km, minutes=source.minutes,
        reason=outcome.reason, replaced_by=outcome.replaced_by, homes=homes)


# --- totals -----------------------------------------------------------------------------------

def _known_sum(values) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def planned_tally(instance: Instance, stops: tuple[Stop, ...]) -> Tally:
    """The plan's own figures (planner/core/figures.py) for its evaluated ``stops``, with the
    workshops and presence days."""
    metrics = part_metrics(instance, stops)
    return Tally(stops=metrics.stops, presence_days=len({(s.date, s.vehicle) for s in stops}),
                 workshops=sum(workshops_of(instance, s.vehicle) for s in stops), places=metrics.seats,
                 signups=None, waiting=None, participants=metrics.participants,
                 participants_far=metrics.participants_far, fill_rate=metrics.fill_rate if metrics.seats else None,
                 communes=metrics.communes_visited, communes_reached=metrics.communes_reached, km=metrics.km_total,
                 drive_minutes=metrics.drive_minutes_total)


def held_tally(lines: tuple[StopLine, ...]) -> Tally:
    """What the held stops did; the fill rate counts only the stops whose participants are entered."""
    held = [line for line in lines if line.held]
    entered = [line for line in held if line.participants is not None]
    places_entered = sum(line.places for line in entered)
    participants = sum(line.participants for line in entered)
    homes: dict[str, float] = {}
    for line in held:
        for insee, n in line.homes:
            homes[insee] = homes.get(insee, 0.0) + n
    return Tally(stops=len(held), presence_days=len({(line.date, line.vehicle) for line in held}),
                 workshops=sum(line.workshops for line in held), places=sum(line.places for line in held),
                 signups=_known_sum(line.signups for line in held), waiting=_known_sum(line.waiting for line in held),
                 participants=participants, participants_far=round(sum(line.far for line in held)),
                 fill_rate=round(participants / places_entered, 3) if places_entered else None,
                 communes=len({line.insee for line in held}),
                 communes_reached=sum(1 for n in homes.values() if n >= REACHED), km=round(sum(line.km for line in held), 1),
                 drive_minutes=round(sum(line.minutes for line in held)))


def status_counts(lines: tuple[StopLine, ...]) -> StatusCounts:
    return StatusCounts(
        planned=sum(1 for line in lines if line.in_plan),
        held=sum(1 for line in lines if line.held),
        cancelled=sum(1 for line in lines if line.status == CANCELLED),
        replaced=sum(1 for line in lines if line.status == CANCELLED and line.replaced_by),
        not_entered=sum(1 for line in lines if line.status == PLANNED),
        added=sum(1 for line in lines if line.held and not line.in_plan))


# --- months, groups, reasons, cost ------------------------------------------------------------

def month_lines(lines: tuple[StopLine, ...]) -> tuple[MonthLine, ...]:
    """Per calendar month: stops planned and held, participants expected and counted."""
    months = sorted({(line.date.year, line.date.month) for line in lines})
    out = []
    for year, month in months:
        inside = [line for line in lines if (line.date.year, line.date.month) == (year, month)]
        out.append(MonthLine(f"{MONTHS[month - 1]} {year}", dt.date(year, month, 1),
                             sum(1 for line in inside if line.in_plan), sum(1 for line in inside if line.held),
                             round(sum(line.expected for line in inside)),
                             sum(line.participants or 0 for line in inside if line.held)))
    return tuple(out)


def group_lines(instance: Instance, lines: tuple[StopLine, ...], kind: str) -> tuple[GroupLine, ...]:
    """Per intercommunality (``kind`` "epci") or département ("dep"): every group with a stop or
    a quota, with the quota the planner set (params.rules.quotas) beside the days delivered."""
    quotas = {q.code: q for q in instance.params.rules.quotas if q.kind == kind}
    names: dict[str, str] = {}
    for commune in instance.scenario.territory.communes:
        code = commune.epci if kind == "epci" else commune.dep
        names.setdefault(code, commune.epci_name if kind == "epci" else f"Département {commune.dep}")
    codes = sorted({line.epci if kind == "epci" else line.dep for line in lines} | set(quotas),
                   key=lambda code: names.get(code, code))
    out = []
    for code in codes:
        inside = [line for line in lines if (line.epci if kind == "epci" else line.dep) == code]
        quota = quotas.get(code)
        out.append(GroupLine(
            kind, code, names.get(code, code), sum(1 for line in inside if line.in_plan),
            sum(1 for line in inside if line.held), sum(1 for line in inside if line.status == CANCELLED),
            round(sum(line.expected for line in inside)), sum(line.participants or 0 for line in inside if line.held),
            round(sum(line.far for line in inside if line.held)),
            quota.min_days if quota else None, quota.max_days if quota and quota.max_days >= 0 else None))
    return tuple(out)


def cancellation_reasons(lines: tuple[StopLine, ...]) -> tuple[ReasonLine, ...]:
    """The cancelled stops grouped by their reason, most frequent first."""
    groups: dict[str, list[StopLine]] = {}
    for line in lines:
        if line.status == CANCELLED:
            groups.setdefault(line.reason.strip() or NO_REASON, []).append(line)
    return tuple(sorted((ReasonLine(reason, len(items), sum(1 for i in items if i.replaced_by),
                                    tuple(i.date for i in items)) for reason, items in groups.items()),
                        key=lambda r: (-r.count, r.reason)))


def cost_figures(per_day: float | None, planned: Tally, held: Tally) -> CostFigures | None:
    """Cost of the days of presence, and per participant (None without a cost per day)."""
    if not per_day:
        return None
    planned_cost, held_cost = per_day * planned.presence_days, per_day * held.presence_days
    return CostFigures(per_day, planned_cost, held_cost,
                       round(planned_cost / planned.participants, 2) if planned.participants else None,
                       round(held_cost / held.participants, 2) if held.participants else None)


# --- the report -------------------------------------------------------------------------------

def season_report(instance: Instance, plan: Plan, outcomes: tuple[StopOutcome, ...], *, title: str = "",
                  cost_per_day: float | None = None) -> SeasonReport:
    """The report of ``plan`` (evaluated again in ``instance``) with its recorded ``outcomes``."""
    evaluated = evaluate(instance, plan.stops).stops
    lines = stop_lines(instance, evaluated, outcomes)
    planned, held = planned_tally(instance, evaluated), held_tally(lines)
    scenario = instance.scenario
    name = title or (scenario.spec.name if scenario.spec and scenario.spec.name else "") or scenario.territory.name
    return SeasonReport(
        title=name, first=min((line.date for line in lines), default=None),
        last=max((line.date for line in lines), default=None), far_km=instance.params.need.far_km,
        planned=planned, held=held, counts=status_counts(lines), stops=lines, months=month_lines(lines),
        epcis=group_lines(instance, lines, "epci"), departements=group_lines(instance, lines, "dep"),
        reasons=cancellation_reasons(lines), cost=cost_figures(cost_per_day, planned, held))


def summary_rows(report: SeasonReport) -> tuple[SummaryRow, ...]:
    """The summary every form prints, planned beside held, in this order and with these labels."""
    p, h, c = report.planned, report.held, report.counts
    rows = [
        SummaryRow("Arrêts", p.stops, h.stops),
        SummaryRow("Jours de présence (un véhicule, un jour)", p.presence_days, h.presence_days),
        SummaryRow("Arrêts annulés", None, c.cancelled),
        SummaryRow("dont remplacés à une autre date", None, c.replaced),
        SummaryRow("Arrêts tenus hors plan (remplacements, ajouts)", None, c.added),
        SummaryRow("Arrêts sans bilan saisi", None, c.not_entered),
        SummaryRow("Ateliers", p.workshops, h.workshops),
        SummaryRow("Places offertes", p.places, h.places),
        SummaryRow("Inscriptions", None, h.signups),
        SummaryRow("Liste d'attente", None, h.waiting),
        SummaryRow("Participants (attendus / venus)", p.participants, h.participants),
        SummaryRow(f"dont habitant à plus de {report.far_km:g} km d'un lieu d'aide", p.participants_far,
                   h.participants_far),
        SummaryRow("Taux de remplissage", p.fill_rate, h.fill_rate, "pct"),
        SummaryRow("Communes desservies (avec un arrêt)", p.communes, h.communes),
        SummaryRow("Communes d'où viennent les participants (estimation)", p.communes_reached, h.communes_reached),
        SummaryRow("km parcourus", p.km, h.km, "dec1"),
        SummaryRow("Heures de route", round(p.drive_minutes / 60, 1), round(h.drive_minutes / 60, 1), "dec1"),
    ]
    if report.cost is not None:
        rows += [SummaryRow(f"Coût ({report.cost.per_day:g} € par jour de présence)", report.cost.planned,
                            report.cost.held, "euro"),
                 SummaryRow("Coût par participant", report.cost.per_participant_planned,
                            report.cost.per_participant_held, "euro")]
    return tuple(rows)
