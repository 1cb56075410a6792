"""Running a published season on the four-commune scenario: Menetou-Salon's (18145) host link shows
its dates only, confirms the host site and enters sign-ups per workshop; the planner's « Saison en
cours » raises the alerts of the coming stops and records participants; a revoked link, another
commune's stop and a missing CSRF token are refused; ``recorded_outcomes`` sums the workshops."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from tests.web.conftest import four_communes_spec
from tests.web.public_helpers import publish
from web import season
from web.extensions import db
from web.host_links import issue_link
from web.models import HostLink, WorkshopOutcome

pytestmark = pytest.mark.both_databases
MENETOU, BOURGES = "18145", "18033"
TODAY = dt.date.today()
SOON, LATER, PAST = (TODAY + dt.timedelta(days=5), TODAY + dt.timedelta(days=40), TODAY - dt.timedelta(days=2))


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def season_of(app, users) -> tuple[int, str]:
    """Menetou-Salon in 5 days, in 40 days and 2 days ago; Bourges in 5 days. Returns (scenario, host token)."""
    spec = four_communes_spec(start=PAST.isoformat(), end=LATER.isoformat())
    scenario_id, _ = publish(app, users["alice"], spec, [(PAST.isoformat(), MENETOU), (SOON.isoformat(), MENETOU),
                                                         (SOON.isoformat(), BOURGES), (LATER.isoformat(), MENETOU)])
    with app.test_request_context():
        link = issue_link(scenario_id, MENETOU, "mairie@menetou.example")
        db.session.commit()
        return scenario_id, link.token


def key(day: dt.date, insee: str = MENETOU) -> str:
    return f"{day.isoformat()}|bus|{insee}"


def test_menetou_host_link_shows_its_dates_and_records_signups_per_workshop(app, client, users):
    scenario_id, token = season_of(app, users)
    page = text(client.get(f"/hote/{token}"))
    assert f"{SOON:%d/%m/%Y}" in page and f"{LATER:%d/%m/%Y}" in page
    assert "Bourges" not in page and "mairie@menetou.example" not in page  # its own commune, no contact shown
    csrf = token_of(page)
    answer = client.post(f"/hote/{token}/ateliers", data={"csrf_token": csrf, "stop": key(SOON), "w0_signups": "4",
                                                          "w0_waiting": "", "w1_signups": "7", "w1_waiting": "2"})
    assert answer.status_code == 302
    with app.app_context():
        rows = db.session.scalars(db.select(WorkshopOutcome).order_by(WorkshopOutcome.workshop)).all()
        assert [(r.workshop, r.signups, r.waiting, r.entered_by) for r in rows] == [(0, 4, None, "hôte"), (1, 7, 2, "hôte")]
        outcomes = season.recorded_outcomes(scenario_id)
    soon = next(o for o in outcomes if o.date == SOON and o.insee == MENETOU)
    assert (soon.signups, soon.waiting, soon.participants, soon.status) == (11, 2, None, "planned")


def test_menetou_host_link_refuses_bad_counts_future_participants_and_other_communes(app, client, users):
    _, token = season_of(app, users)
    csrf = token_of(text(client.get(f"/hote/{token}")))
    bad = client.post(f"/hote/{token}/ateliers", data={"csrf_token": csrf, "stop": key(SOON), "w0_signups": "douze"})
    assert bad.status_code == 400 and "« douze » n'est pas un nombre" in text(bad)
    early = client.post(f"/hote/{token}/ateliers", data={"csrf_token": csrf, "stop": key(SOON), "w0_participants": "3"})
    assert early.status_code == 400 and "le jour de l'atelier ou après" in text(early)
    other = client.post(f"/hote/{token}/ateliers", data={"csrf_token": csrf, "stop": key(SOON, BOURGES), "w0_signups": "9"})
    assert other.status_code == 404
    assert client.post(f"/hote/{token}/ateliers", data={"stop": key(SOON), "w0_signups": "9"}).status_code == 400
    with app.app_context():
        assert db.session.scalars(db.select(WorkshopOutcome)).all() == []


def test_menetou_host_confirms_site_then_planner_sees_alerts_and_records_participants(app, logged, users):
    scenario_id, token = season_of(app, users)
    anonymous = app.test_client()
    csrf = token_of(text(anonymous.get(f"/hote/{token}")))
    view = text(logged.get(f"/scenarios/{scenario_id}/saison-en-cours"))
    assert view.count("lieu d'accueil non confirmé") == 2  # Menetou and Bourges, both in 5 days
    assert "0 inscrit dans 5 jours : moins de 6" in view
    assert f"{LATER:%d/%m/%Y}" in view and "alerte-" + LATER.isoformat() not in view  # 40 days away: no alert
    anonymous.post(f"/hote/{token}/lieu", data={"csrf_token": csrf, "host_site": "Parking de la mairie",
                                                 "address": "1 place de l'Église", "parking_power": "y"})
    anonymous.post(f"/hote/{token}/ateliers", data={"csrf_token": csrf, "stop": key(SOON), "w0_signups": "6",
                                                     "w1_signups": "5"})
    view = text(logged.get(f"/scenarios/{scenario_id}/saison-en-cours"))
    assert view.count("lieu d'accueil non confirmé") == 1  # Bourges only
    assert f"alerte-{SOON.isoformat()}-{MENETOU}" not in view
    answer = logged.post(f"/scenarios/{scenario_id}/saison-en-cours/arret",
                         data={"csrf_token": logged.token, "stop": key(PAST), "w0_participants": "8", "w0_status": "held",
                               "w1_status": "cancelled", "w1_reason": "panne du bus l'après-midi"})
    assert answer.status_code == 302
    with app.app_context():
        past = next(o for o in season.recorded_outcomes(scenario_id) if o.date == PAST)
    assert (past.status, past.participants, past.reason) == ("held", 8, "panne du bus l'après-midi")


def test_revoked_menetou_link_answers_404_and_another_planner_cannot_revoke(app, logged, users):
    scenario_id, token = season_of(app, users)
    assert app.test_client().get(f"/hote/{token}").status_code == 200
    assert app.test_client().get(f"/hote/{token[:-1]}x").status_code == 404
    answer = logged.post(f"/scenarios/{scenario_id}/saison-en-cours/liens/{MENETOU}/revoquer",
                         data={"csrf_token": logged.token})
    assert answer.status_code == 302
    revoked = app.test_client().get(f"/hote/{token}")
    assert revoked.status_code == 404 and "Ce lien ne s'ouvre plus" in text(revoked)
    assert "autre compte" not in text(revoked)  # a public page, never the planner's 404
    with app.app_context():
        link = db.session.scalar(db.select(HostLink))
        assert link.token is None and link.revoked_at is not None
        assert len(token) >= 43  # 256 bits


def test_host_date_change_request_reaches_the_planner(app, logged, users):
    scenario_id, token = season_of(app, users)
    anonymous = app.test_client()
    csrf = token_of(text(anonymous.get(f"/hote/{token}")))
    answer = anonymous.post(f"/hote/{token}/changement", data={"csrf_token": csrf, "stop": key(LATER),
                                                                "reason": "Salle des fêtes prise par un mariage"})
    assert answer.status_code == 302
    assert "Salle des fêtes prise par un mariage" in text(logged.get(f"/scenarios/{scenario_id}/saison-en-cours"))


def test_replacing_menetou_from_its_alert_forbids_it_that_day_and_replans_the_published_plan(app, logged, users):
    scenario_id, _ = season_of(app, users)
    answer = logged.post(f"/scenarios/{scenario_id}/saison-en-cours/remplacer",
                         data={"csrf_token": logged.token, "stop": key(SOON)})
    assert answer.status_code == 302 and "/calculs/" in answer.headers["Location"]
    with app.app_context():
        from web.models import Publication, Scenario, SolveJob

        scenario = db.session.get(Scenario, scenario_id)
        assert {"insee": MENETOU, "date": SOON.isoformat()} in scenario.spec["forbids"]
        job = db.session.scalar(db.select(SolveJob))
        published_plan = db.session.scalar(db.select(Publication.plan_id))
        assert job.previous_plan_id == published_plan and job.status == "queued"


def test_menetou_participants_recorded_during_the_season_reach_its_report(app, logged, users):
    """The planner records 8 participants for Menetou-Salon two days ago (held): the « Bilan de
    saison » of the published plan counts that stop held with its 8, the 3 coming stops not entered."""
    spec = four_communes_spec(start=PAST.isoformat(), end=LATER.isoformat())
    scenario_id, plan_id = publish(app, users["alice"], spec, [(PAST.isoformat(), MENETOU), (SOON.isoformat(), MENETOU),
                                                               (SOON.isoformat(), BOURGES), (LATER.isoformat(), MENETOU)])
    before = text(logged.get(f"/plans/{plan_id}/bilan"))
    assert re.search(r'<th scope="row">Arrêts</th><td>4</td><td>0</td>', before)
    answer = logged.post(f"/scenarios/{scenario_id}/saison-en-cours/arret",
                         data={"csrf_token": logged.token, "stop": key(PAST), "w0_participants": "8", "w0_status": "held",
                               "w1_participants": "0", "w1_status": "held"})
    assert answer.status_code == 302
    after = text(logged.get(f"/plans/{plan_id}/bilan"))
    assert re.search(r'<th scope="row">Arrêts</th><td>4</td><td>1</td>', after)
    assert re.search(r'<th scope="row">Participants \(attendus / venus\)</th><td>[^<]*</td><td>8</td>', after)
