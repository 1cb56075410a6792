"""Benchmark ``web``: the workspace served by ``run.py serve`` (waitress + its Huey worker) on loopback.

Measured: time to first byte and full download of the plan view of a stored Bourges season (the
first request after the server starts, then the median of the next ones), the browser's full load
of that page in chromium (median of navigation timing ``loadEventEnd``: HTML with its inline map,
CSS, script), and p50/p95
latency of other pages (scenario list and overview, the job page, its progress JSON, the editor's
tabs) requested one after another while a Bourges solve runs in the worker. Bounded: the load runs
for ``LOAD_S`` seconds, then the solve is cancelled; the whole run stays under a minute.
Targets (issue 12): plan view <= 300 ms; p95 of other pages <= 100 ms while a solve runs.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import re
import shutil
import statistics
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

try:  # optional: the test extra installs it; without it the browser figure is left out
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover
    sync_playwright = None

from bench.served import served
from web import create_app, planning
from web.auth import create_user
from web.extensions import db
from web.models import PlanRecord, Scenario, SolveJob
from web.solving import run_job

EMAIL, PASSWORD = "bench@example.org", "un mot de passe de banc d'essai"
STORED_SOLVE_S = 5.0  # the stored season (prepare, not timed)
BACKGROUND_SOLVE_S = 30.0  # the solve that runs during the load; cancelled after LOAD_S
LOAD_S = 12.0
PLAN_REPEATS = 10
BROWSER_REPEATS = 5
TARGETS = {"web": "plan view <= 300 ms (TTFB and full); p95 of other pages <= 100 ms while a solve runs"}
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def season_spec(name: str, time_limit_s: float) -> dict:
    spec = planning.default_spec(name, "bourges")
    spec.update(start="2027-01-04", end="2027-06-25", school_zone="B", params={"solver": {"time_limit_s": time_limit_s}})
    return spec


def prepare() -> dict:
    """A fresh instance: one planner, the Bourges season solved and stored, a second one to solve live."""
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    instance = folder / "instance"
    app = create_app({"INSTANCE_PATH": str(instance)})
    with app.app_context():
        user = create_user(EMAIL, PASSWORD)
        stored = Scenario(owner_id=user.id, name="Saison stockée", spec=season_spec("Saison stockée", STORED_SOLVE_S))
        live = Scenario(owner_id=user.id, name="Saison en calcul", spec=season_spec("Saison en calcul", BACKGROUND_SOLVE_S))
        db.session.add_all([stored, live])
        db.session.commit()
        job = SolveJob(owner_id=user.id, scenario_id=stored.id, spec=stored.spec)
        db.session.add(job)
        db.session.commit()
        run_job(job.id)
        plan = db.session.scalar(db.select(PlanRecord).filter_by(job_id=job.id))
        ids = {"plan": plan.id, "stops": plan.stop_count, "stored": stored.id, "live": live.id}
        db.engine.dispose()
    return {"folder": folder, "instance": instance, "ids": ids}


def run(folder: Path, instance: Path, ids: dict) -> dict:
    try:
        with served(instance, folder / "serve.log") as base:
            client = Client(base)
            client.login()
            plan_url = f"/plans/{ids['plan']}"
            cold = client.timed(plan_url)
            warm = [client.timed(plan_url) for _ in range(PLAN_REPEATS)]
            browser_load = _browser_load_ms(base, client.cookie_header(), plan_url)
            job_url = client.post(f"/scenarios/{ids['live']}/calcul")
            job_id = int(job_url.rstrip("/").rsplit("/", 1)[1])
            pages = ["/scenarios", f"/scenarios/{ids['stored']}", f"/scenarios/{ids['live']}/general",
                     f"/scenarios/{ids['live']}/ponderations", f"/calculs/{job_id}", f"/calculs/{job_id}/etat.json"]
            latencies: list[float] = []
            running_seen = False
            deadline = time.monotonic() + LOAD_S
            while time.monotonic() < deadline:
                for page in pages:
                    latencies.append(client.timed(page)["full_ms"])
                running_seen = running_seen or '"status":"running"' in client.last_body.replace(" ", "")
            client.post(f"/calculs/{job_id}/annuler")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "plan_stops": ids["stops"],
        # the first plan view right after the server started and the planner logged in (the warm-up
        # of the latest plans, started by that first request, is still running)
        "plan_view_first_ttfb_ms": cold["ttfb_ms"], "plan_view_first_full_ms": cold["full_ms"],
        "plan_view_ttfb_ms_p50": round(statistics.median(w["ttfb_ms"] for w in warm), 1),
        "plan_view_full_ms_p50": round(statistics.median(w["full_ms"] for w in warm), 1),
        "plan_view_full_ms_max": round(max(w["full_ms"] for w in warm), 1),
        "plan_view_kib": round(warm[0]["bytes"] / 1024),
        "plan_view_browser_load_ms_p50": browser_load,
        "pages_during_solve": len(latencies), "solve_was_running": running_seen,
        "pages_p50_ms": round(cuts[49], 1), "pages_p95_ms": round(cuts[94], 1), "pages_max_ms": round(max(latencies), 1),
    }


class Client:
    """A logged-in planner over plain HTTP/1.1 (its own connection, as a browser tab keeps one)."""

    def __init__(self, base: str) -> None:
        self.base = base
        parts = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        # the session cookie is Secure; browsers send it to http://127.0.0.1, so does this jar
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        self.jar = http.cookiejar.CookieJar(policy)
        self.last_body = ""

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def _request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.base + path, method=method)
        self.jar.add_cookie_header(request)
        all_headers = {**dict(request.header_items()), **(headers or {})}
        start = time.perf_counter()
        self.connection.request(method, path, body=body, headers=all_headers)
        response = self.connection.getresponse()
        first = time.perf_counter()
        data = response.read()
        end = time.perf_counter()
        self.jar.extract_cookies(_Adapter(response), request)
        return response, data, (first - start) * 1000, (end - start) * 1000

    def timed(self, path: str) -> dict:
        response, data, ttfb, full = self._request("GET", path)
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        self.last_body = data.decode("utf-8", "replace")
        return {"ttfb_ms": round(ttfb, 1), "full_ms": round(full, 1), "bytes": len(data)}

    def post(self, path: str, fields: dict | None = None) -> str:
        token = TOKEN.search(self._request("GET", "/scenarios")[1].decode()).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, **(fields or {})}).encode()
        response, _data, _t, _f = self._request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
        if response.status != 302:
            raise RuntimeError(f"POST {path}: {response.status}")
        return response.getheader("Location")

    def login(self) -> None:
        token = TOKEN.search(self._request("GET", "/connexion")[1].decode()).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "email": EMAIL, "password": PASSWORD}).encode()
        response, _data, _t, _f = self._request("POST", "/connexion", body,
                                                {"Content-Type": "application/x-www-form-urlencoded"})
        if response.status != 302:
            raise RuntimeError(f"login refused: {response.status}")


class _Adapter:
    """What http.cookiejar reads from a response: ``info()`` with the headers."""

    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.response = response

    def info(self):
        return self.response.msg


def _browser_load_ms(base: str, cookies: str, path: str) -> float | None:
    """Chromium's navigation timing of the plan view (None when chromium or Playwright is absent)."""
    executable = shutil.which("chromium")
    if executable is None or sync_playwright is None:
        return None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            context.add_cookies([{"name": name, "value": value, "url": base}
                                 for name, value in (part.split("=", 1) for part in cookies.split("; ") if part)])
            page = context.new_page()
            page.goto(base + path, wait_until="load")  # first visit: CSS and script cached afterwards
            loads = []
            for _ in range(BROWSER_REPEATS):
                page.goto(base + path, wait_until="load")
                timing = page.evaluate("() => performance.getEntriesByType('navigation')[0].toJSON()")
                loads.append(timing["loadEventEnd"] - timing["startTime"])
            return round(statistics.median(loads), 1)
        finally:
            browser.close()


