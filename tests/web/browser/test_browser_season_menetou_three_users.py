"""The three users of a running season through one change, in chromium on the real server (``run.py
serve`` with its worker) and a real SMTP server on loopback: the planner publishes the four-commune
season; the mairie of Menetou-Salon (18145) gets its mail, opens its private link, sees its dates;
the planner moves Menetou's first date (replace from « Saison en cours », minimal-change re-plan,
re-publish); the mairie is told, sees « déplacé » or « annulé » on its page and the commune page,
enters 3 sign-ups for its next date; the planner sees the alert, replaces that stop and re-publishes.
Pages are axe-checked; with TOURNEE_SCREENSHOTS=folder, screenshots at 1280 and 390 px. On SQLite
and on a throwaway PostgreSQL cluster."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.web import smtp_server
from tests.web.browser.conftest import PASSWORD, PLANNER_EMAIL, assert_accessible
from tests.web.browser.test_browser_four_communes_season import wait_for_finished_job
from tests.web.conftest import four_communes_spec
from tests.web.public_helpers import publish
from web import create_app
from web.auth import create_user
from web.extensions import db
from web.models import Scenario, StopRequest, User

pytestmark = pytest.mark.both_databases

MENETOU = "18145"
TODAY = dt.date.today()
SHOTS = os.environ.get("TOURNEE_SCREENSHOTS", "")
MAIL_GUARD_S = 90  # a hang guard: the worker sends at once, its minute pass at the latest
PUBLIC_TTL_GUARD_S = 10  # a hang guard too: public pages see a publication within 2 s


def working_day(after: int) -> dt.date:
    day = TODAY + dt.timedelta(days=after)
    while day.isoweekday() not in (2, 3, 4, 5):  # the bus's default Tuesday to Friday
        day += dt.timedelta(days=1)
    return day


FIRST, SECOND = working_day(4), working_day(9)


def shoot(page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width, label in ((1280, "1280"), (390, "390")):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{label}-{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


@pytest.fixture
def mail_box(monkeypatch):
    box = smtp_server.Inbox()
    controller = smtp_server.start(box)
    monkeypatch.setenv("TOURNEE_SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
    yield box
    controller.stop()


def app_for(instance: Path, database: str | None):
    return create_app({"INSTANCE_PATH": str(instance), "AUTO_MIGRATE": database is None,
                       **({"SQLALCHEMY_DATABASE_URI": database} if database else {})})


@pytest.fixture
def live_instance(tmp_path, database, monkeypatch) -> Path:
    """The conftest's instance, on SQLite or on a PostgreSQL database (already migrated) that the
    server is told of by TOURNEE_DATABASE_URL."""
    instance = tmp_path / "instance"
    if database:
        monkeypatch.setenv("TOURNEE_DATABASE_URL", database)
    app = app_for(instance, database)
    with app.app_context():
        create_user(PLANNER_EMAIL, PASSWORD)
        db.engine.dispose()
    return instance


@pytest.fixture
def live_server(mail_box, live_server):
    """The conftest's server, started once the SMTP server's address is in its environment."""
    return live_server


@pytest.fixture
def season(live_instance, database) -> int:
    """A draft plan of the four communes: Menetou-Salon on FIRST and SECOND for its mairie's request."""
    app = app_for(live_instance, database)
    spec = four_communes_spec(name="Bus numérique — saison en cours", start=TODAY.isoformat(),
                              end=(TODAY + dt.timedelta(days=20)).isoformat())
    with app.app_context():
        owner = db.session.scalar(db.select(User.id).filter_by(email=PLANNER_EMAIL))
        scenario = Scenario(owner_id=owner, name=spec["name"], spec=spec)
        db.session.add(scenario)
        db.session.commit()
        db.session.add(StopRequest(token="m" * 43, status="accepted", insee=MENETOU, commune="Menetou-Salon",
                                   host_site="Parking de la mairie", contact_name="Claire Martin",
                                   contact_email="mairie@menetou.example", scenario_id=scenario.id, windows=[]))
        db.session.commit()
        scenario_id = scenario.id
    _, plan_id = publish(app, owner, spec, [(FIRST.isoformat(), MENETOU), (working_day(5).isoformat(), "18033"),
                                            (SECOND.isoformat(), MENETOU), (working_day(12).isoformat(), "18223")],
                         scenario_id=scenario_id, publish_it=False)
    with app.app_context():
        db.engine.dispose()
    return scenario_id, plan_id


def wait_for_mail(box: smtp_server.Inbox, subject: str, count: int = 1):
    import time

    deadline = time.monotonic() + MAIL_GUARD_S
    while time.monotonic() < deadline:
        found = box.by_subject(subject)
        if len(found) >= count:
            return found[count - 1]
        time.sleep(0.2)
    raise AssertionError(f"no mail « {subject} » (received: {[m['Subject'] for m in box.messages]})")


