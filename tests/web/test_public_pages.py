"""Public pages on the four-commune season: published stops of Menetou-Salon (18145) are shown,
downloaded and subscribed to; a draft plan (Nérondes, 18160) never leaks; the calendar feed updates
in place when the season is re-published (parsed with icalendar)."""

from __future__ import annotations

import html
import io
import re

import icalendar
import openpyxl
import pytest

from tests.web.conftest import four_communes_spec
from tests.web.public_helpers import publish

MENETOU, NERONDES = "18145", "18160"


@pytest.fixture
def season(app, users):
    """Revision 1: Menetou-Salon on 05/01 and 07/01/2027, Bourges on 06/01; a draft adds Nérondes."""
    spec = four_communes_spec(name="Bus numérique — hiver 2027")
    scenario_id, _ = publish(app, users["alice"], spec, [("2027-01-05", MENETOU), ("2027-01-06", "18033"),
                                                         ("2027-01-07", MENETOU)])
    publish(app, users["alice"], spec, [("2027-01-05", NERONDES)], scenario_id=scenario_id, publish_it=False)
    return scenario_id


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def events(client, insee: str) -> dict[str, icalendar.Event]:
    response = client.get(f"/communes/{insee}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_menetou_page_lists_its_published_dates_with_times_and_missing_team_contact(client, season):
    page = text(client.get(f"/communes/{MENETOU}"))
    assert "Menetou-Salon" in page and "05/01/2027" in page and "07/01/2027" in page
    assert "06/01/2027" not in page  # Bourges' date is not Menetou's
    assert "de 09\u00a0h\u00a030 à 12\u00a0h\u00a030" in page and "de 14\u00a0h\u00a000 à 17\u00a0h\u00a000" in page
    assert "contact de l'équipe à renseigner" in page
    assert f"/communes/{MENETOU}.ics" in page and "Bus numérique — hiver 2027" in page


def test_draft_plan_of_nerondes_is_invisible_on_pages_feeds_and_search(client, season):
    assert "Aucun passage n'est publié" in text(client.get(f"/communes/{NERONDES}"))
    assert events(client, NERONDES) == {}
    assert client.get(f"/communes/{NERONDES}/avis/1/2027-01-05").status_code == 404
    assert client.get(f"/communes/{NERONDES}/carte.svg").status_code == 404
    found = text(client.get("/communes?q=nérondes", follow_redirects=True))
    assert "Aucun passage n'est publié" in found
    seasons = text(client.get("/saisons"))
    assert seasons.count("/saison.xlsx") == 1
    csv = text(client.get("/saisons/1/saison.csv"))
    assert MENETOU in csv and NERONDES not in csv
    assert client.get("/saisons/2/saison.csv").status_code == 404  # no second publication


def test_search_by_name_and_code_finds_menetou(client, season):
    assert client.get("/communes?q=Menetou-Salon").headers["Location"].endswith(f"/communes/{MENETOU}")
    assert client.get(f"/communes?q={MENETOU}").headers["Location"].endswith(f"/communes/{MENETOU}")
    several = text(client.get("/communes?q=menetou"))
    assert "Menetou-Couture" in several and "dates publiées" in several
    assert "Aucune commune ne correspond" in text(client.get("/communes?q=zzzz"))
    assert client.get("/communes?q=18510").headers["Location"].endswith(f"/communes/{MENETOU}")  # its postcode
    shared = text(client.get("/communes?q=18220"))  # one postcode, several communes: all listed
    assert shared.count("/communes/18") >= 2
    assert client.get("/communes/00000").status_code == 404


def test_season_workbook_and_host_workbook_open(client, season):
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/saisons/1/saison.xlsx").data))
    assert workbook.sheetnames
    host = client.get(f"/communes/{MENETOU}/saison-1.xlsx")
    assert host.status_code == 200 and openpyxl.load_workbook(io.BytesIO(host.data)).sheetnames


def test_menetou_notice_has_date_times_place_bring_list_and_no_invented_contact(client, season):
    response = client.get(f"/communes/{MENETOU}/avis/1/2027-01-05")
    page = text(response)
    assert response.status_code == 200
    assert "Mardi 5 janvier 2027" in page
    assert "de 09\u00a0h\u00a030 à 12\u00a0h\u00a030" in page and "de 14\u00a0h\u00a000 à 17\u00a0h\u00a000" in page
    assert "carte Vitale" in page and "chargeur" in page and "mots de passe" in page
    # No request names a site: the mairie, from the directory, to be confirmed (nothing invented).
    assert "Lieu : Mairie, 12 rue de la Mairie, 18510 Menetou-Salon — à confirmer" in page
    assert "contact de l'équipe à renseigner" in page
    assert "<script" not in page and "style=" not in page
    assert client.get(f"/communes/{MENETOU}/avis/1/2027-01-06").status_code == 404  # no stop that day


def test_menetou_feed_updates_in_place_when_the_season_is_republished(app, client, users, season):
    first = events(client, MENETOU)
    assert len(first) == 4  # two stops, two workshops each: one event per workshop
    assert {int(e["SEQUENCE"]) for e in first.values()} == {1}
    assert {str(e["STATUS"]) for e in first.values()} == {"CONFIRMED"}
    # revision 2: 05/01 kept, 07/01 dropped, 08/01 added
    publish(app, users["alice"], four_communes_spec(name="Bus numérique — hiver 2027"),
            [("2027-01-05", MENETOU), ("2027-01-08", MENETOU)], scenario_id=season)
    second = events(client, MENETOU)
    kept = {uid for uid in first if uid.startswith("20270105")}
    dropped = {uid for uid in first if uid.startswith("20270107")}
    added = {uid for uid in second if uid.startswith("20270108")}
    assert len(kept) == len(dropped) == len(added) == 2
    assert set(second) == kept | dropped | added  # same UIDs: calendars update the events in place
    assert {int(e["SEQUENCE"]) for e in second.values()} == {2}
    assert {str(second[uid]["STATUS"]) for uid in kept | added} == {"CONFIRMED"}
    assert {str(second[uid]["STATUS"]) for uid in dropped} == {"CANCELLED"}
    assert {str(second[uid]["TRANSP"]) for uid in dropped} == {"TRANSPARENT"}
    page = text(client.get(f"/communes/{MENETOU}"))
    assert "08/01/2027" in page and page.count("07/01/2027") == 1 and "déplacé au 08/01/2027" in page  # not dropped
    # revision 3 republishes the same stops: the counter still goes up by itself
    publish(app, users["alice"], four_communes_spec(name="Bus numérique — hiver 2027"),
            [("2027-01-05", MENETOU), ("2027-01-08", MENETOU)], scenario_id=season)
    assert {int(e["SEQUENCE"]) for e in events(client, MENETOU).values()} == {3}


def test_commune_whose_visits_were_all_cancelled_still_gets_a_page_and_a_feed(app, client, users, season):
    publish(app, users["alice"], four_communes_spec(name="Bus numérique — hiver 2027"), [("2027-01-06", "18033")],
            scenario_id=season)
    assert "ont été annulés" in text(client.get(f"/communes/{MENETOU}"))
    assert {str(e["STATUS"]) for e in events(client, MENETOU).values()} == {"CANCELLED"}


def test_commune_map_is_an_svg_of_the_published_territory(client, season):
    response = client.get(f"/communes/{MENETOU}/carte.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"Menetou-Salon" in response.data


def test_mediator_half_days_at_menetou_make_one_notice_with_morning_and_afternoon(app, client, users):
    spec = four_communes_spec(name="Médiateur — hiver 2027", mode="mediator")
    publish(app, users["alice"], spec, [("2027-01-05", MENETOU, 1), ("2027-01-05", MENETOU, 2)], vehicle="médiateur")
    page = text(client.get(f"/communes/{MENETOU}/avis/1/2027-01-05"))
    assert "Médiateur numérique" in page
    assert "Matin : de 09\u00a0h\u00a030 à 12\u00a0h\u00a030" in page
    assert "Après-midi : de 14\u00a0h\u00a000 à 17\u00a0h\u00a000" in page
    assert page.count("Lieu :") == 1


def test_team_contact_of_the_scenario_is_shown_on_menetou_page_and_notice(app, client, users):
    contact = {"name": "Équipe du bus numérique", "phone": "02 48 00 00 01", "email": "bus@asept.example",
               "signup": "auprès de la mairie ou au 02 48 00 00 01"}
    publish(app, users["alice"], four_communes_spec(name="Bus — hiver 2027", team_contact=contact),
            [("2027-01-05", MENETOU)])
    for url in (f"/communes/{MENETOU}", f"/communes/{MENETOU}/avis/1/2027-01-05"):
        page = text(client.get(url))
        assert "Équipe du bus numérique" in page and "02 48 00 00 01" in page and "bus@asept.example" in page
        plain = " ".join(re.sub(r"<[^>]+>", " ", page).split())
        assert "Inscription : auprès de la mairie ou au 02 48 00 00 01" in plain
        assert "à renseigner" not in page
