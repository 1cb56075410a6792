"""The plan page of a hand-made four-commune tour: the request it leaves unserved with its reason,
the season calendar with closures, the figures, and the map drawn once per plan."""

from __future__ import annotations

import io

from tests.web.conftest import add_scenario, four_communes_spec
from web import plans

# Menetou-Salon asks for Monday 11/01/2027: the bus works Tuesday to Friday, the tour never goes there
REQUEST = {"request_id": "D-LUNDI", "insee_com": "18145", "start": "2027-01-11", "end": "2027-01-11", "priority": "should",
           "status": "accepted"}
TOUR = b"date;insee_com\n2027-01-06;18160\n2027-01-13;18223\n"


def test_a_four_commune_tour_shows_its_unserved_request_with_the_reason(logged, app, users):
    scenario_id = add_scenario(app, users["alice"], four_communes_spec(requests=[REQUEST], closed=["2027-01-08"]))
    response = logged.post(f"/scenarios/{scenario_id}/evaluer", data={"csrf_token": logged.token,
                                                                      "e-file": (io.BytesIO(TOUR), "t.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    plan_url = response.headers["Location"]
    page = logged.get(plan_url).get_data(as_text=True)
    unserved = page.split('id="demandes"', 1)[1].split("</section>", 1)[0]
    assert "D-LUNDI" in unserved and "Menetou-Salon" in unserved and "souhaitée" in unserved
    assert "Toutes les demandes" not in unserved
    assert "Demandes servies</dt><dd><a href=\"#demandes\">0 sur 1</a>" in page
    assert "Nérondes" in page and "Saint-Martin-d&#39;Auxigny" in page
    assert "S01" in page and "S02" in page and "mer. 06/01/2027" in page
    assert "fermeture (date saisie)" in page  # the closed Friday in the calendar
    assert "Valeur du plan" in page and "Tournée évaluée telle quelle" in page
    assert "n'est donné que pour un plan calculé" in page


def test_the_map_of_a_four_commune_tour_is_drawn_once(logged, app, users, monkeypatch):
    scenario_id = add_scenario(app, users["alice"])
    response = logged.post(f"/scenarios/{scenario_id}/evaluer", data={"csrf_token": logged.token,
                                                                      "e-file": (io.BytesIO(TOUR), "t.csv")},
                           content_type="multipart/form-data")
    plan_url = response.headers["Location"]
    assert "Tournée évaluée" in logged.get(plan_url).get_data(as_text=True)  # the page with its flash message
    drawn = []
    real = plans.planning.season_map_svg
    monkeypatch.setattr(plans.planning, "season_map_svg", lambda *a, **k: drawn.append(1) or real(*a, **k))
    first = logged.get(plan_url).get_data(as_text=True)
    second = logged.get(plan_url).get_data(as_text=True)
    svg = logged.get(plan_url + "/carte.svg")
    assert drawn == [] and "<svg" in first and first == second  # drawn by the first visit, kept since
    assert svg.mimetype == "image/svg+xml" and svg.get_data(as_text=True) in first