def replace_from_alert(page, base: str, scenario_id: int, day: dt.date, kept: bool = True) -> None:
    """« Saison en cours » -> the stop's alert -> Remplacer -> the re-plan (another commune that same day, and
    why) -> Publier."""
    page.goto(f"{base}/scenarios/{scenario_id}/saison-en-cours")
    card = page.locator(f"#alerte-{day.isoformat()}-{MENETOU}")
    expect(card).to_be_visible()
    card.get_by_role("button", name=re.compile("Remplacer")).click()
    if not kept:  # every other commune was visited too recently that day: the date cannot be kept
        expect(page.locator(".flash-success")).to_contain_text(f"Aucune autre commune ne peut prendre le {day:%d/%m/%Y}")
    wait_for_finished_job(page)
    page.get_by_role("link", name="Voir le plan").click()
    if kept:  # the same date, another commune, and why (the other published dates stay: the mairie sees them)
        expect(page.locator("main")).to_contain_text(f"remplace Menetou-Salon le {day:%d/%m/%Y}, même véhicule")
        shoot(page, "plan-remplacement")
    page.get_by_role("button", name=re.compile(r"Publier ce plan")).click()
    expect(page.locator(".flash-success")).to_contain_text("Plan publié")


def test_menetou_season_through_one_change_in_chromium(page, live_server, season, mail_box, browser):
    scenario_id, plan_id = season
    from tests.web.browser.conftest import login

    login(page, live_server)
    # 1. the planner publishes
    page.goto(f"{live_server}/plans/{plan_id}")
    page.get_by_role("button", name="Publier ce plan (révision 1)").click()
    expect(page.locator(".flash-success")).to_contain_text("révision 1")
    first_mail = wait_for_mail(mail_box, "Dates du bus numérique à Menetou-Salon")
    text = smtp_server.text_of(first_mail)
    assert f"{FIRST:%d/%m/%Y}" in text and f"{SECOND:%d/%m/%Y}" in text
    host_url = re.search(r"(http://\S+/hote/[A-Za-z0-9_\-]+)", text).group(1)
    assert host_url.startswith(live_server)

    # 2. the mairie opens its link, on another browser context (no planner session)
    mairie = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris").new_page()
    mairie.goto(host_url)
    expect(mairie.locator("h1")).to_contain_text("Menetou-Salon")
    expect(mairie.locator(f"#jour-{FIRST.isoformat()}")).to_be_visible()
    assert_accessible(mairie)
    shoot(mairie, "hote-revision-1")

    # 3. the planner sees the season, moves Menetou's first date (replace + re-publish)
    page.goto(f"{live_server}/scenarios/{scenario_id}/saison-en-cours")
    expect(page.locator("h1")).to_contain_text("Saison en cours")
    assert_accessible(page)
    shoot(page, "saison-en-cours-revision-1")
    replace_from_alert(page, live_server, scenario_id, FIRST)
    changed = wait_for_mail(mail_box, "Changement de date à Menetou-Salon")
    assert f"le {FIRST:%d/%m/%Y} est " in smtp_server.text_of(changed)

    # 4. the mairie sees the change and enters 3 sign-ups for its next date
    mairie.goto(host_url)
    gone = mairie.locator("li.withdrawn").first
    expect(gone).to_contain_text(re.compile("déplacé au|annulé"))
    second = mairie.locator(f"#jour-{SECOND.isoformat()}")
    expect(second).to_be_visible()  # the minimal-change re-plan kept the other date
    second.get_by_label("Inscrits").first.fill("2")
    second.get_by_label("Inscrits").nth(1).fill("1")
    second.get_by_role("button", name=re.compile("Enregistrer")).click()
    expect(mairie.locator(".flash-success")).to_contain_text("enregistrés")
    shoot(mairie, "hote-revision-2")
    # 5. the planner sees the alert (3 sign-ups, no confirmed site), replaces the stop, re-publishes
    page.goto(f"{live_server}/scenarios/{scenario_id}/saison-en-cours")
    card = page.locator(f"#alerte-{SECOND.isoformat()}-{MENETOU}")
    expect(card).to_contain_text("3 inscrits")
    expect(card).to_contain_text("lieu d'accueil non confirmé")
    shoot(page, "saison-en-cours-alerte")
    replace_from_alert(page, live_server, scenario_id, SECOND, kept=False)  # the 3 others within 21 days
    wait_for_mail(mail_box, "Changement de date à Menetou-Salon", count=2)
    commune = mairie.context.new_page()
    commune.goto(f"{live_server}/communes/{MENETOU}")
    withdrawn = commune.locator("ul.withdrawn")
    # A new publication reaches the public pages within web.published.CURRENT_TTL_S (2 s) and the
    # mail may be faster: the secretary reloads, as a reader would.
    end = time.monotonic() + PUBLIC_TTL_GUARD_S
    while f"{SECOND:%d/%m/%Y}" not in withdrawn.inner_text() and time.monotonic() < end:
        commune.wait_for_timeout(500)
        commune.reload()
    expect(withdrawn).to_contain_text(f"{FIRST:%d/%m/%Y}")
    expect(withdrawn).to_contain_text(f"{SECOND:%d/%m/%Y}")
    assert_accessible(commune)
    shoot(commune, "commune-apres-changement")
    notice = commune.context.new_page()
    notice.goto(f"{live_server}/communes/{MENETOU}/avis/1/{FIRST.isoformat()}")
    expect(notice.locator("h1")).to_contain_text(f"Le passage du {FIRST:%d/%m/%Y} est")
    shoot(notice, "avis-deplace")
    page.goto(f"{live_server}/courriels")
    shoot(page, "courriels")
    home = commune.context.new_page()
    home.goto(f"{live_server}/")
    expect(home.get_by_role("link", name="Trouver ma commune").first).to_be_visible()
    shoot(home, "accueil")
