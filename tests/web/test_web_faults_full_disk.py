"""A full disk and a broken database (issue 21, low): pages and commands answer in French.

In the workspace, the database is made full for real (SQLite's max_page_count, which gives the same
SQLITE_FULL a full disk gives): creating scenarios until it refuses ends on a French 507 page drawn
with the account's menu (the failed transaction is rolled back before the page reads the account),
and the next page works. ``run.py serve`` on a corrupt database, and on a full file system (a
256 KiB tmpfs, when this machine lets the tests mount one), exits 3 with one French line.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.web.conftest import csrf_token, login
from web.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def test_alice_creating_scenarios_on_a_full_database_gets_a_french_507_and_the_next_page_works(app, client, users):
    with app.app_context():
        pages = db.session.execute(sa.text("PRAGMA page_count")).scalar()
        engine = db.engine

    @sa.event.listens_for(engine, "connect")
    def full(connection, _record):
        connection.execute(f"PRAGMA max_page_count = {pages}")

    with app.app_context():
        db.engine.dispose()  # every new connection is capped
    assert login(client).status_code == 302
    token = csrf_token(client)
    statuses = []
    for _ in range(300):
        response = client.post("/scenarios/nouveau", data={"csrf_token": token, "name": "x" * 200, "territory": "bourges"})
        statuses.append(response.status_code)
        if response.status_code != 302:
            break
    page = html.unescape(response.get_data(as_text=True))
    assert statuses[-1] == 507, statuses
    assert "Disque plein" in page and "rien n'a été enregistré" in page and "alice@example.org" in page
    assert "Internal Server Error" not in page and "Traceback" not in page
    assert client.get("/scenarios").status_code == 200
    sa.event.remove(engine, "connect", full)


def serve(instance: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "run.py", "serve", "--instance", str(instance), "--port", "1", "--no-worker"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def assert_one_french_line(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Tournée ne peut pas continuer : ") and words in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_serve_on_a_corrupt_database_exits_3_with_one_french_line(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "tournee.db").write_bytes(b"pas une base SQLite " * 400)
    assert_one_french_line(serve(instance), "endommagée")


def test_users_add_on_a_corrupt_database_exits_3_with_one_french_line(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "tournee.db").write_bytes(b"\x00" * 4096 + b"SQLite format 2")
    result = subprocess.run([sys.executable, "run.py", "users", "add", "alice@example.org", "--instance", str(instance)],
                            cwd=ROOT, capture_output=True, text=True, input="un mot de passe long\n", timeout=120)
    assert_one_french_line(result, "endommagée")


@pytest.fixture
def full_disk(tmp_path):
    """A 256 KiB tmpfs filled to the last byte; skipped where mounting needs privileges the tests lack."""
    mount = tmp_path / "plein"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount") or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True).returncode != 0:
        pytest.skip("monter un tmpfs demande les droits d'administration")
    try:
        filler = os.open(mount / "remplissage", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(filler, b"\0" * 4096):
                pass
        except OSError:  # ENOSPC: the disk is full
            pass
        finally:
            os.close(filler)
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_serve_on_a_full_disk_exits_3_with_one_french_line(full_disk):
    assert_one_french_line(serve(full_disk / "instance"), "est plein")
