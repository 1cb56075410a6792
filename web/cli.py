"""``run.py serve``, ``run.py worker``, ``run.py users add``, ``run.py backup`` and ``run.py restore``:
starting the workspace, its accounts, and copies of its database."""

from __future__ import annotations

import argparse
import errno
import getpass
import os
import signal
import sys
from pathlib import Path

import alembic.util
import sqlalchemy as sa
from waitress import create_server

from web import create_app, mail, planning
from web.auth import change_password, create_user
from web.backup import BackupError, backup, instance_in_use, restore
from web.demo import fill_demo
from web.extensions import db
from web.models import User
from web.queue import bind_app, requeue_lost
from web.supervisor import Supervisor
from web.transactions import disk_full
from web.workers import interrupt_lost, worker_stopped

MIN_PASSWORD = 10
COMMANDS = ("serve", "worker", "users", "backup", "restore")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run.py", description="Tournée : espace de travail web")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="démarrer l'espace web (waitress) et un calculateur (Huey)")
    _instance_argument(serve)
    serve.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (défaut : 8000)")
    serve.add_argument("--threads", type=int, default=8, help="fils de waitress (défaut : 8)")
    serve.add_argument("--debug", action="store_true", help="serveur de développement Flask, mode débogage")
    serve.add_argument("--insecure-cookies", action="store_true",
                       help="cookies sans l'attribut Secure (HTTP simple hors de cette machine ; à éviter)")
    serve.add_argument("--demo", action="store_true",
                       help="remplir une instance vide : bassin de Bourges, un compte, un brouillon et une saison publiée")
    serve.add_argument("--no-worker", action="store_true", help="ne pas démarrer de calculateur (ils tournent ailleurs)")
    serve.set_defaults(handler=run_serve)
    worker = sub.add_parser("worker", help="démarrer un calculateur Huey seul (plusieurs machines avec Redis)")
    _instance_argument(worker)
    worker.add_argument("--workers", type=int, default=1, help="calculs en parallèle (défaut : 1)")
    worker.set_defaults(handler=run_worker)
    users = sub.add_parser("users", help="gérer les comptes")
    users_sub = users.add_subparsers(dest="action", required=True)
    add = users_sub.add_parser("add", help="créer un compte (mot de passe saisi, ou lu sur l'entrée standard)")
    _instance_argument(add)
    add.add_argument("email")
    add.set_defaults(handler=run_users_add)
    password = users_sub.add_parser("password", help="changer le mot de passe d'un compte (ses sessions sont révoquées)")
    _instance_argument(password)
    password.add_argument("email")
    password.set_defaults(handler=run_users_password)
    save = sub.add_parser("backup", help="copier la base de données dans un fichier (copie cohérente, serveur en marche ou non)")
    _instance_argument(save)
    save.add_argument("file", help="fichier de sauvegarde à écrire")
    save.set_defaults(handler=run_backup)
    load = sub.add_parser("restore", help="remettre une sauvegarde en place (serveur et calculateurs arrêtés)")
    _instance_argument(load)
    load.add_argument("file", help="fichier de sauvegarde à relire")
    load.set_defaults(handler=run_restore)
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (OSError, sa.exc.SQLAlchemyError, alembic.util.CommandError) as exc:
        print(f"Tournée ne peut pas continuer : {start_problem(exc, getattr(args, 'instance', ''))}", file=sys.stderr)
        return START_FAILED


START_FAILED = 3  # the instance cannot be used: full disk, unreadable database, no permission


def start_problem(exc: BaseException, instance: str) -> str:
    """One French line saying why the instance cannot be used and what to do, never a traceback."""
    detail = " ".join(str(getattr(exc, "orig", None) or exc).split())[:160]
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or disk_full(exc):
        return f"le disque de l'instance {instance} est plein ({detail}) ; libérez de la place puis relancez."
    if isinstance(exc, PermissionError):
        return f"droits insuffisants sur {exc.filename or instance} ; lancez Tournée avec le compte propriétaire de l'instance."
    if isinstance(exc, sa.exc.DatabaseError) and any(w in detail.lower() for w in ("not a database", "malformed",
                                                                                   "corrupt")):
        return (f"la base de données de l'instance {instance} est endommagée ou n'en est pas une ({detail}) ; remettez "
                "une sauvegarde (python run.py restore FICHIER) ou déplacez ce fichier pour repartir d'une base vide.")
    if isinstance(exc, alembic.util.CommandError):
        return (f"la base de données a été écrite par une autre version de Tournée ({detail}) ; installez la version "
                "qui l'a écrite ou remettez une sauvegarde.")
    if isinstance(exc, sa.exc.SQLAlchemyError):
        return f"la base de données ne répond pas ({detail}) ; vérifiez TOURNEE_DATABASE_URL et le serveur de base."
    return f"{detail} ({exc.filename or instance})."


def run_backup(args) -> int:
    app = _app(args, AUTO_MIGRATE=False)
    try:
        print(backup(app.config["SQLALCHEMY_DATABASE_URI"], Path(args.file)))
    except BackupError as exc:
        print(f"Sauvegarde impossible : {exc}", file=sys.stderr)
        return 2
    return 0


