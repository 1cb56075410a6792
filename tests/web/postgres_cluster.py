"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, a free loopback port,
run as the ``postgres`` system user when the tests run as root (initdb refuses root). One cluster per
test session; each test gets a database of its own, dropped afterwards."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile

import psycopg

# Debian keeps the server programs out of the PATH, in /usr/lib/postgresql/VERSION/bin
_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
INITDB = shutil.which("initdb") or (os.path.join(_BIN[-1], "initdb") if _BIN else "initdb")
PG_CTL = shutil.which("pg_ctl") or (os.path.join(_BIN[-1], "pg_ctl") if _BIN else "pg_ctl")
MISSING = ("PostgreSQL server programs (initdb, pg_ctl) are not installed: these cases run only on SQLite. "
           "Install them with `apt-get install postgresql` (.ci/run does).")


def available() -> bool:
    return os.path.exists(INITDB) and os.path.exists(PG_CTL)


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="tournee-pg-", dir="/tmp")
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.data = os.path.join(self.folder, "data")
        self.port = _free_port()
        self.names = itertools.count(1)
        subprocess.run(_as_postgres([INITDB, "-D", self.data, "-A", "trust", "-U", "tournee", "--no-sync", "-E", "UTF8"]),
                       check=True, capture_output=True)
        subprocess.run(_as_postgres([PG_CTL, "-D", self.data, "-w", "-l", os.path.join(self.folder, "log"), "-o",
                                     f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                                     "-c max_connections=200", "start"]),
                       check=True, capture_output=True)

    def url(self, name: str = "postgres") -> str:
        return f"postgresql+psycopg://tournee@127.0.0.1:{self.port}/{name}"

    def create_database(self, template: str = "template1") -> str:
        """A new empty database, or a copy of ``template`` (e.g. one the migrations already built)."""
        name = f"tournee_test_{next(self.names)}"
        with psycopg.connect(f"postgresql://tournee@127.0.0.1:{self.port}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop_database(self, name: str) -> None:
        with psycopg.connect(f"postgresql://tournee@127.0.0.1:{self.port}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        subprocess.run(_as_postgres([PG_CTL, "-D", self.data, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)
