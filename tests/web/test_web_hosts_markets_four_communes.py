"""Hosts and markets in the web app, on the four-commune scenario (Bourges, Menetou-Salon,
Saint-Martin-d'Auxigny, Nérondes): a planner sets Menetou-Salon's usual host site and corrects its
mairie's hours (spec.hosts), and the plan page, the public page, the notice and the calendar say the
same place; the shipped markets « à confirmer » are confirmed, corrected or rejected one by one, and
turned off for the scenario; the plan page counts the stops on a market day and names the
unconfirmed markets they use."""

from __future__ import annotations

import html
import io

import icalendar

from tests.web.conftest import add_scenario, four_communes_spec
from tests.web.public_helpers import publish
from web import planning
from web.extensions import db
from web.models import Scenario

MENETOU, NERONDES, SAINT_MARTIN = "18145", "18160", "18223"
SALLE = "Salle des fêtes, 2 place de l'Église, 18510 Menetou-Salon"


def spec_of(app, scenario_id: int) -> dict:
    with app.app_context():
        return db.session.get(Scenario, scenario_id).spec


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def post_host(logged, scenario_id: int, **values):
    data = {"csrf_token": logged.token, "insee_com": MENETOU, "site": "", "address": "", "lat": "", "lon": "", "hours": ""}
    return logged.post(f"/scenarios/{scenario_id}/accueil", data=data | values)


def market(spec: dict, insee: str, weekday: int | None) -> dict | None:
    return next((m for m in planning.scenario_markets(spec) if m["insee"] == insee and m["weekday"] == weekday), None)


def test_menetou_usual_site_reaches_plan_page_commune_page_notice_and_calendar(logged, client, app, users):
    scenario_id = add_scenario(app, users["alice"])
    assert "Mairie, 12 rue de la Mairie, 18510 Menetou-Salon — à confirmer" in text(
        logged.get(f"/scenarios/{scenario_id}/accueil"))  # the directory's mairie, until the planner says
    saved = post_host(logged, scenario_id, site="Salle des fêtes", address="2 place de l'Église, 18510 Menetou-Salon",
                      lat="47,2316", lon="2,4879")
    assert saved.status_code == 302
    spec = spec_of(app, scenario_id)
    assert spec["hosts"] == [{"insee_com": MENETOU, "site": "Salle des fêtes",
                              "address": "2 place de l'Église, 18510 Menetou-Salon", "lat": "47.2316", "lon": "2.4879"}]
    _, plan_id = publish(app, users["alice"], spec, [("2027-01-05", MENETOU)], scenario_id=scenario_id)
    plan_page = text(logged.get(f"/plans/{plan_id}"))
    assert f"Lieu : {SALLE}" in plan_page
    page = text(client.get(f"/communes/{MENETOU}"))
    assert f"Lieu : {SALLE}</p>" in page and "à confirmer" not in page.split("Lieu :")[1].split("</p>")[0]
    assert f"Lieu : {SALLE}" in text(client.get(f"/communes/{MENETOU}/avis/1/2027-01-05"))
    event = next(iter(icalendar.Calendar.from_ical(client.get(f"/communes/{MENETOU}.ics").data).walk("VEVENT")))
    assert str(event["LOCATION"]) == SALLE
    assert (round(event["GEO"].latitude, 4), round(event["GEO"].longitude, 4)) == (47.2316, 2.4879)


