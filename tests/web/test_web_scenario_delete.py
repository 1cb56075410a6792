"""Deleting a four-commune scenario: confirmation page, its plans and jobs go with it; a published
season and another planner's scenario stay."""

from __future__ import annotations

import html
import io

import pytest

from tests.web.conftest import add_scenario, csrf_token, four_communes_spec
from tests.web.public_helpers import valid_request
from web.extensions import db
from web.models import JobEvent, PlanRecord, Publication, Scenario, SolveJob, StopRequest

TOUR = b"date;insee_com\n2027-01-06;18145\n2027-01-13;18223\n"


def evaluated_plan(logged, scenario_id: int) -> int:
    response = logged.post(f"/scenarios/{scenario_id}/evaluer", data={"csrf_token": logged.token,
                                                                      "e-file": (io.BytesIO(TOUR), "t.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.mark.both_databases
def test_a_four_commune_scenario_with_a_plan_and_a_replan_job_is_deleted_whole(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    plan_id = evaluated_plan(logged, scenario_id)
    with app.app_context():  # a finished re-plan job of that plan, with an event, and its plan
        job = SolveJob(owner_id=users["alice"], scenario_id=scenario_id, spec=four_communes_spec(), status="done",
                       previous_plan_id=plan_id)
        db.session.add(job)
        db.session.commit()
        db.session.add(JobEvent(job_id=job.id, phase="done", elapsed_s=1.0))
        first = db.session.get(PlanRecord, plan_id)
        db.session.add(PlanRecord(owner_id=users["alice"], scenario_id=scenario_id, job_id=job.id, previous_plan_id=plan_id,
                                  data=first.data, stop_count=2))
        db.session.commit()
    keep = add_scenario(app, users["alice"], four_communes_spec(name="Autre saison"))

    page = logged.get(f"/scenarios/{scenario_id}/supprimer").get_data(as_text=True)
    assert "2 plans" in page and "1 calcul " in page and "Supprimer définitivement" in page
    assert logged.post(f"/scenarios/{scenario_id}/supprimer", data={}).status_code == 400  # no CSRF token
    response = logged.post(f"/scenarios/{scenario_id}/supprimer", data={"csrf_token": logged.token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/scenarios")
    assert "supprimé" in logged.get("/scenarios").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Scenario, scenario_id) is None
        assert db.session.scalar(db.select(db.func.count(PlanRecord.id))) == 0
        assert db.session.scalar(db.select(db.func.count(SolveJob.id))) == 0
        assert db.session.scalar(db.select(db.func.count(JobEvent.id))) == 0
        assert db.session.get(Scenario, keep) is not None
    assert logged.get(f"/plans/{plan_id}").status_code == 404


def test_a_published_four_commune_season_is_not_deleted(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    plan_id = evaluated_plan(logged, scenario_id)
    assert logged.post(f"/plans/{plan_id}/publier", data={"csrf_token": logged.token}).status_code == 302
    page = logged.get(f"/scenarios/{scenario_id}/supprimer").get_data(as_text=True)
    assert "ne se supprime pas" in page and "Supprimer définitivement" not in page
    response = logged.post(f"/scenarios/{scenario_id}/supprimer", data={"csrf_token": logged.token})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Scenario, scenario_id) is not None
        assert db.session.scalar(db.select(db.func.count(Publication.id))) == 1


def test_another_planners_scenario_cannot_be_deleted(logged, app, users):
    bob = add_scenario(app, users["bob"], four_communes_spec(name="Saison de Bob"))
    assert logged.get(f"/scenarios/{bob}/supprimer").status_code == 404
    assert logged.post(f"/scenarios/{bob}/supprimer", data={"csrf_token": logged.token}).status_code == 404
    with app.app_context():
        assert db.session.get(Scenario, bob) is not None


@pytest.mark.both_databases
def test_a_draft_holding_the_accepted_menetou_request_is_deleted_and_the_request_waits_for_a_scenario(logged, app, users):
    """The request's row of scenario_id pointed at the draft (a foreign key): deleting the draft used to
    answer 409. The request stays accepted, with no scenario, as one accepted before any scenario was picked."""
    data = valid_request()
    data["csrf_token"] = csrf_token(logged, "/demande")
    assert logged.post("/demande", data=data).status_code == 302
    scenario_id = add_scenario(app, users["alice"])
    assert logged.post("/demandes/1/decision", data={"csrf_token": logged.token, "action": "accept", "priority": "must",
                                                     "scenario": str(scenario_id), "reason": ""}).status_code == 302
    evaluated_plan(logged, scenario_id)
    with app.app_context():
        assert [r["request_id"] for r in db.session.get(Scenario, scenario_id).spec["requests"]] == ["web-1"]

    response = logged.post(f"/scenarios/{scenario_id}/supprimer", data={"csrf_token": logged.token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/scenarios")
    with app.app_context():
        assert db.session.get(Scenario, scenario_id) is None
        assert db.session.scalar(db.select(db.func.count(PlanRecord.id))) == 0
        record = db.session.get(StopRequest, 1)
        assert (record.status, record.priority, record.scenario_id) == ("accepted", "must", None)
    assert "/demandes/1" in logged.get("/demandes?statut=accepted").get_data(as_text=True)
    page = html.unescape(logged.get("/demandes/1").get_data(as_text=True))
    assert "La demande n'est dans aucun scénario : choisissez-en un ci-dessous." in page
