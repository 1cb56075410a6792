"""A solve through a real Huey consumer on the four-commune scenario, then everything a planner
does with the plan: progress, plan page, pin, forbid, re-plan, compare, publish, downloads."""

from __future__ import annotations

import csv
import io
import signal
import time

import icalendar
import pytest
from openpyxl import load_workbook

from tests.web.conftest import add_scenario, four_communes_spec
from web.extensions import db
from web.models import JobEvent, PlanRecord, Publication, Scenario, SolveJob
from web.queue import bind_app, enqueue_solve

GUARD_S = 120  # a hang guard, not a timing assertion


@pytest.fixture
def consumer(app):
    """A real Huey consumer (thread worker) on the app's SQLite queue, as ``run.py worker`` starts it."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    bind_app(app)
    consumer = app.extensions["huey"].create_consumer(workers=1, worker_type="thread", initial_delay=0.05, max_delay=0.2)
    consumer.start()
    yield consumer
    consumer.stop(graceful=True)
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def wait_for(app, job_id: int, predicate) -> SolveJob:
    deadline = time.monotonic() + GUARD_S
    while time.monotonic() < deadline:
        with app.app_context():
            job = db.session.get(SolveJob, job_id)
            if predicate(job):
                db.session.expunge(job)
                return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not get there")


def solve_through_the_queue(logged, app, scenario_id: int) -> tuple[int, int]:
    response = logged.post(f"/scenarios/{scenario_id}/calcul", data={"csrf_token": logged.token})
    assert response.status_code == 302
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    wait_for(app, job_id, lambda j: j.finished)
    with app.app_context():
        plan = db.session.scalar(db.select(PlanRecord).filter_by(job_id=job_id))
        assert plan is not None, db.session.get(SolveJob, job_id).error
        return job_id, plan.id


def test_four_communes_solve_stores_progress_and_plan_then_the_planner_works_on_it(logged, app, users, consumer):
    scenario_id = add_scenario(app, users["alice"])
    job_id, plan_id = solve_through_the_queue(logged, app, scenario_id)

    with app.app_context():
        job = db.session.get(SolveJob, job_id)
        assert job.status == "done" and job.error == ""
        assert db.session.scalar(db.select(db.func.count(JobEvent.id)).filter_by(job_id=job_id)) >= 1
        record = db.session.get(PlanRecord, plan_id)
        assert record.stop_count > 0 and record.status in ("OPTIMAL", "FEASIBLE")
    status = logged.get(f"/calculs/{job_id}/etat.json").get_json()
    assert status["finished"] and status["plan_url"] == f"/plans/{plan_id}"
    assert "Journal du calcul" in logged.get(f"/calculs/{job_id}").get_data(as_text=True)

    page = logged.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "Calendrier de la saison" in page and "S01" in page and "S02" in page
    assert "Menetou-Salon" in page or "Nérondes" in page
    assert "Statut de l'optimiseur" in page and "Écart à la borne" in page and "Valeur du plan" in page

    # downloads open in the tools hosts use
    book = load_workbook(io.BytesIO(logged.get(f"/plans/{plan_id}/saison.xlsx").data))
    assert book.sheetnames
    calendar = icalendar.Calendar.from_ical(logged.get(f"/plans/{plan_id}/saison.ics").data)
    assert len(calendar.walk("VEVENT")) >= record.stop_count
    rows = list(csv.reader(io.StringIO(logged.get(f"/plans/{plan_id}/saison.csv").data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == record.stop_count + 1

    # publish twice: the revision counts up by itself
    for expected in (1, 2):
        assert logged.post(f"/plans/{plan_id}/publier", data={"csrf_token": logged.token}).status_code == 302
        with app.app_context():
            assert db.session.scalar(db.select(db.func.max(Publication.revision)).filter_by(scenario_id=scenario_id)) == expected
    ics = icalendar.Calendar.from_ical(logged.get(f"/plans/{plan_id}/saison.ics").data)
    assert {int(e["SEQUENCE"]) for e in ics.walk("VEVENT")} == {2}

    # pin the first stop, forbid the second's commune that day, re-plan from this plan
    with app.app_context():
        stops = sorted(db.session.get(PlanRecord, plan_id).data["stops"], key=lambda s: s["date"])
    first, second = stops[0], stops[1]
    key = lambda s: f'{s["date"]}|{s["vehicle"]}|{s["insee"] if "insee" in s else s["insee_com"]}'  # noqa: E731
    assert logged.post(f"/plans/{plan_id}/selection", data={"csrf_token": logged.token, "action": "pin",
                                                            "stop": [key(first)]}).status_code == 302
    assert logged.post(f"/plans/{plan_id}/selection", data={"csrf_token": logged.token, "action": "forbid",
                                                            "stop": [key(second)]}).status_code == 302
    with app.app_context():
        spec = db.session.get(Scenario, scenario_id).spec
    assert [p["date"] for p in spec["pins"]] == [first["date"]]
    assert [f["date"] for f in spec["forbids"]] == [second["date"]]
    response = logged.post(f"/plans/{plan_id}/replanifier", data={"csrf_token": logged.token})
    replan_job = int(response.headers["Location"].rsplit("/", 1)[1])
    job = wait_for(app, replan_job, lambda j: j.finished)
    assert job.status == "done", job.error
    with app.app_context():
        new_plan = db.session.scalar(db.select(PlanRecord).filter_by(job_id=replan_job))
        assert new_plan.previous_plan_id == plan_id
        new_stops = {(s["date"], s.get("insee", s.get("insee_com"))) for s in new_plan.data["stops"]}
    forbidden = (second["date"], second.get("insee", second.get("insee_com")))
    assert (first["date"], first.get("insee", first.get("insee_com"))) in new_stops and forbidden not in new_stops
    page = logged.get(f"/plans/{new_plan.id}").get_data(as_text=True)
    assert f"Ce qui a bougé depuis le plan n° {plan_id}" in page
    assert "Nouvelles dates de la commune" in page  # the forbidden stop moved, with its reason

    compare = logged.get(f"/plans/{plan_id}/comparer?avec={new_plan.id}")
    assert compare.status_code == 200
    assert "Participants attendus" in compare.get_data(as_text=True)


def test_another_planners_plan_and_job_are_404(logged, app, users, consumer):
    bob_scenario = add_scenario(app, users["bob"], four_communes_spec(name="Saison de Bob"))
    with app.app_context():
        job = SolveJob(owner_id=users["bob"], scenario_id=bob_scenario, spec=four_communes_spec(), status="done")
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    assert logged.get(f"/calculs/{job_id}").status_code == 404
    assert logged.get(f"/calculs/{job_id}/etat.json").status_code == 404
    assert logged.post(f"/calculs/{job_id}/annuler", data={"csrf_token": logged.token}).status_code == 404


def test_a_job_whose_spec_the_planner_refuses_fails_with_the_problems_in_french(logged, app, users, consumer):
    scenario_id = add_scenario(app, users["alice"])
    with app.app_context():
        job = SolveJob(owner_id=users["alice"], scenario_id=scenario_id,
                       spec=four_communes_spec(pins=[{"date": "2027-01-07", "insee": "75056"}]))
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    enqueue_solve(app, job_id)
    job = wait_for(app, job_id, lambda j: j.finished)
    assert job.status == "failed" and "75056" in job.error
    page = logged.get(f"/calculs/{job_id}").get_data(as_text=True)
    assert "échoué" in page and "75056" in page


def test_a_hand_made_four_commune_tour_is_evaluated_and_compared_with_a_solved_plan(logged, app, users, consumer):
    scenario_id = add_scenario(app, users["alice"])
    _job, solved = solve_through_the_queue(logged, app, scenario_id)
    bad = io.BytesIO(b"date;insee_com\n2027-01-06;18145\n06/01/2027x;18223\n")
    response = logged.post(f"/scenarios/{scenario_id}/evaluer", data={"csrf_token": logged.token, "e-file": (bad, "t.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "La tournée n&#39;a pas été évaluée" in response.get_data(as_text=True)
    tour = io.BytesIO(b"date;insee_com\n2027-01-06;18145\n2027-01-13;18223\n")
    response = logged.post(f"/scenarios/{scenario_id}/evaluer", data={"csrf_token": logged.token, "e-file": (tour, "t.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    evaluated = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        record = db.session.get(PlanRecord, evaluated)
        assert record.stop_count == 2 and record.label == "Tournée importée (t.csv)"
    page = logged.get(f"/plans/{evaluated}").get_data(as_text=True)
    assert "Menetou-Salon" in page and "Saint-Martin-d&#39;Auxigny" in page
    comparison = logged.get(f"/plans/{solved}/comparer?avec={evaluated}").get_data(as_text=True)
    assert f"Seulement dans le plan n° {evaluated}" in comparison
