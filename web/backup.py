"""Backing up and restoring the workspace's database, and the lock that keeps a restore away from a
running server.

SQLite: SQLite's online backup API, which copies a consistent snapshot even while the server writes
(WAL pages included), into a temporary file renamed into place. PostgreSQL: ``pg_dump`` / ``pg_restore``
when they are on the PATH (custom format), else a clear refusal. A restore is refused while a server or
a worker holds the instance's lock: they hold it shared for their lifetime, the restore exclusively;
the kernel drops it when they die, even by SIGKILL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import make_url

LOCK_NAME = "serveur.lock"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is French and says why."""


@contextlib.contextmanager
def instance_in_use(instance: Path) -> Iterator[None]:
    """Held (shared) by ``serve`` and ``worker`` while they run."""
    handle = _lock_file(instance)
    try:
        fcntl.flock(handle, fcntl.LOCK_SH)
        yield
    finally:
        handle.close()


@contextlib.contextmanager
def instance_idle(instance: Path) -> Iterator[None]:
    """Held (exclusive) by ``restore``; BackupError when a server or worker runs on this instance."""
    handle = _lock_file(instance)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(f"un serveur ou un calculateur tourne sur l'instance {instance} : arrêtez-le "
                              "(Ctrl+C) avant de restaurer, puis relancez-le ensuite.") from None
        yield
    finally:
        handle.close()


def _lock_file(instance: Path):
    instance.mkdir(parents=True, exist_ok=True)
    return open(instance / LOCK_NAME, "a+")  # noqa: SIM115 - closed by the context managers


def backup(url: str, target: Path) -> str:
    """A consistent copy of the database at ``url`` into ``target``; returns what was done, in French."""
    database = make_url(url)
    target = target.resolve()
    if target.is_dir():
        raise BackupError(f"« {target} » est un dossier : donnez le nom du fichier de sauvegarde.")
    if not target.parent.is_dir():
        raise BackupError(f"le dossier « {target.parent} » n'existe pas.")
    if database.get_backend_name() == "sqlite":
        source = Path(database.database or "")
        if not source.is_file():
            raise BackupError(f"aucune base à sauvegarder : « {source} » n'existe pas.")
        if source.resolve() == target:
            raise BackupError("la sauvegarde ne peut pas remplacer la base elle-même.")
        _sqlite_copy(source, target)
        return f"Base SQLite sauvegardée dans {target} ({target.stat().st_size} octets)."
    if database.get_backend_name() == "postgresql":
        _postgres(["pg_dump", "--format=custom", "--no-owner", f"--file={target}.part", _libpq(database)])
        os.replace(f"{target}.part", target)
        return f"Base PostgreSQL sauvegardée avec pg_dump dans {target} ({target.stat().st_size} octets)."
    raise BackupError(f"sauvegarde non prise en charge pour une base « {database.get_backend_name()} ».")


def restore(url: str, source: Path, instance: Path) -> str:
    """Puts a backup back in place of the database at ``url``; the current one is kept beside it first."""
    database = make_url(url)
    source = source.resolve()
    if not source.is_file():
        raise BackupError(f"« {source} » n'existe pas ou n'est pas un fichier.")
    with instance_idle(instance):
        if database.get_backend_name() == "sqlite":
            _check_sqlite_backup(source)
            target = Path(database.database or "")
            kept = ""
            if target.is_file():
                stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                previous = target.with_name(f"{target.name}.avant-restauration-{stamp}")
                _sqlite_copy(target, previous)
                kept = f" L'ancienne base est gardée dans {previous}."
            _sqlite_copy(source, target, into_live=True)
            return f"Base restaurée depuis {source}.{kept}"
        if database.get_backend_name() == "postgresql":
            _postgres(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                       f"--dbname={_libpq(database)}", str(source)])
            return f"Base PostgreSQL restaurée depuis {source} avec pg_restore."
    raise BackupError(f"restauration non prise en charge pour une base « {database.get_backend_name()} ».")


def _sqlite_copy(source: Path, target: Path, *, into_live: bool = False) -> None:
    """The backup API page by page; into a live database it writes in place (its WAL stays coherent),
    otherwise into a temporary file renamed at the end so that a crash never leaves half a copy."""
    destination = target if into_live else target.with_name(target.name + ".part")
    if not into_live:
        destination.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(destination)
    try:
        src.backup(dst)
        dst.commit()
    finally:
        dst.close()
        src.close()
    if not into_live:
        os.replace(destination, target)


def _check_sqlite_backup(path: Path) -> None:
    """Only a sound Tournée database is restored: an SQLite file, intact, with the workspace's tables."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = connection.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"« {path.name} » n'est pas une sauvegarde SQLite lisible ({exc}).") from None
    if check != "ok":
        raise BackupError(f"« {path.name} » est endommagée (contrôle d'intégrité : {check}).")
    if not {"alembic_version", "users", "scenarios"} <= tables:
        raise BackupError(f"« {path.name} » est une base SQLite, mais pas une sauvegarde de Tournée.")


def _libpq(database) -> str:
    """The SQLAlchemy URL as libpq reads it (no ``+psycopg`` driver suffix)."""
    return database.set(drivername="postgresql").render_as_string(hide_password=False)


def _postgres(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} est introuvable : installez le paquet postgresql-client pour sauvegarder "
                          "ou restaurer une base PostgreSQL (ou utilisez les outils de votre hébergeur).")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} a échoué : {done.stderr.strip()[:500]}")
