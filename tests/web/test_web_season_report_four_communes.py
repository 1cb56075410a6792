"""The « Bilan de saison » of a published four-commune tour (tests/web/conftest.py): Nérondes
(18160) on Wed 06/01/2027, Saint-Martin-d'Auxigny (18223) on Wed 13/01/2027, and Bourges (18033)
on Thu 14/01/2027. The planner imports the outcomes kept by hand: Nérondes held (16 came, 18
signed up), Saint-Martin-d'Auxigny cancelled (« neige »), Bourges held full (24, 3 waiting).
The page, the workbook and ``run.py report`` give the same figures."""

from __future__ import annotations

import html
import io
import json
import re

import openpyxl

from planner.cli import main
from tests.web.conftest import add_scenario
from web.extensions import db
from web.models import PlanRecord, Scenario

TOUR = b"date;insee_com\n2027-01-06;18160\n2027-01-13;18223\n2027-01-14;18033\n"
OUTCOMES = ("date;commune;participants;statut;inscrits;liste_attente;raison\n"
            "06/01/2027;Nérondes;16;tenu;18;;\n"
            "13/01/2027;18223;;annulé;;;neige\n"
            "14/01/2027;Bourges;24;tenu;24;3;\n").encode()


def _plan(logged, app, users, *, publish: bool = True) -> int:
    scenario_id = add_scenario(app, users["alice"])
    response = logged.post(f"/scenarios/{scenario_id}/evaluer", data={"csrf_token": logged.token,
                                                                      "e-file": (io.BytesIO(TOUR), "t.csv")},
                           content_type="multipart/form-data")
    plan_id = int(response.headers["Location"].rsplit("/", 1)[1])
    if publish:
        assert logged.post(f"/plans/{plan_id}/publier", data={"csrf_token": logged.token}).status_code == 302
    return plan_id


def _summary(page: str) -> dict[str, tuple[str, str]]:
    table = page.split('class="list figures bilan-summary"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td>', table)
    return {html.unescape(label): (html.unescape(a), html.unescape(b)) for label, a, b in rows}


def test_the_report_page_workbook_and_command_line_agree(logged, app, users, tmp_path, capsys):
    plan_id = _plan(logged, app, users)
    assert "Bilan de saison" in logged.get(f"/plans/{plan_id}").get_data(as_text=True)  # linked from the plan
    form = {"csrf_token": logged.token, "cost": "650", "format": "page", "file": (io.BytesIO(OUTCOMES), "bilan.csv")}
    response = logged.post(f"/plans/{plan_id}/bilan", data=form, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"] == f"/plans/{plan_id}/bilan?cout=650"
    response = logged.get(response.headers["Location"])
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    page = response.get_data(as_text=True)
    assert "<script" not in page  # printable without any script
    summary = _summary(page)
    # 3 planned, 2 held (16 + 24 = 40 came for 48 places: 83 %), 1 cancelled; 2 days x 650 € for 40.
    assert summary["Arrêts"] == ("3", "2")
    assert summary["Arrêts annulés"] == ("—", "1") and summary["Liste d'attente"] == ("—", "3")
    assert summary["Participants (attendus / venus)"][1] == "40" and summary["Taux de remplissage"][1] == "83 %"
    assert summary["Coût par participant"][1] == "32,50 €"
    assert "neige : 1 arrêt" in page and page.count("<svg") == 3

    form = {"csrf_token": logged.token, "cost": "650", "format": "xlsx"}  # the file sent above is kept
    book = logged.post(f"/plans/{plan_id}/bilan", data=form, content_type="multipart/form-data")
    assert book.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(book.data))["Bilan"]
    cells = {r[0]: (r[1], r[2]) for r in sheet.iter_rows(values_only=True) if r[0] in summary}
    assert set(cells) == set(summary)

    with app.app_context():
        data = db.session.get(PlanRecord, plan_id).data
    (tmp_path / "saison.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "bilan.csv").write_bytes(OUTCOMES)
    command = ["report", "--season", str(tmp_path / "saison.json"), "--outcomes", str(tmp_path / "bilan.csv"),
               "--cost-per-day", "650"]
    assert main(command) == 0
    printed = capsys.readouterr().out.splitlines()
    for label, (planned, held) in summary.items():  # the page's figures, as the command line prints them
        line = next(line for line in printed if line.startswith(label + " "))
        assert line[len(label):].split() == f"{planned} {held}".split(), (label, line)
    assert main([*command, "--json"]) == 0
    figures = {r["label"]: (r["planned"], r["held"]) for r in json.loads(capsys.readouterr().out)["summary"]}
    assert cells == {label: tuple("—" if v is None else v for v in pair) for label, pair in figures.items()}


def test_a_draft_has_no_report_and_a_bad_file_is_refused_whole(logged, app, users):
    draft = _plan(logged, app, users, publish=False)
    assert logged.get(f"/plans/{draft}/bilan").status_code == 404
    plan_id = _plan(logged, app, users)
    bad = b"date;commune;participants\n06/01/2027;Paris;3\n2027-01-14;18033;-1\n"
    response = logged.post(f"/plans/{plan_id}/bilan", data={"csrf_token": logged.token, "format": "page",
                                                            "file": (io.BytesIO(bad), "faux.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Paris" in page and "commune inconnue du territoire" in page and "doit être au moins 0" in page
    assert _summary(response.get_data(as_text=True))["Arrêts sans bilan saisi"] == ("—", "3")  # nothing kept


def test_a_new_scenario_starts_from_the_past_season(logged, app, users):
    plan_id = _plan(logged, app, users)
    response = logged.post(f"/plans/{plan_id}/nouvelle-saison", data={"csrf_token": logged.token,
                                                                      "file": (io.BytesIO(OUTCOMES), "bilan.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    scenario_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        scenario = db.session.get(Scenario, scenario_id)
        assert scenario.name == "Quatre communes · saison suivante"
        history = scenario.spec["history"]
    assert [(r["insee_com"], r["statut"], r["participants"]) for r in history] == [
        ("18160", "tenu", "16"), ("18223", "annulé", ""), ("18033", "tenu", "24")]
    page = html.unescape(logged.get(f"/scenarios/{scenario_id}").get_data(as_text=True))
    assert "2 arrêts tenus" in page  # the flash message
    assert "Saison passée</dt><dd>2 arrêts tenus : leurs participants quittent le vivier" in page  # the summary


def test_the_next_seasons_plan_says_what_the_past_season_changed(logged, app, users):
    plan_id = _plan(logged, app, users)
    response = logged.post(f"/plans/{plan_id}/nouvelle-saison", data={"csrf_token": logged.token,
                                                                      "file": (io.BytesIO(OUTCOMES), "bilan.csv")},
                           content_type="multipart/form-data")
    scenario_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():  # the planner sets the new season's dates
        scenario = db.session.get(Scenario, scenario_id)
        scenario.spec = {**scenario.spec, "start": "2028-01-04", "end": "2028-01-28"}
        db.session.commit()
    tour = b"date;insee_com\n2028-01-05;18160\n2028-01-12;18033\n"
    response = logged.post(f"/scenarios/{scenario_id}/evaluer", data={"csrf_token": logged.token,
                                                                      "e-file": (io.BytesIO(tour), "t.csv")},
                           content_type="multipart/form-data")
    page = html.unescape(logged.get(response.headers["Location"]).get_data(as_text=True))
    assert "Saison passée 2027 : 40 participants dans 2 communes" in page
    assert "Nérondes : 16 participants en 2027 : vivier réduit (" in page
    assert "Bourges : 24 participants en 2027 : vivier réduit (" in page and "complet avec liste d'attente (3)" in page
