"""E-mail through the outbox, read from a real SMTP server on loopback (aiosmtpd): publishing the
Menetou-Salon (18145) season tells its mairie (dates, notices, feed, private host link) and the
requester (its dates); cancelling a stop tells the mairie « annulé »; reminders 21 and 7 days before;
a refused message is retried and sent once; without a server the outbox waits to be copied."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from tests.web import smtp_server
from tests.web.conftest import four_communes_spec
from tests.web.public_helpers import publish
from web.extensions import db
from web.models import OutboxMessage, StopRequest
from web.queue import mail_pass

MENETOU = "18145"
TODAY = dt.date.today()
FIRST, SECOND = TODAY + dt.timedelta(days=30), TODAY + dt.timedelta(days=44)


@pytest.fixture
def inbox():
    box = smtp_server.Inbox()
    controller = smtp_server.start(box)
    box.url = f"smtp://127.0.0.1:{controller.port}"
    yield box
    controller.stop()


def draft_with_request(app, users) -> tuple[int, int]:
    """A draft plan with Menetou-Salon on FIRST and SECOND serving its mairie's accepted request."""
    spec = four_communes_spec(start=TODAY.isoformat(), end=(SECOND + dt.timedelta(days=1)).isoformat())
    with app.app_context():
        from web.models import Scenario

        scenario = Scenario(owner_id=users["alice"], name="Bus numérique — printemps", spec=spec)
        db.session.add(scenario)
        db.session.commit()
        record = StopRequest(token="t" * 43, status="accepted", insee=MENETOU, commune="Menetou-Salon",
                             host_site="Parking de la mairie", contact_name="Claire Martin",
                             contact_email="mairie@menetou.example", scenario_id=scenario.id, windows=[])
        db.session.add(record)
        db.session.commit()
        scenario_id, request_id = scenario.id, record.request_id
    _, plan_id = publish(app, users["alice"], spec, [(FIRST.isoformat(), MENETOU), (SECOND.isoformat(), MENETOU)],
                         scenario_id=scenario_id, publish_it=False, request_ids=(request_id,))
    return scenario_id, plan_id


def test_menetou_publication_mails_the_mairie_and_the_requester_once(app, logged, users, inbox):
    app.config["SMTP_URL"] = inbox.url
    scenario_id, plan_id = draft_with_request(app, users)
    assert logged.post(f"/plans/{plan_id}/publier", data={"csrf_token": logged.token}).status_code == 302
    assert mail_pass(app) == 2
    assert mail_pass(app) == 0  # nothing sent twice
    host = inbox.by_subject("Dates du bus numérique à Menetou-Salon")
    requester = inbox.by_subject("Votre demande de passage à Menetou-Salon")
    assert len(host) == 1 and len(requester) == 1
    text = smtp_server.text_of(host[0])
    assert host[0]["To"] == "mairie@menetou.example"
    assert f"{FIRST:%d/%m/%Y}" in text and f"{SECOND:%d/%m/%Y}" in text and "/hote/" in text
    assert f"/communes/{MENETOU}.ics" in text and f"/communes/{MENETOU}/avis/" in text
    assert "/hote/" in html.unescape(smtp_server.html_of(host[0]))
    assert f"Les dates retenues pour votre demande à Menetou-Salon sont : {FIRST:%d/%m/%Y}, {SECOND:%d/%m/%Y}" \
        in smtp_server.text_of(requester[0])
    # the host link the mail carries opens the host's page
    link = next(line for line in text.splitlines() if "/hote/" in line).split(" : ", 1)[1]
    assert app.test_client().get(link.replace("http://localhost", "")).status_code == 200

    # cancelling the first date re-publishes and tells the mairie
    page = logged.get(f"/scenarios/{scenario_id}/saison-en-cours")
    assert page.status_code == 200
    answer = logged.post(f"/scenarios/{scenario_id}/saison-en-cours/annuler",
                         data={"csrf_token": logged.token, "stop": f"{FIRST.isoformat()}|bus|{MENETOU}",
                               "reason": "salle indisponible"})
    assert answer.status_code == 302
    mail_pass(app)
    changed = inbox.by_subject("Changement de date à Menetou-Salon")
    assert len(changed) == 1
    assert f"le {FIRST:%d/%m/%Y} est annulé (salle indisponible)" in smtp_server.text_of(changed[0])


