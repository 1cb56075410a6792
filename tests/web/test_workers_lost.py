"""Which running solves are lost: on the four-commune scenario, jobs claimed by a dead process of this
machine, by no recorded worker, or by a worker elsewhere silent for longer than ``STALE_S`` are marked
interrupted; a live local worker and a worker elsewhere that beats are left running. A job handed to
two workers is run by one."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
import sqlalchemy as sa

from tests.web.conftest import add_scenario, four_communes_spec
from web import workers
from web.extensions import db
from web.models import SolveJob, utcnow
from web.workers import STALE_S, claim, interrupt_lost, worker_stopped

pytestmark = pytest.mark.both_databases
HOST = socket.gethostname()


def dead_pid() -> int:
    """A process of this machine that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_four_communes_lost_jobs_are_interrupted_and_live_ones_kept(app, users):
    scenario_id = add_scenario(app, users["alice"])
    now = utcnow()
    silent = now - dt.timedelta(seconds=STALE_S + 30)
    workers = {
        "dead_here": (f"{HOST}:{dead_pid()}", now),
        "no_worker": ("", None),
        "silent_elsewhere": ("autre-machine:4242", silent),
        "alive_here": (f"{HOST}:{os.getpid()}", now),  # this test process: alive
        "beating_elsewhere": ("autre-machine:4243", now - dt.timedelta(seconds=STALE_S / 2)),
        "supervised": (f"{HOST}:{dead_pid()}", now),  # left to serve's supervisor, which knows its exit code
    }
    with app.app_context():
        jobs = {name: SolveJob(owner_id=users["alice"], scenario_id=scenario_id, spec=four_communes_spec(),
                               status="running", started_at=silent, worker=worker, heartbeat_at=beat)
                for name, (worker, beat) in workers.items()}
        db.session.add_all(jobs.values())
        db.session.commit()
        ids = {name: job.id for name, job in jobs.items()}
        assert interrupt_lost(worker_stopped(), spare=workers["supervised"][0]) == 3
        db.session.expunge_all()
        got = {name: db.session.get(SolveJob, job_id) for name, job_id in ids.items()}
        assert {name for name, job in got.items() if job.status == "interrupted"} == {
            "dead_here", "no_worker", "silent_elsewhere"}
        assert got["dead_here"].error == "Le calculateur qui menait ce calcul s'est arrêté ; relancez-le."
        assert got["silent_elsewhere"].error.startswith(
            "Le calculateur qui menait ce calcul (machine autre-machine, processus 4242) ne donne plus signe de vie")
        assert all(job.finished_at is not None for job in got.values() if job.status == "interrupted")
        assert got["alive_here"].status == got["beating_elsewhere"].status == got["supervised"].status == "running"
        assert interrupt_lost(worker_stopped(-9)) == 1  # the supervised one, now with how it ended
        assert db.session.get(SolveJob, ids["supervised"]).error == (
            "Le calculateur qui menait ce calcul s'est arrêté (signal 9) ; relancez-le.")
        assert interrupt_lost() == 0  # nothing is interrupted twice


def test_four_communes_job_queued_twice_is_claimed_once(app, users):
    scenario_id = add_scenario(app, users["alice"])
    with app.app_context():
        job = SolveJob(owner_id=users["alice"], scenario_id=scenario_id, spec=four_communes_spec())
        db.session.add(job)
        db.session.commit()
        assert claim(job.id) and not claim(job.id)
        db.session.expire_all()
        job = db.session.get(SolveJob, job.id)
        assert job.status == "running" and job.worker == f"{HOST}:{os.getpid()}" and job.heartbeat_at is not None


def test_four_communes_running_job_beats_until_its_solve_ends(app, users, monkeypatch):
    monkeypatch.setattr(workers, "HEARTBEAT_S", 0.05)
    scenario_id = add_scenario(app, users["alice"])
    with app.app_context():
        job = SolveJob(owner_id=users["alice"], scenario_id=scenario_id, spec=four_communes_spec())
        db.session.add(job)
        db.session.commit()
        assert claim(job.id)
        table = SolveJob.__table__

        def heartbeat() -> dt.datetime:
            with db.engine.connect() as connection:
                return connection.scalar(sa.select(table.c.heartbeat_at).where(table.c.id == job.id))

        claimed = heartbeat()
        with workers.beating(db.engine, job.id):
            deadline = time.monotonic() + 30  # a hang guard, not a timing assertion
            while heartbeat() == claimed and time.monotonic() < deadline:
                time.sleep(0.02)
            assert heartbeat() > claimed
        assert not any(t.name == f"heartbeat-{job.id}" for t in threading.enumerate())  # stopped with the solve
