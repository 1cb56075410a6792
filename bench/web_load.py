"""Benchmark ``web-load``: 50 clients on the public pages, without a solve, then while one runs.

``run.py serve`` (waitress, 8 threads, and its supervised Huey worker) on a fresh instance filled by
the demonstration (the Bourges basin solved and published), on loopback. Fifty clients, each on a
keep-alive connection with no think time (every client asks again as soon as it is answered), fetch
the season list, commune pages and maps, notices, searches and the request form ("pages"), calendar
feeds ("feeds"), the season's CSV and workbook and the hosts' workbooks ("downloads") for
``DURATION_S`` seconds: once with the worker idle, then once while a solve of the Cher runs for the
whole window (a new one is queued if one ends early; the share of the window covered is reported).
Reported per kind and phase: requests, errors, p50/p95/max latency, and the ratio with/without a
solve; with the load average before each phase (the machine may be shared).

The clients run in a child process of their own (one asyncio loop, ``python -m bench.web_load``), so
that neither the benchmark's memory tracing nor 50 Python threads fighting for one interpreter lock
are measured in place of the server. Bounded: two phases of ``DURATION_S`` plus at most a minute.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.served import ROOT, served
from web import create_app, planning
from web.demo import fill_demo
from web.extensions import db
from web.models import Publication, Scenario, SolveJob
from web.queue import start_solve

CLIENTS = 50
THINK_S = 0.0  # no pause between a client's requests: the hardest case (issue 21)
DURATION_S = 60.0
SOLVE_TERRITORY = "cher"
SOLVE_MARGIN_S = 30.0  # the solve's time limit is the window plus this, so one solve usually covers it
KINDS = ("pages", "feeds", "downloads")
TARGETS = {"web-load": "0 errors; p95 of public pages <= 250 ms with 50 clients, no think time, while a solve runs "
                       "(2-core machine)"}


def prepare() -> dict:
    """An instance filled by the demonstration (a published Bourges season, solved for 10 s) and a
    Cher scenario to solve during the load: not timed."""
    os.environ["TOURNEE_BAN_URL"] = ""
    folder = Path(tempfile.mkdtemp(prefix="tournee-web-load-"))
    app = create_app({"INSTANCE_PATH": str(folder)})
    with app.app_context():
        fill_demo(app, lambda _line: None)
        publication = db.session.scalar(db.select(Publication))
        stops = publication.plan.data["stops"]
        owner = publication.scenario.owner_id
        spec = planning.default_spec("Cher (charge)", SOLVE_TERRITORY)
        spec.update(start="2027-01-04", end="2027-06-25", params={"solver": {"time_limit_s": DURATION_S + SOLVE_MARGIN_S}})
        scenario = Scenario(owner_id=owner, name=spec["name"], spec=spec)
        db.session.add(scenario)
        db.session.commit()
        scenario_id, publication_id = scenario.id, publication.id
        db.engine.dispose()
    communes = sorted({s["insee"] for s in stops})
    days = sorted({(s["insee"], s["date"]) for s in stops})
    return {"instance": str(folder), "publication_id": publication_id, "communes": communes, "days": days,
            "scenario_id": scenario_id}


def run(instance: str, publication_id: int, communes: list[str], days: list[tuple[str, str]], scenario_id: int) -> dict:
    urls = _urls(publication_id, communes, days)
    with served(instance, Path(instance) / "serve.log", probe="/saisons", env={"TOURNEE_BAN_URL": ""}) as base:
        port = int(base.rsplit(":", 1)[1])
        for url in urls:  # every published page once, as the first visitors would (published = immutable)
            _get_once(port, url)
        idle_load = os.getloadavg()[0]
        idle = _load(port, urls)
        keeper = SolveKeeper(instance, scenario_id)
        keeper.start()
        solve_load = os.getloadavg()[0]
        loaded = _load(port, urls)
        window = (time.time() - DURATION_S, time.time())
        keeper.stop()
        solves = keeper.jobs_summary(window)
    result = {"clients": CLIENTS, "think_s": THINK_S, "duration_s": DURATION_S, "cores": os.cpu_count(),
              "load_avg_1min_before": {"idle": round(idle_load, 2), "solve": round(solve_load, 2)}, **solves}
    for kind in KINDS:
        for phase, figures in (("idle", idle[kind]), ("solve", loaded[kind])):
            result[f"{kind}_{phase}"] = figures
        result[f"{kind}_ratio_p50_p95"] = (_ratio(loaded[kind]["p50_ms"], idle[kind]["p50_ms"]),
                                           _ratio(loaded[kind]["p95_ms"], idle[kind]["p95_ms"]))
    result["errors"] = sum(loaded[k]["errors"] + idle[k]["errors"] for k in KINDS)
    return result


class SolveKeeper:
    """Keeps a Cher solve running on the server's queue from ``start`` to ``stop``: queues one, waits
    until the worker runs it, and queues the next whenever one ends; ``stop`` cancels the last."""

    def __init__(self, instance: str, scenario_id: int) -> None:
        self.app = create_app({"INSTANCE_PATH": instance, "AUTO_MIGRATE": False})
        self.scenario_id = scenario_id
        self.job_ids: list[int] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._keep, daemon=True)

    def start(self) -> None:
        self._queue()
        self._wait_running(self.job_ids[-1])
        self.thread.start()

    def stop(self) -> None:
        self.done.set()
        self.thread.join(timeout=30)
        with self.app.app_context():
            for job in db.session.scalars(db.select(SolveJob).where(SolveJob.id.in_(self.job_ids))):
                job.cancel_requested = True
            db.session.commit()

    def jobs_summary(self, window: tuple[float, float]) -> dict:
        """How much of the loaded window a solve was running (from the jobs' recorded times)."""
        start, end = window
        covered = 0.0
        with self.app.app_context():
            jobs = db.session.scalars(db.select(SolveJob).where(SolveJob.id.in_(self.job_ids))).all()
            for job in jobs:
                if job.started_at is None:
                    continue
                began = _epoch(job.started_at)
                ended = _epoch(job.finished_at) if job.finished_at else end
                covered += max(0.0, min(end, ended) - max(start, began))
            states = [f"{job.status} ({job.phase}, {job.elapsed_s:.0f} s)" for job in jobs]
            db.engine.dispose()
        return {"solves_during_load": len(self.job_ids), "solve_states": states,
                "window_with_a_solve_pct": round(100 * min(covered, end - start) / (end - start), 1)}

    def _keep(self) -> None:
        while not self.done.wait(0.5):
            with self.app.app_context():
                job = db.session.get(SolveJob, self.job_ids[-1])
                finished = job.finished
                db.session.remove()
            if finished:
                self._queue()

    def _queue(self) -> None:
        with self.app.app_context():
            self.job_ids.append(start_solve(self.app, db.session.get(Scenario, self.scenario_id)).id)
            db.session.remove()

    def _wait_running(self, job_id: int, guard_s: float = 60.0) -> None:
        deadline = time.monotonic() + guard_s
        with self.app.app_context():
            while time.monotonic() < deadline and db.session.get(SolveJob, job_id).status == "queued":
                db.session.remove()
                time.sleep(0.2)


def _epoch(moment: dt.datetime) -> float:
    """Database times are naive UTC."""
    return moment.replace(tzinfo=dt.UTC).timestamp()


def _ratio(with_solve: float, without: float) -> float:
    return round(with_solve / without, 2) if without else float("nan")


SEARCHES = ("bour", "saint", "18220", "menetou", "vierzon")


def _urls(publication_id: int, communes: list[str], days: list[tuple[str, str]]) -> list[str]:
    """What visitors of the published season ask for: the season list and its files, every served
    commune's page, map, feed and host workbook, notices, searches, and the request form."""
    urls = ["/saisons", f"/saisons/{publication_id}/saison.csv", f"/saisons/{publication_id}/saison.xlsx", "/demande"]
    for c in communes:
        urls += [f"/communes/{c}", f"/communes/{c}/carte.svg", f"/communes/{c}.ics", f"/communes/{c}/saison-{publication_id}.xlsx"]
    urls += [f"/communes/{c}/avis/{publication_id}/{d}" for c, d in days[:60]]
    urls += [f"/communes?q={q}" for q in SEARCHES]
    return urls


def kind_of(url: str) -> str:
    if url.endswith(".ics"):
        return "feeds"
    return "downloads" if url.endswith((".csv", ".xlsx")) else "pages"


def _get_once(port: int, url: str) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=60) as response:  # follows redirects
        response.read()


