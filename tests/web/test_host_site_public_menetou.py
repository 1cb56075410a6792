"""The host site Menetou-Salon's (18145) mairie confirms through its link becomes the stop's site on
every public page and file of the four-commune season: the commune page, the printed notice, the ICS
feed (LOCATION and GEO, where the BAN placed the address) and the host workbook, over the planner's
usual site for the commune and without « à confirmer »; the pages cached before are refreshed, and
the host's e-mail never reaches them. The planner's plan page and its workbook say the same site."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import openpyxl
import pytest

from tests.web.conftest import four_communes_spec, login
from tests.web.public_helpers import BanAnswers, ban_feature, publish, start_ban_server
from web.extensions import db
from web.host_links import issue_link

pytestmark = pytest.mark.both_databases
MENETOU = "18145"
SOON = dt.date.today() + dt.timedelta(days=9)
PLANNER_ROW = {"insee_com": MENETOU, "site": "Salle polyvalente", "address": "", "hours": "mardi (14h-18h)"}
HOST_SITE, HOST_ADDRESS = "Salle des fêtes Jacques-Cœur", "4 rue de la Croix Blanche"
BAN_LAT, BAN_LON = 47.231, 2.4872


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def ban():
    answers = BanAnswers()
    answers.features["croix blanche"] = [ban_feature(BAN_LON, BAN_LAT, MENETOU, "4 Rue de la Croix Blanche 18510 Menetou-Salon")]
    server = start_ban_server(answers)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def menetou_season(app, users) -> tuple[int, str, int]:
    """Menetou-Salon in 9 days, the planner's usual site « Salle polyvalente » for it: (scenario,
    host link token, published plan)."""
    spec = four_communes_spec(start=SOON.isoformat(), end=(SOON + dt.timedelta(days=20)).isoformat(), hosts=[PLANNER_ROW])
    scenario_id, plan_id = publish(app, users["alice"], spec, [(SOON.isoformat(), MENETOU)])
    with app.test_request_context():
        link = issue_link(scenario_id, MENETOU, "mairie@menetou.example")
        db.session.commit()
        return scenario_id, link.token, plan_id


def public_files(client) -> dict[str, str]:
    page = text(client.get(f"/communes/{MENETOU}"))
    notice_url = re.search(rf'href="([^"]*/communes/{MENETOU}/avis/\d+/{SOON.isoformat()})"', page).group(1)
    workbook_url = re.search(rf'href="([^"]*/communes/{MENETOU}/saison-\d+\.xlsx)"', page).group(1)
    book = openpyxl.load_workbook(io.BytesIO(client.get(workbook_url).data))
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)
    ics = client.get(f"/communes/{MENETOU}.ics").get_data(as_text=True).replace("\r\n ", "").replace("\\,", ",")
    return {"page": page, "notice": text(client.get(notice_url)), "ics": ics, "workbook": cells}


def test_menetou_confirmed_site_reaches_commune_page_notice_feed_and_workbook(app, users, ban):
    app.config["TOURNEE_BAN_URL"] = ban
    scenario_id, token, _ = menetou_season(app, users)
    public = app.test_client()
    before = public_files(public)
    assert all("Salle polyvalente" in body for body in before.values())  # the planner's usual site, cached now
    host = app.test_client()
    csrf = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', text(host.get(f"/hote/{token}"))).group(1)
    answer = host.post(f"/hote/{token}/lieu", data={"csrf_token": csrf, "host_site": HOST_SITE, "address": HOST_ADDRESS,
                                                    "parking_power": "y", "toilets": "y"})
    assert answer.status_code == 302
    after = public_files(public)
    for name, body in after.items():
        assert HOST_SITE in body and HOST_ADDRESS in body, name
        assert "Salle polyvalente" not in body and "— à confirmer" not in body, name
        assert "mairie@menetou.example" not in body, name
    assert f"GEO:{BAN_LAT:.6f};{BAN_LON:.6f}" in after["ics"]
    planner = app.test_client()
    assert login(planner).status_code == 302
    view = text(planner.get(f"/scenarios/{scenario_id}/saison-en-cours"))  # the planner sees the facilities too
    assert f"{HOST_SITE}, {HOST_ADDRESS} · prise électrique, toilettes" in view
    assert re.search(rf"LOCATION:{HOST_SITE}, {HOST_ADDRESS}", after["ics"])


def test_menetou_unconfirmed_site_keeps_the_planner_usual_site_and_its_hours(app, users):
    scenario_id, token, _ = menetou_season(app, users)
    with app.test_request_context():
        from web.published import confirmed_sites
        from web.season import latest_publication

        assert confirmed_sites(scenario_id) == []
        assert latest_publication(scenario_id).spec["hosts"] == [PLANNER_ROW]
    public = app.test_client()
    page = text(public.get(f"/communes/{MENETOU}"))
    assert "Salle polyvalente" in page
    host = app.test_client()
    csrf = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', text(host.get(f"/hote/{token}"))).group(1)
    host.post(f"/hote/{token}/lieu", data={"csrf_token": csrf, "host_site": HOST_SITE, "address": ""})
    with app.test_request_context():
        from web.season import latest_publication

        row = latest_publication(scenario_id).spec["hosts"][0]
    assert row == {"insee_com": MENETOU, "site": HOST_SITE, "address": "", "hours": "mardi (14h-18h)"}
    page = text(public.get(f"/communes/{MENETOU}"))
    assert HOST_SITE in page and "Salle polyvalente" not in page


def test_menetou_confirmed_site_reaches_the_planner_plan_page_and_its_workbook(app, logged, users):
    _, token, plan_id = menetou_season(app, users)
    assert "Salle polyvalente" in text(logged.get(f"/plans/{plan_id}"))
    host = app.test_client()
    csrf = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', text(host.get(f"/hote/{token}"))).group(1)
    host.post(f"/hote/{token}/lieu", data={"csrf_token": csrf, "host_site": HOST_SITE, "address": HOST_ADDRESS})
    page = text(logged.get(f"/plans/{plan_id}"))
    assert f"{HOST_SITE}, {HOST_ADDRESS}" in page and "Salle polyvalente" not in page
    book = openpyxl.load_workbook(io.BytesIO(logged.get(f"/plans/{plan_id}/saison.xlsx").data))
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)
    assert HOST_SITE in cells and "Salle polyvalente" not in cells


def test_menetou_accepted_request_site_stays_first_over_the_host_confirmed_one(app, users):
    """The precedence: an accepted request that names its own site keeps it for the stops serving it."""
    request = {"request_id": "R1", "insee_com": MENETOU, "start": SOON.isoformat(),
               "end": (SOON + dt.timedelta(days=20)).isoformat(), "days": "1", "host_site": "Place du marché"}
    spec = four_communes_spec(start=SOON.isoformat(), end=(SOON + dt.timedelta(days=20)).isoformat(),
                              hosts=[PLANNER_ROW], requests=[request])
    scenario_id, _ = publish(app, users["alice"], spec, [(SOON.isoformat(), MENETOU)], request_ids=("R1",))
    with app.test_request_context():
        token = issue_link(scenario_id, MENETOU).token
        db.session.commit()
    host = app.test_client()
    csrf = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', text(host.get(f"/hote/{token}"))).group(1)
    host.post(f"/hote/{token}/lieu", data={"csrf_token": csrf, "host_site": HOST_SITE, "address": HOST_ADDRESS})
    words = " ".join(re.sub(r"<[^>]+>", " ", text(app.test_client().get(f"/communes/{MENETOU}"))).split())
    assert "Lieu : Place du marché" in words and f"Lieu : {HOST_SITE}" not in words  # the stop serving R1
    assert f"Lieu habituel des passages {HOST_SITE}, {HOST_ADDRESS}" in words  # the commune's usual site
