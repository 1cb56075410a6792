"""In chromium, on the live server: Menetou-Salon's mairie asks for the bus, the planner accepts the
request as a must into the four-commune season, re-plans, publishes, and the mairie finds its page,
opens its notice (one A4 page) and subscribes to its calendar."""

from __future__ import annotations

import io
import re
import urllib.request

import icalendar
import pytest
from pypdf import PdfReader

from tests.web.browser.conftest import assert_accessible, instance_app, login
from tests.web.conftest import four_communes_spec
from tests.web.public_helpers import publish
from web.extensions import db
from web.models import User

MENETOU = "18145"


@pytest.fixture(autouse=True)
def no_geocoding(monkeypatch):
    """The live server never asks the internet's BAN (run.py serve reads TOURNEE_BAN_URL)."""
    monkeypatch.setenv("TOURNEE_BAN_URL", "")


@pytest.fixture
def season(live_instance):
    """Revision 1 of the four-commune season, published with Bourges only (Menetou-Salon not served)."""
    app = instance_app(live_instance)
    with app.app_context():
        owner = db.session.scalar(db.select(User.id))
        db.engine.dispose()
    spec = four_communes_spec(name="Bus numérique — hiver 2027")
    return publish(app, owner, spec, [("2027-01-06", "18033")])


def test_menetou_request_accepted_replanned_published_then_found_by_its_host(page, live_server, season):
    scenario_id, first_plan = season
    # the mairie asks, without an account
    page.goto(f"{live_server}/demande")
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer la demande").click()  # empty: every required field is named
    page.get_by_role("heading", name=re.compile(r"\d+ points à corriger")).wait_for()
    assert_accessible(page)
    page.get_by_label("Commune où le bus s'arrêterait").fill("Menetou-Salon (18145)")
    page.get_by_label("Nom et prénom").fill("Claire Martin")
    page.get_by_label("Fonction").fill("secrétaire de mairie")
    page.get_by_label("Adresse e-mail").fill("mairie@menetou.example")
    page.get_by_label("Téléphone").fill("02 48 64 80 00")
    page.get_by_label("Lieu d'accueil").fill("Parking de la mairie")
    page.get_by_label("Adresse du lieu").fill("1 place de l'Église")
    page.get_by_label("Code postal").fill("18510")
    page.get_by_label("Une place de stationnement pour le bus avec une prise électrique").check()
    page.get_by_label("Des toilettes accessibles au public").check()
    page.locator("#period1_start").fill("2027-01-05")
    page.locator("#period1_end").fill("2027-01-15")
    page.get_by_label("J'accepte que ces coordonnées").check()
    page.get_by_role("button", name="Envoyer la demande").click()
    page.get_by_role("heading", name="Demande envoyée, merci").wait_for()
    follow_link = page.locator(".linkbox").inner_text().strip()
    assert_accessible(page)
    assert "centre de la commune" in page.content()

    # the planner accepts it as a must into the season's scenario
    login(page, live_server)
    page.goto(f"{live_server}/demandes")
    assert_accessible(page)
    page.get_by_role("link", name="Menetou-Salon").click()
    assert_accessible(page)
    page.get_by_label("Importance").select_option("must")
    page.get_by_label("Scénario qui la reçoit").select_option(str(scenario_id))
    page.get_by_role("button", name="Accepter").click()
    page.get_by_text("Demande acceptée et ajoutée au scénario").wait_for()
    assert follow_link in page.locator("#email-text").input_value()

    # re-plans from the published plan, then publishes the new one
    page.goto(f"{live_server}/plans/{first_plan}")
    page.get_by_role("button", name="Re-planifier à partir de ce plan").click()
    page.locator('[data-href="plan_url"]').wait_for(state="visible", timeout=120_000)
    page.locator('[data-href="plan_url"]').click()
    page.get_by_role("button", name=re.compile("Publier ce plan")).click()
    page.get_by_text("Plan publié : révision 2").wait_for()

    # the requester's link says accepted; the host finds its page by name
    page.goto(follow_link)
    assert "acceptée" in page.content()
    page.goto(f"{live_server}/saisons")
    page.get_by_label("Trouver les dates d'une commune").fill("Menetou-Salon")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_url(f"{live_server}/communes/{MENETOU}")
    stop = page.locator(".stops > li").first
    assert re.search(r"\d{2}/01/2027", stop.inner_text())
    assert "Parking de la mairie" in stop.inner_text()
    assert_accessible(page)
    # its notice prints on one A4 page
    stop.get_by_role("link", name="Affiche à imprimer pour ce jour").click()
    page.get_by_text("Apportez").wait_for()
    assert "Parking de la mairie" in page.content() and "carte Vitale" in page.content()
    assert_accessible(page)
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    # and subscribes to the calendar feed given on the page
    page.go_back()
    feed_url = page.locator(".linkbox").inner_text().strip()
    assert feed_url.endswith(f"/communes/{MENETOU}.ics")
    with urllib.request.urlopen(feed_url, timeout=30) as response:
        calendar = icalendar.Calendar.from_ical(response.read())
    events = list(calendar.walk("VEVENT"))
    assert events and {int(e["SEQUENCE"]) for e in events} == {2}
    assert all(str(e["STATUS"]) == "CONFIRMED" for e in events)
