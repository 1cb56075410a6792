"""The Cher season (tests/web/browser/season_seed.py) driven in chromium as the planner, the mairie's
secretary and the requester met it: one test per defect they reported, each failing on the pages as
they were, and axe-core at phone width (390 px) on every planner page."""

from __future__ import annotations

import io
import re
import urllib.parse

import icalendar
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.web.browser.conftest import assert_accessible, instance_app
from tests.web.browser.season_seed import ADDRESS, MENETOU, SEASON_NAME, seed
from web.extensions import db
from web.models import Scenario, StopRequest

PHONE = {"width": 390, "height": 844}
REASON = "chaque arrêt publié déplacé coûte 200 points, plus que le bonus de la demande (100 points)"


@pytest.fixture
def season(live_instance, live_server):
    return seed(live_instance)


def test_menetou_request_is_one_story_on_the_plan_the_inbox_and_the_workbook(planner_page, live_server, season):
    page = planner_page
    page.goto(f"{live_server}/plans/{season.replan_id}")
    row = page.locator("#demande-web-1")
    expect(row).to_contain_text("Non servie : 2 arrêts sur 3 demandés dans ses périodes (11/03/2027, 10/06/2027)")
    expect(row).to_contain_text(REASON)
    expect(page.locator("dt:has-text('Demandes servies') + dd")).to_have_text("0 sur 1")
    page.goto(f"{live_server}/demandes/{season.request_id}")
    said = page.locator('[data-field="service"]')
    expect(said).to_contain_text("Non servie : 2 arrêts sur 3 demandés")
    expect(said).to_contain_text(REASON)
    assert "Servie par" not in page.content()
    with page.expect_download() as download:
        page.goto(f"{live_server}/plans/{season.replan_id}")
        page.get_by_role("link", name="Classeur de la saison").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    lines = [str(r[0]) for r in book["Saison"].iter_rows(values_only=True) if r[0]]
    [line] = [x for x in lines if x.startswith("web-1 · ")]
    assert "Non servie : 2 arrêts sur 3 demandés" in line and REASON in line


def test_accepting_menetou_into_a_scenario_without_the_commune_is_refused(planner_page, live_server, season,
                                                                         live_instance):
    app = instance_app(live_instance)
    with app.app_context():
        owner = db.session.get(Scenario, season.scenario_id).owner_id
        other = Scenario(owner_id=owner, name="CC Pays Fort Sancerrois (médiateur)",
                         spec={"name": "CC Pays Fort Sancerrois (médiateur)", "territory": "bourges",
                               "territory_rows": [{"insee_com": "18033"}, {"insee_com": "18160"}],
                               "start": "2027-01-04", "end": "2027-06-30", "requests": []})
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    page = planner_page
    page.goto(f"{live_server}/demandes/{season.request_id}")
    page.get_by_label("Scénario qui la reçoit").select_option(str(other_id))
    page.get_by_role("button", name="Accepter").click()
    expect(page.get_by_text("Menetou-Salon (18145) n'est pas dans le territoire du scénario")).to_be_visible()
    with app.app_context():
        assert db.session.get(StopRequest, season.request_id).scenario_id == season.scenario_id
        assert db.session.get(Scenario, other_id).spec["requests"] == []
        db.engine.dispose()


def test_planner_pages_speak_french_not_internals(planner_page, live_server, season):
    page = planner_page
    page.goto(f"{live_server}/scenarios/{season.scenario_id}/demandes")
    cells = page.locator("table.list tbody tr").first
    expect(cells).to_contain_text("les mardis et jeudis du 02/03/2027 au 29/06/2027")
    expect(cells).to_contain_text("souhaitée")
    expect(cells).to_contain_text("acceptée")
    text = page.locator("table.list").inner_text()
    assert "2027-03-02..2027-03-02" not in text and "should" not in text and "accepted" not in text
    page.goto(f"{live_server}/demandes/{season.request_id}")
    received = page.locator("h2:has-text('a reçu') + table")
    expect(received).to_contain_text("Périodes")
    expect(received).to_contain_text("Menetou-Salon (18145)")
    assert "insee_com" not in received.inner_text() and "2027-03-02.." not in received.inner_text()
    page.goto(f"{live_server}/calculs/{season.job_id}")
    assert "Solutions trouvées" not in page.inner_text("body")
    with page.expect_download() as download:
        page.goto(f"{live_server}/plans/{season.replan_id}")
        page.get_by_role("link", name="Classeur de la saison").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    header = " ".join(str(c) for row in book["Saison"].iter_rows(max_row=4, values_only=True) for c in row if c)
    assert "FEASIBLE" not in header and "réalisable (pas prouvé optimal)" in header


