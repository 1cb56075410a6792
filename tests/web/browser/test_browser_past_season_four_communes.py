"""A planner declares in chromium the past season of the four-commune scenario, kept by hand before
Tournée: Nérondes held seven workshops in January 2026 and 150 seniors came. A file with mistakes
is refused whole (every problem in one table, nothing kept); the good one shows, before any solve,
that Nérondes's pool of willing seniors is spent (150,5 → 0,5); the plan computed next says so too;
then the planner removes it. axe-core on every page seen.

Set TOURNEE_SCREENSHOTS=/some/folder to keep a screenshot of every page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.browser.conftest import LAPTOP, PLANNER_EMAIL, assert_accessible, instance_app
from tests.web.browser.test_browser_cher_season_one_story import PHONE
from tests.web.browser.test_browser_four_communes_season import shoot, wait_for_finished_job
from tests.web.conftest import four_communes_spec
from tests.web.test_web_past_season_four_communes import BAD, PAST_SEASON
from web.extensions import db
from web.models import PlanRecord, Scenario, User


def _scenario(instance) -> int:
    app = instance_app(instance)
    with app.app_context():
        owner = db.session.scalar(db.select(User).filter_by(email=PLANNER_EMAIL))
        scenario = Scenario(owner_id=owner.id, name="Quatre communes", spec=four_communes_spec())
        db.session.add(scenario)
        db.session.commit()
        scenario_id = scenario.id
        db.engine.dispose()
    return scenario_id


def _fits_a_phone(page, name: str) -> None:
    """The page as shown, at phone width: no sideways scrolling."""
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    shoot(page, name, "phone")
    page.set_viewport_size(LAPTOP)
    assert width <= PHONE["width"], f"{name}: {width} px wide at {PHONE['width']} px"


def _stops(instance, scenario_id: int) -> list:
    """(date, INSEE) of the scenario's solved plan, in order."""
    import datetime as dt

    app = instance_app(instance)
    with app.app_context():
        plan = db.session.scalar(db.select(PlanRecord).filter_by(scenario_id=scenario_id))
        stops = [(dt.date.fromisoformat(s["date"]), s["insee"]) for s in plan.data["stops"]]
        db.engine.dispose()
    return stops


def test_past_season_imported_on_the_four_communes_scenario_page(planner_page, live_server, live_instance, tmp_path):
    page = planner_page
    scenario_id = _scenario(live_instance)
    page.goto(f"{live_server}/scenarios/{scenario_id}")
    section = page.locator("section", has=page.get_by_role("heading", name="Saison passée", exact=True))
    expect(section.get_by_text("Aucune saison passée")).to_be_visible()

    bad, good = tmp_path / "saison-2026-faux.csv", tmp_path / "saison-2026.csv"
    bad.write_bytes(BAD)
    good.write_bytes(PAST_SEASON)
    page.get_by_label("Fichier de la saison passée (CSV ou XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Importer la saison passée").click()
    alert = page.get_by_role("alert").filter(has_text="La saison passée n'a pas été importée")
    expect(alert).to_contain_text("4 problèmes")
    expect(alert.locator("tbody tr")).to_have_count(4)
    expect(alert).to_contain_text("commune inconnue du territoire")
    expect(section.get_by_text("Aucune saison passée")).to_be_visible()  # nothing kept
    assert_accessible(page)
    shoot(page, "scenario-past-season-refused")
    _fits_a_phone(page, "scenario-past-season-refused")

    page.get_by_label("Fichier de la saison passée (CSV ou XLSX)").set_input_files(str(good))
    page.get_by_role("button", name="Importer la saison passée").click()
    expect(page.get_by_role("status")).to_contain_text("Saison passée importée : 7 arrêts tenus, 150 participants")
    expect(section).to_contain_text("Saison passée 2026 : 150 participants dans 1 commune")
    expect(section).to_contain_text("Nérondes : 150 participants en 2026 : vivier réduit (150,5 → 0,5 seniors qui viendraient)")
    expect(page.get_by_role("button", name="Remplacer la saison passée")).to_be_visible()
    assert_accessible(page)
    shoot(page, "scenario-past-season-imported")
    _fits_a_phone(page, "scenario-past-season-imported")

    page.get_by_role("button", name="Lancer le calcul").click()
    wait_for_finished_job(page)
    page.get_by_role("link", name="Voir le plan").click()
    expect(page.locator("details.past-season summary")).to_contain_text("Saison passée 2026 : 150 participants")
    assert_accessible(page)
    shoot(page, "plan-with-past-season")
    plan_url = page.url

    # The season is published and run; its outcomes, kept by hand, are imported on its report and kept.
    page.get_by_role("button", name="Publier ce plan (révision 1)").click()
    page.get_by_role("link", name="Bilan de saison").click()
    outcomes = tmp_path / "bilan janvier 2027.csv"
    outcomes.write_text("date;insee_com;participants;statut;raison\n" + "".join(
        f"{day:%d/%m/%Y};{insee};{'' if n == 1 else 12 + n};{'annulé;neige' if n == 1 else 'tenu;'}\n"
        for n, (day, insee) in enumerate(_stops(live_instance, scenario_id))), encoding="utf-8")
    wrong = tmp_path / "bilan faux.csv"
    wrong.write_text("date;commune;participants\n05/01/2027;Paris;3\n06/01/2027;Bourges;-1\n", encoding="utf-8")
    page.locator("input#file").set_input_files(str(wrong))
    page.get_by_role("button", name="Afficher le bilan").click()
    expect(page.get_by_role("alert")).to_contain_text("Le fichier n'a pas été pris en compte : 2 problèmes")
    assert_accessible(page)
    shoot(page, "season-report-refused")
    page.locator("input#file").set_input_files(str(outcomes))
    page.get_by_role("button", name="Afficher le bilan").click()
    expect(page.get_by_role("status")).to_contain_text("4 arrêts du fichier « bilan janvier 2027.csv » enregistrés")
    page.goto(page.url)  # a later visit: the file is kept
    expect(page.get_by_text("Fichier importé : « bilan janvier 2027.csv »")).to_be_visible()
    assert_accessible(page)
    shoot(page, "season-report-kept-file")
    _fits_a_phone(page, "season-report-kept-file")
    page.get_by_role("button", name="Retirer ce fichier du bilan").click()
    expect(page.get_by_role("status")).to_contain_text("retiré du bilan")
    expect(page.get_by_text("Fichier importé")).to_have_count(0)
    shoot(page, "season-report-file-removed")
    page.goto(plan_url)

    page.goto(f"{live_server}/scenarios/{scenario_id}")
    page.get_by_role("button", name="Retirer la saison passée").click()
    expect(page.get_by_role("status")).to_contain_text("Saison passée retirée")
    expect(section.get_by_text("Aucune saison passée")).to_be_visible()
    expect(page.get_by_role("button", name="Importer la saison passée")).to_be_visible()
    assert_accessible(page)
    shoot(page, "scenario-past-season-removed")