def _load(port: int, urls: list[str]) -> dict[str, dict]:
    """One phase of load, from a child process: figures per kind."""
    child = subprocess.run([sys.executable, "-m", "bench.web_load", str(port), str(DURATION_S), json.dumps(urls)], cwd=ROOT,
                           capture_output=True, text=True, timeout=DURATION_S + 60, check=True)
    samples = json.loads(child.stdout)
    figures = {}
    for kind in KINDS:
        mine = [(t, ok) for k, t, ok in samples if k == kind]
        latencies = sorted(t for t, ok in mine if ok)
        quantile = statistics.quantiles(latencies, n=100) if len(latencies) >= 100 else [float("nan")] * 99
        figures[kind] = {"requests": len(mine), "errors": sum(1 for _t, ok in mine if not ok),
                         "requests_per_s": round(len(mine) / DURATION_S, 1),
                         "p50_ms": round(quantile[49] * 1000, 1), "p95_ms": round(quantile[94] * 1000, 1),
                         "max_ms": round(max(latencies, default=0) * 1000, 1)}
    return figures


# --- the clients (child process) -----------------------------------------------------------------

async def _clients(port: int, duration_s: float, urls: list[str]) -> list[tuple[str, float, bool]]:
    samples: list[tuple[str, float, bool]] = []
    stop_at = time.monotonic() + duration_s
    await asyncio.gather(*(_client(port, urls, stop_at, random.Random(seed), samples) for seed in range(CLIENTS)))
    return samples


async def _client(port: int, urls: list[str], stop_at: float, rng: random.Random, samples: list) -> None:
    connection = None
    while time.monotonic() < stop_at:
        url = rng.choice(urls)
        start = time.perf_counter()
        try:
            if connection is None:
                connection = await asyncio.open_connection("127.0.0.1", port)
            reader, writer = connection
            writer.write(f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            status, keep = await asyncio.wait_for(_response(reader), timeout=30)
            ok = status in (200, 302)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):  # timeouts are OSErrors
            ok, keep = False, False
        samples.append((kind_of(url), time.perf_counter() - start, ok))
        if not keep and connection is not None:
            connection[1].close()
            connection = None
        if THINK_S:
            await asyncio.sleep(rng.uniform(0, 2 * THINK_S))
    if connection is not None:
        connection[1].close()


async def _response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; its status and whether the connection stays open."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in head[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    else:
        await reader.read()
        return status, False
    return status, headers.get("connection", "").lower() != "close"


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_clients(int(sys.argv[1]), float(sys.argv[2]), json.loads(sys.argv[3])))))
