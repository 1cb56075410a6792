"""Cancelling a long solve from the job page in chromium: the page shows the progress, the button
stops the solve, and the best plan found is kept and shown. The Bourges basin's season is now
proven optimal within seconds, before a browser can press anything: the long solve is
tests/web/conftest.py's ``long_solve_spec``."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.browser.conftest import PLANNER_EMAIL, assert_accessible, instance_app
from tests.web.conftest import long_solve_spec
from web.extensions import db
from web.models import Scenario, User

SOLVE_GUARD_MS = 120_000  # a hang guard, not a timing assertion


def test_cancel_a_cher_two_bus_solve_from_its_page_keeps_the_best_plan(planner_page, live_server, live_instance):
    app = instance_app(live_instance)
    with app.app_context():
        owner = db.session.scalar(db.select(User).filter_by(email=PLANNER_EMAIL))
        spec = long_solve_spec()
        scenario = Scenario(owner_id=owner.id, name=spec["name"], spec=spec)
        db.session.add(scenario)
        db.session.commit()
        scenario_id = scenario.id
        db.engine.dispose()
    page = planner_page
    page.goto(f"{live_server}/scenarios/{scenario_id}")
    page.get_by_role("button", name="Lancer le calcul").click()
    expect(page.locator('[data-field="objective"]')).not_to_have_text("—", timeout=SOLVE_GUARD_MS)
    expect(page.locator('[data-field="status_label"]')).to_have_text("en cours")
    assert_accessible(page)
    page.get_by_role("button", name="Arrêter le calcul et garder le meilleur plan").click()
    expect(page.get_by_text("Arrêt demandé : le calcul s'arrête")).to_be_visible()
    expect(page.locator('[data-field="status_label"]')).to_have_text("arrêté à votre demande", timeout=SOLVE_GUARD_MS)
    page.get_by_role("link", name="Voir le plan").click()
    expect(page.locator("#chiffres").locator("..")).to_contain_text("arrêté à votre demande")
    assert page.locator("table.stops tbody tr").count() > 0
