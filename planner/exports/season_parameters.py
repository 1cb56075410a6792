"""The « Paramètres » sheet of the season workbook: everything that produced the plan (the
solve, each parameter in French from the catalogue, vehicles, season, data sources), so that the
plan can be made again or discussed."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from planner.core.figures import closed_periods
from planner.domain.formatting import fr_date
from planner.domain.parameters import find, section
from planner.domain.plan import solver_status_label
from planner.domain.service_point import KIND_LABELS
from planner.exports.season_context import SeasonContext, gap_text, vehicle_text
from planner.exports.sheet_layout import Column, Sheet

REPRODUCIBLE = {
    True: "oui : budget de travail (secondes déterministes de CP-SAT), mêmes données et même graine, même plan",
    False: "non : limite de temps réel, un autre calcul sur les mêmes données peut donner un autre plan "
           "(choisir le calcul reproductible pour pouvoir le refaire à l'identique)",
}


def parameters_sheet(c: SeasonContext, ws: Worksheet) -> None:
    ws.title = "Paramètres"
    columns = [Column("Section", max_width=16), Column("Paramètre", max_width=34), Column("Valeur", max_width=60),
               Column("Signification", max_width=60), Column("Clé du fichier de paramètres", max_width=30)]
    sheet = Sheet(ws, len(columns), c.heading, c.footer)
    sheet.title("Paramètres, données et résolution")
    sheet.note("Tout ce qui a produit ce plan, pour pouvoir le refaire ou le discuter.", quiet=True)
    sheet.skip()
    rows = [r + ["", ""] for r in _solver_rows(c)]
    params = c.plan.params or c.instance.params.to_dict()
    for name, values in params.items():
        for key, value in values.items():
            known = find(f"{name}.{key}")  # an older plan may keep a parameter the planner has dropped
            label, meaning = (known.titled_label, known.meaning) if known else (key.replace("_", " "), "")
            if key == "service_kinds":
                value = [KIND_LABELS.get(k, k) for k in value]
            rows.append([section(name).name, label, _param_value(value), meaning, f"{name}.{key}"])
    for vehicle in c.scenario.vehicles:
        rows.append(["véhicule", vehicle.name, vehicle_text(vehicle) + f", conduite maximale {vehicle.max_drive_minutes:g} min",
                     "", ""])
    season = c.scenario.season
    rows.append(["saison", "dates", f"du {fr_date(season.start)} au {fr_date(season.end)}", "", ""])
    for first, last, reason in closed_periods(season.closed):
        when = fr_date(first) if first == last else f"du {fr_date(first)} au {fr_date(last)}"
        rows.append(["saison", "fermé", f"{when} : {reason}", "", ""])
    if not season.closed:
        rows.append(["saison", "fermé", "aucun jour fermé", "", ""])
    for n, source in enumerate(c.territory.sources, start=1):
        rows.append(["données", f"source {n}", source, "", ""])
    rows.append(["fichier", "généré le", c.generated, "", ""])
    sheet.table(columns, rows)
    sheet.finish()


def _solver_rows(c: SeasonContext) -> list[list]:
    solver = c.plan.solver
    if solver is None:
        return [["résolution", "statut", c.solver_text()]]
    return [
        ["résolution", "statut", solver_status_label(solver.status)],
        ["résolution", "objectif", solver.objective],
        ["résolution", "borne", solver.bound],
        ["résolution", "écart", gap_text(solver.gap)],
        ["résolution", "durée (s)", solver.wall_s],
        ["résolution", "graine", solver.seed],
        ["résolution", "fils de calcul", solver.workers],
        *([["résolution", "plans améliorés trouvés", solver.solutions]] if solver.solutions else []),
        ["résolution", "trouvé par", solver.source or "—"],
        ["résolution", "reproductible", REPRODUCIBLE[solver.reproducible]],
        *([["résolution", "arrêté", "calcul arrêté à la demande : le meilleur plan trouvé jusque-là"]]
          if solver.stopped else []),
    ]


def _param_value(value):
    """Numbers stay numbers; lists and quotas become readable text."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if value == "":
        return "—"
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_param_value(v)) if not isinstance(v, dict) else _quota_text(v) for v in value) or "aucun"
    return str(value)


def _quota_text(quota: dict) -> str:
    high = "sans maximum" if quota.get("max_days", -1) < 0 else f"au plus {quota['max_days']} j"
    return f"{quota.get('kind')} {quota.get('code')} : au moins {quota.get('min_days', 0)} j, {high}"
