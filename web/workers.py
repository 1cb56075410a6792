"""Which worker runs which solve, and how a worker that died is noticed.

A job is claimed by one consumer process ("host:pid"), which beats every ``HEARTBEAT_S`` while it
solves. A running job is lost when its worker is on this machine and its process is gone (``serve``
sees it at once), or when its heartbeat is older than ``STALE_S`` (a worker on another machine,
sharing the queue through Redis and the database through PostgreSQL). A lost job is marked
interrupted, with a French message on its page: the planner relaunches it; it is not re-run on its
own, since a solve that killed its worker (memory) would kill the next one too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Iterator

import sqlalchemy as sa

from web.extensions import db
from web.models import SolveJob, utcnow

log = logging.getLogger(__name__)
HEARTBEAT_S = 5.0
STALE_S = 60.0  # twelve missed beats: a worker this silent is gone, even on a machine under load
SERVER_STOPPED = "Le serveur s'est arrêté pendant ce calcul ; relancez-le."


def identity(pid: int | None = None) -> str:
    """This process (or process ``pid`` of this machine) as a worker: the machine's name and the process id."""
    return f"{socket.gethostname()}:{os.getpid() if pid is None else pid}"


def claim(job_id: int) -> bool:
    """Take a waiting job for this process, atomically: of two workers handed the same job (it was
    queued twice), one runs it."""
    jobs = SolveJob.__table__
    now = utcnow()
    with db.engine.begin() as connection:
        taken = connection.execute(sa.update(jobs).where(jobs.c.id == job_id, jobs.c.status == "queued").values(
            status="running", started_at=now, heartbeat_at=now, worker=identity()))
    return taken.rowcount == 1


@contextlib.contextmanager
def beating(engine: sa.Engine, job_id: int) -> Iterator[None]:
    """A thread that stamps the job's heartbeat while the body (the solve) runs."""
    done = threading.Event()
    jobs = SolveJob.__table__

    def beat() -> None:
        while not done.wait(HEARTBEAT_S):
            try:
                with engine.begin() as connection:
                    connection.execute(sa.update(jobs).where(jobs.c.id == job_id, jobs.c.status == "running")
                                       .values(heartbeat_at=utcnow()))
            except sa.exc.SQLAlchemyError:  # a database busy for a moment: the next beat will do
                log.warning("heartbeat of solve job %s not written", job_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def interrupt_lost(dead_message: str = SERVER_STOPPED, *, spare: str = "") -> int:
    """Mark interrupted the running jobs whose worker is gone; ``dead_message`` for a worker of this
    machine whose process ended (or a job claimed by no known worker). The jobs of worker ``spare``
    are left to its supervisor, which knows how it ended. Returns how many."""
    now = utcnow()
    jobs = db.session.scalars(sa.select(SolveJob).where(SolveJob.status == "running", SolveJob.worker != spare)
                              if spare else sa.select(SolveJob).where(SolveJob.status == "running")).all()
    lost = 0
    for job in jobs:
        message = _lost_because(job, now, dead_message)
        if message:
            job.status, job.finished_at, job.error = "interrupted", now, message
            lost += 1
    db.session.commit()
    return lost


def _lost_because(job: SolveJob, now: dt.datetime, dead_message: str) -> str:
    host, _, pid = job.worker.rpartition(":")
    if not host or not pid.isdigit():
        return dead_message  # claimed before workers were recorded, or by no worker at all
    if host == socket.gethostname() and not _process_alive(int(pid)):
        return dead_message
    silent_s = (now - (job.heartbeat_at or job.started_at or now)).total_seconds()
    if silent_s > STALE_S:
        return (f"Le calculateur qui menait ce calcul (machine {host}, processus {pid}) ne donne plus signe "
                f"de vie depuis {silent_s:.0f} s ; relancez le calcul.")
    return ""


def worker_stopped(code: int | None = None) -> str:
    """The message of a job whose worker ended while it solved (``code``: its exit status, if known)."""
    how = f" ({exit_description(code)})" if code is not None else ""
    return f"Le calculateur qui menait ce calcul s'est arrêté{how} ; relancez-le."


def exit_description(code: int) -> str:
    """A process's end as ``Popen.returncode`` gives it, in French."""
    return f"signal {-code}" if code < 0 else f"code de sortie {code}"


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` of this machine still runs (a zombie has ended)."""
    return _process_alive(pid)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except OSError:
        return True  # no /proc (not Linux): kill(0) said it exists
