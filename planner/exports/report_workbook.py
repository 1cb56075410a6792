"""The season report as a workbook (« Bilan de saison »): what funders receive and file.

Sheets: « Bilan » (planned beside held, the months and their chart, the cancellation reasons),
« Carte » (participants per commune against need), « Arrêts » (every stop with its outcome and
its fill), « Territoires » (each intercommunality and département, its quota beside the days
delivered), then one sheet per intercommunality with its stops. Every figure comes from
planner/core/season_report.py, the same the web page and the command line print; dates are date
cells, the layout that of the other workbooks (sheet_layout.py: A4 landscape, page numbers).
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from planner.core.instance import Instance, build_instance
from planner.core.season_report import GroupLine, SeasonReport, StopLine, season_report
from planner.domain.formatting import fr_date, fr_number, plural
from planner.domain.outcome import StopOutcome
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.exports.season_workbook import _sheet_name
from planner.exports.sheet_layout import Column, Sheet, finish_alike, new_workbook
from planner.exports.stop_details import season_title
from planner.maps.png import svg_to_png
from planner.maps.report_charts import fill_by_stop_svg, participants_by_month_svg, participants_map_svg

BLANK = "—"  # a figure the column has no meaning for (sign-ups of the plan)


def build_report(plan: Plan, scenario: Scenario, outcomes: tuple[StopOutcome, ...], *,
                 cost_per_day: float | None = None) -> tuple[SeasonReport, Instance]:
    """The report of a plan in its scenario, titled as the season's other files: the one entry
    point of every form (page, workbook, command line)."""
    instance = build_instance(scenario)
    title = season_title(scenario)
    report = season_report(instance, plan, outcomes, title=f"{title[0].upper()}{title[1:]}", cost_per_day=cost_per_day)
    return report, instance


def need_of(instance: Instance) -> dict[str, float]:
    """Need per commune (INSEE code), as the season map shows it."""
    return {c.insee: float(instance.need.need[i]) for i, c in enumerate(instance.communes)}


def figure_text(value, kind: str) -> str:
    """A figure of the summary in French, as the page and the command line print it."""
    if value is None:
        return BLANK
    if kind == "pct":
        return f"{fr_number(100 * value)} %"
    if kind == "euro":
        return f"{fr_number(value, 2)} €"
    if kind == "dec1":
        return fr_number(value, 1)
    return fr_number(value)


def summary_table(report: SeasonReport) -> list[list]:
    """Rows of the summary: label, planned, held, gap (held - planned, when both are figures)."""
    rows = []
    for row in report.summary_rows():
        gap = row.held - row.planned if row.planned is not None and row.held is not None else None
        if gap is not None and row.kind in ("dec1", "euro"):
            gap = round(gap, 2)
        rows.append([row.label, BLANK if row.planned is None else row.planned, BLANK if row.held is None else row.held,
                     gap, row.kind])
    return rows


def report_workbook(report: SeasonReport, instance: Instance, *, generated: dt.date | None = None) -> Workbook:
    generated = generated or dt.date.today()
    heading = f"Bilan de saison · {report.title}"
    footer = f"Tournée · généré le {fr_date(generated)}"
    workbook = new_workbook()
    _summary_sheet(report, workbook.active, heading, footer)
    _fill_sheet(report, workbook.create_sheet(), heading, footer)
    _map_sheet(report, instance, workbook.create_sheet(), heading, footer)
    _stops_sheet(workbook.create_sheet(), "Arrêts", "Tous les arrêts de la saison et leur bilan", report.stops,
                 heading, footer, report.far_km).finish()
    _groups_sheet(report, workbook.create_sheet(), heading, footer)
    sheets = []
    for group in report.epcis:
        lines = tuple(line for line in report.stops if line.epci == group.code)
        ws = workbook.create_sheet()
        ws.title = _sheet_name(group.name, workbook)
        sheet = _stops_sheet(ws, "", f"{group.name} · arrêts de la saison", lines, heading, footer, report.far_km,
                             note=_group_note(group))
        sheets.append(sheet)
    finish_alike(sheets)
    return workbook


SUMMARY_COLUMNS = [Column("Indicateur", max_width=52), Column("Prévu", "dec1", min_width=14),
                   Column("Réalisé", "dec1", min_width=14), Column("Écart", "dec1", min_width=14)]


def _summary_sheet(report: SeasonReport, ws: Worksheet, heading: str, footer: str) -> None:
    ws.title = "Bilan"
    sheet = Sheet(ws, 6, heading, footer)
    sheet.title(f"Bilan de saison · {report.title}")
    if report.first:
        sheet.note(f"Arrêts du {fr_date(report.first)} au {fr_date(report.last)} ; « Prévu » : le plan publié et ses "
                   "participants attendus ; « Réalisé » : le bilan saisi de chaque arrêt.", quiet=True)
    sheet.skip()
    header = sheet.table(SUMMARY_COLUMNS, [row[:4] for row in summary_table(report)])
    for i, row in enumerate(summary_table(report), start=header + 1):
        kind = row[4]
        fmt = {"int": "#,##0", "pct": "0%", "dec1": "#,##0.0", "euro": '#,##0.00 "€"'}[kind]
        for j in (2, 3, 4):
            cell = ws.cell(i, j)
            cell.number_format = "+0%;-0%;0%" if (kind == "pct" and j == 4) else fmt
            if cell.value == BLANK:
                cell.alignment = Alignment(horizontal="center", vertical="top")
    sheet.skip()
    sheet.note(f"Participants habitant à plus de {report.far_km:g} km d'un lieu d'aide : les bilans comptent les "
               "venus, pas leur adresse ; chaque arrêt les répartit comme ses participants attendus.", quiet=True)
    sheet.page_break()
    sheet.note("Par mois", bold=True)
    sheet.table([Column("Mois"), Column("Arrêts prévus", "int"), Column("Arrêts tenus", "int"),
                 Column("Participants attendus", "int"), Column("Participants venus", "int")],
                [[m.label, m.planned_stops, m.held_stops, m.expected, m.participants] for m in report.months])
    if report.reasons:
        sheet.skip()
        sheet.note("Arrêts annulés, par raison", bold=True)
        sheet.table([Column("Raison", max_width=52), Column("Arrêts", "int"), Column("dont remplacés", "int"),
                     Column("Dates", max_width=40)],
                    [[r.reason, r.count, r.replaced, ", ".join(fr_date(d) for d in r.dates)] for r in report.reasons])
    sheet.skip()
    _image(sheet, participants_by_month_svg(report), 620, 300)
    sheet.finish(freeze=False, repeat_header=False)


PICTURE_COLUMNS = 9  # columns of 12 units (about 89 px each): as wide as a picture


def _picture_sheet(ws: Worksheet, heading: str, footer: str) -> Sheet:
    """A sheet of pictures: its title and notes span columns as wide as the pictures (else they
    would wrap in the default narrow columns into rows taller than the page)."""
    sheet = Sheet(ws, PICTURE_COLUMNS, heading, footer)
    for j in range(1, PICTURE_COLUMNS + 1):
        sheet.widths[j] = 12.0
    return sheet


FILL_ROWS = 20  # stops per picture of the fill chart: one printed page each


def _fill_sheet(report: SeasonReport, ws: Worksheet, heading: str, footer: str) -> None:
    """The fill of every stop, a page of stops per picture."""
    ws.title = "Remplissage"
    sheet = _picture_sheet(ws, heading, footer)
    sheet.title("Remplissage de chaque arrêt")
    sheet.note("Participants venus / places offertes de chaque arrêt tenu ; les annulés avec leur raison. Le détail "
               "chiffré est dans l'onglet « Arrêts ».", quiet=True)
    for start in range(0, len(report.stops), FILL_ROWS):
        if start:
            sheet.page_break()
        part = report.stops[start:start + FILL_ROWS]
        _image(sheet, fill_by_stop_svg(report, lines=part), 760, 440)
    sheet.finish(freeze=False, repeat_header=False)


PAGE_PX = (900, 500)  # a picture that fits a landscape A4 page under the sheet's title (96 dpi)


def _image(sheet: Sheet, svg: str, width_px: int = PAGE_PX[0], height_px: int = PAGE_PX[1]) -> None:
    """A chart as a picture at the current row, within ``width_px`` x ``height_px`` (a picture
    never splits across printed pages: one taller than a page would be cut), and the rows it
    covers skipped."""
    try:
        png = svg_to_png(svg, scale=2.0)
    except OSError:  # libcairo2 missing: say so rather than fail the workbook
        sheet.note("Graphique indisponible sur ce poste (bibliothèque libcairo2 absente).", quiet=True)
        return
    image = Image(io.BytesIO(png))
    ratio = min(width_px / image.width, height_px / image.height)
    image.width, image.height = width_px, round(image.height * ratio)
    sheet.ws.add_image(image, f"A{sheet.row}")
    sheet.skip(round(image.height / 17) + 2)


def _map_sheet(report: SeasonReport, instance: Instance, ws: Worksheet, heading: str, footer: str) -> None:
    ws.title = "Carte"
    sheet = _picture_sheet(ws, heading, footer)
    sheet.title("Participants par commune et besoin")
    sheet.note("Communes ombrées par besoin (seniors loin d'un lieu d'aide) ; cercle : participants venus aux arrêts "
               "tenus dans la commune ; croix : arrêts annulés sans arrêt tenu.", quiet=True)
    sheet.skip()
    _image(sheet, participants_map_svg(instance.scenario.territory, report, need_of(instance)))
    sheet.finish(freeze=False, repeat_header=False)


def _stop_columns(far_km: float) -> list[Column]:
    return [Column("Date", "date"), Column("Véhicule", max_width=12), Column("Commune", max_width=26),
            Column("Intercommunalité", max_width=30), Column("Bilan", max_width=30), Column("Ateliers", "int"),
            Column("Places", "int"), Column("Participants attendus", "dec1"), Column("Inscrits", "int"),
            Column("Liste d'attente", "int"), Column("Participants venus", "int"), Column("Remplissage", "pct"),
            Column(f"dont à plus de {far_km:g} km d'un lieu d'aide", "dec1"), Column("km du jour", "dec1"),
            Column("Raison", max_width=40)]


def stop_row(line: StopLine) -> list:
    """A stop of the report as the workbook and the page show it."""
    return [line.date, line.vehicle, line.commune, line.epci_name, line.status_label, line.workshops, line.places,
            round(line.expected, 1), line.signups, line.waiting, line.participants, line.fill,
            round(line.far, 1) if line.held else None, line.km, line.reason]


def _stops_sheet(ws: Worksheet, title: str, text: str, lines: tuple[StopLine, ...], heading: str, footer: str,
                 far_km: float, note: str = "") -> Sheet:
    if title:
        ws.title = title
    columns = _stop_columns(far_km)
    sheet = Sheet(ws, len(columns), heading, footer)
    sheet.title(text)
    if note:
        sheet.note(note, quiet=True)
    sheet.skip()
    held = [line for line in lines if line.held]
    total = ["Total", "", plural(len(lines), "arrêt"), "", plural(len(held), "tenu"), sum(line.workshops for line in held),
             sum(line.places for line in held), round(sum(line.expected for line in lines), 1),
             sum(line.signups or 0 for line in held), sum(line.waiting or 0 for line in held),
             sum(line.participants or 0 for line in held), None, round(sum(line.far for line in held), 1),
             round(sum(line.km for line in held), 1), ""]
    sheet.table(columns, [stop_row(line) for line in lines], total=total)
    sheet.skip()
    sheet.note("Totaux : ateliers, places, inscrits, venus et km des arrêts tenus ; participants attendus : ceux du "
               "plan.", quiet=True)
    return sheet


def _group_note(group: GroupLine) -> str:
    quota = f" ; quota : {group.quota_text}, {'atteint' if group.quota_met else 'non atteint'}" if group.quota_text else ""
    return (f"{plural(group.planned_stops, 'arrêt prévu')}, {plural(group.held_stops, 'tenu')}, "
            f"{plural(group.cancelled, 'annulé')} ; "
            f"{group.participants} participants venus pour {group.expected} attendus{quota}.")


def group_row(group: GroupLine) -> list:
    met = "" if group.quota_met is None else "oui" if group.quota_met else "non"
    return [group.name, group.code, group.quota_text, group.planned_stops, group.held_stops, met, group.cancelled,
            group.expected, group.participants, group.participants_far]


def _groups_sheet(report: SeasonReport, ws: Worksheet, heading: str, footer: str) -> None:
    ws.title = "Territoires"
    columns = [Column("Territoire", max_width=40), Column("Code"), Column("Quota (jours)", max_width=20),
               Column("Arrêts prévus", "int"), Column("Arrêts tenus", "int"), Column("Quota atteint"),
               Column("Arrêts annulés", "int"), Column("Participants attendus", "int"),
               Column("Participants venus", "int"), Column(f"dont à plus de {report.far_km:g} km d'un lieu d'aide", "int")]
    sheet = Sheet(ws, len(columns), heading, footer)
    sheet.title("Intercommunalités et départements : quotas et réalisé")
    sheet.note("Quota : jours d'arrêt convenus (paramètres de la saison) ; « tenus » : arrêts réalisés dans les communes "
               "du territoire.", quiet=True)
    sheet.skip()
    sheet.note("Intercommunalités", bold=True)
    sheet.table(columns, [group_row(g) for g in report.epcis])
    sheet.skip()
    sheet.note("Départements", bold=True)
    sheet.table(columns, [group_row(g) for g in report.departements])
    sheet.finish()
