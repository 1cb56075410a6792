"""``run.py report``: the season report (« Bilan de saison ») of a published plan and what its
stops did, as a workbook for the funders, its summary printed (or as JSON with ``--json``).

The plan is the file ``plan --out X.json`` wrote (its scenario inside) or a stops CSV evaluated in
the scenario of the flags; the outcomes a CSV or XLSX of date, commune, participants (optionally
statut, inscrits, liste_attente, raison, remplace_le: planner/inputs/outcomes.py). Without
outcomes every stop reads « non renseigné »: the report of the plan alone.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from planner.commands.common import (
    add_season_arguments,
    add_territory_arguments,
    output_problems,
    print_json,
    write_atomically,
)
from planner.commands.export import plan_and_scenario
from planner.domain.formatting import fr_number
from planner.domain.problems import DataError, Problem
from planner.exports.files import season_report_bytes
from planner.exports.report_workbook import build_report, figure_text
from planner.inputs.outcomes import read_outcomes

MAX_COST_PER_DAY = 1e6  # euros a day: beyond is a typo (a bus day costs a few hundred)


def register(sub) -> None:
    parser = sub.add_parser("report", help="bilan de saison : prévu et réalisé de chaque arrêt, pour les financeurs")
    parser.add_argument("--season", required=True, metavar="PLAN",
                        help="le plan publié : fichier .json écrit par « plan --out », ou ses arrêts (CSV/XLSX)")
    parser.add_argument("--outcomes", metavar="BILANS.csv",
                        help="bilan des arrêts (CSV/XLSX : date, commune, participants ; statut, inscrits, "
                             "liste_attente, raison, remplace_le facultatifs)")
    parser.add_argument("--cost-per-day", metavar="EUROS", help="coût d'un jour de présence, pour le coût par participant")
    parser.add_argument("--out", help="classeur à écrire (.xlsx)")
    parser.add_argument("--json", action="store_true", help="résumé JSON (clés stables)")
    add_territory_arguments(parser)
    add_season_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else None
    problems = output_problems(out, (".xlsx",))
    cost = _cost(args.cost_per_day, problems)
    try:  # the plan's problems with those of the flags; the outcomes' need its territory
        plan, scenario = plan_and_scenario(args, args.season, [])
    except DataError as exc:
        raise DataError(problems + list(exc.problems)) from exc
    outcomes = ()
    if args.outcomes:
        communes = {c.insee: c for c in scenario.territory.communes}
        try:
            outcomes = read_outcomes(args.outcomes, communes, default_vehicle=scenario.vehicles[0].name)
        except DataError as exc:
            problems += [replace(p, message=f"{p.message} « {scenario.territory.name} »")
                         if p.message == "commune hors du territoire" else p for p in exc.problems]
    if problems:
        raise DataError(problems)
    report, instance = build_report(plan, scenario, outcomes, cost_per_day=cost)
    if out is not None:
        write_atomically(out, season_report_bytes(report, instance))
    if args.json:
        print_json(summary_json(report))
    else:
        print(summary_text(report))
        if out is not None:
            print(f"\nBilan écrit dans {out}")
    return 0


def _cost(text: str | None, problems: list[Problem]) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        problems.append(Problem("--cost-per-day", 0, "", text, "nombre attendu (euros par jour)"))
        return None
    if not 0 < value <= MAX_COST_PER_DAY:
        problems.append(Problem("--cost-per-day", 0, "", text, f"doit être plus de 0 et au plus {fr_number(MAX_COST_PER_DAY)} €"))
        return None
    return value


def summary_text(report) -> str:
    """The summary table in plain text: the rows of the workbook's « Bilan » sheet."""
    rows = report.summary_rows()
    width = max(len(r.label) for r in rows)
    lines = [f"Bilan de saison · {report.title}", "",
             f"{'':{width}}  {'Prévu':>12}  {'Réalisé':>12}"]
    lines += [f"{r.label:{width}}  {figure_text(r.planned, r.kind):>12}  {figure_text(r.held, r.kind):>12}" for r in rows]
    if report.reasons:
        lines += ["", "Annulations :"] + [f"  {r.count} × {r.reason}" for r in report.reasons]
    quotas = [g for g in report.epcis + report.departements if g.quota_text]
    if quotas:
        lines += ["", "Quotas :"] + [f"  {g.name} : {g.held_stops} jours tenus pour {g.quota_text} "
                                     f"({'atteint' if g.quota_met else 'non atteint'})" for g in quotas]
    return "\n".join(lines)


def summary_json(report) -> dict:
    """Stable keys: the summary rows by label, planned and held, and the quotas per group."""
    return {
        "title": report.title,
        "summary": [{"label": r.label, "planned": r.planned, "held": r.held, "kind": r.kind} for r in report.summary_rows()],
        "groups": [{"kind": g.kind, "code": g.code, "name": g.name, "planned_stops": g.planned_stops,
                    "held_stops": g.held_stops, "quota_min": g.quota_min, "quota_max": g.quota_max,
                    "quota_met": g.quota_met, "participants": g.participants}
                   for g in report.epcis + report.departements],
    }
