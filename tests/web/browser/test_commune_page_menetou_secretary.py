"""In chromium, on the live server: Menetou-Salon's mairie secretary opens her commune's page of the
published four-commune season, at laptop width (1280 px) and on a phone (390 px), and reads where the
bus parks, when her mairie is open as the team knows it, and where to send people between two
visits; then she opens the notice and finds the mairie's public telephone on it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.web.browser.conftest import assert_accessible, instance_app
from tests.web.conftest import four_communes_spec
from tests.web.public_helpers import publish
from web.extensions import db
from web.models import User

MENETOU = "18145"
WIDTHS = {"laptop": 1280, "phone": 390}


@pytest.fixture
def season(live_instance):
    """Menetou-Salon on Tuesday 5 and Thursday 7 January 2027, its usual site not set: the mairie."""
    app = instance_app(live_instance)
    with app.app_context():
        owner = db.session.scalar(db.select(User.id))
        db.engine.dispose()
    return publish(app, owner, four_communes_spec(name="Bus numérique — hiver 2027"),
                   [("2027-01-05", MENETOU), ("2027-01-07", MENETOU)])


def shots_dir(tmp_path: Path) -> Path:
    """Where the screenshots go: TOURNEE_SCREENSHOTS when set (to look at them), else the test's folder."""
    folder = Path(os.environ.get("TOURNEE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_menetou_secretary_reads_where_the_bus_parks_her_mairie_hours_and_where_else_to_send_people(
        page, live_server, season, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/communes/{MENETOU}")
    page.get_by_role("heading", name="Menetou-Salon : dates du bus numérique").wait_for()
    stops = page.locator("ul.stops:not(.help-places) > li")
    assert stops.count() == 2
    assert "Lieu : Mairie, 12 rue de la Mairie, 18510 Menetou-Salon — à confirmer" in stops.first.inner_text()
    mairie = page.locator("section[aria-labelledby=mairie]")
    assert "lundi au vendredi (9h-12h ; 14h-16h) ; samedi (9h-12h)" in mairie.inner_text()
    assert "prévenez l'équipe" in mairie.inner_text()  # the default site is a proposal, said once
    helps = page.locator("ul.help-places > li")
    assert helps.count() == 5
    first = helps.first.inner_text()
    assert "France services Terres du Haut Berry - Simone Veil" in first and "9,1 km" in first
    body = page.locator("body").inner_text()
    assert "@" not in body  # no e-mail address on a public page, not even the mairie's
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    assert_accessible(page)
    page.screenshot(path=str(shots_dir(tmp_path) / f"commune-menetou-{width}.png"), full_page=True)
    page.get_by_role("link", name="Affiche à imprimer pour ce jour").first.click()
    page.get_by_role("heading", name="À Menetou-Salon").wait_for()
    notice = page.locator("body").inner_text()
    assert "Mairie de Menetou-Salon : 02 48 64 81 21" in notice and "@" not in notice
    page.screenshot(path=str(shots_dir(tmp_path) / f"avis-menetou-{width}.png"), full_page=True)
