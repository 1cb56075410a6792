"""One transaction per request, and write requests that cannot interleave.

On SQLite, Python's driver opens transactions lazily and as readers, so two requests that both read
then write (the next publication revision, a scenario's spec) fail with « database is locked » when
the second one tries to write on a stale snapshot: 35 of 75 concurrent « Publier » on one plan did.
Every transaction here begins explicitly; that of a request that may write (POST and the like) with
BEGIN IMMEDIATE, which takes the write lock at once so that writers wait their turn (busy_timeout)
instead of failing. On PostgreSQL the same requests take a transaction-scoped advisory lock, so
they run one after another as on SQLite, and each statement (READ COMMITTED) sees what the previous
one committed. Page reads and the queue consumer (whose solver threads write progress while its
session is open) keep the driver's default. A write still refused by a constraint is answered with a French 409
page after a rollback, never a traceback.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, has_request_context, render_template, request

from web.extensions import db

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_LOCK = 7_451_006  # the advisory lock key of write requests on PostgreSQL (any constant of this app)


@sa.event.listens_for(sa.engine.Engine, "begin")
def _begin(connection: sa.Connection) -> None:
    writing = has_request_context() and request.method not in READ_METHODS
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if writing:
            raw.isolation_level = None  # no BEGIN of the driver's own: this one, which takes the write lock
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            # the driver's default: reads hold no snapshot and a BEGIN comes just before the first write,
            # so the consumer's session never blocks nor outlives the progress its solver threads write
            raw.isolation_level = ""
    elif connection.dialect.name == "postgresql" and writing:
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


FULL = ("database or disk is full", "no space left on device", "disk full", "could not extend file")


def disk_full(exc: BaseException) -> bool:
    """SQLite's SQLITE_FULL, PostgreSQL's DiskFull (53100), or the system's ENOSPC."""
    text = str(exc).lower()
    return any(words in text for words in FULL) or getattr(getattr(exc, "orig", None), "sqlstate", "") == "53100"


def init_app(app: Flask) -> None:
    @app.errorhandler(sa.exc.OperationalError)
    def unavailable(exc):
        from web import error_page

        if disk_full(exc):
            app.logger.error("write refused, the disk is full: %s", exc)
            return error_page(507, "Disque plein", "Le disque du serveur est plein : rien n'a été enregistré. "
                              "Prévenez l'administrateur pour qu'il libère de la place, puis recommencez.")
        app.logger.exception("database error")
        return error_page(500, "Erreur interne", "La base de données n'a pas répondu : rien n'a été enregistré. "
                          "Réessayez dans un instant ; l'erreur est consignée dans le journal du serveur.")

    @app.errorhandler(sa.exc.IntegrityError)
    def conflict(exc):
        db.session.rollback()
        app.logger.warning("write refused by a database constraint: %s", exc)
        return render_template("errors/error.html", title="Enregistrement refusé",
                               message="Une autre modification est arrivée en même temps, ou la donnée existe déjà : "
                               "rien n'a été enregistré. Rechargez la page et recommencez."), 409
