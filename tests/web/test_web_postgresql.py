"""The workspace on PostgreSQL: a throwaway cluster (initdb in a temporary folder, loopback port),
the migrations, and a four-commune solve through the real queue stored there."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.web.conftest import add_scenario, csrf_token, login
from tests.web.test_web_four_communes_solve import consumer, solve_through_the_queue  # noqa: F401 - fixture
from tests.web.test_web_serve_restart import free_port
from web import create_app
from web.auth import create_user
from web.extensions import db
from web.models import PlanRecord, SolveJob
from web.workers import interrupt_lost

# Debian keeps the server programs out of the PATH, in /usr/lib/postgresql/VERSION/bin
_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
INITDB = shutil.which("initdb") or (os.path.join(_BIN[-1], "initdb") if _BIN else "initdb")
PG_CTL = shutil.which("pg_ctl") or (os.path.join(_BIN[-1], "pg_ctl") if _BIN else "pg_ctl")


def _as_postgres(command: list[str]) -> list[str]:
    """initdb refuses to run as root: run the cluster as the postgres system user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def postgresql_url():
    if not os.path.exists(INITDB):
        pytest.skip("PostgreSQL (initdb) is not installed: apt-get install postgresql")
    folder = tempfile.mkdtemp(prefix="tournee-pg-", dir="/tmp")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = os.path.join(folder, "data")
    port = free_port()
    subprocess.run(_as_postgres([INITDB, "-D", data, "-A", "trust", "-U", "tournee", "--no-sync"]), check=True,
                   capture_output=True)
    subprocess.run(_as_postgres([PG_CTL, "-D", data, "-w", "-l", os.path.join(folder, "log"), "-o",
                                 f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://tournee@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([PG_CTL, "-D", data, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def app(tmp_path, postgresql_url):
    """Overrides the SQLite app of conftest, so that the consumer fixture serves this one."""
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "INSECURE_COOKIES": True,
                      "SQLALCHEMY_DATABASE_URI": postgresql_url})
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.engine.dispose()


def test_postgresql_migration_head_equals_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        assert connection.dialect.name == "postgresql"
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []


def test_four_communes_solve_stored_in_postgresql(app, consumer):  # noqa: F811
    with app.app_context():
        alice = create_user("alice@example.org", "un mot de passe long").id
    client = app.test_client()
    assert login(client, "alice@example.org", "un mot de passe long").status_code == 302
    client.token = csrf_token(client)
    scenario_id = add_scenario(app, alice)
    job_id, plan_id = solve_through_the_queue(client, app, scenario_id)
    with app.app_context():
        assert db.session.get(SolveJob, job_id).status == "done"
        assert db.session.get(PlanRecord, plan_id).stop_count > 0
    assert client.get(f"/plans/{plan_id}").status_code == 200
    for _ in range(2):
        client.post(f"/plans/{plan_id}/publier", data={"csrf_token": client.token})
    assert "révision 1, 2" in client.get(f"/scenarios/{scenario_id}").get_data(as_text=True)
    with app.app_context():
        job = SolveJob(owner_id=alice, scenario_id=scenario_id, spec={}, status="running")
        db.session.add(job)
        db.session.commit()
        assert interrupt_lost() == 1
        assert db.session.get(SolveJob, job.id).status == "interrupted"