def test_menetou_reminders_21_and_7_days_before_are_sent_once_each(app, logged, users, inbox):
    app.config["SMTP_URL"] = inbox.url
    _, plan_id = draft_with_request(app, users)
    logged.post(f"/plans/{plan_id}/publier", data={"csrf_token": logged.token})
    mail_pass(app)
    mail_pass(app, today=FIRST - dt.timedelta(days=21))
    mail_pass(app, today=FIRST - dt.timedelta(days=20))
    assert len(inbox.by_subject(f"Rappel : le bus numérique à Menetou-Salon le {FIRST:%d/%m/%Y}")) == 1
    mail_pass(app, today=FIRST - dt.timedelta(days=7))
    reminders = inbox.by_subject(f"Rappel : le bus numérique à Menetou-Salon le {FIRST:%d/%m/%Y}")
    assert len(reminders) == 2 and "dans 7 jours" in smtp_server.text_of(reminders[1])


def test_refused_message_is_retried_later_and_sent_once(app, logged, users, inbox):
    app.config["SMTP_URL"] = inbox.url
    _, plan_id = draft_with_request(app, users)
    inbox.refuse = True
    logged.post(f"/plans/{plan_id}/publier", data={"csrf_token": logged.token})
    assert mail_pass(app) == 0
    with app.app_context():
        rows = db.session.scalars(db.select(OutboxMessage)).all()
        assert {(r.status, r.attempts) for r in rows} == {("pending", 1)} and "451" in rows[0].last_error
    inbox.refuse = False
    assert mail_pass(app) == 0  # its retry delay has not passed
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=5)
    assert mail_pass(app, now=later) == 2
    assert len(inbox.messages) == 2


def test_without_smtp_the_outbox_is_shown_to_copy_and_marked_sent_by_hand(app, logged, users):
    _, plan_id = draft_with_request(app, users)
    logged.post(f"/plans/{plan_id}/publier", data={"csrf_token": logged.token})
    assert mail_pass(app) == 0
    page = html.unescape(logged.get("/courriels").get_data(as_text=True))
    assert "Aucun serveur de messagerie n'est configuré" in page and "Dates du bus numérique à Menetou-Salon" in page
    with app.app_context():
        first = db.session.scalar(db.select(OutboxMessage).order_by(OutboxMessage.id))
        first_id = first.id
    logged.post(f"/courriels/{first_id}/envoye", data={"csrf_token": logged.token})
    with app.app_context():
        assert db.session.get(OutboxMessage, first_id).status == "sent"


def test_planner_sends_the_menetou_host_link_to_a_new_address(app, logged, users, inbox):
    app.config["SMTP_URL"] = inbox.url
    scenario_id, plan_id = draft_with_request(app, users)
    logged.post(f"/plans/{plan_id}/publier", data={"csrf_token": logged.token})
    answer = logged.post(f"/scenarios/{scenario_id}/saison-en-cours/liens",
                         data={"csrf_token": logged.token, "insee": MENETOU, "email": "secretariat@menetou.example"})
    assert answer.status_code == 302
    mail_pass(app)
    [sent] = inbox.by_subject("Votre page d'accueil du bus numérique — Menetou-Salon")
    assert sent["To"] == "secretariat@menetou.example" and "/hote/" in smtp_server.text_of(sent)
    bad = logged.post(f"/scenarios/{scenario_id}/saison-en-cours/liens",
                      data={"csrf_token": logged.token, "insee": MENETOU, "email": "pas-une-adresse"})
    assert bad.status_code == 302
    page = html.unescape(logged.get(bad.headers["Location"]).get_data(as_text=True))
    assert "Adresse e-mail invalide : « pas-une-adresse »" in page


def test_inbox_text_to_copy_names_the_published_dates_of_an_accepted_menetou_request(app, logged, users):
    _, plan_id = draft_with_request(app, users)
    logged.post(f"/plans/{plan_id}/publier", data={"csrf_token": logged.token})
    with app.app_context():
        request_id = db.session.scalar(db.select(StopRequest.id))
    page = html.unescape(logged.get(f"/demandes/{request_id}").get_data(as_text=True))
    assert f"est acceptée. Dates retenues : {FIRST:%d/%m/%Y}, {SECOND:%d/%m/%Y}." in page
