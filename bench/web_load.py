"""Benchmark ``web-load``: 50 concurrent clients on the public pages while a season is solved.

``run.py serve`` (waitress, 8 threads, and its Huey worker process) on a fresh instance filled by the
demonstration (the Bourges basin solved and published), on loopback. During the run a Bourges solve
is queued, and 50 client threads fetch commune pages, calendar feeds, printable notices, the season
list and its downloads for ``DURATION_S`` seconds, each waiting 0.5-1.5 s between two requests (a
person reading; without the wait, 50 threads of this script would measure the script on 2 cores).
Reported: requests, errors (target 0), p50 and p95 latency (target p95 <= 100 ms), and the state of
the solve after the load. Bounded: the whole run stops after at most 90 s.
"""

from __future__ import annotations

import http.client
import os
import random
import statistics
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.served import served
from web import create_app
from web.demo import fill_demo
from web.extensions import db
from web.models import Publication, Scenario, SolveJob
from web.queue import enqueue_solve

CLIENTS = 50
THINK_S = (0.5, 1.5)  # each client waits this long between two requests, like locust's between(0.5, 1.5)
DURATION_S = 30.0
SOLVE_TIME_LIMIT_S = 40.0
TARGETS = {"web-load": "0 errors; p95 <= 100 ms with 50 clients while a solve runs (2-core machine)"}


def prepare() -> dict:
    """An instance filled by the demonstration (a published Bourges season, solved for 10 s): not timed."""
    os.environ["TOURNEE_BAN_URL"] = ""
    folder = Path(tempfile.mkdtemp(prefix="tournee-web-load-"))
    app = create_app({"INSTANCE_PATH": str(folder)})
    with app.app_context():
        fill_demo(app, lambda _line: None)
        publication = db.session.scalar(db.select(Publication))
        stops = publication.plan.data["stops"]
        db.engine.dispose()
    communes = sorted({s["insee"] for s in stops})
    days = sorted({(s["insee"], s["date"]) for s in stops})
    return {"instance": str(folder), "publication_id": publication.id, "communes": communes, "days": days}


def run(instance: str, publication_id: int, communes: list[str], days: list[tuple[str, str]]) -> dict:
    with served(instance, Path(instance) / "serve.log", probe="/saisons", env={"TOURNEE_BAN_URL": ""}) as base:
        port = int(base.rsplit(":", 1)[1])
        job_id = _queue_solve(instance)
        urls = _urls(publication_id, communes, days)
        for url in urls:  # every published page once, as the first visitors would (published = immutable)
            _get_once(port, url)
        results: list[tuple[float, bool]] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + DURATION_S
        threads = [threading.Thread(target=_client, args=(port, urls, stop_at, results, lock, seed)) for seed in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=DURATION_S + 30)
        solve_status = _job_status(instance, job_id)
    latencies = sorted(t for t, ok in results if ok)
    errors = sum(1 for _t, ok in results if not ok)
    quantile = statistics.quantiles(latencies, n=100) if len(latencies) >= 100 else [float("nan")] * 99
    return {"clients": CLIENTS, "think_s": f"{THINK_S[0]}-{THINK_S[1]}", "duration_s": DURATION_S,
            "requests": len(results), "errors": errors,
            "p50_ms": round(quantile[49] * 1000, 1), "p95_ms": round(quantile[94] * 1000, 1),
            "max_ms": round(max(latencies, default=0) * 1000, 1),
            "requests_per_s": round(len(results) / DURATION_S, 1), "solve_during_load": solve_status}


def _urls(publication_id: int, communes: list[str], days: list[tuple[str, str]]) -> list[str]:
    urls = ["/saisons", f"/saisons/{publication_id}/saison.csv", f"/saisons/{publication_id}/saison.xlsx"]
    urls += [f"/communes/{c}" for c in communes] + [f"/communes/{c}.ics" for c in communes]
    urls += [f"/communes/{c}/avis/{publication_id}/{d}" for c, d in days[:60]]
    return urls


def _client(port: int, urls: list[str], stop_at: float, results: list, lock: threading.Lock, seed: int) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    mine = []
    while time.monotonic() < stop_at:
        url = rng.choice(urls)
        start = time.perf_counter()
        try:
            connection.request("GET", url)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine.append((time.perf_counter() - start, ok))
        time.sleep(rng.uniform(*THINK_S))
    connection.close()
    with lock:
        results.extend(mine)


def _get_once(port: int, url: str) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=60) as response:
        response.read()


def _queue_solve(instance: str) -> int:
    """A Bourges solve on the server's queue, so the load runs beside a real solve."""
    app = create_app({"INSTANCE_PATH": instance, "AUTO_MIGRATE": False})
    with app.app_context():
        scenario = db.session.scalar(db.select(Scenario).order_by(Scenario.id))
        spec = dict(scenario.spec, params={"solver": {"time_limit_s": SOLVE_TIME_LIMIT_S}})
        job = SolveJob(owner_id=scenario.owner_id, scenario_id=scenario.id, spec=spec, phase="queued")
        db.session.add(job)
        db.session.commit()
        enqueue_solve(app, job.id)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and db.session.get(SolveJob, job.id).status == "queued":
            db.session.expire_all()
            time.sleep(0.2)
        job_id = job.id
        db.engine.dispose()
    return job_id


def _job_status(instance: str, job_id: int) -> str:
    app = create_app({"INSTANCE_PATH": instance, "AUTO_MIGRATE": False})
    with app.app_context():
        job = db.session.get(SolveJob, job_id)
        status = f"{job.status} (phase {job.phase}, {job.elapsed_s:.0f} s)"
        db.engine.dispose()
    return status
