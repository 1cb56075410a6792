"""Cancelling a long solve (the Cher with nights away, tests/web/conftest.py ``long_solve_spec``): it
stops and keeps the best plan found."""

from __future__ import annotations

from tests.web.conftest import add_scenario, long_solve_spec
from tests.web.test_web_four_communes_solve import consumer, wait_for  # noqa: F401 - fixture
from web.extensions import db
from web.models import PlanRecord, SolveJob


def test_cancel_stops_a_cher_nights_away_solve_and_keeps_its_best_plan(logged, app, users, consumer):  # noqa: F811
    spec = long_solve_spec()
    scenario_id = add_scenario(app, users["alice"], spec)
    response = logged.post(f"/scenarios/{scenario_id}/calcul", data={"csrf_token": logged.token})
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    wait_for(app, job_id, lambda j: j.status == "running" and j.objective is not None)
    assert logged.post(f"/calculs/{job_id}/annuler", data={"csrf_token": logged.token}).status_code == 302
    job = wait_for(app, job_id, lambda j: j.finished)
    assert job.status == "cancelled" and job.cancel_requested
    with app.app_context():
        record = db.session.scalar(db.select(PlanRecord).filter_by(job_id=job_id))
        assert record is not None and record.stopped and record.stop_count > 0
        assert db.session.get(SolveJob, job_id).elapsed_s < 600
