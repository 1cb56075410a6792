"""Running one solve job: progress events into the database, the cancel flag polled, the plan stored.

Runs in the queue consumer. The planner calls ``on_event`` and ``should_stop`` from its solving
threads, outside any Flask context, so they use the engine directly (it is thread-safe) rather than
the request-scoped session.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback

import sqlalchemy as sa

from web import planning, workers
from web.extensions import db
from web.models import JobEvent, PlanRecord, SolveJob, utcnow

log = logging.getLogger(__name__)
CANCEL_POLL_S = 0.5  # the planner asks every 0.2 s; the database is asked at most this often


class Recorder:
    """Callbacks handed to ``planner.solve`` for one job."""

    def __init__(self, engine: sa.Engine, job_id: int) -> None:
        self.engine = engine
        self.job_id = job_id
        self.lock = threading.Lock()
        self.checked_at = 0.0
        self.cancelled = False

    def on_event(self, event: dict) -> None:
        jobs, events = SolveJob.__table__, JobEvent.__table__
        with self.lock, self.engine.begin() as conn:
            conn.execute(sa.insert(events).values(job_id=self.job_id, at=utcnow(), **event))
            conn.execute(sa.update(jobs).where(jobs.c.id == self.job_id).values(
                phase=event["phase"], objective=event["objective"],
                # the closing event counts 0 solutions of its own: keep the most any phase found
                solutions=sa.case((jobs.c.solutions > event["solutions"], jobs.c.solutions), else_=event["solutions"]),
                bound=event["bound"], gap=event["gap"], elapsed_s=event["elapsed_s"]))

    def should_stop(self) -> bool:
        now = time.monotonic()
        if not self.cancelled and now - self.checked_at >= CANCEL_POLL_S:
            self.checked_at = now
            jobs = SolveJob.__table__
            with self.engine.connect() as conn:
                self.cancelled = bool(conn.scalar(sa.select(jobs.c.cancel_requested).where(jobs.c.id == self.job_id)))
        return self.cancelled


def run_job(job_id: int) -> None:
    if not workers.claim(job_id):
        return  # cancelled while waiting, or run (or being run) by another worker
    db.session.expire_all()  # the claim went through the engine: read the job as it now is
    job = db.session.get(SolveJob, job_id)
    recorder = Recorder(db.engine, job_id)
    previous = db.session.get(PlanRecord, job.previous_plan_id) if job.previous_plan_id else None
    started = time.monotonic()
    try:
        with workers.beating(db.engine, job_id):
            data = planning.solve(job.spec, previous=previous.data if previous else None,
                                  on_event=recorder.on_event, should_stop=recorder.should_stop)
    except planning.DataError as exc:
        db.session.rollback()
        _finish(job_id, "failed", exc.report())
        return
    except Exception:  # noqa: BLE001 - a job must end with a status, whatever the planner raised
        db.session.rollback()
        log.error("solve job %s failed:\n%s", job_id, traceback.format_exc())
        _finish(job_id, "failed", "Erreur interne du calcul : le détail est dans le journal du serveur.")
        return
    db.session.expire_all()
    job = db.session.get(SolveJob, job_id)
    summary = planning.plan_summary(data)
    label = f"Re-planification du plan n° {job.previous_plan_id}" if job.previous_plan_id else f"Calcul n° {job.id}"
    record = PlanRecord(owner_id=job.owner_id, scenario_id=job.scenario_id, job_id=job.id,
                        previous_plan_id=job.previous_plan_id, label=label, data=data, **summary)
    db.session.add(record)
    job.status = "cancelled" if job.cancel_requested else "done"
    job.error = ""  # a worker thought lost (silent too long) that finished after all
    job.finished_at = utcnow()
    job.elapsed_s = max(job.elapsed_s or 0.0, time.monotonic() - started)
    job.phase = "done"
    db.session.commit()


def _finish(job_id: int, status: str, error: str = "") -> None:
    job = db.session.get(SolveJob, job_id)
    job.status, job.error, job.finished_at = status, error, utcnow()
    db.session.commit()