def run_restore(args) -> int:
    app = _app(args, AUTO_MIGRATE=False)
    try:
        print(restore(app.config["SQLALCHEMY_DATABASE_URI"], Path(args.file), Path(app.instance_path)))
    except BackupError as exc:
        print(f"Restauration impossible : {exc}", file=sys.stderr)
        return 2
    print("Relancez le serveur (python run.py serve) : il mettra la base à jour si la sauvegarde est plus ancienne.")
    return 0


def _instance_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--instance", default="instance",
                        help="dossier de la base de données, de la clé secrète et de la file (défaut : instance/)")


def _app(args, **config):
    instance = str(Path(args.instance).resolve())
    os.environ["TOURNEE_INSTANCE"] = instance
    return create_app({"INSTANCE_PATH": instance, **config})


def run_serve(args) -> int:
    with instance_in_use(Path(args.instance).resolve()):
        return _serve(args)


def _serve(args) -> int:
    if args.demo:  # the demonstration never geocodes on the internet unless TOURNEE_BAN_URL says so
        os.environ.setdefault("TOURNEE_BAN_URL", "")
    app = _app(args, DEBUG=args.debug, INSECURE_COOKIES=args.debug or args.insecure_cookies, SERVE_HOST=args.host)
    with app.app_context():
        interrupted = interrupt_lost()
        if interrupted:
            print(f"{planning.plural(interrupted, 'calcul interrompu')} par l'arrêt précédent du serveur.")
        requeued = requeue_lost(app)
        if requeued:
            print(f"{planning.plural(requeued, 'calcul', 'calculs')} en attente remis dans la file après l'arrêt "
                  "précédent du serveur.")
        mail.kick(app)  # the outbox's messages the previous run left, sent now rather than at the next minute
    server = None
    if not args.debug:
        try:
            server = create_server(app, host=args.host, port=args.port, threads=args.threads, ident="Tournee")
        except OSError as exc:
            print(f"Impossible d'écouter sur {args.host}:{args.port} ({exc.strerror}) : port déjà pris ? "
                  "Choisissez-en un autre avec --port.", file=sys.stderr)
            return 1
    if args.demo:
        with app.app_context():
            fill_demo(app, lambda line: print(line, flush=True))
    worker = None if args.no_worker else [sys.executable, "-m", "web.cli", "worker", "--instance", app.instance_path]
    supervisor = Supervisor(app, worker, lambda line: print(line, flush=True))
    supervisor.start()
    url = f"http://{args.host}:{args.port}/"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if server is None:
            print(f"Tournée : {url} (instance {app.instance_path}, mode débogage) ; Ctrl+C pour arrêter.", flush=True)
            app.run(host=args.host, port=args.port, debug=True, use_reloader=False)
        else:
            print(f"Tournée : {url} (instance {app.instance_path}) ; Ctrl+C pour arrêter.", flush=True)
            server.run()
    except KeyboardInterrupt:
        pass
    finally:
        supervisor.stop()
    return 0


def run_worker(args) -> int:
    """A Huey consumer bound to this instance's app; it runs ``--workers`` solves at once, one after another."""
    with instance_in_use(Path(args.instance).resolve()):
        app = _app(args, AUTO_MIGRATE=False)
        os.nice(10)  # solves yield the processor to the web server's page requests on a shared machine
        with app.app_context():  # what a worker of this machine left running when it died
            lost = interrupt_lost(worker_stopped())
            if lost:
                print(f"{planning.plural(lost, 'calcul interrompu')} : leur calculateur s'est arrêté.", flush=True)
            requeue_lost(app)
            mail.kick(app)
        bind_app(app)
        consumer = app.extensions["huey"].create_consumer(workers=args.workers, worker_type="thread")
        consumer.run()
    return 0


def run_users_add(args) -> int:
    app = _app(args)
    email = args.email.strip().lower()
    if "@" not in email or len(email) > 254:
        print(f"Adresse e-mail invalide : « {args.email} »", file=sys.stderr)
        return 2
    with app.app_context():
        if db.session.scalar(db.select(User).filter_by(email=email)):
            print(f"Un compte existe déjà pour {email}.", file=sys.stderr)
            return 2
        password = _read_password("aucun compte créé")
        if password is None:
            return 2
        create_user(email, password)
    print(f"Compte créé : {email}")
    return 0


def run_users_password(args) -> int:
    """A new password for an account: every session and remember-me cookie of it stops working."""
    app = _app(args)
    email = args.email.strip().lower()
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=email))
        if user is None:
            print(f"Aucun compte pour « {args.email} ».", file=sys.stderr)
            return 2
        password = _read_password("mot de passe inchangé")
        if password is None:
            return 2
        change_password(user, password)
    print(f"Mot de passe changé pour {email} ; ses sessions ouvertes sont fermées.")
    return 0


def _read_password(unchanged: str) -> str | None:
    """A password typed twice, or read from stdin; None (and a French line) when refused."""
    if sys.stdin.isatty():
        password = getpass.getpass("Mot de passe : ")
        if getpass.getpass("Mot de passe (encore) : ") != password:
            print(f"Les deux saisies diffèrent ; {unchanged}.", file=sys.stderr)
            return None
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD:
        print(f"Mot de passe trop court : {MIN_PASSWORD} caractères au moins ; {unchanged}.", file=sys.stderr)
        return None
    return password


if __name__ == "__main__":
    sys.exit(main())
