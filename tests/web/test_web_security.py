"""Security of the workspace: headers, cookie flags, CSRF, secret key, upload limits, WAL."""

from __future__ import annotations

import io

import sqlalchemy as sa

from tests.web.conftest import add_scenario, four_communes_spec, login
from web import create_app
from web.auth import create_user
from web.extensions import db
from web.models import PlanRecord, Scenario


def test_every_page_sends_a_strict_csp_and_no_framing(client, users):
    response = client.get("/connexion")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    page = response.get_data(as_text=True)
    assert "<script>" not in page and "style=" not in page  # nothing inline that the CSP would block


def test_session_cookie_is_secure_httponly_and_lax_by_default(tmp_path, users):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "secure"), "TESTING": True})
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    with app.app_context():
        create_user("eve@example.org", "un mot de passe long")
    response = login(client, "eve@example.org", "un mot de passe long")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_form_without_its_csrf_token_is_refused(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    response = logged.post(f"/scenarios/{scenario_id}/general", data={"name": "Autre titre"})
    assert response.status_code == 400
    assert "jeton de sécurité" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Scenario, scenario_id).name == "Quatre communes"


def test_the_secret_key_is_generated_once_in_the_instance(tmp_path):
    first = create_app({"INSTANCE_PATH": str(tmp_path / "i")}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path / "i")}).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "i" / "secret_key").stat().st_mode & 0o077 == 0


def test_an_upload_over_the_size_limit_is_refused_with_413(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    big = io.BytesIO(b"insee_com;weekday\n" + b"18033;mardi\n" * 600_000)
    response = logged.post(f"/scenarios/{scenario_id}/marches", data={"u-file": (big, "gros.csv"), "csrf_token": logged.token},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "trop volumineux" in response.get_data(as_text=True)


def test_sqlite_runs_in_wal_mode(app):
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"


def test_unknown_pages_are_french_404s(logged):
    response = logged.get("/plans/999")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_another_planners_scenario_is_a_404_on_every_page(logged, app, users):
    bob_scenario = add_scenario(app, users["bob"], four_communes_spec(name="Saison de Bob"))
    for page in ("", "/general", "/territoire", "/vehicules", "/ponderations", "/marches", "/demandes", "/regles"):
        assert logged.get(f"/scenarios/{bob_scenario}{page}").status_code == 404, page
    assert logged.post(f"/scenarios/{bob_scenario}/calcul", data={"csrf_token": logged.token}).status_code == 404
    assert logged.post(f"/scenarios/{bob_scenario}/general",
                       data={"csrf_token": logged.token, "name": "Volée"}).status_code == 404
    assert "Saison de Bob" not in logged.get("/scenarios").get_data(as_text=True)


def test_a_stored_plan_the_planner_cannot_read_is_a_french_422_not_a_crash(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    with app.app_context():
        record = PlanRecord(owner_id=users["alice"], scenario_id=scenario_id, data={"stops": "pas une liste"})
        db.session.add(record)
        db.session.commit()
        plan_id = record.id
    response = logged.get(f"/plans/{plan_id}")
    assert response.status_code == 422
    assert "Données illisibles" in response.get_data(as_text=True)


def test_another_planners_plan_is_a_404_on_every_plan_route(logged, app, users):
    bob_scenario = add_scenario(app, users["bob"], four_communes_spec(name="Saison de Bob"))
    mine = add_scenario(app, users["alice"])
    with app.app_context():
        bob_plan = PlanRecord(owner_id=users["bob"], scenario_id=bob_scenario, data={})
        my_plan = PlanRecord(owner_id=users["alice"], scenario_id=mine, data={})
        db.session.add_all([bob_plan, my_plan])
        db.session.commit()
        bob_id, my_id = bob_plan.id, my_plan.id
    for page in ("", "/saison.xlsx", "/saison.csv", "/saison.ics", "/carte.svg", f"/comparer?avec={my_id}"):
        assert logged.get(f"/plans/{bob_id}{page}").status_code == 404, page
    assert logged.get(f"/plans/{my_id}/comparer?avec={bob_id}").status_code == 404
    for action in ("publier", "replanifier", "selection"):
        assert logged.post(f"/plans/{bob_id}/{action}", data={"csrf_token": logged.token}).status_code == 404, action


def test_the_home_page_sends_planners_to_their_scenarios_and_shows_others_the_public_pages(client, users):
    home = client.get("/")
    assert home.status_code == 200
    page = home.get_data(as_text=True)
    assert all(f'href="{path}"' in page for path in ("/communes", "/demande", "/saisons", "/connexion"))
    login(client)
    assert client.get("/").headers["Location"] == "/scenarios"


def test_static_files_are_served_by_the_app_with_their_types(client):
    assert client.get("/static/tournee.css").mimetype == "text/css"
    assert client.get("/static/tournee.js").mimetype in ("text/javascript", "application/javascript")
    page = client.get("/connexion").get_data(as_text=True)
    assert "http://" not in page and "https://" not in page  # nothing from a CDN
