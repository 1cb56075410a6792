"""The season report side of the door (see ``web.planning``): what became of a published season's
stops, the « Bilan de saison » page and workbook, and a new scenario started from a past season.

Outcomes pass through the web app as planner values it only hands back (``StopOutcome``); the
page gets plain dicts and strings, its figures formatted by the same function as the command
line's (planner.exports.report_workbook.figure_text), so the page, the workbook and ``run.py
report`` print the same figures.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from planner.core.instance import build_instance
from planner.core.next_season import history_effect
from planner.domain.formatting import plural
from planner.domain.outcome import CANCELLED, HELD, PLANNED, StopOutcome
from planner.domain.plan_file import plan_from_dict
from planner.domain.problems import DataError, Problem
from planner.exports.files import season_report_bytes
from planner.exports.plan_report import format_history, history_lines
from planner.exports.report_workbook import build_report, figure_text, group_row, need_of, stop_row
from planner.inputs.outcomes import REQUIRED as OUTCOMES_REQUIRED
from planner.inputs.outcomes import read_outcomes
from planner.inputs.table import rows_table, table_from_bytes
from planner.maps.report_charts import fill_by_stop_svg, participants_by_month_svg, participants_map_svg
from web.planning.editor import UPLOAD_SUFFIXES, upload_name
from web.planning.plans import build_scenario_cached, scenario_for, spec_key


def planned_outcomes(data: dict) -> tuple[StopOutcome, ...]:
    """A stored plan's stops as planned: nothing recorded yet (« non renseigné » in the report)."""
    return tuple(StopOutcome(s.date, s.vehicle, s.insee) for s in plan_from_dict(data).stops)


def merge_outcomes(*sources: tuple[StopOutcome, ...]) -> tuple[StopOutcome, ...]:
    """One outcome per stop (date and commune): a later source replaces an earlier one."""
    merged: dict = {}
    for source in sources:
        for outcome in source:
            merged[outcome.date, outcome.insee] = outcome
    return tuple(sorted(merged.values(), key=lambda o: (o.date, o.insee)))


def read_outcomes_upload(spec: dict, filename: str, data: bytes) -> tuple[StopOutcome, ...]:
    """The outcomes of an uploaded CSV or XLSX (date, commune, participants...) in the spec's
    territory; DataError naming every problem of the file."""
    name = upload_name(filename, "bilan.csv")
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise DataError([Problem(name, 0, "", name, "format non pris en charge : envoyez un fichier CSV ou XLSX")])
    scenario = scenario_for(spec)
    # The header is found by its columns (a title row above it, on whichever sheet has them), as other imports.
    return read_outcomes(table_from_bytes(data, name, OUTCOMES_REQUIRED), {c.insee: c for c in scenario.territory.communes},
                         default_vehicle=scenario.vehicles[0].name)


def cost_per_day(text: str | None) -> float | None:
    """The cost per day a planner typed (« 650 », « 650,50 »), None when empty or not a positive number."""
    try:
        value = float((text or "").strip().replace(",", ".").replace("€", "").replace(" ", ""))
    except ValueError:
        return None
    return value if 0 < value <= 1e6 else None


def season_report_page(data: dict, spec: dict, outcomes: tuple[StopOutcome, ...], *,
                       cost: float | None = None) -> dict:
    """The report as plain values for the page: the summary rows (formatted), months, groups,
    reasons, stops, and its three pictures as SVG text."""
    plan = plan_from_dict(data)
    scenario = scenario_for(spec)
    report, instance = build_report(plan, scenario, outcomes, cost_per_day=cost)
    return {
        "title": report.title, "first": report.first, "last": report.last, "far_km": report.far_km,
        "summary": [{"label": r.label, "planned": figure_text(r.planned, r.kind), "held": figure_text(r.held, r.kind)}
                    for r in report.summary_rows()],
        "months": [{"label": m.label, "planned": m.planned_stops, "held": m.held_stops, "expected": m.expected,
                    "participants": m.participants} for m in report.months],
        "groups": [dict(zip(("name", "code", "quota", "planned", "held", "met", "cancelled", "expected",
                             "participants", "far"), group_row(g))) for g in report.epcis + report.departements],
        "reasons": [{"reason": r.reason, "count": r.count, "replaced": r.replaced, "dates": list(r.dates)}
                    for r in report.reasons],
        "stops": [dict(zip(("date", "vehicle", "commune", "epci", "status", "workshops", "places", "expected",
                            "signups", "waiting", "participants", "fill", "far", "km", "reason"), stop_row(line)))
                  for line in report.stops],
        "counts": {"not_entered": report.counts.not_entered, "held": report.counts.held},
        "month_svg": participants_by_month_svg(report, id_prefix="bilan-mois"),
        "fill_svg": fill_by_stop_svg(report, id_prefix="bilan-remplissage"),
        "map_svg": participants_map_svg(scenario.territory, report, need_of(instance), id_prefix="bilan-carte"),
    }


