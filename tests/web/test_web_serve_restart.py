"""``run.py serve`` on a real port: a restart marks the solve it interrupted, the pages answer;
``--demo`` fills an empty instance with an account, a draft and a published season."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.web.conftest import four_communes_spec
from web import create_app, demo
from web.auth import create_user
from web.extensions import db
from web.models import PlanRecord, Publication, Scenario, SolveJob, User

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_restart_marks_the_interrupted_solve_and_serves_pages(tmp_path):
    instance = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(instance)})
    with app.app_context():
        user = create_user("alice@example.org", "un mot de passe long")
        scenario = Scenario(owner_id=user.id, name="Quatre communes", spec=four_communes_spec())
        db.session.add(scenario)
        db.session.commit()
        job = SolveJob(owner_id=user.id, scenario_id=scenario.id, spec=scenario.spec, status="running")
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        db.engine.dispose()
    port = free_port()
    server = subprocess.Popen([sys.executable, "run.py", "serve", "--instance", str(instance), "--port", str(port),
                               "--no-worker"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in server.stdout:
            lines.append(line)
            if line.startswith("Tournée :"):
                break
        assert any("1 calcul interrompu" in line for line in lines), lines
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/connexion", timeout=30) as response:
            assert response.status == 200
            assert "Connexion" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
    with app.app_context():
        job = db.session.get(SolveJob, job_id)
        assert job.status == "interrupted" and "relancez" in job.error


def test_demo_fills_an_empty_instance_once(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "DEMO_TIME_LIMIT_S", 1.0)
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    said: list[str] = []
    with app.app_context():
        assert demo.fill_demo(app, said.append)
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1
        assert db.session.scalar(db.select(db.func.count(Scenario.id))) == 2
        publication = db.session.scalar(db.select(Publication))
        assert publication.revision == 1
        assert db.session.get(PlanRecord, publication.plan_id).stop_count > 50
        assert not demo.fill_demo(app, said.append)
    assert any(demo.DEMO_EMAIL in line and "mot de passe" in line for line in said)
