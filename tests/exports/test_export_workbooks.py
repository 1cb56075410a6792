"""Season and host workbooks of five communes over two weeks (Tue 8 - Fri 18 Sept 2026).

Setup: five communes east of the bus base in two EPCI (E1: 18001, 18002; E2: 18003-18005), an
EPN-like France Services in 18001, a Wednesday market in 18002, Thursday 17 Sept closed, a
"must" request for 18004 with a host site, mairie hours known for 18004 only. Rules allow a
second visit after 7 days, so communes come back. The plan is a real CP-SAT solve (1 s at most);
every figure checked below is read back from the files and compared with that plan.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import icalendar
import openpyxl
import pytest

from planner.core.instance import build_instance
from planner.domain.host_hours import HostHours
from planner.domain.market import Market
from planner.domain.params import Params, RuleParams, SolverParams
from planner.domain.plan import solver_status_label as planning_label
from planner.domain.request import Request
from planner.domain.scenario import Scenario
from planner.domain.season import build_season
from planner.domain.vehicle import Vehicle
from planner.domain.weekdays import french_weekday
from planner.exports.host_workbook import host_workbook
from planner.exports.season_workbook import season_workbook
from planner.search.solve import solve_instance
from tests.conftest import commune, service_point, territory

FIRST, LAST = dt.date(2026, 9, 8), dt.date(2026, 9, 18)
CLOSED = dt.date(2026, 9, 17)
HOST = "18004"
HOST_SITE = "Salle des fêtes, 2 rue de la Mairie, 18004 Dun-la-Forêt"
GENERATED = dt.date(2026, 9, 1)


def five_communes_scenario() -> Scenario:
    communes = [commune("18001", 47.0, 2.05, 120, name="Aubigny-les-Prés", epci="E1"),
                commune("18002", 47.0, 2.15, 300, name="Bois-Joli", epci="E1"),
                commune("18003", 47.05, 2.25, 80, name="Chêne-sur-Yèvre", epci="E2"),
                commune("18004", 46.95, 2.3, 200, name="Dun-la-Forêt", epci="E2"),
                commune("18005", 47.1, 2.1, 150, name="Écueillé-le-Haut", epci="E2")]
    points = [service_point("18001", 47.0, 2.05, "france_services")]
    markets = [Market("18002", "Bois-Joli", 3, "matin", "place de l'Église", "hebdomadaire", "weekly", "", "high", "test")]
    land = replace(territory(communes, points, markets, name="cinq communes"),
                   host_hours=(HostHours(HOST, "Dun-la-Forêt", "L au V (9-12h)", "https://mairies.example", "relevé 2026"),),
                   sources=("Communes : jeu d'essai (2026)", "Lieux d'aide : jeu d'essai (2026)"))
    request = Request("R1", HOST, ((FIRST, LAST),), priority="must", requester="CC E2", host_site=HOST_SITE,
                      contact="mairie@dun.example", note="prévoir une rallonge")
    season = build_season(FIRST, LAST, (2, 3, 4, 5), custom_closed=(CLOSED,))
    bus = Vehicle("bus", "bus", "Base", 47.0, 2.0)
    params = Params(rules=RuleParams(min_gap_days=7), solver=SolverParams(time_limit_s=1.0, workers=1))
    return Scenario(land, season, (bus,), params, (request,))


@pytest.fixture(scope="module")
def solved():
    instance = build_instance(five_communes_scenario())
    plan = solve_instance(instance)
    assert plan.feasible and plan.stops
    return instance, plan


@pytest.fixture(scope="module")
def season_book(solved, tmp_path_factory):
    instance, plan = solved
    path = tmp_path_factory.mktemp("season") / "saison.xlsx"
    season_workbook(plan, instance, generated=GENERATED).save(path)
    return path


@pytest.fixture(scope="module")
def host_book(solved, tmp_path_factory):
    instance, plan = solved
    path = tmp_path_factory.mktemp("host") / "dun.xlsx"
    host_workbook(plan, instance.scenario, HOST, generated=GENERATED).save(path)
    return path


def table(ws, first_header: str, nth: int = 0) -> tuple[list[str], list[tuple]]:
    """Header and body rows of the ``nth`` table whose header row starts with ``first_header``."""
    rows = list(ws.iter_rows(values_only=True))
    start = [i for i, r in enumerate(rows) if r[0] == first_header][nth]
    body = []
    for row in rows[start + 1:]:
        if row[0] is None:
            break
        body.append(row)
    return list(rows[start]), body


def test_season_workbook_has_overview_weeks_epcis_communes_and_parameters(season_book):
    book = openpyxl.load_workbook(season_book)
    assert book.sheetnames == ["Saison", "Liste", "Septembre 2026", "CC E1", "CC E2", "Communes", "Paramètres"]


def test_week_sheets_have_one_row_per_working_day_with_real_dates(solved, season_book):
    _, plan = solved
    book = openpyxl.load_workbook(season_book)
    by_date = {s.date: s for s in plan.stops}
    month = book["Septembre 2026"]
    for nth, days in enumerate(([8, 9, 10, 11], [15, 16, 17, 18])):
        header, body = table(month, "Date", nth)
        assert header[:4] == ["Date", "Jour", "Véhicule", "Commune"]
        rows = body[:-1]  # the last row is the week's total
        assert [r[0] for r in rows] == [dt.datetime(2026, 9, d) for d in days]
        for row in rows:
            stop = by_date.get(row[0].date())
            assert row[3] == (stop.commune if stop else None)
        assert body[-1][0] == "Total"
        week_km = sum(s.km for s in plan.stops if s.date.isocalendar()[1] == 37 + nth)
        assert body[-1][header.index("km du jour")] == pytest.approx(week_km, abs=0.05)
    cells = [c for row in month.iter_rows() for c in row[:1] if c.is_date]
    assert len(cells) == 8 and all(c.number_format == "DD/MM/YYYY" for c in cells)
    _, body = table(month, "Date", 1)
    closed = next(r for r in body if r[0] == dt.datetime(2026, 9, 17))
    assert closed[-1] == "fermé : fermeture (date saisie)"
    shaded = {c.row for row in month.iter_rows() for c in row[:1] if c.fill.fgColor.rgb == "00E4E4E4"}
    assert [month.cell(r, 1).value for r in shaded] == [dt.datetime(2026, 9, 17)]


def test_host_site_is_the_request_s_or_visibly_unknown(solved, season_book):
    _, plan = solved
    book = openpyxl.load_workbook(season_book)
    sites = {}
    for nth in (0, 1):
        header, body = table(book["Septembre 2026"], "Date", nth)
        for row in body[:-1]:
            if row[3]:
                sites[row[3]] = row[header.index("Lieu d'accueil (adresse)")]
    assert sites.pop("Dun-la-Forêt") == f"{HOST_SITE}, Cher"
    assert sites and set(sites.values()) == {"à confirmer avec la mairie"}


def test_overview_totals_are_the_plan_s(solved, season_book):
    _, plan = solved
    header, body = table(openpyxl.load_workbook(season_book)["Saison"], "Mois")
    month, total = body
    assert month[0] == "septembre 2026" and total[0] == "Total de la saison"
    figures = dict(zip(header, total))
    assert figures["Arrêts"] == len(plan.stops) == plan.metrics.stops
    assert figures["Communes"] == plan.metrics.communes_visited
    assert figures["EPCI"] == 2
    assert figures["Places offertes"] == plan.metrics.seats == 24 * len(plan.stops)
    assert figures["Participants attendus"] == plan.metrics.participants
    assert figures["Remplissage"] == pytest.approx(plan.metrics.fill_rate)
    # Each participant is seated once, at one stop: the months add up to the season.
    assert sum(dict(zip(header, m))["Participants attendus"] for m in body[:-1]) == pytest.approx(
        plan.metrics.participants, abs=len(body))
    assert figures["km"] == pytest.approx(plan.metrics.km_total)
    assert figures["Jours sans arrêt"] == plan.metrics.idle_days
    assert (figures["Du"].date(), figures["Au"].date()) == (plan.stops[0].date, plan.stops[-1].date)


def test_overview_lists_unserved_requests_with_their_reason(solved):
    from planner.domain.plan import Unserved

    instance, plan = solved
    late = Unserved("R2", "18003", "should", "outside_season", "période demandée hors de la saison")
    outside = Request("R2", "18003", ((dt.date(2030, 1, 7), dt.date(2030, 1, 11)),))
    asked = replace(instance, scenario=replace(instance.scenario, requests=(*instance.scenario.requests, outside)))
    overview = season_workbook(replace(plan, unserved=(late,)), asked)["Saison"]
    lines = [r[0] for r in overview.iter_rows(values_only=True)]
    listed = lines[lines.index("Demandes des communes") + 1:]
    assert "R2 · Chêne-sur-Yèvre (18003) · souhaitée : Non servie : période demandée hors de la saison." in listed
    assert any(str(line).startswith("R1 · ") and "Servie par" in str(line) for line in listed[:2])


def test_communes_sheet_adds_up_to_the_plan(solved, season_book):
    instance, plan = solved
    header, body = table(openpyxl.load_workbook(season_book)["Communes"], "INSEE")
    rows, total = body[:-1], body[-1]
    assert len(rows) == 5
    visits = {r[0]: r[header.index("Visites")] for r in rows}
    assert visits == {c: sum(1 for s in plan.stops if s.insee == c) for c in visits}
    assert total[header.index("Visites")] == len(plan.stops)
    reached = sum(r[header.index("Participants attendus")] for r in rows)
    assert reached == pytest.approx(plan.metrics.participants, abs=0.5 + 0.05 * len(rows))
    needs = [r[header.index("Besoin")] for r in rows]
    assert needs == sorted(needs, reverse=True)
    assert dict(zip(header, rows[0]))["Lieu d'aide le plus proche"] == "france_services 18001"


def test_epci_sheets_list_their_stops(solved, season_book):
    _, plan = solved
    book = openpyxl.load_workbook(season_book)
    for name, codes in (("CC E1", {"18001", "18002"}), ("CC E2", {"18003", "18004", "18005"})):
        _, body = table(book[name], "Date")
        expected = [s for s in plan.stops if s.insee in codes]
        assert [(r[0].date(), r[3]) for r in body] == [(s.date, s.commune) for s in expected]


def test_parameters_record_weights_sources_and_solver(solved, season_book):
    _, plan = solved
    _, body = table(openpyxl.load_workbook(season_book)["Paramètres"], "Section")
    values = {(r[0], r[1]): r[2] for r in body}
    assert values["résolution", "statut"] == planning_label(plan.solver.status)
    assert values["résolution", "borne"] == pytest.approx(plan.solver.bound)
    by_key = {r[4]: r for r in body if r[4]}
    assert by_key["rules.min_gap_days"][:3] == ("règles", "Écart minimal entre deux passages (jours)", 7)
    assert by_key["objective.km_cost"][2] == 0.5 and by_key["objective.km_cost"][3] == "points retirés par km parcouru"
    assert all(r[3] for r in by_key.values())  # every parameter says what it means
    assert values["données", "source 1"] == "Communes : jeu d'essai (2026)"
    assert values["saison", "fermé"] == "17/09/2026 : fermeture (date saisie)"


def test_every_season_sheet_prints_on_a4_landscape_one_page_wide(season_book):
    for ws in openpyxl.load_workbook(season_book):
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # A month's weeks each have their own header: no single frozen or repeated header there.
        assert bool(ws.print_title_rows and ws.freeze_panes) != (ws.title == "Septembre 2026")
        assert "&P" in ws.oddFooter.right.text
        assert all(d.width for d in ws.column_dimensions.values())


def test_host_workbook_gives_dates_site_questions_contact_and_a_sign_up_sheet_per_workshop(solved, host_book):
    _, plan = solved
    stops = [s for s in plan.stops if s.insee == HOST]
    book = openpyxl.load_workbook(host_book)
    assert book.sheetnames == ["Accueil", "Inscriptions"]
    welcome = book["Accueil"]
    header, body = table(welcome, "Date")
    assert [r[0].date() for r in body] == [s.date for s in stops]
    assert {r[header.index("Lieu d'accueil")] for r in body} == {f"{HOST_SITE}, Cher"}
    assert {r[header.index("Places par atelier")] for r in body} == {12}
    assert {r[header.index("Ateliers")] for r in body} == {"9h30-12h30\n14h-17h"}
    assert {r[header.index("Arrivée de l'équipe")] for r in body} == {"vers 8h45"}
    text = [c for row in welcome.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    # Hours only, no source nor vintage; a morning workshop while the mairie is open is a question.
    assert "Horaires d'ouverture de la mairie connus de l'équipe : L au V (9-12h) (merci de les corriger s'ils ont changé)." \
        in text
    assert not any("mairies.example" in t or "relevé" in t or "R1" in t for t in text)
    # Open 9-12h on weekdays: each morning workshop is asked about, each afternoon one too (mairie closed).
    expected = []
    for day in dict.fromkeys(french_weekday(s.date.isoweekday()) for s in stops):
        expected += [f"□ La mairie est indiquée ouverte le {day} matin : l'atelier de 9h30 peut-il avoir lieu ? à confirmer",
                     f"□ La mairie est indiquée fermée le {day} après-midi : les toilettes et la prise électrique "
                     "seront-elles accessibles pour l'atelier de 14h ? à confirmer"]
    assert [t for t in text if t.startswith("□ La mairie")] == expected
    assert "Contact de l'équipe à renseigner" in text
    assert any(t.startswith("À apporter : ") and "carte Vitale" in t for t in text)
    assert any(t.startswith("□ Inscriptions") and "12 places par atelier" in t for t in text)
    sign_up = book["Inscriptions"]
    titles = [r[0] for r in sign_up.iter_rows(values_only=True) if isinstance(r[0], str) and r[0].startswith("Inscriptions")]
    assert len(titles) == 2 * len(stops)
    numbers = [r[0] for r in sign_up.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert numbers == list(range(1, 13)) * len(titles)
    notices = [r[0] for r in sign_up.iter_rows(values_only=True) if isinstance(r[0], str) and r[0].startswith("Données")]
    assert len(notices) == len(titles) and "RGPD" in notices[0]
    assert len(sign_up.row_breaks.brk) == len(titles) - 1


def test_host_without_stop_is_refused(solved):
    instance, plan = solved
    visited = {s.insee for s in plan.stops}
    idle = next((c.insee for c in instance.scenario.territory.communes if c.insee not in visited), "99999")
    with pytest.raises(ValueError, match="aucun arrêt"):
        host_workbook(plan, instance.scenario, idle)


# --- printed with LibreOffice ---------------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def pdf_pages(tmp_path: Path, *books: Path) -> dict[str, list[str]]:
    """Text of each page of each workbook printed to PDF by LibreOffice, by workbook name."""
    from pypdf import PdfReader

    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(tmp_path), *map(str, books)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    pages = {}
    for book in books:
        pdf = tmp_path / f"{book.stem}.pdf"
        assert pdf.exists(), result.stdout + result.stderr
        pages[book.stem] = [page.extract_text() for page in PdfReader(pdf).pages]
    return pages


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : impression PDF non vérifiée")
def test_workbooks_print_one_page_per_sheet_with_headers_and_no_hashes(solved, season_book, host_book, tmp_path):
    _, plan = solved
    pages = pdf_pages(tmp_path, season_book, host_book)
    season = pages["saison"]
    names = openpyxl.load_workbook(season_book).sheetnames
    # The page header names the season, then the sheet; the footer numbers the pages.
    sheet_of_page = [next(n for n in reversed(names) if page.splitlines()[0].endswith(n)) for page in season]
    assert sorted(set(sheet_of_page), key=names.index) == names
    assert sheet_of_page == sorted(sheet_of_page, key=names.index)
    assert all(f"Page {n} / {len(season)}" in page for n, page in enumerate(season, start=1))
    # Two short weeks share one page; the map and the month table fill at most two pages.
    assert sheet_of_page.count("Septembre 2026") == 1 and sheet_of_page.count("Saison") <= 2
    assert "Saison 2026 · cinq communes" in season[0]
    # The last column of each table is on the page, not cut off to another one.
    month = season[sheet_of_page.index("Septembre 2026")]
    assert "Notes" in month and "Semaine 37" in month and "Semaine 38" in month
    assert "Clé du fichier de paramètres" in season[sheet_of_page.index("Paramètres")]
    # The host's welcome page, then one sign-up page per workshop, each with its data-protection notice.
    host = pages["dun"]
    assert len(host) == 1 + 2 * sum(1 for s in plan.stops if s.insee == HOST)
    assert all("Ce que la personne souhaite apprendre" in page and "RGPD" in page for page in host[1:])
    assert not any("###" in page for page in season + host)


def test_mediator_half_days_get_their_own_rows_sessions_and_events():
    from planner.core.evaluate import evaluate
    from planner.domain.plan import Plan
    from planner.domain.stop import Stop
    from planner.exports.ics import host_calendar

    mediator = Vehicle("médiatrice", "mediator", "Base", 47.0, 2.0)
    scenario = replace(five_communes_scenario(), vehicles=(mediator,))
    instance = build_instance(scenario)
    stops = [Stop(date=FIRST, vehicle="médiatrice", insee=HOST, slot=1),
             Stop(date=FIRST, vehicle="médiatrice", insee="18003", slot=2)]
    plan = Plan(evaluate(instance, stops).stops)
    week = season_workbook(plan, instance)["Septembre 2026"]
    _, body = table(week, "Date")
    assert [(r[0], r[3], r[5]) for r in body[:2]] == [(FIRST, "Dun-la-Forêt", "09:30-12:30"),
                                                             (FIRST, "Chêne-sur-Yèvre", "14:00-17:00")]
    book = host_workbook(plan, scenario, HOST)
    titles = [r[0] for r in book["Inscriptions"].iter_rows(values_only=True) if isinstance(r[0], str)
              and r[0].startswith("Inscriptions")]
    assert titles == ["Inscriptions · Dun-la-Forêt · Mardi 08/09/2026 · atelier 9h30-12h30"]
    (event,) = icalendar.Calendar.from_ical(host_calendar(plan, scenario, HOST)).walk("VEVENT")
    assert str(event["UID"]) == "20260908-m%C3%A9diatrice-18004-1@tournee"
    assert (event.decoded("DTSTART").hour, event.decoded("DTEND").hour) == (9, 12)
    assert str(event["SUMMARY"]) == "Médiateur numérique à Dun-la-Forêt"


def test_season_csv_gives_each_stop_its_places_participants_and_origins(solved):
    # The CSV a planner shares: per stop its 24 places, its expected participants (never more)
    # and the communes they come from; the column of participants adds up to the plan's.
    import csv

    from planner.exports.stops_csv import stops_csv_text

    instance, plan = solved
    rows = list(csv.DictReader(stops_csv_text(plan, instance.scenario).lstrip("\ufeff").splitlines(), delimiter=";"))
    assert "seniors_touches" not in rows[0]
    participants = [float(r["participants_attendus"].replace(",", ".")) for r in rows]
    assert all(r["places"] == "24" for r in rows) and all(0 <= p <= 24 for p in participants)
    assert sum(participants) == pytest.approx(plan.metrics.participants, abs=0.5 + 0.05 * len(rows))
    first = plan.stops[0]
    assert rows[0]["provenance"].startswith(f"{first.origins[0][1]} (")
