"""Command line of Tournée (``python run.py SUB-COMMAND``); each sub-command has its own module.

Exit codes, a contract scripts rely on: 0 done, 1 the configuration cannot be satisfied (the
diagnosis is printed), 2 bad input (every problem of every flag and file listed, nothing written),
4 internal error (one French line; the traceback goes to a log file, never to the terminal),
130 interrupted by Ctrl-C.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import tempfile
import traceback
from pathlib import Path

from planner.commands import compare, evaluate, export, plan, report, territory
from planner.core.distances import RoutingError
from planner.domain.problems import DataError, Problem

BAD_INPUT = 2
INTERNAL_ERROR = 4
INTERRUPTED = 130  # the shell's code for a command ended by Ctrl-C (128 + SIGINT)
LOG_DIR_VARIABLE = "TOURNEE_LOG_DIR"  # where internal errors are logged (default ~/.cache/tournee/erreurs)

# argparse speaks English; the phrases it uses for a user's mistake, in French.
ARGPARSE_FRENCH = (
    ("the following arguments are required:", "options obligatoires absentes :"),
    ("unrecognized arguments:", "options inconnues :"),
    ("expected one argument", "une valeur est attendue"),
    ("invalid choice:", "choix invalide :"),
    ("choose from", "attendu :"),
    ("not allowed with argument", "incompatible avec"),
    ("ambiguous option:", "option ambiguë :"),
    ("could match", "peut désigner"),
    ("invalid int value:", "nombre entier attendu :"),
    ("argument ", ""),
)


class FrenchParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one French line, exit code 2."""

    def error(self, message: str):
        for english, french in ARGPARSE_FRENCH:
            message = message.replace(english, french)
        self.exit(BAD_INPUT, f"{self.prog} : {message} (aide : {self.prog} --help)\n")


def main(argv: list[str] | None = None) -> int:
    parser = FrenchParser(prog="run.py", description="Tournée : planification d'un service numérique itinérant")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=FrenchParser)

    for module in (territory, plan, evaluate, compare, export, report):
        module.register(sub)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else BAD_INPUT
    handler = _warnings_to_stderr()
    try:
        return args.handler(args)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return BAD_INPUT
    except RoutingError as exc:
        source = Path(args.params).name if getattr(args, "params", None) else "paramètres"
        print(DataError([Problem(source, 0, "travel.osrm_url", exc.url, exc.reason)]).report(), file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        print("\nInterrompu (Ctrl-C) : calcul arrêté, aucun fichier écrit, les fichiers existants sont intacts.",
              file=sys.stderr, flush=True)
        return INTERRUPTED
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error of the user's.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except Exception:  # noqa: BLE001 - the one place that turns a defect into exit code 4
        where = _log_internal_error(argv if argv is not None else sys.argv[1:])
        print(f"Erreur interne de Tournée (un défaut du programme, pas de vos données) : rien n'a été écrit ; "
              f"détail technique dans {where}", file=sys.stderr)
        return INTERNAL_ERROR
    finally:
        logging.getLogger("planner").removeHandler(handler)


def _warnings_to_stderr() -> logging.Handler:
    """The planner's warnings (an unreadable distance cache...) as French lines on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("Attention : %(message)s"))
    handler.setLevel(logging.WARNING)
    logger = logging.getLogger("planner")
    logger.addHandler(handler)
    logger.setLevel(min(logger.level or logging.WARNING, logging.WARNING))
    return handler


def _log_internal_error(argv: list[str]) -> str:
    """Write the current traceback and the command to a new log file; its path (or a fallback)."""
    text = (f"Tournée, {dt.datetime.now().isoformat(timespec='seconds')}\ncommande : run.py {' '.join(argv)}\n\n"
            + traceback.format_exc())
    folders = [Path(os.environ[LOG_DIR_VARIABLE])] if os.environ.get(LOG_DIR_VARIABLE) else []
    folders += [Path.home() / ".cache" / "tournee" / "erreurs", Path(tempfile.gettempdir())]
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, path = tempfile.mkstemp(dir=folder, prefix=f"erreur-{dt.datetime.now():%Y%m%d-%H%M%S}-", suffix=".log")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            return path
        except OSError:
            continue
    return "(aucun dossier de journal accessible en écriture)"

