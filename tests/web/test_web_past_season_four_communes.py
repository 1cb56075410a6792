"""A past season kept outside Tournée, imported on the four-commune scenario's page
(tests/web/conftest.py: Bourges, Menetou-Salon, Saint-Martin-d'Auxigny, Nérondes, 5-15/01/2027).

Nérondes held seven workshops in January 2026 and 150 seniors came (six full days of 24 and one
of 6): the model's pool for Nérondes, 150,5 seniors who would come, is spent to 0,5. The next
solve expects 2,7 participants at a Nérondes stop without that history and 0,5 with it."""

from __future__ import annotations

import copy
import datetime as dt
import html
import io

import openpyxl

from tests.web.conftest import add_scenario, four_communes_spec
from tests.web.test_web_four_communes_solve import consumer, solve_through_the_queue  # noqa: F401 - fixture
from web.extensions import db
from web.models import PlanRecord, Scenario

NERONDES = "18160"
PAST_SEASON = ("date;commune;participants;statut;inscrits;liste_attente;raison\n"
               + "".join(f"{day}/01/2026;Nérondes;24;tenu;24;;\n" for day in ("07", "08", "09", "12", "13", "14"))
               + "15/01/2026;18160;6;;;;\n"
               + "16/01/2026;Bourges;;annulé;;;neige\n").encode()
BAD = ("date;commune;participants;statut\n"
       "07/01/2026;Paris;3;\n"  # not in the territory
       "32/01/2026;Nérondes;4;\n"  # no such date
       "08/01/2026;18033;-2;\n"  # a negative count
       "09/01/2026;18145;5;annulé\n").encode()  # a cancelled stop with participants


def _upload(logged, scenario_id: int, data: bytes, name: str = "saison-2026.csv"):
    return logged.post(f"/scenarios/{scenario_id}/saison-passee",
                       data={"csrf_token": logged.token, "h-file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _history(app, scenario_id: int) -> list:
    with app.app_context():
        return db.session.get(Scenario, scenario_id).spec.get("history", [])


def _page(logged, scenario_id: int) -> str:
    return html.unescape(logged.get(f"/scenarios/{scenario_id}").get_data(as_text=True))


def test_a_past_season_file_becomes_the_history_and_the_page_says_what_it_changes(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    assert "Aucune saison passée" in _page(logged, scenario_id)
    response = _upload(logged, scenario_id, PAST_SEASON)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/scenarios/{scenario_id}#saison-passee")
    history = _history(app, scenario_id)
    assert [(r["insee_com"], r["statut"], r["participants"]) for r in history][-2:] == [
        (NERONDES, "tenu", "6"), ("18033", "annulé", "")]  # names read as INSEE codes, a cancelled day kept
    page = _page(logged, scenario_id)
    assert "Saison passée importée : 7 arrêts tenus, 150 participants" in page  # the flash
    assert "Saison passée 2026 : 150 participants dans 1 commune, retirés du vivier" in page  # before any solve
    assert "Nérondes : 150 participants en 2026 : vivier réduit (150,5 → 0,5 seniors qui viendraient)" in page
    assert "Saison passée</dt><dd>7 arrêts tenus" in page

    # A workbook replaces it (not added to it): one Bourges day, a title above the header, a date cell.
    book = openpyxl.Workbook()
    book.active.append(["Bus numérique, saison 2025-2026 (tenue à la main)"])
    book.active.append(["Date", "Commune", "Participants"])
    book.active.append([dt.date(2026, 1, 8), 18033, 20])
    data = io.BytesIO()
    book.save(data)
    assert _upload(logged, scenario_id, data.getvalue(), "bilan 2025-2026.xlsx").status_code == 302
    assert [(r["insee_com"], r["participants"]) for r in _history(app, scenario_id)] == [("18033", "20")]
    page = _page(logged, scenario_id)
    assert "Saison passée remplacée : 1 arrêt tenu, 20 participants" in page and "Nérondes : 150" not in page

    response = logged.post(f"/scenarios/{scenario_id}/saison-passee/supprimer", data={"csrf_token": logged.token})
    assert response.status_code == 302
    assert _history(app, scenario_id) == []
    page = _page(logged, scenario_id)
    assert "Saison passée retirée" in page and "Aucune saison passée" in page and "Saison passée</dt>" not in page


def test_a_bad_past_season_file_is_refused_whole_and_the_history_stays(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    assert _upload(logged, scenario_id, PAST_SEASON).status_code == 302
    before = _history(app, scenario_id)
    response = _upload(logged, scenario_id, BAD, "faux.csv")
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "La saison passée n'a pas été importée : 4 problèmes" in page and "Rien n'a été enregistré" in page
    rows = page.split("Problèmes par ligne et colonne", 1)[1].split("</table>", 1)[0]
    for row, column, value, message in ((2, "commune", "Paris", "commune inconnue du territoire"),
                                        (3, "date", "32/01/2026", "date invalide"),
                                        (4, "participants", "-2", "doit être au moins 0"),
                                        (5, "participants", "5", "un arrêt annulé n'a pas de participants")):
        assert f"<tr><td>faux.csv</td><td>{row}</td><td>{column}</td><td>« {value} »</td><td>{message}" in rows
    assert _history(app, scenario_id) == before  # nothing stored
    assert "Nérondes : 150 participants en 2026" in page  # the page still says what the kept one changes

    # A file of cancellations only, or of another format, changes nothing either.
    cancelled = b"date;commune;participants;statut\n07/01/2026;18160;;annul\xc3\xa9\n"
    response = _upload(logged, scenario_id, cancelled)
    assert response.status_code == 422 and "aucun arrêt tenu dans le fichier" in html.unescape(response.get_data(as_text=True))
    response = _upload(logged, scenario_id, b"date,commune", "saison.ods")
    assert response.status_code == 422 and "format non pris en charge" in html.unescape(response.get_data(as_text=True))
    assert _history(app, scenario_id) == before


def test_the_next_solve_takes_the_past_season_out_of_nerondes_pool(logged, app, users, consumer):  # noqa: F811
    without = add_scenario(app, users["alice"])
    with_history = add_scenario(app, users["alice"], copy.deepcopy(four_communes_spec(name="Avec la saison passée")))
    assert _upload(logged, with_history, PAST_SEASON).status_code == 302

    def nerondes(scenario_id: int) -> tuple[float, float]:
        _job, plan_id = solve_through_the_queue(logged, app, scenario_id)
        with app.app_context():
            stops = db.session.get(PlanRecord, plan_id).data["stops"]
        came = sum(share for s in stops for code, _name, share in s["origins"] if code == NERONDES)
        value = sum(s["value"] for s in stops if s["insee"] == NERONDES)
        return came, value

    plain_came, plain_value = nerondes(without)
    came, value = nerondes(with_history)
    assert plain_came > 2 and came < 1  # 150,5 seniors who would come in Nérondes, 0,5 once 150 came
    assert value < plain_value
