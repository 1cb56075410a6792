"""Durability of the real server (``run.py serve`` with its Huey consumer) on a four-commune season:
SIGKILL of the server's whole process group in the middle of writes and in the middle of a solve,
then a restart. Every acknowledged write (a 302 received by the client) must be there afterwards,
the database intact, and the interrupted solve marked as such on its page, in French. Each test runs
on SQLite (the instance's file) and on PostgreSQL (a database of the throwaway cluster)."""

from __future__ import annotations

import html
import http.cookiejar
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.web.conftest import PASSWORD, four_communes_spec, long_solve_spec
from tests.web.test_web_serve_restart import free_port
from web import create_app, planning
from web.auth import create_user
from web.extensions import db
from web.models import PlanRecord, Publication, Scenario, SolveJob

pytestmark = pytest.mark.both_databases
ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
START_TIMEOUT_S = 120


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A planner's HTTP client on the real server: cookies kept, redirects not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  NoRedirect())

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, method="POST"))

    def _open(self, request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Location", ""), exc.read().decode()

    def token(self, path: str) -> str:
        return TOKEN.search(self.get(path)[2]).group(1)

    def login(self) -> None:
        status, location, _ = self.post("/connexion", {"email": "alice@example.org", "password": PASSWORD,
                                                       "csrf_token": self.token("/connexion")})
        assert status == 302 and location.endswith("/scenarios"), (status, location)


class Server:
    """``python run.py serve`` in a session of its own, so that killing the group kills its consumer too."""

    def __init__(self, instance: Path, database_url: str | None = None, *, env: dict | None = None,
                 options: tuple[str, ...] = ()) -> None:
        self.instance = instance
        self.database_url = database_url
        self.env = env or {}
        self.options = options
        self.port = free_port()
        self.lines: list[str] = []
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> list[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TOURNEE_")}
        if self.database_url:
            env["TOURNEE_DATABASE_URL"] = self.database_url
        self.process = subprocess.Popen(
            [sys.executable, "run.py", "serve", "--instance", str(self.instance), "--port", str(self.port),
             "--insecure-cookies", "--threads", "4", *self.options],
            cwd=ROOT, env={**env, **self.env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        lines: queue.Queue[str | None] = queue.Queue()

        def read() -> None:
            for line in self.process.stdout:
                lines.put(line)
                self.lines.append(line)  # everything it says, also after the start
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        said: list[str] = []
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            assert line is not None, f"the server stopped while starting: {said}"
            said.append(line)
            if line.startswith("Tournée :"):
                return said
        raise AssertionError(f"the server did not start: {said}")

    def consumer_pids(self) -> list[int]:
        """The server's children (its Huey consumer), read from /proc: those of every thread, since
        the supervising thread starts a replacement."""
        pids = []
        for children in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            try:
                pids += [int(pid) for pid in children.read_text().split()]
            except OSError:
                continue  # a thread that ended meanwhile
        return sorted(pids)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.kill()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def alive_after_kill(pid: int, grace_s: float = 10.0) -> bool:
    """Whether ``pid`` still runs ``grace_s`` after a SIGKILL: the signal is delivered at once, but
    the kernel takes a moment to tear a process down (a busy machine made an immediate check flaky)."""
    gone_by = time.monotonic() + grace_s
    while alive(pid):
        if time.monotonic() > gone_by:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def instance(tmp_path, database):
    """An instance with alice's account and an evaluated two-stop tour of the four communes to publish."""
    folder = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(folder), **({"SQLALCHEMY_DATABASE_URI": database} if database else {})})
    with app.app_context():
        alice = create_user("alice@example.org", PASSWORD).id
        spec = four_communes_spec()
        scenario = Scenario(owner_id=alice, name="Quatre communes", spec=spec)
        db.session.add(scenario)
        db.session.flush()
        data = planning.evaluate_upload(spec, "t.csv", b"date;insee_com\n2027-01-06;18145\n2027-01-13;18223\n")
        plan = PlanRecord(owner_id=alice, scenario_id=scenario.id, data=data, **planning.plan_summary(data))
        db.session.add(plan)
        db.session.commit()
        folder_ids = {"scenario": scenario.id, "plan": plan.id, "owner": alice, "url": database}
        db.engine.dispose()
    return folder, folder_ids


def engine(folder: Path, url: str | None) -> sa.Engine:
    """The instance's database, read with SQLAlchemy Core from the test process."""
    return sa.create_engine(url or f"sqlite:///{folder / 'tournee.db'}")


def set_spec(folder: Path, url: str | None, scenario_id: int, spec: dict) -> None:
    scenarios = Scenario.__table__
    with engine(folder, url).begin() as connection:
        connection.execute(sa.update(scenarios).where(scenarios.c.id == scenario_id).values(spec=spec))


def job_status(folder: Path, url: str | None, job_id: int) -> str:
    jobs = SolveJob.__table__
    with engine(folder, url).connect() as connection:
        return connection.scalar(sa.select(jobs.c.status).where(jobs.c.id == job_id))


def test_four_communes_sigkill_during_writes_keeps_every_acknowledged_scenario_and_publication(instance):
    folder, ids = instance
    server = Server(folder, ids["url"])
    server.start()
    acknowledged: dict[str, list] = {"scenarios": [], "publications": 0}
    failures: list[str] = []
    lock = threading.Lock()
    go = threading.Barrier(4, timeout=120)  # the three writers logged in, and the test: all start writing at once

    def create_scenarios(worker: int) -> None:
        browser = Browser(server.base)
        browser.login()
        token = browser.token("/scenarios")
        go.wait()
        for i in range(100_000):
            name = f"Saison {worker}-{i} « été »"
            try:
                status, location, _ = browser.post("/scenarios/nouveau", {"name": name, "territory": "bourges",
                                                                           "csrf_token": token})
            except OSError:
                return  # the server is gone: this write was never acknowledged
            if status != 302:
                failures.append(f"{name}: {status}")
                return
            with lock:
                acknowledged["scenarios"].append((int(location.rsplit("/", 1)[1]), name))

    def publish() -> None:
        browser = Browser(server.base)
        browser.login()
        token = browser.token("/scenarios")
        go.wait()
        while True:
            try:
                status, _, _ = browser.post(f"/plans/{ids['plan']}/publier", {"csrf_token": token})
            except OSError:
                return
            if status != 302:
                failures.append(f"publication: {status}")
                return
            with lock:
                acknowledged["publications"] += 1

    threads = [threading.Thread(target=create_scenarios, args=(w,)) for w in range(2)]
    threads.append(threading.Thread(target=publish))
    for thread in threads:
        thread.start()
    go.wait()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with lock:
            if len(acknowledged["scenarios"]) >= 30 and acknowledged["publications"] >= 10:
                break
        time.sleep(0.05)
    consumers = server.consumer_pids()
    server.kill()  # while the three clients are still writing
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert consumers and not any(alive_after_kill(pid) for pid in consumers), "the Huey consumer survived the kill"
    with lock:
        scenarios, publications = list(acknowledged["scenarios"]), acknowledged["publications"]
    assert len(scenarios) >= 30 and publications >= 10

    restarted = Server(folder, ids["url"])
    try:
        restarted.start()
        publications_table, scenarios_table = Publication.__table__, Scenario.__table__
        with engine(folder, ids["url"]).connect() as connection:
            if connection.dialect.name == "sqlite":
                assert connection.scalar(sa.text("PRAGMA integrity_check")) == "ok"
            stored = dict(connection.execute(sa.select(scenarios_table.c.id, scenarios_table.c.name)).all())
            revisions = list(connection.scalars(sa.select(publications_table.c.revision).where(
                publications_table.c.scenario_id == ids["scenario"]).order_by(publications_table.c.revision)))
        for scenario_id, name in scenarios:
            assert stored.get(scenario_id) == name, f"acknowledged scenario {scenario_id} « {name} » lost"
        assert len(revisions) >= publications and revisions == list(range(1, len(revisions) + 1))
        browser = Browser(restarted.base)
        browser.login()
        page = browser.get(f"/scenarios/{ids['scenario']}")[2]
        assert "révision " + ", ".join(map(str, revisions)) in page
        last_id, last_name = scenarios[-1]
        status, _, page = browser.get(f"/scenarios/{last_id}")
        assert status == 200 and "Saison" in page
    finally:
        restarted.stop()
    print(f"SIGKILL during writes: {len(scenarios)} scenarios and {publications} publications acknowledged, "
          f"{len(stored) - 1} scenarios and {len(revisions)} publications stored")


def test_four_communes_sigkill_during_a_solve_marks_it_interrupted_and_the_queue_works_after(instance):
    folder, ids = instance
    # a solve that runs for minutes if left alone: the Cher with nights away
    set_spec(folder, ids["url"], ids["scenario"], long_solve_spec())
    server = Server(folder, ids["url"])
    server.start()
    browser = Browser(server.base)
    browser.login()
    status, location, _ = browser.post(f"/scenarios/{ids['scenario']}/calcul", {"csrf_token": browser.token("/scenarios")})
    assert status == 302 and "/calculs/" in location
    job_id = int(location.rsplit("/", 1)[1])
    deadline = time.monotonic() + 180
    state = ""
    while time.monotonic() < deadline and state != "running":
        state = json.loads(browser.get(f"/calculs/{job_id}/etat.json")[2])["status"]
        time.sleep(0.2)
    assert state == "running"
    consumers = server.consumer_pids()
    server.kill()
    assert consumers and not any(alive_after_kill(pid) for pid in consumers)
    assert job_status(folder, ids["url"], job_id) == "running"

    restarted = Server(folder, ids["url"])
    try:
        said = restarted.start()
        assert any("1 calcul interrompu" in line for line in said), said
        browser = Browser(restarted.base)
        browser.login()
        page = html.unescape(browser.get(f"/calculs/{job_id}")[2])
        assert "État : <span data-field=\"status_label\">interrompu<" in page
        assert "Le serveur s'est arrêté pendant ce calcul ; relancez-le." in page
        # the queue survived the kill: a short four-commune solve runs to its end
        set_spec(folder, ids["url"], ids["scenario"], four_communes_spec())
        status, location, _ = browser.post(f"/scenarios/{ids['scenario']}/calcul",
                                           {"csrf_token": browser.token("/scenarios")})
        second = int(location.rsplit("/", 1)[1])
        deadline = time.monotonic() + 180
        progress = {}
        while time.monotonic() < deadline:
            progress = json.loads(browser.get(f"/calculs/{second}/etat.json")[2])
            if progress["finished"]:
                break
            time.sleep(0.3)
        assert progress["status"] == "done" and progress["plan_id"]
    finally:
        restarted.stop()
    assert job_status(folder, ids["url"], job_id) == "interrupted"
    plans = PlanRecord.__table__
    with engine(folder, ids["url"]).connect() as connection:
        assert connection.scalar(sa.select(plans.c.stop_count).where(plans.c.job_id == second)) > 0


def test_four_communes_concurrent_publications_all_succeed_with_consecutive_revisions(instance):
    """Three planner tabs pressing « Publier » at once: each press is a revision, none a 500 (SQLite
    used to answer « database is locked » to about half of them)."""
    folder, ids = instance
    server = Server(folder, ids["url"])
    server.start()
    codes: list[int] = []

    def press() -> None:
        browser = Browser(server.base)
        browser.login()
        token = browser.token("/scenarios")
        for _ in range(15):
            codes.append(browser.post(f"/plans/{ids['plan']}/publier", {"csrf_token": token})[0])

    try:
        threads = [threading.Thread(target=press) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        server.stop()
    assert codes == [302] * 45
    publications = Publication.__table__
    with engine(folder, ids["url"]).connect() as connection:
        revisions = list(connection.scalars(sa.select(publications.c.revision).order_by(publications.c.revision)))
    assert revisions == list(range(1, 46))


def test_four_communes_sigkill_while_deciding_requests_loses_no_mail_and_sends_each_once(instance):
    """The outbox through a SIGKILL: a planner declines requests one after another while the worker
    mails each requester through a real SMTP server on loopback; the whole server is killed in the
    middle, then restarted. Every acknowledged decision's mail arrives, and none twice (but for the
    one message the kill may catch between the server's acceptance and its « sent » mark, which goes
    again with the same Message-ID)."""
    from tests.web import smtp_server
    from web.models import OutboxMessage, StopRequest

    folder, ids = instance
    app = create_app({"INSTANCE_PATH": str(folder), "AUTO_MIGRATE": False,
                      **({"SQLALCHEMY_DATABASE_URI": ids["url"]} if ids["url"] else {})})
    with app.app_context():
        for i in range(200):
            db.session.add(StopRequest(insee="18145", commune="Menetou-Salon", host_site="Mairie", windows=[],
                                       contact_name=f"Contact {i}", contact_email=f"demandeur-{i}@example.org",
                                       status="pending", token=f"{i:04d}" + "x" * 39))
        db.session.commit()
        request_ids = list(db.session.scalars(db.select(StopRequest.id).order_by(StopRequest.id)))
        db.engine.dispose()
    inbox = smtp_server.Inbox()
    controller = smtp_server.start(inbox)
    smtp = {"TOURNEE_SMTP_URL": f"smtp://127.0.0.1:{controller.port}"}
    server = Server(folder, ids["url"], env=smtp)
    restarted = Server(folder, ids["url"], env=smtp)
    try:
        server.start()
        browser = Browser(server.base)
        browser.login()
        token = browser.token("/demandes")
        acknowledged: list[int] = []

        def decide() -> None:
            for request_id in request_ids:
                try:
                    status, _, _ = browser.post(f"/demandes/{request_id}/decision", {
                        "csrf_token": token, "action": "decline", "reason": "hors du territoire",
                        "priority": "should", "scenario": ""})
                except OSError:
                    return
                if status != 302:
                    return
                acknowledged.append(request_id)

        thread = threading.Thread(target=decide)
        thread.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (len(acknowledged) < 30 or len(inbox.messages) < 5):
            time.sleep(0.05)
        server.kill()
        thread.join(timeout=60)
        assert len(acknowledged) >= 30 and inbox.messages
        before = len(inbox.messages)

        restarted.start()
        expected = {f"demandeur-{i - request_ids[0]}@example.org" for i in acknowledged}
        outbox = OutboxMessage.__table__

        def statuses() -> dict:
            with engine(folder, ids["url"]).connect() as connection:
                return dict(connection.execute(sa.select(outbox.c.status, sa.func.count()).group_by(outbox.c.status)).all())

        deadline = time.monotonic() + 150  # the worker's minute pass sends what the kill left
        while time.monotonic() < deadline and not (expected <= {m["To"] for m in inbox.messages}
                                                   and set(statuses()) == {"sent"}):
            time.sleep(0.5)
        received = [m["To"] for m in inbox.messages]
        assert expected <= set(received), f"lost: {sorted(expected - set(received))[:5]}"
        twice = [to for to in set(received) if received.count(to) > 1]
        assert len(twice) <= 1, twice
        assert set(statuses()) == {"sent"}, statuses()
    finally:
        restarted.stop()
        server.stop()
        controller.stop()
    print(f"SIGKILL while mailing: {len(acknowledged)} decisions acknowledged, {before} mails before the kill, "
          f"{len(inbox.messages)} after, {len(twice)} sent twice")
