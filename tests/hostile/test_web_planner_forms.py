# ruff: noqa: F811 - the web fixtures (app, users, logged) are imported from tests/web/conftest.py
"""Hostile values posted to every planner form of the workspace, on the four-commune scenario
(Bourges, Menetou-Salon, Saint-Martin-d'Auxigny, Nérondes): each case says the HTTP status and the
French message expected, and checks that nothing was stored (the scenario's spec and name, and the
counts of scenarios, jobs, plans and publications, are what they were before).

The public request form belongs to tests/web/test_requests_*.py; this corpus covers the planner's side.
"""

from __future__ import annotations

import html
import io
import zipfile
from dataclasses import dataclass, field

import pytest
from openpyxl import Workbook

from tests.web.conftest import (  # noqa: F401 - fixtures
    add_scenario,
    app,
    client,
    database,
    four_communes_spec,
    logged,
    postgresql_cluster,
    users,
)
from web import planning
from web.extensions import db
from web.models import PlanRecord, Publication, Scenario, SolveJob

XSS = '"><img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'
HUGE = "A" * 6 * 1024 * 1024  # over the 5 Mo request limit


@dataclass(frozen=True)
class Case:
    """One hostile post: where, what, and the answer expected (status, French text in the page)."""

    id: str
    kind: str
    url: str  # {s} = the scenario, {p} = its plan, {j} = its job
    data: dict = field(default_factory=dict)
    status: int = 200
    message: str = ""
    files: dict = field(default_factory=dict)  # form name -> (file name, bytes)


def csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def xlsx(rows: list[list], cover: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    if cover:
        sheet.title = "Couverture"
        sheet.append(["Demandes de passage du bus numérique, saison 2027"])
        sheet = book.create_sheet("Demandes")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def fake_xlsx() -> bytes:
    """A ZIP archive named .xlsx that holds no workbook."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "pas un classeur")
    return buffer.getvalue()


GENERAL = {"name": "Quatre communes", "start": "05/01/2027", "end": "15/01/2027", "school_zone": "", "closed": ""}
VEHICLE = {"mode": "bus", "v0-name": "Bus", "v0-kind": "bus", "v0-base": "18033", "v0-day-tue": "1", "v0-minutes": "180",
           "v0-nights": "0"}
PIN = {"p-date": "07/01/2027", "p-insee": "18033", "p-vehicle": ""}
FORBID = {"f-insee": "18145", "f-date": "08/01/2027"}
MARKET = {"m-insee_com": "18033", "m-weekday": "mardi", "m-time_of_day": "matin", "m-place": "Place Cujas"}
REQUESTS_HEADER = "insee_com;start;end;days;priority;host_site\n"

CASES = [
    # --- new scenario -------------------------------------------------------------------------------------
    Case("new-empty-name", "text", "/scenarios/nouveau", {"name": "", "territory": "bourges"}, 200,
         "Donnez un titre à la saison."),
    Case("new-blank-name", "text", "/scenarios/nouveau", {"name": "   ", "territory": "bourges"}, 200,
         "Donnez un titre à la saison."),
    Case("new-201-chars", "huge", "/scenarios/nouveau", {"name": "x" * 201, "territory": "bourges"}, 200,
         "ne peut pas contenir plus de 200 caractères"),
    Case("new-unknown-territory", "choice", "/scenarios/nouveau", {"name": "Saison", "territory": "paris"}, 200,
         "N'est pas un choix valide"),
    Case("new-nul-byte", "nul", "/scenarios/nouveau", {"name": "Sai\x00son", "territory": "bourges"}, 400,
         "caractère nul"),
    Case("new-6-mib-name", "huge", "/scenarios/nouveau", {"name": HUGE, "territory": "bourges"}, 413,
         "Fichier trop volumineux"),
    # --- general: name and season dates ------------------------------------------------------------------
    Case("general-empty-name", "text", "/scenarios/{s}/general", {**GENERAL, "name": ""}, 200,
         "Donnez un titre à la saison."),
    Case("general-201-chars", "huge", "/scenarios/{s}/general", {**GENERAL, "name": "é" * 201}, 200,
         "ne peut pas contenir plus de 200 caractères"),
    Case("general-nul-name", "nul", "/scenarios/{s}/general", {**GENERAL, "name": "\x00"}, 400, "caractère nul"),
    Case("general-31-february", "date", "/scenarios/{s}/general", {**GENERAL, "start": "31/02/2027"}, 200,
         "« 31/02/2027 » n'est pas une date jj/mm/aaaa."),
    Case("general-iso-date", "date", "/scenarios/{s}/general", {**GENERAL, "start": "2027-01-05x"}, 200,
         "« 2027-01-05x » n'est pas une date jj/mm/aaaa."),
    Case("general-year-10000", "date", "/scenarios/{s}/general", {**GENERAL, "end": "01/01/10000"}, 200,
         "« 01/01/10000 » n'est pas une date jj/mm/aaaa."),
    Case("general-words-as-date", "date", "/scenarios/{s}/general", {**GENERAL, "start": "lundi prochain"}, 200,
         "« lundi prochain » n'est pas une date jj/mm/aaaa."),
    Case("general-end-before-start", "date", "/scenarios/{s}/general", {**GENERAL, "end": "01/01/2027"}, 200,
         "La saison finit avant de commencer."),
    Case("general-closed-garbage", "date", "/scenarios/{s}/general", {**GENERAL, "closed": "14/01/2027, 99/99/2027"},
         200, "« 99/99/2027 » n'est pas une date jj/mm/aaaa."),
    Case("general-closed-xss", "xss", "/scenarios/{s}/general", {**GENERAL, "closed": "<script>alert(1)</script>"},
         200, "n'est pas une date jj/mm/aaaa."),
    Case("general-unknown-school-zone", "choice", "/scenarios/{s}/general", {**GENERAL, "school_zone": "Z"}, 200,
         "N'est pas un choix valide"),
    # --- territory ---------------------------------------------------------------------------------------
    Case("territory-unknown-preset", "choice", "/scenarios/{s}/territoire", {"t-territory": "france"}, 200,
         "N'est pas un choix valide"),
    Case("territory-unknown-epci", "choice", "/scenarios/{s}/territoire", {"t-territory": "epci:000000000"}, 200,
         "N'est pas un choix valide"),
    Case("territory-unknown-insee", "upload", "/scenarios/{s}/territoire", {},
         200, "99999", {"u-file": ("communes.csv", csv("insee_com\n18033\n99999\n"))}),
    Case("territory-no-insee-column", "upload", "/scenarios/{s}/territoire", {},
         200, "insee_com", {"u-file": ("communes.csv", csv("commune\nBourges\n"))}),
    Case("territory-pdf-as-csv", "upload-type", "/scenarios/{s}/territoire", {}, 415,
         "« communes.csv » porte l'extension .csv mais contient un PDF",
         {"u-file": ("communes.csv", b"%PDF-1.4\n%\xe2\xe3")}),
    Case("territory-exe", "upload-type", "/scenarios/{s}/territoire", {}, 200,
         "format non pris en charge : envoyez un fichier CSV ou XLSX", {"u-file": ("communes.exe", b"MZ\x90\x00")}),
    # --- vehicles ------------------------------------------------------------------------------------------
    Case("vehicle-negative-minutes", "number", "/scenarios/{s}/vehicules", {**VEHICLE, "v0-minutes": "-10"}, 200,
         "Entre 30 et 720."),
    Case("vehicle-nan-minutes", "number", "/scenarios/{s}/vehicules", {**VEHICLE, "v0-minutes": "nan"}, 200,
         "Entre 30 et 720."),
    Case("vehicle-inf-minutes", "number", "/scenarios/{s}/vehicules", {**VEHICLE, "v0-minutes": "inf"}, 200,
         "Entre 30 et 720."),
    Case("vehicle-1e308-minutes", "number", "/scenarios/{s}/vehicules", {**VEHICLE, "v0-minutes": "1e308"}, 200,
         "Entre 30 et 720."),
    Case("vehicle-words-minutes", "number", "/scenarios/{s}/vehicules", {**VEHICLE, "v0-minutes": "trois heures"},
         200, "« trois heures » n'est pas un nombre."),
    Case("vehicle-7-nights", "number", "/scenarios/{s}/vehicules", {**VEHICLE, "v0-nights": "7"}, 200,
         "Entre 0 et 6 (entier)."),
    Case("vehicle-half-night", "number", "/scenarios/{s}/vehicules", {**VEHICLE, "v0-nights": "1,5"}, 200,
         "Entre 0 et 6 (entier)."),
    Case("vehicle-negative-nights", "number", "/scenarios/{s}/vehicules", {**VEHICLE, "v0-nights": "-3"}, 200,
         "Entre 0 et 6 (entier)."),
    Case("vehicle-mediator-away", "number", "/scenarios/{s}/vehicules",
         {**VEHICLE, "v0-kind": "mediator", "v0-nights": "2"}, 200, "Le médiateur rentre chaque soir : 0 nuit."),
    Case("vehicle-no-day", "choice", "/scenarios/{s}/vehicules", {**VEHICLE, "v0-day-tue": ""}, 200,
         "Cochez au moins un jour."),
    Case("vehicle-base-outside", "commune", "/scenarios/{s}/vehicules", {**VEHICLE, "v0-base": "75056"}, 200,
         "Choisissez une commune du territoire."),
    Case("vehicle-base-xss", "xss", "/scenarios/{s}/vehicules", {**VEHICLE, "v0-base": XSS}, 200,
         "Choisissez une commune du territoire."),
    # the page says "to correct" but does not show "Type inconnu." under a select (web/templates/scenarios)
    Case("vehicle-unknown-kind", "choice", "/scenarios/{s}/vehicules", {**VEHICLE, "v0-kind": "fusée"}, 200,
         "Type inconnu."),
    Case("vehicle-unknown-mode", "choice", "/scenarios/{s}/vehicules", {**VEHICLE, "mode": "avion"}, 200,
         "Type inconnu."),
    Case("vehicle-same-name-twice", "text", "/scenarios/{s}/vehicules",
         {**VEHICLE, "v1-name": "Bus", "v1-kind": "bus", "v1-base": "18033", "v1-day-wed": "1"}, 200,
         "Deux véhicules s'appellent « Bus »."),
    Case("vehicle-nul-name", "nul", "/scenarios/{s}/vehicules", {**VEHICLE, "v0-name": "B\x00us"}, 400,
         "caractère nul"),
    # --- weights -------------------------------------------------------------------------------------------
    Case("weights-words", "number", "/scenarios/{s}/ponderations", {"travel.circuity": "beaucoup"}, 200,
         "« beaucoup » n'est pas un nombre."),
    Case("weights-nan", "number", "/scenarios/{s}/ponderations", {"objective.market_bonus": "nan"}, 200,
         "Nombre fini attendu."),
    Case("weights-inf", "number", "/scenarios/{s}/ponderations", {"objective.km_cost": "inf"}, 200,
         "Nombre fini attendu."),
    Case("weights-minus-inf", "number", "/scenarios/{s}/ponderations", {"need.catchment_km": "-inf"}, 200,
         "Nombre fini attendu."),
    Case("weights-float-for-integer", "number", "/scenarios/{s}/ponderations", {"rules.min_gap_days": "2.5"}, 200,
         "« 2.5 » n'est pas un nombre entier."),
    Case("weights-huge-integer", "number", "/scenarios/{s}/ponderations", {"solver.seed": "9" * 5000}, 200,
         "n'est pas un nombre entier."),
    Case("weights-xss", "xss", "/scenarios/{s}/ponderations", {"travel.speed_kmh": XSS}, 200,
         "n'est pas un nombre."),
    # --- markets: one by hand, or a file ------------------------------------------------------------------
    Case("market-unknown-commune", "commune", "/scenarios/{s}/marches", {**MARKET, "m-insee_com": "75056"}, 200,
         "n'est pas une commune du territoire du scénario"),
    Case("market-unknown-weekday", "choice", "/scenarios/{s}/marches", {**MARKET, "m-weekday": "octidi"}, 200,
         "N'est pas un choix valide"),
    Case("market-long-time", "huge", "/scenarios/{s}/marches", {**MARKET, "m-time_of_day": "8h" * 51}, 200,
         "ne peut pas contenir plus de 100 caractères"),
    Case("market-long-place", "huge", "/scenarios/{s}/marches", {**MARKET, "m-place": "p" * 201}, 200,
         "ne peut pas contenir plus de 200 caractères"),
    Case("market-nul-place", "nul", "/scenarios/{s}/marches", {**MARKET, "m-place": "Place\x00"}, 400,
         "caractère nul"),
    Case("market-file-unknown-commune", "upload", "/scenarios/{s}/marches", {}, 200, "99999",
         {"u-file": ("marches.csv", csv("insee_com;weekday\n18033;mardi\n99999;jeudi\n"))}),
    Case("market-file-bad-weekday", "upload", "/scenarios/{s}/marches", {}, 200, "octidi",
         {"u-file": ("marches.csv", csv("insee_com;weekday\n18033;octidi\n"))}),
    Case("market-file-zip-as-csv", "upload-type", "/scenarios/{s}/marches", {}, 415,
         "contient une archive ZIP", {"u-file": ("marches.csv", fake_xlsx())}),
    Case("market-file-text-as-xlsx", "upload-type", "/scenarios/{s}/marches", {}, 415,
         "n'est pas un classeur Excel", {"u-file": ("marches.xlsx", csv("insee_com;weekday\n18033;mardi\n"))}),
    Case("market-file-zip-as-xlsx", "upload-type", "/scenarios/{s}/marches", {}, 415,
         "n'est pas un classeur Excel", {"u-file": ("marches.xlsx", fake_xlsx())}),
    Case("market-file-empty", "upload-type", "/scenarios/{s}/marches", {}, 415, "« marches.csv » est vide.",
         {"u-file": ("marches.csv", b"")}),
    Case("market-file-nul-bytes", "upload-type", "/scenarios/{s}/marches", {}, 415, "octets nuls",
         {"u-file": ("marches.csv", b"insee_com;weekday\n18033;mar\x00di\n")}),
    Case("market-file-too-big", "upload-size", "/scenarios/{s}/marches", {}, 413, "Un envoi ne peut pas dépasser 5 Mo.",
         {"u-file": ("marches.csv", b"insee_com;weekday\n" + b"18033;mardi\n" * 500_000)}),
    Case("market-file-missing", "upload", "/scenarios/{s}/marches", {}, 200, "Choisissez un fichier.", {}),
    # --- requests: files only -------------------------------------------------------------------------------
    Case("requests-unknown-commune", "upload", "/scenarios/{s}/demandes", {}, 200, "99999",
         {"u-file": ("demandes.csv", csv(REQUESTS_HEADER + "99999;2027-01-05;2027-01-15;1;must;Mairie\n"))}),
    Case("requests-end-before-start", "upload", "/scenarios/{s}/demandes", {}, 200, "la fin précède le début",
         {"u-file": ("demandes.csv", csv(REQUESTS_HEADER + "18033;2027-01-15;2027-01-05;1;must;Mairie\n"))}),
    Case("requests-bad-date", "upload", "/scenarios/{s}/demandes", {}, 200, "31/02/2027",
         {"u-file": ("demandes.csv", csv(REQUESTS_HEADER + "18033;31/02/2027;2027-01-15;1;must;Mairie\n"))}),
    Case("requests-zero-days", "upload", "/scenarios/{s}/demandes", {}, 200, "days",
         {"u-file": ("demandes.csv", csv(REQUESTS_HEADER + "18033;2027-01-05;2027-01-15;0;must;Mairie\n"))}),
    Case("requests-nan-days", "upload", "/scenarios/{s}/demandes", {}, 200, "nan",
         {"u-file": ("demandes.csv", csv(REQUESTS_HEADER + "18033;2027-01-05;2027-01-15;nan;must;Mairie\n"))}),
    Case("requests-unknown-priority", "upload", "/scenarios/{s}/demandes", {}, 200, "urgentissime",
         {"u-file": ("demandes.csv", csv(REQUESTS_HEADER + "18033;2027-01-05;2027-01-15;1;urgentissime;Mairie\n"))}),
    Case("requests-no-dates", "upload", "/scenarios/{s}/demandes", {}, 200, "colonnes de dates absentes",
         {"u-file": ("demandes.csv", csv("insee_com;host_site\n18033;Mairie\n"))}),
    Case("requests-empty-windows", "upload", "/scenarios/{s}/demandes", {}, 200, "période obligatoire manquante",
         {"u-file": ("demandes.csv", csv("insee_com;windows;priority\n18033;;;;must\n"))}),
    Case("requests-xlsx-cover-sheet", "upload", "/scenarios/{s}/demandes", {}, 200, "insee_com",
         {"u-file": ("demandes.xlsx", xlsx([["commune", "début"], ["Bourges", "2027-01-05"]], cover=True))}),
    Case("requests-xlsx-unknown-commune", "upload", "/scenarios/{s}/demandes", {}, 200, "99999",
         {"u-file": ("demandes.xlsx", xlsx([["insee_com", "start", "end"], ["99999", "2027-01-05", "2027-01-15"]]))}),
    Case("requests-png-as-csv", "upload-type", "/scenarios/{s}/demandes", {}, 415, "contient une image PNG",
         {"u-file": ("demandes.csv", b"\x89PNG\r\n\x1a\n")}),
    Case("requests-old-excel", "upload-type", "/scenarios/{s}/demandes", {}, 200, "format non pris en charge",
         {"u-file": ("demandes.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")}),
    Case("requests-nul-file-name", "upload-type", "/scenarios/{s}/demandes", {}, 200, "format non pris en charge",
         {"u-file": ("demandes.csv\x00.exe", csv(REQUESTS_HEADER))}),
    # --- pins and forbids ------------------------------------------------------------------------------------
    Case("pin-unknown-commune", "commune", "/scenarios/{s}/regles", {**PIN, "p-insee": "75056"}, 200,
         "n'est pas une commune du territoire du scénario"),
    Case("pin-commune-xss", "xss", "/scenarios/{s}/regles", {**PIN, "p-insee": XSS}, 200,
         "n'est pas une commune du territoire du scénario"),
    Case("pin-bad-date", "date", "/scenarios/{s}/regles", {**PIN, "p-date": "32/01/2027"}, 200,
         "« 32/01/2027 » n'est pas une date jj/mm/aaaa."),
    Case("pin-empty-date", "date", "/scenarios/{s}/regles", {**PIN, "p-date": ""}, 200, "Saisissez une date."),
    Case("pin-unknown-vehicle", "choice", "/scenarios/{s}/regles", {**PIN, "p-vehicle": "Fantôme"}, 200,
         "N'est pas un choix valide"),
    Case("forbid-unknown-commune", "commune", "/scenarios/{s}/regles", {**FORBID, "f-insee": "2A004"}, 200,
         "n'est pas une commune du territoire du scénario"),
    Case("forbid-bad-date", "date", "/scenarios/{s}/regles", {**FORBID, "f-date": "demain"}, 200,
         "« demain » n'est pas une date jj/mm/aaaa."),
    Case("forbid-nul-date", "nul", "/scenarios/{s}/regles", {**FORBID, "f-date": "08/01/2027\x00"}, 400,
         "caractère nul"),
    # --- rows, plans and jobs ---------------------------------------------------------------------------------
    Case("delete-row-out-of-range", "object", "/scenarios/{s}/marches/7/supprimer", {}, 404, "Page introuvable"),
    Case("delete-row-unknown-list", "object", "/scenarios/{s}/vehicules/0/supprimer", {}, 404, "Page introuvable"),
    Case("selection-malformed-stop", "text", "/plans/{p}/selection", {"action": "pin", "stop": "pas|un"}, 400,
         "Requête refusée"),
    Case("selection-bad-date", "date", "/plans/{p}/selection", {"action": "pin", "stop": "31/02/2027|Bus|18033"},
         400, "Requête refusée"),
    pytest.param(Case("selection-unknown-commune", "commune", "/plans/{p}/selection",
                      {"action": "pin", "stop": "2027-01-06|Bus|99999"}, 400, "Requête refusée")),
    pytest.param(Case("selection-forbid-xss", "xss", "/plans/{p}/selection",
                      {"action": "forbid", "stop": f"2027-01-06|Bus|{XSS}"}, 400, "Requête refusée")),
    Case("selection-unknown-action", "choice", "/plans/{p}/selection",
         {"action": "exploser", "stop": "2027-01-05|Bus|18033"}, 302, ""),
    Case("evaluate-wrong-type", "upload-type", "/scenarios/{s}/evaluer", {}, 422, "format non pris en charge",
         {"e-file": ("tournee.txt", csv("date;insee\n"))}),
    Case("evaluate-no-stop", "upload", "/scenarios/{s}/evaluer", {}, 422, "tournee.csv",
         {"e-file": ("tournee.csv", csv("date;vehicle;insee_com\n"))}),
    Case("evaluate-missing-file", "upload", "/scenarios/{s}/evaluer", {}, 422, "Choisissez un fichier.", {}),
    Case("compare-not-a-number", "object", "/plans/{p}/comparer?avec=abc", None, 302, ""),
    Case("compare-unknown-plan", "object", "/plans/{p}/comparer?avec=999999", None, 404, "Page introuvable"),
    Case("download-unknown-format", "object", "/plans/{p}/saison.exe", None, 404, "Page introuvable"),
    Case("job-unknown", "object", "/calculs/999999/annuler", {}, 404, "Page introuvable"),
    Case("login-nul-email", "nul", "/connexion", {"email": "alice@example.org\x00", "password": "x"}, 400,
         "caractère nul"),
]


def pytest_generate_tests(metafunc):
    """Every case on SQLite and on PostgreSQL (which, unlike SQLite, refuses NUL characters in text)."""
    if "database" in metafunc.fixturenames:
        metafunc.parametrize("database", ["sqlite", "postgresql"], indirect=True)


def snapshot(app, scenario_id: int) -> tuple:
    with app.app_context():
        scenario = db.session.get(Scenario, scenario_id)
        counts = tuple(db.session.scalar(db.select(db.func.count()).select_from(model))
                       for model in (Scenario, SolveJob, PlanRecord, Publication))
        return scenario.name, scenario.spec, counts


@pytest.fixture
def four_communes(app, users):
    """Alice's four-commune scenario with a market, a pin, a plan and a finished job."""
    spec = four_communes_spec(markets=[{"insee_com": "18033", "weekday": "samedi"}],
                              pins=[{"date": "2027-01-12", "insee": "18145"}])
    scenario_id = add_scenario(app, users["alice"], spec)
    with app.app_context():
        job = SolveJob(owner_id=users["alice"], scenario_id=scenario_id, spec=spec, status="done")
        db.session.add(job)
        db.session.flush()
        data = planning.evaluate_upload(spec, "t.csv", b"date;insee_com\n2027-01-06;18145\n2027-01-13;18223\n")
        plan = PlanRecord(owner_id=users["alice"], scenario_id=scenario_id, job_id=job.id, data=data,
                          **planning.plan_summary(data))
        db.session.add(plan)
        db.session.commit()
        return {"s": scenario_id, "p": plan.id, "j": job.id}


def _id(case) -> str:
    return (case.values[0] if hasattr(case, "values") else case).id


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_four_communes_hostile_form_value_is_refused_in_french_and_stores_nothing(case, app, logged, four_communes):
    before = snapshot(app, four_communes["s"])
    url = case.url.format(**four_communes)
    if case.data is None:
        response = logged.get(url)
    else:
        data = {"csrf_token": logged.token, **case.data}
        for name, (filename, content) in case.files.items():
            data[name] = (io.BytesIO(content), filename)
        response = logged.post(url, data=data, content_type="multipart/form-data" if case.files else None)
    raw = response.get_data(as_text=True)
    page = html.unescape(raw)
    assert response.status_code == case.status, page[:3000]
    assert case.message in page, page[:3000]
    assert "Traceback" not in page and "<script>window.__xss" not in raw and "<img src=x" not in raw
    assert snapshot(app, four_communes["s"]) == before


def test_the_corpus_has_at_least_fifty_cases_of_every_kind():
    kinds = {(c.values[0] if hasattr(c, "values") else c).kind for c in CASES}
    assert len(CASES) >= 50
    assert {"text", "huge", "nul", "xss", "date", "number", "choice", "commune", "upload", "upload-type",
            "upload-size", "object"} <= kinds
