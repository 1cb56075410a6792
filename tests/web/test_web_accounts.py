"""Accounts: login and logout, every planner route behind the login, no open redirect, users add."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.web.conftest import PASSWORD, csrf_token, login
from web import create_app
from web.access import PUBLIC_BLUEPRINTS  # the request form and the published pages

ROOT = Path(__file__).resolve().parents[2]




def test_every_planner_route_needs_a_login(app, client, users):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "auth.login", "index"):
            continue
        if rule.endpoint.split(".")[0] in PUBLIC_BLUEPRINTS:  # no account by design (their own tests)
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", "1").replace(f"<{name}>", "xlsx" if name == "fmt" else "marches")
        if "GET" in rule.methods:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/connexion"), url
        else:
            # without a session, a POST has no CSRF token either: refused before the view runs
            assert client.post(url).status_code in (302, 400), url


def test_login_with_a_wrong_password_is_refused_in_french(client, users):
    response = login(client, password="wrong password")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.get_data(as_text=True)
    assert client.get("/scenarios").status_code == 302


def test_login_then_logout(client, users):
    assert login(client).headers["Location"] == "/scenarios"
    assert client.get("/scenarios").status_code == 200
    token = csrf_token(client)
    assert client.post("/deconnexion", data={"csrf_token": token}).status_code == 302
    assert client.get("/scenarios").status_code == 302


def test_login_never_redirects_to_another_site(client, users):
    token = csrf_token(client, "/connexion")
    response = client.post("/connexion?next=//evil.example/x",
                           data={"email": "alice@example.org", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/scenarios"


def test_users_add_reads_the_password_from_stdin_and_the_account_logs_in(tmp_path):
    instance = tmp_path / "instance"
    run = subprocess.run([sys.executable, "run.py", "users", "add", "Carole@Example.org", "--instance", str(instance)],
                         input="un mot de passe long\n", capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "carole@example.org" in run.stdout
    again = subprocess.run([sys.executable, "run.py", "users", "add", "carole@example.org", "--instance", str(instance)],
                           input="un autre mot de passe\n", capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert again.returncode == 2 and "existe déjà" in again.stderr
    short = subprocess.run([sys.executable, "run.py", "users", "add", "dan@example.org", "--instance", str(instance)],
                           input="court\n", capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert short.returncode == 2 and "trop court" in short.stderr

    app = create_app({"INSTANCE_PATH": str(instance), "TESTING": True, "INSECURE_COOKIES": True})
    client = app.test_client()
    assert login(client, "carole@example.org", "un mot de passe long").status_code == 302
