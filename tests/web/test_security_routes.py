"""Authorisation on every route of the url_map: anonymous users are sent to the login page, and a
planner asking for another planner's scenario, job or plan gets 404; plus the French error pages,
debug mode and upload types that no route may escape."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.web.conftest import add_scenario, csrf_token, four_communes_spec
from web import create_app
from web.access import is_public
from web.auth import create_user
from web.extensions import db
from web.models import PlanRecord, Scenario, SolveJob
from web.security import upload_problem

# A value for every URL variable a planner route takes, other than the objects' ids.
# Stop requests (the inbox) are the team's, shared by every planner: no owner to check, but a login.
OTHER_ARGUMENTS = {"kind": "marches", "index": 0, "fmt": "csv", "filename": "tournee.css", "request_id": 1,
                   "insee": "18145", "change_id": 1, "message_id": 1}


def planner_rules(app):
    rules = [r for r in app.url_map.iter_rules() if not is_public(r.endpoint)]
    assert len(rules) >= 20, "the planner's routes are missing from the url_map"
    return rules


def method_of(rule) -> str:
    return "GET" if "GET" in rule.methods else "POST"


def url_for_rule(app, rule, ids: dict) -> str:
    values = {}
    for argument in rule.arguments:
        if argument in ids:
            values[argument] = ids[argument]
        else:
            assert argument in OTHER_ARGUMENTS, f"{rule.rule}: no test value for <{argument}>"
            values[argument] = OTHER_ARGUMENTS[argument]
    with app.test_request_context():
        return app.url_for(rule.endpoint, **values)


def objects_of(app, owner_id: int, name: str) -> dict:
    """A scenario, a finished job and a plan of this planner."""
    scenario_id = add_scenario(app, owner_id, four_communes_spec(name=name))
    with app.app_context():
        job = SolveJob(owner_id=owner_id, scenario_id=scenario_id, spec={}, status="done")
        db.session.add(job)
        db.session.flush()
        plan = PlanRecord(owner_id=owner_id, scenario_id=scenario_id, job_id=job.id, data={}, stop_count=1)
        db.session.add(plan)
        db.session.commit()
        spec = db.session.get(Scenario, scenario_id).spec
        spec["markets"] = [{"insee_com": "18033", "weekday": "mardi"}]
        db.session.get(Scenario, scenario_id).spec = dict(spec)
        db.session.commit()
        return {"scenario_id": scenario_id, "job_id": job.id, "plan_id": plan.id}


def test_four_communes_every_planner_route_sends_anonymous_users_to_the_login(app, client, users):
    ids = objects_of(app, users["alice"], "Saison d'Alice")
    token = csrf_token(client, "/connexion")
    for rule in planner_rules(app):
        url = url_for_rule(app, rule, ids)
        post = {"csrf_token": token, "name": "x"}
        response = client.get(url) if method_of(rule) == "GET" else client.post(url, data=post)
        assert response.status_code == 302, (rule.rule, response.status_code)
        assert response.headers["Location"].startswith("/connexion?next="), rule.rule
    with app.app_context():
        assert db.session.get(Scenario, ids["scenario_id"]).name == "Saison d'Alice"
        assert db.session.get(SolveJob, ids["job_id"]).status == "done"


def test_four_communes_every_route_with_an_object_refuses_another_planners(app, logged, users):
    bob = objects_of(app, users["bob"], "Saison de Bob")
    checked = 0
    for rule in planner_rules(app):
        if not {"scenario_id", "job_id", "plan_id"} & set(rule.arguments):
            continue
        url = url_for_rule(app, rule, bob)
        if method_of(rule) == "GET":
            response = logged.get(url)
        else:
            response = logged.post(url, data={"csrf_token": logged.token, "name": "Volée", "action": "pin",
                                              "stop": "2027-01-05|Bus|18033"})
        assert response.status_code in (403, 404), (rule.rule, response.status_code)
        assert "Saison de Bob" not in response.get_data(as_text=True), rule.rule
        checked += 1
    assert checked >= 18
    with app.app_context():
        scenario = db.session.get(Scenario, bob["scenario_id"])
        assert scenario.name == "Saison de Bob" and scenario.spec["markets"] and not scenario.spec["pins"]
        assert db.session.get(SolveJob, bob["job_id"]).cancel_requested is False
        assert db.session.scalar(db.select(db.func.count(SolveJob.id))) == 1  # no solve started for alice on bob's


def test_the_public_endpoints_are_the_login_the_home_static_files_the_request_form_and_host_pages(app):
    public = {r.endpoint for r in app.url_map.iter_rules() if is_public(r.endpoint)}
    assert {e for e in public if e.split(".")[0] not in ("demande", "public", "hote")} == {"auth.login", "index", "static"}
    assert not any(e.startswith(("inbox.", "scenarios.", "plans.", "jobs.")) for e in public)


def test_a_crash_shows_a_french_500_page_without_traceback(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "INSECURE_COOKIES": True})

    def boom():
        raise RuntimeError("secret detail /etc/passwd")

    app.add_url_rule("/boom", view_func=boom)
    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Erreur interne" in page and "journal du serveur" in page
    assert "Traceback" not in page and "secret detail" not in page and "RuntimeError" not in page


def test_flask_debug_in_the_environment_does_not_turn_the_debugger_on(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    assert app.debug is False
    assert create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "DEBUG": True}).debug is True


def test_the_413_page_is_french_and_names_the_limit(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    big = io.BytesIO(b"insee_com;weekday\n" + b"18033;mardi\n" * 600_000)
    response = logged.post(f"/scenarios/{scenario_id}/demandes", data={"u-file": (big, "gros.csv"),
                                                                     "csrf_token": logged.token},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Fichier trop volumineux" in page and "5 Mo" in page


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("filename", "data", "expected"), [
    ("marches.csv", b"insee_com;weekday\n18033;mardi\n", None),
    ("marches.CSV", "\ufeffinsee_com;weekday\n18033;mardi\n".encode(), None),
    ("marches.csv", "insee_com;weekday\n".encode("utf-16"), None),  # the loader says what to do with UTF-16
    ("marches.xlsx", _xlsx_bytes(), None),
    ("marches.xlsx", b"insee_com;weekday\n18033;mardi\n", "n'est pas un classeur Excel"),
    ("marches.csv", _xlsx_bytes(), "contient une archive ZIP"),
    ("marches.csv", b"%PDF-1.7\n", "contient un PDF"),
    ("marches.csv", b"insee\x00com;weekday\n", "octets nuls"),
    ("marches.xls", b"\xd0\xcf\x11\xe0", "format non pris en charge"),
    ("marches", b"a;b\n", "format non pris en charge"),
    ("vide.csv", b"", "est vide"),
    ("C:\\Users\\x\\marches.exe", b"MZ", "« marches.exe » : format non pris en charge"),
])
def test_upload_kind_is_judged_by_content(filename, data, expected):
    problem = upload_problem(filename, data)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem


def test_the_remember_me_cookie_is_secure_httponly_and_lax(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "secure"), "TESTING": True})
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    with app.app_context():
        create_user("eve@example.org", "un mot de passe long")
    token = csrf_token(client, "/connexion")
    response = client.post("/connexion", data={"email": "eve@example.org", "password": "un mot de passe long",
                                               "remember": "y", "csrf_token": token})
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert cookies, response.headers.getlist("Set-Cookie")
    assert all("Secure" in c and "HttpOnly" in c and "SameSite=Lax" in c for c in cookies)
