"""The planners' inbox on a Menetou-Salon request: login required, filters, accept into a scenario
(its ``requests`` row), decline with a reason, e-mail text to copy, CSV import all-or-nothing, and
whether the latest plan serves the request."""

from __future__ import annotations

import html
import io

from planner import ScenarioSpec, Unserved, build_scenario
from tests.web.conftest import add_scenario, csrf_token, four_communes_spec
from tests.web.public_helpers import SOON, publish, valid_request
from web.extensions import db
from web.inbox import KNOWN_COLUMNS
from web.models import Scenario, StopRequest


def send_request(client, **changes) -> str:
    data = valid_request(**changes)
    data["csrf_token"] = csrf_token(client, "/demande")
    return client.post("/demande", data=data).headers["Location"].split("?")[0]


def accepted_must(app, logged, users) -> tuple[int, dict]:
    """The Menetou-Salon request sent and accepted as a must into a new scenario: (its id, its spec)."""
    send_request(logged)
    scenario_id = add_scenario(app, users["alice"])
    logged.post("/demandes/1/decision", data={"csrf_token": logged.token, "action": "accept", "priority": "must",
                                              "scenario": str(scenario_id), "reason": ""})
    with app.app_context():
        return scenario_id, db.session.get(Scenario, scenario_id).spec


def client_link_page(app) -> str:
    """The requester's private page, read from a fresh client (no planner session)."""
    with app.app_context():
        token = db.session.get(StopRequest, 1).token
    return html.unescape(app.test_client().get(f"/demande/suivi/{token}").get_data(as_text=True))


def test_inbox_needs_a_login(client):
    assert client.get("/demandes").status_code == 302
    assert client.post("/demandes/1/decision").status_code in (302, 400)


def test_accepting_menetou_feeds_the_scenario_and_its_plan_says_if_served(app, logged, users):
    link = send_request(logged)
    scenario_id = add_scenario(app, users["alice"])
    page = logged.get("/demandes").get_data(as_text=True)
    assert "Menetou-Salon" in page
    assert "Menetou-Salon" not in logged.get("/demandes?statut=accepted").get_data(as_text=True)
    assert "Menetou-Salon (18145)" not in logged.get("/demandes?epci=241800507&statut=tout").get_data(as_text=True)
    assert "/demandes/1" in logged.get("/demandes?epci=200066330&statut=tout").get_data(as_text=True)
    assert "/demandes/1" in logged.get(f"/demandes?date={SOON.isoformat()}").get_data(as_text=True)
    assert "/demandes/1\"" not in logged.get("/demandes?date=2020-01-01").get_data(as_text=True)
    response = logged.post("/demandes/1/decision", data={"csrf_token": logged.token, "action": "accept",
                                                         "priority": "must", "scenario": str(scenario_id), "reason": ""})
    assert response.status_code == 302
    with app.app_context():
        spec = db.session.get(Scenario, scenario_id).spec
        record = db.session.get(StopRequest, 1)
        assert record.status == "accepted" and record.priority == "must" and record.scenario_id == scenario_id
        [row] = spec["requests"]
        assert row["request_id"] == "web-1" and row["insee_com"] == "18145" and row["priority"] == "must"
        assert set(row) <= set(KNOWN_COLUMNS) | {"address", "postcode", "lat", "lon", "location_note", "contact_role",
                                                 "contact_email", "contact_phone"}
        # weekdays Tue/Thu narrow the period to those days; the planner's loader reads the row
        scenario = build_scenario(ScenarioSpec.from_dict(spec))
        [request] = scenario.requests
        assert request.priority == "must" and all(d.weekday() in (1, 3) for a, b in request.windows for d in (a, b))
        assert request.windows[0][0] >= SOON
    show = logged.get("/demandes/1").get_data(as_text=True)
    assert "Aucun plan n&#39;a encore été calculé" in show
    assert "est acceptée" in show and link.rsplit("/", 1)[1] in show  # e-mail text with the private link
    # the requester sees the decision
    assert "acceptée" in logged.get(link).get_data(as_text=True)
    # a plan solved before the acceptance does not count; one serving web-1 does
    publish(app, users["alice"], four_communes_spec(), [("2027-01-05", "18145")], scenario_id=scenario_id, publish_it=False)
    assert "avant que la demande soit dans le scénario" in logged.get("/demandes/1").get_data(as_text=True)
    # removed from the scenario in the editor: the inbox says so
    with app.app_context():
        scenario = db.session.get(Scenario, scenario_id)
        scenario.spec = {**scenario.spec, "requests": []}
        db.session.commit()
    assert "plus dans le scénario" in logged.get("/demandes/1").get_data(as_text=True)