def test_menetou_host_corrections_refused_name_field_and_value_and_save_nothing(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    bad = post_host(logged, scenario_id, hours="lundi 9h", lat="91", lon="2,48")
    page = text(bad)
    assert bad.status_code == 422
    assert "Horaires d'ouverture de la mairie : horaires illisibles" in page and "« lundi 9h »" in page
    assert "Latitude (facultative) « 91" in page
    empty = post_host(logged, scenario_id)
    assert empty.status_code == 422 and "Renseignez au moins un lieu" in text(empty)
    assert "hosts" not in spec_of(app, scenario_id) or spec_of(app, scenario_id)["hosts"] == []


def test_menetou_hours_corrected_then_unknown_show_on_the_commune_page_never_as_closed(logged, client, app, users):
    scenario_id = add_scenario(app, users["alice"])
    assert post_host(logged, scenario_id, hours="mardi (14h-18h)").status_code == 302
    assert spec_of(app, scenario_id)["hosts"] == [{"insee_com": MENETOU, "hours": "mardi (14h-18h)"}]
    assert post_host(logged, scenario_id, hours="inconnus").status_code == 302  # replaces, one row per commune
    spec = spec_of(app, scenario_id)
    assert spec["hosts"] == [{"insee_com": MENETOU, "hours": "inconnus"}]
    rows = {r["insee"]: r for r in planning.host_rows(spec)}
    assert rows[MENETOU]["hours"] == "" and rows[NERONDES]["hours"].startswith("mardi (9h-12h")
    publish(app, users["alice"], spec, [("2027-01-05", MENETOU)], scenario_id=scenario_id)
    page = text(client.get(f"/communes/{MENETOU}"))
    assert "horaires inconnus" in page and "fermé" not in page.lower()
    assert "lundi au vendredi (9h-12h" not in page  # the directory's hours, corrected away


def test_menetou_commune_page_lists_nearest_help_and_the_notice_the_mairie_contact_without_email(client, app, users):
    publish(app, users["alice"], four_communes_spec(), [("2027-01-05", MENETOU)])
    page = text(client.get(f"/communes/{MENETOU}"))
    assert "Lieu : Mairie, 12 rue de la Mairie, 18510 Menetou-Salon — à confirmer" in page
    assert "lundi au vendredi (9h-12h ; 14h-16h) ; samedi (9h-12h)" in page
    section = page.split("où trouver de l'aide numérique")[1]
    assert "France services Terres du Haut Berry - Simone Veil" in section and "France Services" in section
    assert "3 route de Méry-ès-bois, 18110 Saint-Martin-d'Auxigny" in section and "9,1 km" in section
    assert "Horaires non renseignés" in section
    notice = text(client.get(f"/communes/{MENETOU}/avis/1/2027-01-05"))
    assert "Mairie de Menetou-Salon :" in notice and "02 48 64 81 21" in notice and "www.menetou-salon.fr" in notice
    for public in (page, notice):
        assert "contact.mairie@menetou-salon.fr" not in public and "@" not in public.split("<body")[1]
    # the calendar says the same place, at the mairie's own position
    event = next(iter(icalendar.Calendar.from_ical(client.get(f"/communes/{MENETOU}.ics").data).walk("VEVENT")))
    assert str(event["LOCATION"]) == "Mairie, 12 rue de la Mairie, 18510 Menetou-Salon — à confirmer"
    assert (round(event["GEO"].latitude, 6), round(event["GEO"].longitude, 6)) == (47.231998, 2.4884)


def test_commune_without_season_still_gets_its_mairie_hours_and_nearest_help(client):
    page = text(client.get(f"/communes/{NERONDES}"))
    assert "Aucun passage n'est publié" in page
    assert "mardi (9h-12h ; 14h-18h)" in page and "où trouver de l'aide numérique" in page
    assert "Lieu habituel des passages" not in page  # no bus planned: no parking place to tell


def test_shipped_markets_are_confirmed_corrected_or_rejected_one_by_one(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    spec = spec_of(app, scenario_id)
    assert market(spec, MENETOU, 6)["status"] == "unconfirmed" and market(spec, NERONDES, 6)["status"] == "unconfirmed"
    page = text(logged.get(f"/scenarios/{scenario_id}/marches"))
    assert "Rejeter le marché Nérondes, samedi" in page and "3 marchés à confirmer" in page

    def review(**values):
        return logged.post(f"/scenarios/{scenario_id}/marches/revue", data={"csrf_token": logged.token, **values})

    assert review(insee_com=MENETOU, weekday="6", action="confirm").status_code == 302
    assert review(insee_com=NERONDES, weekday="6", action="reject").status_code == 302
    assert review(insee_com=SAINT_MARTIN, weekday="7", action="correct", new_weekday="6", month_from="4",
                  month_to="10").status_code == 302
    spec = spec_of(app, scenario_id)
    assert market(spec, MENETOU, 6)["status"] == "confirmed" and market(spec, MENETOU, 6)["place"] == "place de l'église"
    assert market(spec, NERONDES, 6) is None
    assert market(spec, SAINT_MARTIN, 7) is None
    corrected = market(spec, SAINT_MARTIN, 6)
    assert corrected["months"] == [4, 5, 6, 7, 8, 9, 10] and corrected["season"] == "d'avril à octobre"
    assert corrected["status"] == "confirmed"
    assert {r["status"] for r in spec["markets"]} == {"confirmed", "rejected"}
    bad = review(insee_com=MENETOU, weekday="6", action="correct", new_weekday="6", month_from="4", month_to="")
    assert bad.status_code == 422 and "Mois « À » manquant" in text(bad)
    assert review(insee_com=MENETOU, weekday="3", action="confirm").status_code == 404  # no market that day
    page = text(logged.get(f"/scenarios/{scenario_id}/marches"))
    assert "0 marché à confirmer" in page and "rejeté" in page


def test_unconfirmed_markets_turned_off_then_on_for_the_scenario(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    url = f"/scenarios/{scenario_id}/marches/a-confirmer"
    assert logged.post(url, data={"csrf_token": logged.token}).status_code == 302
    spec = spec_of(app, scenario_id)
    assert spec["params"]["rules"] == {"unconfirmed_markets": False}
    assert spec["params"]["solver"] == {"time_limit_s": 1.0, "workers": 1}  # the rest kept
    assert planning.scenario_for(spec).params.rules.unconfirmed_markets is False
    assert logged.post(url, data={"csrf_token": logged.token, "count": "y"}).status_code == 302
    assert "rules" not in spec_of(app, scenario_id)["params"]  # back to the planner's default


def test_plan_page_counts_market_day_stops_and_names_the_unconfirmed_markets_used(logged, app, users):
    spec = four_communes_spec(vehicles=[{"name": "bus", "kind": "bus", "weekdays": "tue,wed,thu,fri,sat"}])
    scenario_id = add_scenario(app, users["alice"], spec)
    upload = "date,insee_com\n2027-01-09,18145\n2027-01-05,18160\n"  # Saturday 9 January: Menetou-Salon's market
    response = logged.post(f"/scenarios/{scenario_id}/evaluer",
                           data={"csrf_token": logged.token, "e-file": (io.BytesIO(upload.encode()), "t.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, text(response)
    page = text(logged.get(response.headers["Location"]))
    figures = page.split("Arrêts un jour de marché")[1].split("</dd>")[0]
    assert "1, dont 1 sur un marché à confirmer" in figures
    assert "Menetou-Salon, samedi 8h-13h, place de l'église — à confirmer" in figures
    assert "Lieu : Mairie, 1 place de l'Hôtel-de-Ville, 18350 Nérondes — à confirmer" in page


def test_accepted_request_site_comes_before_the_usual_site_on_every_public_view(logged, client, app, users):
    spec = four_communes_spec(
        requests=[{"request_id": "R1", "insee_com": MENETOU, "start": "2027-01-05", "end": "2027-01-15", "days": "1",
                   "priority": "must", "requester": "Mairie de Menetou-Salon", "host_site": "Parking de la mairie",
                   "contact": "claire@menetou.example", "note": "clé chez la secrétaire"}],
        hosts=[{"insee_com": MENETOU, "site": "Salle des fêtes", "address": "2 place de l'Église, 18510 Menetou-Salon"}])
    scenario_id = add_scenario(app, users["alice"], spec)
    _, plan_id = publish(app, users["alice"], spec, [("2027-01-05", MENETOU)], scenario_id=scenario_id,
                         request_ids=("R1",))
    page = text(client.get(f"/communes/{MENETOU}"))
    assert "Lieu : Parking de la mairie</p>" in page
    assert "Lieu : Parking de la mairie" in text(client.get(f"/communes/{MENETOU}/avis/1/2027-01-05"))
    assert "claire@menetou.example" not in page and "clé chez la secrétaire" not in page
    assert "Lieu : Parking de la mairie" in text(logged.get(f"/plans/{plan_id}"))
