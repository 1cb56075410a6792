"""Web tests: an app on a fresh instance folder, planner accounts, CSRF tokens read from the pages,
and the four-commune scenario (Bourges, Menetou-Salon, Saint-Martin-d'Auxigny, Nérondes) that the
solve tests run for one or two seconds."""

from __future__ import annotations

import re
import tempfile

import pytest

from tests.web import postgres_cluster
from web import create_app
from web.auth import create_user
from web.extensions import db
from web.models import Scenario

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
FOUR_COMMUNES = ("18033", "18145", "18223", "18160")


def four_communes_spec(**changes) -> dict:
    spec = {
        "name": "Quatre communes", "territory": "bourges", "territory_rows": [{"insee_com": c} for c in FOUR_COMMUNES],
        "start": "2027-01-05", "end": "2027-01-15", "mode": "bus", "vehicles": [], "closed": [], "school_zone": "",
        "pins": [], "forbids": [], "requests": [], "markets": [], "service_points": [], "ages": [],
        "params": {"solver": {"time_limit_s": 1.0, "workers": 1}},
    }
    spec.update(changes)
    return spec


def long_solve_spec() -> dict:
    """A solve that runs long enough to be stopped from a page: the Cher's school year with two buses
    that may stay away two nights a week (its 30 s runs end at their limit), given 10 minutes. The
    Bourges basin's season, and the Cher's two-bus year without nights, are proven in seconds."""
    return four_communes_spec(name="Cher, deux bus, nuits dehors", territory="cher", territory_rows=[],
                              start="2026-09-07", end="2027-06-25",
                              params={"solver": {"time_limit_s": 600.0, "workers": 1}},
                              vehicles=[{"name": "bus-bourges", "kind": "bus", "base": "18033", "overnight_nights": 2},
                                        {"name": "bus-vierzon", "kind": "bus", "base": "18279", "overnight_nights": 2}])


# Test modules whose every test also runs on PostgreSQL (besides tests marked ``both_databases``).
BOTH_DATABASES = {"test_web_migrations", "test_web_scenario_editor", "test_web_four_communes_solve",
                  "test_web_accounts", "test_security_routes", "test_web_planner_forms", "test_postgres_models"}


def pytest_configure(config):
    config.addinivalue_line("markers", "both_databases: run the test on SQLite and on a throwaway PostgreSQL cluster")


def pytest_generate_tests(metafunc):
    """``database`` is SQLite alone, or SQLite and PostgreSQL for the database tests."""
    if "database" in metafunc.fixturenames:
        both = (metafunc.definition.get_closest_marker("both_databases") is not None
                or metafunc.module.__name__.rsplit(".", 1)[-1] in BOTH_DATABASES)
        metafunc.parametrize("database", ["sqlite", "postgresql"] if both else ["sqlite"], indirect=True)


@pytest.fixture(scope="session")
def postgresql_cluster():
    if not postgres_cluster.available():
        pytest.skip(postgres_cluster.MISSING)
    cluster = postgres_cluster.Cluster()
    # one database migrated once, copied for every test (CREATE DATABASE ... TEMPLATE is a file copy)
    cluster.migrated = cluster.create_database()
    migrated = create_app({"INSTANCE_PATH": tempfile.mkdtemp(prefix="tournee-pg-app-"), "TESTING": True,
                           "SQLALCHEMY_DATABASE_URI": cluster.url(cluster.migrated)})
    with migrated.app_context():
        db.engine.dispose()
    yield cluster
    cluster.stop()


@pytest.fixture
def database(request):
    """None for SQLite in the instance folder, else the URL of a fresh PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield None
        return
    cluster = request.getfixturevalue("postgresql_cluster")
    name = cluster.create_database(template=cluster.migrated)
    yield cluster.url(name)
    cluster.drop_database(name)


@pytest.fixture
def app(tmp_path, database):
    config = {"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "INSECURE_COOKIES": True}
    if database:
        config["SQLALCHEMY_DATABASE_URI"] = database
    app = create_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def users(app):
    """Two planners: « alice » (logged in by ``logged``) and « bob », whose objects alice must not see."""
    with app.app_context():
        alice = create_user("alice@example.org", PASSWORD)
        bob = create_user("bob@example.org", PASSWORD)
        return {"alice": alice.id, "bob": bob.id}


def login(client, email: str = "alice@example.org", password: str = PASSWORD):
    token = csrf_token(client, "/connexion")
    return client.post("/connexion", data={"email": email, "password": password, "csrf_token": token})


def csrf_token(client, url: str = "/scenarios") -> str:
    page = client.get(url).get_data(as_text=True)
    match = TOKEN.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


@pytest.fixture
def logged(client, users):
    assert login(client).status_code == 302
    client.token = csrf_token(client)
    return client


def add_scenario(app, owner_id: int, spec: dict | None = None) -> int:
    with app.app_context():
        scenario = Scenario(owner_id=owner_id, name=(spec or four_communes_spec())["name"], spec=spec or four_communes_spec())
        db.session.add(scenario)
        db.session.commit()
        return scenario.id
