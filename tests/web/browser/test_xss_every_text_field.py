"""XSS in every text field of the planner's workspace, in chromium, on the four-commune season.

Payloads go into the scenario name, a vehicle name, market times and places, request host sites,
notes, contacts and requesters (stored, then uploaded again as CSV cells through the pages), and the
file name of an evaluated tour. Then every page that shows them is opened twice: once as served (with
its CSP) and once with the CSP bypassed, so that the test fails on a missing escape even where the CSP
would have blocked the script. Nothing may run: window.__xss stays undefined, no dialog opens, and
the DOM holds no injected element.
"""

from __future__ import annotations

import csv
import io
import json
import time

from tests.web.browser.conftest import PLANNER_EMAIL, instance_app, login
from tests.web.conftest import four_communes_spec
from web.extensions import db
from web.models import Scenario, User

SCRIPT = "<script>window.__xss=1;alert(1)</script>"
IMG = '"><img src=x onerror="window.__xss=1;alert(2)">'
SVG = "'><svg onload=window.__xss=1>"
LINK = "javascript:window.__xss=1"
GUARD_S = 180  # a hang guard for the solve, not a timing assertion

# What an injected payload would leave in the DOM: none of it may exist on any page.
INJECTED = """() => {
  const scripts = [...document.scripts].filter(s => !s.src || !new URL(s.src).pathname.startsWith('/static/'));
  return {
    xss: typeof window.__xss,
    scripts: scripts.length,
    img: document.querySelectorAll('img[src="x"], img[onerror], svg[onload], [onerror], [onload]').length,
    links: [...document.querySelectorAll('a[href], iframe[src], form[action]')]
      .filter(e => (e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || '')
      .trim().toLowerCase().startsWith('javascript:')).length,
    shown: document.body.innerText.includes('window.__xss'),
  };
}"""


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode()


def seed(instance) -> int:
    """Alice's scenario with a payload in every stored text field."""
    spec = four_communes_spec(
        name=f"Saison {SCRIPT}",
        vehicles=[{"name": f"Bus{IMG}"[:60], "kind": "bus", "base": "18033", "weekdays": "tue,wed,thu,fri",
                   "max_drive_minutes": 180.0, "overnight_nights": 0}],
        markets=[{"insee_com": "18145", "weekday": "mercredi", "time_of_day": SCRIPT, "place": IMG}],
        requests=[{"insee_com": "18145", "start": "2027-01-05", "end": "2027-01-15", "days": "1", "priority": "must",
                   "host_site": f"Salle {IMG}", "note": f"{LINK} {SCRIPT}", "contact": SVG, "requester": LINK}])
    app = instance_app(instance)
    with app.app_context():
        owner = db.session.scalar(db.select(User).filter_by(email=PLANNER_EMAIL))
        scenario = Scenario(owner_id=owner.id, name=spec["name"], spec=spec)
        db.session.add(scenario)
        db.session.commit()
        scenario_id = scenario.id
        db.engine.dispose()
    return scenario_id


def upload(page, url: str, field: str, name: str, data: bytes) -> None:
    page.goto(url)
    page.set_input_files(f'input[name="{field}"]', files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    page.locator(f'form:has(input[name="{field}"]) button[type="submit"]').click()
    page.wait_for_load_state()


def check(page, url: str, dialogs: list[str]) -> dict:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    found = page.evaluate(INJECTED)
    assert found["xss"] == "undefined", f"{url}: a payload ran"
    assert found["scripts"] == 0 and found["img"] == 0 and found["links"] == 0, f"{url}: injected markup {found}"
    assert not dialogs, f"{url}: dialog opened {dialogs}"
    return found


def test_four_communes_xss_payloads_in_every_text_field_never_run(browser, live_server, live_instance):
    scenario_id = seed(live_instance)
    base = live_server
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    login(page, base)
    s = f"{base}/scenarios/{scenario_id}"
    upload(page, f"{s}/marches", "u-file", "marches.csv",
           csv_bytes([["insee_com", "weekday", "time_of_day", "place"], ["18223", "jeudi", IMG, SCRIPT + LINK]]))
    assert "1 marché importé" in page.content()
    page.goto(f"{s}/accueil")  # a usual host site: shown on the hosts page and beside each stop of the plans
    page.get_by_label("Commune").fill("18223")  # the search box takes a code as well as a name
    page.get_by_label("Nom du lieu").fill(SCRIPT + LINK)
    page.get_by_label("Adresse", exact=True).fill(IMG)
    page.get_by_role("button", name="Enregistrer").click()
    assert "Lieu d'accueil et horaires enregistrés" in page.content()
    upload(page, f"{s}/demandes", "u-file", "demandes.csv", csv_bytes([
        ["insee_com", "start", "end", "days", "priority", "requester", "host_site", "contact", "note"],
        ["18223", "2027-01-05", "2027-01-15", "1", "should", SVG, SCRIPT, IMG, LINK]]))
    assert "1 demande importée" in page.content()
    upload(page, s, "e-file", f"<img src=x onerror=window.__xss=1>{SVG}.csv",
           b"date;insee_com;host_site\n2027-01-06;18145;" + IMG.replace('"', "'").encode() + b"\n2027-01-13;18223;x\n")
    evaluated = page.url
    assert "/plans/" in evaluated, page.content()[:2000]

    # a solve through the queue, so that the plan, the job and the comparison show the payloads too
    page.goto(s)
    page.locator(f'form[action="/scenarios/{scenario_id}/calcul"] button').click()
    page.wait_for_url("**/calculs/*")
    job = page.url
    deadline = time.monotonic() + GUARD_S
    progress: dict = {}
    while time.monotonic() < deadline and not progress.get("finished"):
        progress = json.loads(page.request.get(f"{job}/etat.json").text())
        time.sleep(0.3)
    assert progress.get("status") == "done", progress
    solved = f"{base}{progress['plan_url']}"
    evaluated_id = evaluated.rsplit("/", 1)[1].split("#")[0]
    pages = [f"{base}/scenarios", s, f"{s}/general", f"{s}/territoire", f"{s}/vehicules", f"{s}/ponderations",
             f"{s}/accueil", f"{s}/marches", f"{s}/demandes", f"{s}/regles", job, solved, evaluated,
             f"{solved}/comparer?avec={evaluated_id}"]
    shown = {}
    for bypass in (False, True):  # as served, then without the CSP: escaping alone must hold
        checking = browser.new_context(locale="fr-FR", bypass_csp=bypass)
        tab = checking.new_page()
        dialogs: list[str] = []
        tab.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
        login(tab, base)
        for url in pages:
            shown[url] = check(tab, url, dialogs)["shown"]
        checking.close()
    context.close()
    # the payloads were really on the pages, shown as text
    for url in (f"{base}/scenarios", s, f"{s}/vehicules", f"{s}/accueil", f"{s}/marches", f"{s}/demandes", solved,
                evaluated):
        assert shown[url], f"{url}: the payload is not shown, so this page tested nothing"
