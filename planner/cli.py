"""Command line of Tournée (``python run.py SUB-COMMAND``); each sub-command has its own module."""

from __future__ import annotations

import argparse
import os
import sys

from planner.commands import compare, evaluate, export, plan, territory
from planner.core.distances import RoutingError
from planner.domain.problems import DataError

INTERRUPTED = 130  # the shell's code for a command ended by Ctrl-C (128 + SIGINT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run.py", description="Tournée : planification d'un service numérique itinérant")
    sub = parser.add_subparsers(dest="command", required=True)

    for module in (territory, plan, evaluate, compare, export):
        module.register(sub)
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 2
    except RoutingError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("\nInterrompu (Ctrl-C) : calcul arrêté, aucun fichier écrit, les fichiers existants sont intacts.",
              file=sys.stderr, flush=True)
        return INTERRUPTED
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error of the user's.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
