"""A solve saved as waiting whose task never reached the queue (the server died in between) is queued
again when the server starts, once; one whose task is in the queue is left alone."""

from __future__ import annotations

from tests.web.conftest import add_scenario, four_communes_spec
from web.extensions import db
from web.models import SolveJob
from web.queue import enqueue_solve, requeue_lost


def queued_ids(app) -> list[int]:
    return sorted(task.args[0] for task in app.extensions["huey"].pending())


def test_four_communes_lost_job_is_queued_again_once(app, users):
    scenario_id = add_scenario(app, users["alice"])
    with app.app_context():
        lost, kept = (SolveJob(scenario_id=scenario_id, owner_id=users["alice"], spec=four_communes_spec()) for _ in range(2))
        db.session.add_all([lost, kept])
        db.session.commit()
        enqueue_solve(app, kept.id)  # this one reached the queue; the other did not
        assert queued_ids(app) == [kept.id]
        assert requeue_lost(app) == 1
        assert queued_ids(app) == sorted([lost.id, kept.id])
        assert requeue_lost(app) == 0  # nothing queued twice
