"""Several machines through the existing engine: ``run.py serve --no-worker`` and two ``run.py worker``
processes, each with an instance folder of its own (as on two machines), sharing only a Redis queue
(``TOURNEE_HUEY_URL``) and a PostgreSQL database. Two basin solves run at once, one on each worker
(both recorded running, their running intervals overlap); a worker killed in the middle of its solve
leaves that job marked interrupted by ``serve``; the other worker goes on and runs the next solve.
The heaviest web test (PostgreSQL, Redis, a server and two workers): 16-20 s on 2 busy cores."""

from __future__ import annotations

import html
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.web import redis_server
from tests.web.conftest import PASSWORD, four_communes_spec, long_solve_spec
from tests.web.test_durability_sigkill import ROOT, Browser, Server, alive_after_kill
from tests.web.test_worker_supervision import WAIT_S, solve, wait_for
from web import create_app
from web.auth import create_user
from web.extensions import db
from web.models import Scenario, SolveJob

pytestmark = pytest.mark.skipif(not redis_server.available(), reason=redis_server.MISSING)
# two solves that run for minutes if left alone (the Cher with nights away), one CP-SAT thread each
LONG = long_solve_spec()


@pytest.fixture
def shared(tmp_path, postgresql_cluster):
    """The shared database (alice and two basin scenarios) and the shared queue."""
    name = postgresql_cluster.create_database(template=postgresql_cluster.migrated)
    url = postgresql_cluster.url(name)
    app = create_app({"INSTANCE_PATH": str(tmp_path / "web"), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        alice = create_user("alice@example.org", PASSWORD).id
        scenarios = [Scenario(owner_id=alice, name=f"Cher {n}", spec=dict(LONG, name=f"Cher {n}")) for n in (1, 2)]
        db.session.add_all(scenarios)
        db.session.commit()
        scenario_ids = [s.id for s in scenarios]
        db.engine.dispose()
    queue = redis_server.RedisServer()
    yield {"database": url, "queue": queue.url, "scenarios": scenario_ids}
    queue.stop()
    postgresql_cluster.drop_database(name)


def start_worker(folder: Path, shared: dict) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOURNEE_")}
    env.update(TOURNEE_DATABASE_URL=shared["database"], TOURNEE_HUEY_URL=shared["queue"])
    folder.mkdir(parents=True)
    with open(folder / "worker.log", "w") as log:  # the worker keeps a copy of the descriptor
        return subprocess.Popen([sys.executable, "run.py", "worker", "--instance", str(folder)], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def jobs(url: str) -> dict[int, sa.Row]:
    table = SolveJob.__table__
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {row.id: row for row in connection.execute(sa.select(table))}
    finally:
        engine.dispose()


def wait_rows(url: str, done) -> dict[int, sa.Row]:
    deadline = time.monotonic() + WAIT_S
    rows = jobs(url)
    while not done(rows) and time.monotonic() < deadline:
        time.sleep(0.3)
        rows = jobs(url)
    return rows


def test_cher_two_workers_on_redis_and_postgresql_solve_at_once_and_a_killed_one_is_reported(tmp_path, shared):
    server = Server(tmp_path / "web", shared["database"], env={"TOURNEE_HUEY_URL": shared["queue"]},
                    options=("--no-worker",))
    server.start()
    workers = [start_worker(tmp_path / f"machine-{n}", shared) for n in ("a", "b")]
    try:
        assert not server.consumer_pids()  # --no-worker: every solve runs on the two machines
        browser = Browser(server.base)
        browser.login()
        first, second = (solve(browser, scenario_id) for scenario_id in shared["scenarios"])
        rows = wait_rows(shared["database"], lambda r: r[first].status == r[second].status == "running")
        assert rows[first].status == rows[second].status == "running", [(r.id, r.status, r.error) for r in rows.values()]
        by_pid = {f"{os.uname().nodename}:{w.pid}": w for w in workers}
        assert {rows[first].worker, rows[second].worker} == set(by_pid), "each worker runs one of the two solves"

        killed = by_pid[rows[first].worker]
        os.killpg(killed.pid, signal.SIGKILL)
        assert not alive_after_kill(killed.pid)
        killed.wait(timeout=30)
        progress = wait_for(browser, first, lambda p: p["finished"])
        assert progress["status"] == "interrupted", progress
        page = html.unescape(browser.get(f"/calculs/{first}")[2])
        assert "Le calculateur qui menait ce calcul s'est arrêté ; relancez-le." in page

        # the other machine's solve is untouched: stopped once it holds a plan, it keeps that plan
        wait_rows(shared["database"], lambda r: r[second].objective is not None or r[second].status != "running")
        browser.post(f"/calculs/{second}/annuler", {"csrf_token": browser.token(f"/calculs/{second}")})
        progress = wait_for(browser, second, lambda p: p["finished"])
        assert progress["status"] in ("cancelled", "done") and progress["plan_id"], progress

        # the two solves ran at once: each started before the other ended
        rows = jobs(shared["database"])
        a, b = rows[first], rows[second]
        assert a.started_at < b.finished_at and b.started_at < a.finished_at, (a, b)

        # the machine left takes the next solve
        survivor = next(name for name, w in by_pid.items() if w is not killed)
        short = dict(four_communes_spec(), params={"solver": {"time_limit_s": 1.0, "workers": 1}})
        engine = sa.create_engine(shared["database"])
        with engine.begin() as connection:
            table = Scenario.__table__
            connection.execute(sa.update(table).where(table.c.id == shared["scenarios"][0]).values(spec=short))
        engine.dispose()
        third = solve(browser, shared["scenarios"][0])
        progress = wait_for(browser, third, lambda p: p["finished"])
        assert progress["status"] == "done" and progress["plan_id"], progress
        assert jobs(shared["database"])[third].worker == survivor
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
        server.stop()