def test_downloads_are_named_after_the_season_plan_revision_and_commune(planner_page, live_server, season):
    page = planner_page
    page.goto(f"{live_server}/plans/{season.published_plan_id}")
    names = []
    for link in ("Classeur de la saison", "Liste des arrêts", "Calendrier de la saison"):
        with page.expect_download() as download:
            page.get_by_role("link", name=link).click()
        names.append(download.value.suggested_filename)
    assert names == [f"{SEASON_NAME} - plan {season.published_plan_id} - révision 1.{ext}" for ext in ("xlsx", "csv", "ics")]
    answer = page.request.get(f"{live_server}/communes/{MENETOU}/saison-{season.publication_id}.xlsx")
    disposition = answer.headers["content-disposition"]
    assert "filename*=UTF-8''" in disposition and 'filename="tournee-menetou-salon-saison-cher-2027-revision-1.xlsx"' in disposition
    assert urllib.parse.unquote(disposition.split("UTF-8''", 1)[1]) == \
        f"Tournée - Menetou-Salon - {SEASON_NAME} - révision 1.xlsx"


def test_the_host_address_is_said_once_on_the_page_the_calendar_and_the_workbook(page, live_server, season):
    page.goto(f"{live_server}/communes/{MENETOU}")
    body = page.inner_text("body")
    places = [line for line in body.splitlines() if line.startswith("Lieu : ")]
    assert len(places) == 4 and all(line.count(ADDRESS) == 1 for line in places), places  # each date, once
    assert "à préciser par la mairie" not in body  # 05/01 and 02/02 are outside the requested periods
    feed = icalendar.Calendar.from_ical(page.request.get(f"{live_server}/communes/{MENETOU}.ics").body())
    events = feed.walk("VEVENT")
    locations = [str(e["LOCATION"]) for e in events]
    assert len({e.decoded("DTSTART").date() for e in events}) == 4
    assert all(loc.count(ADDRESS) == 1 and loc.startswith("parking de la mairie") for loc in locations), locations
    book = load_workbook(io.BytesIO(page.request.get(
        f"{live_server}/communes/{MENETOU}/saison-{season.publication_id}.xlsx").body()))
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert all(c.count(ADDRESS) <= 1 for c in cells) and any(ADDRESS in c for c in cells)


PLANNER_PAGES = ("/scenarios", "/scenarios/nouveau", "/scenarios/{s}", "/scenarios/{s}/general", "/scenarios/{s}/territoire",
                 "/scenarios/{s}/vehicules", "/scenarios/{s}/ponderations", "/scenarios/{s}/marches", "/scenarios/{s}/accueil",
                 "/scenarios/{s}/demandes", "/scenarios/{s}/regles", "/scenarios/{s}/supprimer", "/plans/{p}",
                 "/plans/{p}/comparer?avec={q}", "/calculs/{j}", "/demandes?statut=tout", "/demandes/{r}",
                 "/scenarios/{s}/saison-en-cours", "/courriels", "/plans/{q}/bilan")


def test_every_planner_page_fits_a_phone_and_passes_axe(planner_page, live_server, season):
    page = planner_page
    page.set_viewport_size(PHONE)
    heights = {}
    for path in PLANNER_PAGES:
        url = live_server + path.format(s=season.scenario_id, p=season.replan_id, q=season.published_plan_id,
                                        j=season.job_id, r=season.request_id)
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path}: {width} px wide at {PHONE['width']} px"
        heights[path] = page.evaluate("document.documentElement.scrollHeight")
        assert_accessible(page)
    assert heights["/plans/{p}"] < 9000, heights  # 66 stops folded by month, not one long table


def test_french_plurals_and_a_commune_search_instead_of_a_long_drop_down(planner_page, live_server, season):
    page = planner_page
    page.goto(f"{live_server}/plans/{season.replan_id}")
    expect(page.locator("#bouge").locator("..")).to_contain_text("65 arrêts inchangés, 1 retiré, 1 ajouté.")
    assert "(s)" not in page.inner_text("body")
    page.goto(f"{live_server}/scenarios/{season.scenario_id}/regles")
    box = page.locator("#f-insee")
    assert box.evaluate("e => e.tagName") == "INPUT" and page.locator("#f-insee-liste option").count() == 103
    box.fill("menetou salon")  # typed as on the public pages: no accent nor hyphen needed
    page.get_by_role("button", name="Interdire").click()
    expect(page.locator("h2:has-text('Interdictions') + table")).to_contain_text("Menetou-Salon (18145)")
    expect(page.locator("h2", has_text=re.compile("^Interdictions"))).to_have_text("Interdictions (1)")
