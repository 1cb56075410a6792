"""The task queue (Huey) that runs solves off the request thread.

SQLite storage in the instance folder by default; Redis when ``TOURNEE_HUEY_URL=redis://...`` so that
consumers on several machines share the work. The web process only enqueues; a consumer process
(``python run.py serve`` starts one, ``python run.py worker`` starts more) runs the tasks with an app
of its own, bound by ``bind_app``.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey

from web import planning
from web.extensions import db
from web.models import PlanRecord, Scenario, SolveJob
from web.solving import run_job

_worker_app: Flask | None = None


def make_huey(app: Flask) -> Huey:
    url = app.config.get("HUEY_URL") or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        huey = RedisHuey("tournee", url=url)
    else:
        huey = SqliteHuey("tournee", filename=str(Path(app.instance_path) / "huey.db"))
    app.extensions["huey_solve"] = huey.task(name="solve", retries=0)(_solve_task)
    app.extensions["huey_mail"] = huey.task(name="mail", retries=0)(_mail_task)
    huey.periodic_task(crontab(minute="*"), name="mail-pass")(_mail_pass)
    return huey


def requeue_lost(app: Flask) -> int:
    """Queue again the solves saved as waiting whose task is not in the queue (the server died between
    saving the job and queuing it): the planner asked for them, so they run rather than wait forever.
    A job queued twice runs once (``run_job`` only starts a job that is still waiting)."""
    huey: Huey = app.extensions["huey"]
    in_queue = {task.args[0] for task in huey.pending() if task.name == "solve" and task.args}
    waiting = db.session.scalars(sa.select(SolveJob.id).where(SolveJob.status == "queued")).all()
    lost = [job_id for job_id in waiting if job_id not in in_queue]
    for job_id in lost:
        enqueue_solve(app, job_id)
    return len(lost)


def bind_app(app: Flask) -> None:
    """The app whose database the consumer's tasks write to (set once in the consumer process)."""
    global _worker_app
    _worker_app = app


def start_solve(app: Flask, scenario: Scenario, previous: PlanRecord | None = None) -> SolveJob:
    """A solve of the scenario as it is now (re-planning ``previous`` when given): the job is saved
    with a copy of the spec, then queued, so later edits never change what it solves. A re-plan
    keeps the days up to today as ``previous`` has them (``planning.replan_spec``)."""
    spec = copy.deepcopy(scenario.spec)
    if previous is not None:
        spec = planning.replan_spec(spec, previous.data, dt.date.today())
    job = SolveJob(owner_id=scenario.owner_id, scenario_id=scenario.id, spec=spec,
                   previous_plan_id=previous.id if previous else None, phase="queued")
    db.session.add(job)
    db.session.commit()
    enqueue_solve(app, job.id)
    return job


def enqueue_solve(app: Flask, job_id: int) -> None:
    app.extensions["huey_solve"](job_id)


def _solve_task(job_id: int) -> None:
    if _worker_app is None:
        raise RuntimeError("consumer started without an app (call web.queue.bind_app)")
    with _worker_app.app_context():
        run_job(job_id)


def _mail_task() -> None:
    """Send the outbox's due messages now (queued after a write that added some)."""
    if _worker_app is None:
        raise RuntimeError("consumer started without an app (call web.queue.bind_app)")
    from web import mail

    with _worker_app.app_context():
        mail.send_due(_worker_app)


def _mail_pass() -> None:
    """Every minute: write the hosts' reminders that are due, then send what is due (retries too)."""
    if _worker_app is None:
        return
    mail_pass(_worker_app)


def mail_pass(app: Flask, today=None, now=None) -> int:
    """The worker's minute pass (also run by tests): reminders written, due messages sent."""
    import datetime as dt

    from web import mail, notices

    day = today or dt.date.today()
    with app.test_request_context(base_url=app.config.get("BASE_URL") or "http://127.0.0.1:8000"):
        notices.write_reminders(day)
        return mail.send_due(app, day, now)