def season_report_workbook(data: dict, spec: dict, outcomes: tuple[StopOutcome, ...], *,
                           cost: float | None = None) -> bytes:
    report, instance = build_report(plan_from_dict(data), scenario_for(spec), outcomes, cost_per_day=cost)
    return season_report_bytes(report, instance)


STATUS_WORDS = {HELD: "tenu", CANCELLED: "annulé", PLANNED: "prévu"}  # as planner.inputs.outcomes reads them back
HISTORY_COLUMNS = ("date", "insee_com", "participants", "statut", "inscrits", "liste_attente", "raison")
STORED_OUTCOMES = "bilan importé"  # the name the stored rows are read back under (in messages)


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


def outcome_rows(outcomes: tuple[StopOutcome, ...]) -> list[dict]:
    """Outcomes as rows ``read_outcomes`` reads back to the same values (every status, the vehicle,
    the date a stop moved to): an imported outcomes file as the web app keeps it."""
    return [{"date": o.date.isoformat(), "insee_com": o.insee, "vehicule": o.vehicle, "statut": STATUS_WORDS[o.status],
             "participants": _count(o.participants), "inscrits": _count(o.signups), "liste_attente": _count(o.waiting),
             "raison": o.reason, "remplace_le": o.replaced_by.isoformat() if o.replaced_by else ""} for o in outcomes]


def stored_outcomes(spec: dict, rows: list[dict]) -> tuple[StopOutcome, ...]:
    """The outcomes of rows ``outcome_rows`` wrote, read back in the plan's territory; DataError when
    they no longer read (a territory changed under them)."""
    scenario = scenario_for(spec)
    return read_outcomes(rows_table(STORED_OUTCOMES, rows), {c.insee: c for c in scenario.territory.communes},
                         default_vehicle=scenario.vehicles[0].name)


def history_rows(outcomes: tuple[StopOutcome, ...]) -> list[dict]:
    """Outcomes as the rows of a spec's past season (``history``, read by planner.inputs.outcomes):
    what a new scenario started from this season carries; stops still « prévu » tell nothing."""
    return [{k: row[k] for k in HISTORY_COLUMNS} for row in outcome_rows(outcomes) if row["statut"] != "prévu"]


def past_season_rows(spec: dict, filename: str, data: bytes) -> list[dict]:
    """A past season kept outside Tournée (CSV or XLSX: date, commune, participants; statut,
    inscrits, liste_attente, raison optional) as the rows of the spec's ``history``, read in the
    scenario's territory; DataError naming every problem of the file, or why it cannot be read
    (a scenario that does not build, a file without one held stop)."""
    name = upload_name(filename, "saison.csv")
    base = {**spec, "history": []}  # the file replaces the past season: the old one is not checked again
    try:
        scenario_for(base)
    except DataError as exc:
        raise DataError([Problem(name, 0, "", "", "le scénario ne peut pas être calculé tel quel (voir « Calcul » : "
                                 f"{plural(len(exc.problems), 'problème')}) : corrigez-le avant d'importer sa saison "
                                 "passée")]) from exc
    rows = history_rows(read_outcomes_upload(base, name, data))
    if not any(row["statut"] == "tenu" for row in rows):
        raise DataError([Problem(name, 0, "statut", "", "aucun arrêt tenu dans le fichier : une saison passée dit "
                                 "combien de participants sont venus, rien ne changerait")])
    return rows


def past_season(spec: dict) -> dict | None:
    """What the spec's past season changes (None without one), as ``run.py plan`` prints it: a
    headline and one line per commune (« Trouy : 14 participants en 2026-2027 : vivier réduit … »)."""
    if not spec.get("history"):
        return None
    return _past_season(spec_key(spec))


@lru_cache(maxsize=16)
def _past_season(spec_json: str) -> dict | None:
    effect = history_effect(build_instance(build_scenario_cached(spec_json)))
    if effect is None:
        return None
    return {"headline": format_history(effect).splitlines()[0], "lines": history_lines(effect)}