def test_inbox_says_which_dates_serve_menetou_or_why_not(app, logged, users):
    scenario_id, spec = accepted_must(app, logged, users)
    publish(app, users["alice"], spec, [("2027-01-05", "18145"), ("2027-01-07", "18145")], scenario_id=scenario_id,
            request_ids=("web-1",))
    follow = client_link_page(app)
    assert "Dates retenues : mardi 5 janvier 2027, jeudi 7 janvier 2027." in follow  # the requester sees them
    assert "dates demandées" not in follow  # both asked dates are there
    page = logged.get("/demandes/1").get_data(as_text=True)
    assert "Servie par 2 arrêts : 05/01/2027, 07/01/2027." in page and "(publié)" in page
    why = "Aucun jour de la période n'est un jour de travail du véhicule."
    publish(app, users["alice"], spec, [("2027-01-06", "18033")], scenario_id=scenario_id, publish_it=False,
            unserved=(Unserved("web-1", "18145", "must", "no_day", why),))
    assert why in html.unescape(logged.get("/demandes/1").get_data(as_text=True))


def test_menetou_requester_sees_one_of_its_two_dates_as_the_inbox_does(app, logged, users):
    # The request asks for 2 days; the published season has one stop in Menetou-Salon in its periods
    # (05/01/2027): the inbox and the requester's page say 1 of 2.
    scenario_id, spec = accepted_must(app, logged, users)
    publish(app, users["alice"], spec, [("2027-01-05", "18145"), ("2027-01-06", "18033")], scenario_id=scenario_id,
            request_ids=("web-1",))
    follow = client_link_page(app)
    assert "Dates retenues : mardi 5 janvier 2027." in follow
    assert "1 sur 2 dates demandées" in follow
    assert "1 arrêt sur 2 demandés" in html.unescape(logged.get("/demandes/1").get_data(as_text=True))


def test_declining_menetou_needs_a_reason_and_shows_it_to_the_requester(app, logged, users):
    link = send_request(logged)
    data = {"csrf_token": logged.token, "action": "decline", "priority": "should", "scenario": "", "reason": ""}
    logged.post("/demandes/1/decision", data=data)
    with app.app_context():
        assert db.session.get(StopRequest, 1).status == "pending"
    logged.post("/demandes/1/decision", data={**data, "reason": "Pas de prise électrique sur la place."})
    with app.app_context():
        assert db.session.get(StopRequest, 1).status == "declined"
    assert "Pas de prise électrique sur la place." in logged.get(link).get_data(as_text=True)
    assert "Motif : Pas de prise" in logged.get("/demandes/1").get_data(as_text=True)


def test_another_planners_scenario_cannot_receive_a_request(app, logged, users):
    send_request(logged)
    bobs = add_scenario(app, users["bob"])
    response = logged.post("/demandes/1/decision", data={"csrf_token": logged.token, "action": "accept",
                                                         "priority": "should", "scenario": str(bobs), "reason": ""})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Scenario, bobs).spec["requests"] == []


def upload(client, name: str, text: str):
    return client.post("/demandes/import", data={"csrf_token": client.token,
                                                 "file": (io.BytesIO(text.encode("utf-8")), name)},
                       content_type="multipart/form-data")


def test_import_of_two_rows_with_one_bad_date_imports_nothing_then_the_fixed_file_imports_both(app, logged):
    bad = ("code_insee,start,end,priority,status,requester\n18145,2027-01-05,2027-01-20,must,,CC\n"
           "18160,2027-02-30,2027-03-01,should,en attente,X\n")
    response = upload(logged, "demandes.csv", bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "2027-02-30" in page and "start" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StopRequest.id))) == 0
    assert upload(logged, "demandes.csv", bad.replace("2027-02-30", "2027-02-01")).status_code == 302
    with app.app_context():
        records = db.session.scalars(db.select(StopRequest).order_by(StopRequest.id)).all()
        assert [(r.insee, r.priority, r.status, r.windows[0][0]) for r in records] == [
            ("18145", "must", "accepted", "2027-01-05"), ("18160", "should", "pending", "2027-02-01")]
    assert upload(logged, "demandes.txt", "x").status_code == 422
