"""A planner builds the four-commune season (Bourges, Menetou-Salon, Saint-Martin-d'Auxigny, Nérondes)
in chromium from an empty account: scenario, territory upload, dates, solve with live progress, plan,
pin, re-plan, compare, publish, downloads; axe-core on every page at laptop and tablet widths, and
every page read again with JavaScript off.

Set TOURNEE_SCREENSHOTS=/some/folder to keep a screenshot of every page (laptop and tablet)."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import icalendar
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.web.browser.conftest import LAPTOP, TABLET, assert_accessible, login

SOLVE_GUARD_MS = 120_000  # a hang guard, not a timing assertion
SHOTS = os.environ.get("TOURNEE_SCREENSHOTS", "")
TERRITORY_CSV = "insee_com\n18033\n18145\n18223\n18160\n"


def shoot(page, name: str, width: str = "laptop") -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{width}-{name}.png"), full_page=True)


class Visits:
    """Every page the planner saw: axe-checked now, then again at tablet width and without JavaScript."""

    def __init__(self, page) -> None:
        self.page = page
        self.urls: list[tuple[str, str]] = []

    def check(self, name: str) -> None:
        expect(self.page.locator("h1")).to_be_visible()
        assert_accessible(self.page)
        shoot(self.page, name)
        self.urls.append((name, self.page.url.split("#")[0]))


def wait_for_finished_job(page) -> None:
    """The job page updates itself (polling script) until the solve ends and « Voir le plan » shows."""
    expect(page.locator('[data-field="status_label"]')).to_have_text(
        re.compile("terminé|arrêté à votre demande"), timeout=SOLVE_GUARD_MS)
    expect(page.get_by_role("link", name="Voir le plan")).to_be_visible()


def stop_key(row) -> tuple[str, str]:
    """(date, commune) of a row of the stops table (the commune cell also holds tags)."""
    return row.locator(".date").inner_text().strip(), row.locator(".commune").inner_text().strip()


def test_four_communes_season_from_scratch_in_chromium(planner_page, live_server, tmp_path, browser):
    page = planner_page
    visits = Visits(page)
    visits.check("scenarios-empty")

    page.get_by_role("link", name="Créer un scénario").click()
    visits.check("scenario-new")
    page.get_by_label("Titre de la saison").fill("Quatre communes")
    page.get_by_role("button", name="Créer le scénario").click()
    expect(page.get_by_text("Scénario créé")).to_be_visible()
    visits.check("scenario-overview-new")

    page.get_by_role("link", name="Territoire").click()
    territory = tmp_path / "quatre-communes.csv"
    territory.write_text(TERRITORY_CSV, encoding="utf-8")
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(str(territory))
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_text("4 communes importées")).to_be_visible()
    visits.check("territory")

    page.get_by_role("link", name="Saison", exact=True).click()
    page.get_by_label("Premier jour (jj/mm/aaaa)").fill("05/01/2027")
    page.get_by_label("Dernier jour (jj/mm/aaaa)").fill("15/01/2027")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Saison enregistrée.")).to_be_visible()
    visits.check("season")

    page.get_by_role("link", name="Pondérations").click()
    page.get_by_label("Durée de calcul (secondes)").fill("1")
    page.get_by_label("Fils de calcul").fill("1")
    page.get_by_role("button", name="Enregistrer les pondérations").click()
    expect(page.get_by_text("Pondérations enregistrées.")).to_be_visible()
    visits.check("weights")
    for tab, name in (("Véhicules", "vehicles"), ("Marchés", "markets"), ("Demandes", "requests"),
                      ("Arrêts imposés et interdits", "rules")):
        page.get_by_role("link", name=tab, exact=True).click()
        visits.check(name)

    # solve, watching the progress the page polls for
    page.get_by_role("link", name="Vue d'ensemble").click()
    page.get_by_role("button", name="Lancer le calcul").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Calcul n°")
    wait_for_finished_job(page)
    expect(page.locator('[data-field="objective"]')).not_to_have_text("—")
    visits.check("job-done")
    page.get_by_role("link", name="Voir le plan").click()
    expect(page.get_by_role("heading", name="Calendrier de la saison")).to_be_visible()
    expect(page.locator("#chiffres + .grid2")).to_contain_text("Valeur du plan")
    expect(page.locator("figure.map svg")).to_be_visible()
    first_plan_url = page.url
    visits.check("plan")

    # pin the first stop, forbid the second's commune on its date, then re-plan from this plan
    stops = page.locator("table.stops tbody tr")
    first, second = (stop_key(stops.nth(i)) for i in (0, 1))
    stops.nth(0).get_by_role("checkbox").check()
    page.get_by_role("button", name="Imposer ces arrêts").click()
    expect(page.get_by_text("1 arrêt imposé dans le scénario")).to_be_visible()
    stops.nth(1).get_by_role("checkbox").check()
    page.get_by_role("button", name="Interdire ces communes ces jours-là").click()
    expect(page.get_by_text("1 interdiction ajoutée")).to_be_visible()
    expect(stops.nth(0)).to_contain_text("imposé")
    expect(stops.nth(1)).to_contain_text("interdit depuis")
    expect(page.locator("#replanifier").locator("..")).to_contain_text("1 arrêt imposé et 1 interdiction")
    page.get_by_role("button", name="Re-planifier à partir de ce plan").click()
    wait_for_finished_job(page)
    page.get_by_role("link", name="Voir le plan").click()
    expect(page.get_by_role("heading", name=re.compile("Ce qui a bougé depuis le plan n°"))).to_be_visible()
    expect(page.get_by_role("heading", name="Arrêts déplacés et pourquoi")).to_be_visible()
    kept = {stop_key(row) for row in page.locator("table.stops tbody tr").all()}
    assert first in kept and second not in kept
    visits.check("plan-replanned")

    # compare the re-plan with the first plan, side by side
    page.get_by_label("Autre plan", exact=True).select_option(index=0)
    page.get_by_role("button", name="Comparer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("côte à côte")
    expect(page.get_by_role("heading", name="Jour par jour")).to_be_visible()
    expect(page.locator("table.figures")).to_contain_text("Valeur du plan")
    expect(page.locator("table.side-by-side")).to_contain_text("différent")
    visits.check("compare")

    # publish the first plan twice: the revision counts up by itself
    page.goto(first_plan_url)
    page.get_by_role("button", name="Publier ce plan (révision 1)").click()
    expect(page.get_by_text("Plan publié : révision 1")).to_be_visible()
    page.get_by_role("button", name="Publier ce plan (révision 2)").click()
    expect(page.get_by_text("Plan publié : révision 2")).to_be_visible()
    expect(page.locator(".lead")).to_contain_text("C'est le plan publié de la saison (révision 2)")
    stop_count = page.locator("table.stops tbody tr").count()

    # downloads open in the tools hosts use
    with page.expect_download() as got:
        page.get_by_role("link", name="Classeur de la saison").click()
    assert got.value.suggested_filename == "Quatre communes - plan 1 - révision 2.xlsx"
    book = load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
    assert book.sheetnames
    with page.expect_download() as got:
        page.get_by_role("link", name="Calendrier de la saison").click()
    events = icalendar.Calendar.from_ical(Path(got.value.path()).read_bytes()).walk("VEVENT")
    # the bus gives two workshops a day: one calendar event each, morning and afternoon
    assert len(events) == 2 * stop_count and {int(e["SEQUENCE"]) for e in events} == {2}
    with page.expect_download() as got:
        page.get_by_role("link", name="Liste des arrêts").click()
    rows = list(csv.reader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len(rows) == stop_count + 1

    # a scenario that is published cannot be deleted; the page says why
    page.get_by_role("link", name="Quatre communes").first.click()
    page.get_by_role("link", name="Supprimer le scénario…").click()
    expect(page.get_by_text("ne se supprime pas")).to_be_visible()
    visits.check("delete-refused")
    page.goto(f"{live_server}/plans/99999")
    visits.check("not-found")

    # every page again: tablet width, then JavaScript off (content shown by the server alone)
    page.set_viewport_size(TABLET)
    for name, url in visits.urls:
        page.goto(url)
        assert_accessible(page)
        shoot(page, name, "tablet")
    page.set_viewport_size(LAPTOP)
    without_js = browser.new_context(java_script_enabled=False, locale="fr-FR", viewport=LAPTOP)
    try:
        plain = without_js.new_page()
        login(plain, live_server)
        for name, url in visits.urls:
            plain.goto(url)
            assert plain.locator("h1").inner_text().strip(), name
            assert plain.locator("main").inner_text().strip(), name
        plain.goto(first_plan_url)
        assert plain.locator("table.calendar tbody tr").count() >= 2
        assert plain.locator("table.stops tbody tr").count() == stop_count
    finally:
        without_js.close()
