"""``run.py serve`` supervises its worker: on the four-commune instance, a SIGKILL of the Huey consumer
alone (the server keeps running) in the middle of a long solve marks that solve interrupted on its
page, in French, and a new consumer takes the queue, so the next solve runs to its end. Without
``serve``, the next ``run.py worker`` to start does the same."""

from __future__ import annotations

import html
import json
import os
import select
import signal
import subprocess
import sys
import time

from tests.web.conftest import four_communes_spec, long_solve_spec
from tests.web.test_durability_sigkill import ROOT, Browser, Server, alive_after_kill, instance, job_status, set_spec
from web import create_app
from web.extensions import db
from web.models import Scenario
from web.queue import start_solve

__all__ = ["instance"]  # the fixture, used by name
WAIT_S = 180


def solve(browser: Browser, scenario_id: int) -> int:
    status, location, _ = browser.post(f"/scenarios/{scenario_id}/calcul", {"csrf_token": browser.token("/scenarios")})
    assert status == 302 and "/calculs/" in location, (status, location)
    return int(location.rsplit("/", 1)[1])


def wait_for(browser: Browser, job_id: int, done) -> dict:
    """The job's progress once ``done(progress)`` holds (or the last one seen after ``WAIT_S``)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        progress = json.loads(browser.get(f"/calculs/{job_id}/etat.json")[2])
        if done(progress) or time.monotonic() > deadline:
            return progress
        time.sleep(0.3)


def wait_for_consumer(server: Server, other_than: int | None = None) -> int:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        pids = [pid for pid in server.consumer_pids() if pid != other_than]
        if pids:
            return pids[0]
        time.sleep(0.2)
    raise AssertionError("serve started no new worker")


def test_four_communes_worker_killed_alone_is_replaced_and_its_solve_marked_interrupted(instance):
    folder, ids = instance
    # a solve that runs for minutes if left alone: the Cher with nights away
    set_spec(folder, ids["url"], ids["scenario"], long_solve_spec())
    server = Server(folder, ids["url"])
    server.start()
    try:
        browser = Browser(server.base)
        browser.login()
        consumer = wait_for_consumer(server)
        long_job = solve(browser, ids["scenario"])
        assert wait_for(browser, long_job, lambda p: p["status"] == "running")["status"] == "running"

        os.kill(consumer, signal.SIGKILL)  # the worker alone: the web server runs on
        assert not alive_after_kill(consumer)
        progress = wait_for(browser, long_job, lambda p: p["finished"])
        assert progress["status"] == "interrupted" and progress["status_label"] == "interrompu"
        page = html.unescape(browser.get(f"/calculs/{long_job}")[2])
        assert "Le calculateur qui menait ce calcul s'est arrêté (signal 9) ; relancez-le." in page
        assert "Arrêter le calcul" not in page  # no button to stop what no longer runs
        replacement = wait_for_consumer(server, other_than=consumer)
        assert any("Le calculateur s'est arrêté (signal 9) ; 1 calcul interrompu" in line
                   for line in server.lines), server.lines

        # the new worker takes the queue: a short four-commune solve runs to its end
        set_spec(folder, ids["url"], ids["scenario"], four_communes_spec())
        short_job = solve(browser, ids["scenario"])
        progress = wait_for(browser, short_job, lambda p: p["finished"])
        assert progress["status"] == "done" and progress["plan_id"], progress
        assert replacement in server.consumer_pids()
    finally:
        server.stop()
    assert job_status(folder, ids["url"], long_job) == "interrupted"


def test_four_communes_next_worker_start_reports_the_solve_of_a_worker_killed_without_serve(instance):
    """No ``serve`` watches: a ``run.py worker`` killed in the middle of a long solve leaves it
    « en cours » until the next worker starts, which marks it interrupted and runs the queue."""
    folder, ids = instance
    set_spec(folder, ids["url"], ids["scenario"], long_solve_spec())
    app = create_app({"INSTANCE_PATH": str(folder), "AUTO_MIGRATE": False})
    with app.app_context():
        long_job = start_solve(app, db.session.get(Scenario, ids["scenario"])).id
        db.engine.dispose()
    first = worker(folder)
    try:
        deadline = time.monotonic() + WAIT_S
        while job_status(folder, None, long_job) != "running" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert job_status(folder, None, long_job) == "running"
        first.kill()
        first.wait(timeout=30)
        assert job_status(folder, None, long_job) == "running"  # nobody has noticed yet
        with app.app_context():
            set_spec(folder, None, ids["scenario"], four_communes_spec())
            short_job = start_solve(app, db.session.get(Scenario, ids["scenario"])).id
            db.engine.dispose()
        second = worker(folder)
        try:
            ready, _, _ = select.select([second.stdout], [], [], WAIT_S)  # a hang guard
            said = second.stdout.readline() if ready else ""
            assert said.startswith("1 calcul interrompu : leur calculateur s'est arrêté"), said
            assert job_status(folder, None, long_job) == "interrupted"
            deadline = time.monotonic() + WAIT_S
            while job_status(folder, None, short_job) != "done" and time.monotonic() < deadline:
                time.sleep(0.3)
            assert job_status(folder, None, short_job) == "done"
        finally:
            second.kill()
            second.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()


def worker(folder) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOURNEE_")}
    return subprocess.Popen([sys.executable, "run.py", "worker", "--instance", str(folder)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
