"""A planner watches a long solve (the Cher with nights away) in chromium when its worker process is killed: without a
reload, the page says the solve is interrupted and why, in French, and hides the stop button; the
supervised server has started a new worker, so the planner can relaunch."""

from __future__ import annotations

import os
import signal
import time

from playwright.sync_api import expect

from tests.web.browser.conftest import PLANNER_EMAIL, assert_accessible, instance_app
from tests.web.conftest import long_solve_spec
from web.extensions import db
from web.models import Scenario, SolveJob, User

GUARD_MS = 120_000  # a hang guard, not a timing assertion


def test_cher_nights_solve_page_shows_its_worker_was_killed(planner_page, live_server, live_instance):
    app = instance_app(live_instance)
    with app.app_context():
        owner = db.session.scalar(db.select(User).filter_by(email=PLANNER_EMAIL))
        spec = long_solve_spec()  # runs for minutes if left alone: the Bourges season is proven in seconds
        scenario = Scenario(owner_id=owner.id, name=spec["name"], spec=spec)
        db.session.add(scenario)
        db.session.commit()
        scenario_id = scenario.id
    page = planner_page
    page.goto(f"{live_server}/scenarios/{scenario_id}")
    page.get_by_role("button", name="Lancer le calcul").click()
    expect(page.locator('[data-field="status_label"]')).to_have_text("en cours", timeout=GUARD_MS)
    error = page.locator('[data-field="error"]')
    expect(error).to_be_hidden()
    with app.app_context():
        job = db.session.scalar(db.select(SolveJob).filter_by(scenario_id=scenario_id))
        worker_pid = int(job.worker.rsplit(":", 1)[1])  # the worker that claimed it: serve's own
        db.engine.dispose()

    os.kill(worker_pid, signal.SIGKILL)
    expect(page.locator('[data-field="status_label"]')).to_have_text("interrompu", timeout=GUARD_MS)
    expect(error).to_have_text("Le calculateur qui menait ce calcul s'est arrêté (signal 9) ; relancez-le.")
    expect(page.get_by_role("button", name="Arrêter le calcul et garder le meilleur plan")).to_be_hidden()
    assert_accessible(page)

    # serve has started a new worker: a relaunch from the scenario runs (the time limit allows a stop now)
    page.goto(f"{live_server}/scenarios/{scenario_id}")
    page.get_by_role("button", name="Lancer le calcul").click()
    expect(page.locator('[data-field="status_label"]')).to_have_text("en cours", timeout=GUARD_MS)
    deadline = time.monotonic() + GUARD_MS / 1000
    with app.app_context():
        while time.monotonic() < deadline:
            jobs = db.session.scalars(db.select(SolveJob).filter_by(scenario_id=scenario_id).order_by(SolveJob.id)).all()
            if jobs[-1].worker:
                break
            db.session.remove()
            time.sleep(0.2)
        assert int(jobs[-1].worker.rsplit(":", 1)[1]) != worker_pid
        db.engine.dispose()
