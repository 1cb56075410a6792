"""The outcomes file imported on a published plan's « Bilan de saison » is kept for that plan: a
later visit, the workbook and « nouvelle saison » read it again; a file with problems changes
nothing; the planner can remove it. On the four-commune tour of
test_web_season_report_four_communes (Nérondes 16 came, Saint-Martin-d'Auxigny cancelled,
Bourges 24 came with 3 waiting), and on a Menetou-Salon and Bourges season whose stops the team
recorded before the file came (the file's stops win, stop by stop)."""

from __future__ import annotations

import datetime as dt
import html
import io

import openpyxl
import pytest

from tests.web.conftest import four_communes_spec
from tests.web.public_helpers import publish
from tests.web.test_web_season_report_four_communes import OUTCOMES, _plan, _summary
from web.extensions import db
from web.models import ImportedOutcomes, Scenario

pytestmark = pytest.mark.both_databases  # the kept file is a row of its own table: SQLite and PostgreSQL

BAD = ("date;commune;participants;statut\n"
       "06/01/2027;Paris;3;\n"
       "14/01/2027;18033;-1;\n"
       "13/01/2027;18223;4;annulé\n").encode()


def _send(logged, plan_id: int, data: bytes | None, name: str = "bilan.csv", **fields):
    form = {"csrf_token": logged.token, "format": "page", **fields}
    if data is not None:
        form["file"] = (io.BytesIO(data), name)
    return logged.post(f"/plans/{plan_id}/bilan", data=form, content_type="multipart/form-data")


def _kept(app, plan_id: int):
    with app.app_context():
        kept = db.session.scalar(db.select(ImportedOutcomes).filter_by(plan_id=plan_id))
        return None if kept is None else (kept.filename, kept.rows)


def test_the_imported_file_is_kept_for_the_page_the_workbook_and_the_next_season(logged, app, users):
    plan_id = _plan(logged, app, users)
    assert _send(logged, plan_id, OUTCOMES).status_code == 302
    page = logged.get(f"/plans/{plan_id}/bilan").get_data(as_text=True)  # a later visit, no file sent
    summary = _summary(page)
    assert summary["Arrêts"] == ("3", "2") and summary["Participants (attendus / venus)"][1] == "40"
    text = html.unescape(page)
    assert "3 arrêts du fichier « bilan.csv » enregistrés pour ce plan" in text  # the flash
    assert "Fichier importé : « bilan.csv »" in text and "Retirer ce fichier du bilan" in text

    book = logged.post(f"/plans/{plan_id}/bilan", data={"csrf_token": logged.token, "format": "xlsx"},
                       content_type="multipart/form-data")
    sheet = openpyxl.load_workbook(io.BytesIO(book.data))["Bilan"]
    cells = {r[0]: r[2] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert cells["Arrêts"] == 2 and cells["Participants (attendus / venus)"] == 40

    response = logged.post(f"/plans/{plan_id}/nouvelle-saison", data={"csrf_token": logged.token},
                           content_type="multipart/form-data")
    with app.app_context():
        history = db.session.get(Scenario, int(response.headers["Location"].rsplit("/", 1)[1])).spec["history"]
    assert [(r["insee_com"], r["statut"], r["participants"]) for r in history] == [
        ("18160", "tenu", "16"), ("18223", "annulé", ""), ("18033", "tenu", "24")]


def test_a_bad_file_changes_nothing_and_the_kept_one_can_be_removed(logged, app, users):
    plan_id = _plan(logged, app, users)
    assert _send(logged, plan_id, OUTCOMES).status_code == 302
    kept = _kept(app, plan_id)
    response = _send(logged, plan_id, BAD, "faux.csv")
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Le fichier n'a pas été pris en compte : 3 problèmes" in page
    assert "le bilan reste celui du fichier « bilan.csv »" in page
    for row, column, value, message in ((2, "commune", "Paris", "commune inconnue du territoire"),
                                        (3, "participants", "-1", "doit être au moins 0"),
                                        (4, "participants", "4", "un arrêt annulé n'a pas de participants")):
        assert f"<tr><td>faux.csv</td><td>{row}</td><td>{column}</td><td>{value}</td><td>{message}" in page
    assert _kept(app, plan_id) == kept  # nothing changed
    assert _summary(logged.get(f"/plans/{plan_id}/bilan").get_data(as_text=True))["Arrêts"] == ("3", "2")
    # a bad cost refuses a good file too: nothing kept from that post
    assert _send(logged, plan_id, OUTCOMES.replace(b";16;", b";15;"), cost="beaucoup").status_code == 422
    assert _kept(app, plan_id) == kept

    response = logged.post(f"/plans/{plan_id}/bilan/fichier/supprimer", data={"csrf_token": logged.token})
    assert response.status_code == 302 and _kept(app, plan_id) is None
    page = logged.get(f"/plans/{plan_id}/bilan").get_data(as_text=True)
    assert "Fichier « bilan.csv » retiré du bilan" in html.unescape(page)
    assert _summary(page)["Arrêts sans bilan saisi"] == ("—", "3") and "Fichier importé" not in page
    assert logged.post(f"/plans/{plan_id}/bilan/fichier/supprimer", data={}).status_code == 400  # no CSRF token


def test_the_file_replaces_what_the_team_recorded_stop_by_stop_and_only_there(logged, app, users):
    """Menetou-Salon (18145) 3 days ago and Bourges (18033) 2 days ago: the team records 8 and 10
    participants; the file gives Bourges 12. The report counts 8 + 12 = 20, then 18 without the file."""
    today = dt.date.today()
    menetou, bourges = today - dt.timedelta(days=3), today - dt.timedelta(days=2)
    spec = four_communes_spec(start=menetou.isoformat(), end=(today + dt.timedelta(days=20)).isoformat())
    scenario_id, plan_id = publish(app, users["alice"], spec, [(menetou.isoformat(), "18145"),
                                                               (bourges.isoformat(), "18033")])
    for day, insee, came in ((menetou, "18145", "8"), (bourges, "18033", "10")):
        answer = logged.post(f"/scenarios/{scenario_id}/saison-en-cours/arret",
                             data={"csrf_token": logged.token, "stop": f"{day.isoformat()}|bus|{insee}",
                                   "w0_participants": came, "w0_status": "held", "w1_participants": "0", "w1_status": "held"})
        assert answer.status_code == 302
    participants = "Participants (attendus / venus)"
    assert _summary(logged.get(f"/plans/{plan_id}/bilan").get_data(as_text=True))[participants][1] == "18"
    assert _send(logged, plan_id, f"date;commune;participants\n{bourges:%d/%m/%Y};Bourges;12\n".encode()).status_code == 302
    assert _summary(logged.get(f"/plans/{plan_id}/bilan").get_data(as_text=True))[participants][1] == "20"
    logged.post(f"/plans/{plan_id}/bilan/fichier/supprimer", data={"csrf_token": logged.token})
    assert _summary(logged.get(f"/plans/{plan_id}/bilan").get_data(as_text=True))[participants][1] == "18"
