"""Shared browser fixtures: the real workspace (``run.py serve``: waitress and its Huey worker process) on
a fresh instance folder and a free loopback port, Debian's chromium driven by pytest-playwright, a
planner already logged in, and an axe-core check.

Fixtures for any browser test under tests/web/browser/:
- ``live_instance``: the instance folder (Path), already holding the planner account
  ``PLANNER_EMAIL`` / ``PASSWORD``; add rows to it with ``instance_app(live_instance)``.
- ``live_server``: the base URL of the running server (``http://127.0.0.1:PORT``, no trailing slash).
- ``page`` (pytest-playwright's): a fresh French-locale page at laptop size (1366×768).
- ``planner_page``: ``page`` logged in as the planner, on « Mes scénarios ».
Helpers: ``login(page, base_url)``, ``assert_accessible(page)`` (0 serious/critical axe violations),
``instance_app(instance)`` (a Flask app on that instance's database, for setup and checks).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from web import create_app
from web.auth import create_user
from web.extensions import db

ROOT = Path(__file__).resolve().parents[3]
PLANNER_EMAIL = "coordination@example.org"
PASSWORD = "correct horse battery"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}
START_GUARD_S = 60  # a hang guard for the server start, not a timing assertion
_axe = Axe()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium (browsers cannot be downloaded here), run as root."""
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("chromium absent (apt-get install chromium; .ci/run installs it)")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris", "viewport": LAPTOP,
            "accept_downloads": True}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def instance_app(instance: Path):
    """A Flask app on the instance's database (migrated by ``live_instance``), to add rows or check them."""
    return create_app({"INSTANCE_PATH": str(instance), "AUTO_MIGRATE": False})


@pytest.fixture
def live_instance(tmp_path) -> Path:
    """A fresh instance folder, migrated, with one planner account."""
    instance = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(instance)})
    with app.app_context():
        create_user(PLANNER_EMAIL, PASSWORD)
        db.engine.dispose()
    return instance


@pytest.fixture
def live_server(live_instance, tmp_path):
    """``python run.py serve`` (waitress + a Huey worker process) on a free loopback port; yields the base URL."""
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, "run.py", "serve", "--instance", str(live_instance), "--port", str(port)],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_GUARD_S
        while True:
            if server.poll() is not None:
                raise AssertionError("run.py serve stopped:\n" + (tmp_path / "serve.log").read_text())
            try:
                with urllib.request.urlopen(f"{url}/connexion", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("run.py serve did not answer:\n" + (tmp_path / "serve.log").read_text())
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()  # serve stops its worker process on SIGTERM
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def login(page, base_url: str, email: str = PLANNER_EMAIL, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base_url}/scenarios")


@pytest.fixture
def planner_page(page, live_server):
    """The pytest-playwright page, logged in as the planner on the live server."""
    login(page, live_server)
    return page


def assert_accessible(page) -> None:
    """axe-core (bundled by axe-playwright-python) on the page as shown: no serious or critical violation."""
    results = _axe.run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} -> " + "; ".join(n["target"][0] for n in v["nodes"][:5]) for v in bad)
