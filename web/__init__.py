"""Tournée's web workspace: the Flask application factory.

``web`` imports ``planner`` through ``web.planning`` only, and ``planner`` never imports Flask (both are
import-linter contracts in pyproject.toml).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, Response, current_app, redirect, render_template, url_for
from flask_login import current_user
from flask_migrate import upgrade
from flask_wtf.csrf import CSRFError
from markupsafe import escape

from web import access, formatting, links, planning, security, transactions
from web.extensions import csrf, db, login_manager, migrate
from web.models import User
from web.queue import make_huey

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def create_app(test_config: dict | None = None) -> Flask:
    """The app for one instance folder (database, secret key, queue) given by ``INSTANCE_PATH``,
    ``TOURNEE_INSTANCE`` or Flask's default ``instance/``."""
    test_config = dict(test_config or {})
    instance = test_config.pop("INSTANCE_PATH", None) or os.environ.get("TOURNEE_INSTANCE")
    app = Flask(__name__, instance_path=str(Path(instance).resolve()) if instance else None,
                instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("TOURNEE_SECRET_KEY") or _instance_secret(Path(app.instance_path)),
        SQLALCHEMY_DATABASE_URI=database_url(os.environ.get("TOURNEE_DATABASE_URL"))
        or f"sqlite:///{Path(app.instance_path) / 'tournee.db'}",
        HUEY_URL=os.environ.get("TOURNEE_HUEY_URL", ""),
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=True,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=True,
        WTF_CSRF_TIME_LIMIT=None,  # valid for the session: a planner may edit a scenario for hours
        AUTO_MIGRATE=True,
        DEBUG=False,  # never from FLASK_DEBUG: only `run.py serve --debug` turns the debugger on
    )
    if test_config:
        app.config.update(test_config)
    if app.config.get("INSECURE_COOKIES"):
        app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    login_manager.init_app(app)
    app.extensions["huey"] = make_huey(app)
    links.init_app(app)  # first: no view, form check or rate limit runs for an untrusted Host
    security.init_app(app)
    transactions.init_app(app)
    formatting.init_app(app)

    from web import auth, jobs, plans, reports, scenarios

    for blueprint in (auth.bp, scenarios.bp, jobs.bp, plans.bp, reports.bp):
        app.register_blueprint(blueprint)

    from web import geocoding, hosts, inbox, mail, public, requests_form, season, season_view

    geocoding.init_app(app)
    requests_form.init_app(app)
    season.init_app(app)
    mail.init_app(app)
    for blueprint in (requests_form.bp, inbox.bp, public.bp, hosts.bp, season_view.bp):
        app.register_blueprint(blueprint)
    access.check_public_blueprints(app)

    @app.get("/")
    def index():
        """The team's scenarios once signed in; for a mairie or a requester, the way to the public
        pages (never the login page first)."""
        if current_user.is_authenticated:
            return redirect(url_for("scenarios.index"))
        return render_template("public/home.html")

    _error_pages(app)
    if app.config["AUTO_MIGRATE"]:
        with app.app_context():
            upgrade(directory=MIGRATIONS_DIR)
    return app


ERRORS = {
    400: ("Requête refusée", "La demande envoyée n'est pas valide."),
    403: ("Accès refusé", "Vous n'avez pas accès à cette page."),
    404: ("Page introuvable", "Cette page n'existe pas, ou elle appartient à un autre compte."),
    405: ("Méthode refusée", "Cette adresse ne s'utilise pas ainsi."),
    413: ("Fichier trop volumineux", f"Un envoi ne peut pas dépasser {MAX_UPLOAD_BYTES // (1024 * 1024)} Mo."),
    500: ("Erreur interne", "Une erreur inattendue s'est produite ; elle est consignée dans le journal du serveur."),
}


# The page of last resort, when even the error page cannot be drawn (a database gone, a full disk):
# plain French, no template, no query.
PLAIN_PAGE = ('<!doctype html><html lang="fr"><meta charset="utf-8"><title>{title} · Tournée</title>'
              '<h1>{title}</h1><p>{message}</p><p><a href="/">Revenir à l\'accueil</a></p></html>')


def error_page(code: int, title: str, message: str):
    """The French error page; after a failed write the session is rolled back first (the page reads
    the account), and if the page still cannot be drawn, a plain French one (never Werkzeug's)."""
    try:
        db.session.rollback()
        return render_template("errors/error.html", title=title, message=message), code
    except Exception:  # noqa: BLE001 - whatever broke the page, the visitor still reads French
        current_app.logger.exception("the error page itself failed")
        return Response(PLAIN_PAGE.format(title=escape(title), message=escape(message)), code, mimetype="text/html")


def _error_pages(app: Flask) -> None:
    def page(code: int, title: str | None = None, message: str | None = None):
        default_title, default_message = ERRORS[code]
        return error_page(code, title or default_title, message or default_message)

    for code in ERRORS:
        app.register_error_handler(code, lambda exc, code=code: page(code))

    @app.errorhandler(planning.DataError)
    def unreadable(exc):
        """A stored plan or scenario the current planner cannot read (e.g. saved by an older version)."""
        app.logger.warning("unreadable stored data: %s", exc)
        return render_template("errors/error.html", title="Données illisibles",
                               message="Ce plan ou ce scénario ne peut pas être lu par cette version de Tournée : "
                               + "; ".join(str(p) for p in exc.problems[:5])), 422

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return page(400, "Formulaire expiré ou invalide",
                    "Le jeton de sécurité du formulaire manque ou a expiré. Revenez en arrière, rechargez la page et recommencez.")


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """The account of a session or remember-me cookie (« id:generation »), unless it was revoked since."""
    number, _, generation = user_id.partition(":")
    if not (number.isdigit() and generation.isdigit()):
        return None
    user = db.session.get(User, int(number))
    return user if user is not None and user.session_generation == int(generation) else None


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL so that the queue worker writes progress while pages read; foreign keys enforced."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def database_url(url: str | None) -> str | None:
    """``postgresql://`` and ``postgres://`` URLs use psycopg 3 (the driver installed), not psycopg2."""
    if url and url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _instance_secret(instance: Path) -> str:
    """A random key written once into the instance folder, so sessions survive a restart."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
