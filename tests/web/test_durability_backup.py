"""``run.py backup FILE`` and ``run.py restore FILE`` on a four-commune instance: the round trip gives
back exactly what was saved, a backup taken while the server writes is consistent, and a restore is
refused (nothing changed) while a server runs on the instance or when the file is not a Tournée backup."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.web.conftest import PASSWORD, four_communes_spec
from tests.web.test_durability_sigkill import ROOT, Browser, Server
from web import create_app
from web.auth import create_user
from web.extensions import db
from web.models import Scenario


def run(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOURNEE_")}
    if database_url:
        env["TOURNEE_DATABASE_URL"] = database_url
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def names(folder: Path) -> list[str]:
    with sqlite3.connect(folder / "tournee.db") as connection:
        return [n for (n,) in connection.execute("SELECT name FROM scenarios ORDER BY id")]


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(folder)})
    with app.app_context():
        alice = create_user("alice@example.org", PASSWORD).id
        db.session.add(Scenario(owner_id=alice, name="Quatre communes", spec=four_communes_spec()))
        db.session.commit()
        db.engine.dispose()
    return folder


def test_four_communes_backup_then_restore_gives_back_the_saved_scenarios(folder, tmp_path):
    saved = tmp_path / "sauvegarde.db"
    done = run("backup", str(saved), "--instance", str(folder))
    assert done.returncode == 0, done.stderr
    assert "sauvegardée" in done.stdout
    with sqlite3.connect(folder / "tournee.db") as connection:
        connection.execute("UPDATE scenarios SET name = 'Renommé après la sauvegarde'")
        connection.execute("INSERT INTO scenarios (owner_id, name, spec, created_at, updated_at) "
                           "SELECT owner_id, 'Ajouté après', spec, created_at, updated_at FROM scenarios")
    assert names(folder) == ["Renommé après la sauvegarde", "Ajouté après"]
    done = run("restore", str(saved), "--instance", str(folder))
    assert done.returncode == 0, done.stderr
    assert names(folder) == ["Quatre communes"]
    kept = list(folder.glob("tournee.db.avant-restauration-*"))
    assert len(kept) == 1
    with sqlite3.connect(kept[0]) as connection:
        assert [n for (n,) in connection.execute("SELECT name FROM scenarios ORDER BY id")] == [
            "Renommé après la sauvegarde", "Ajouté après"]
    # the restored instance serves its pages, the account works
    server = Server(folder)
    try:
        server.start()
        browser = Browser(server.base)
        browser.login()
        assert "Quatre communes" in browser.get("/scenarios")[2]
    finally:
        server.stop()


def test_four_communes_backup_while_the_server_writes_is_consistent_and_restore_is_refused(folder, tmp_path):
    server = Server(folder)
    server.start()
    stop = threading.Event()
    acknowledged: list[str] = []

    def write() -> None:
        browser = Browser(server.base)
        browser.login()
        token = browser.token("/scenarios")
        i = 0
        while not stop.is_set():
            name = f"Pendant la sauvegarde {i}"
            if browser.post("/scenarios/nouveau", {"name": name, "territory": "bourges", "csrf_token": token})[0] == 302:
                acknowledged.append(name)
            i += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(acknowledged) < 5:
            writer.join(timeout=0.1)
        saved = tmp_path / "pendant.db"
        done = run("backup", str(saved), "--instance", str(folder))
        assert done.returncode == 0, done.stderr
        before = names(folder)
        refused = run("restore", str(saved), "--instance", str(folder))
        assert refused.returncode == 2
        assert "un serveur ou un calculateur tourne" in refused.stderr and "arrêtez-le" in refused.stderr
    finally:
        stop.set()
        writer.join(timeout=60)
        server.stop()
    assert names(folder)[: len(before)] == before  # the refused restore changed nothing
    with sqlite3.connect(saved) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        copied = [n for (n,) in connection.execute("SELECT name FROM scenarios ORDER BY id")]
    assert copied[0] == "Quatre communes" and len(copied) >= 6
    assert copied == names(folder)[: len(copied)]  # a prefix of the history: a snapshot, nothing torn


@pytest.mark.parametrize(("content", "message"), [
    (b"ceci n'est pas une base", "n'est pas une sauvegarde SQLite lisible"),
    (None, "mais pas une sauvegarde de Tournée"),
])
def test_four_communes_restore_of_a_foreign_file_is_refused_and_changes_nothing(folder, tmp_path, content, message):
    foreign = tmp_path / "autre.db"
    if content is None:
        with sqlite3.connect(foreign) as connection:
            connection.execute("CREATE TABLE t (x)")
    else:
        foreign.write_bytes(content)
    done = run("restore", str(foreign), "--instance", str(folder))
    assert done.returncode == 2
    assert "Restauration impossible" in done.stderr and message in done.stderr
    assert "Traceback" not in done.stderr
    assert names(folder) == ["Quatre communes"]


def test_four_communes_backup_into_a_missing_folder_and_restore_of_a_missing_file_are_refused(folder, tmp_path):
    done = run("backup", str(tmp_path / "absent" / "s.db"), "--instance", str(folder))
    assert done.returncode == 2 and "n'existe pas" in done.stderr
    done = run("restore", str(tmp_path / "absent.db"), "--instance", str(folder))
    assert done.returncode == 2 and "absent.db" in done.stderr and "n'existe pas" in done.stderr


def test_four_communes_postgresql_backup_then_restore_with_pg_dump(postgresql_cluster, tmp_path):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed (apt-get install postgresql-client): "
                    "the PostgreSQL backup round trip is not tested")
    url = postgresql_cluster.url(postgresql_cluster.create_database(template=postgresql_cluster.migrated))
    folder = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(folder), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        alice = create_user("alice@example.org", PASSWORD).id
        db.session.add(Scenario(owner_id=alice, name="Quatre communes « hiver »", spec=four_communes_spec()))
        db.session.commit()
        db.engine.dispose()
    saved = tmp_path / "sauvegarde.pgdump"
    done = run("backup", str(saved), "--instance", str(folder), database_url=url)
    assert done.returncode == 0, done.stderr
    assert "pg_dump" in done.stdout and saved.stat().st_size > 0
    engine = sa.create_engine(url)
    scenarios = Scenario.__table__
    with engine.begin() as connection:
        connection.execute(sa.update(scenarios).values(name="Renommé après la sauvegarde"))
    done = run("restore", str(saved), "--instance", str(folder), database_url=url)
    assert done.returncode == 0, done.stderr
    with engine.connect() as connection:
        assert list(connection.scalars(sa.select(scenarios.c.name))) == ["Quatre communes « hiver »"]
        assert connection.scalar(sa.text("SELECT count(*) FROM users")) == 1
    engine.dispose()
