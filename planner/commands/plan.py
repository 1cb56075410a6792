"""``run.py plan``: build a season with CP-SAT and explain it."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from planner.commands.common import (
    add_season_arguments,
    add_territory_arguments,
    check_stops,
    named_problems,
    output_problems,
    print_json,
    read_stops_into,
    spec_from_args,
    write_atomically,
)
from planner.commands.progress import AFTER_S, stderr_progress
from planner.core.instance import build_instance
from planner.core.next_season import history_effect
from planner.domain.formatting import fr_number
from planner.domain.plan_file import plan_to_dict
from planner.domain.problems import DataError
from planner.exports.files import season_ics_bytes, season_workbook_bytes, stops_csv_bytes
from planner.exports.plan_report import format_history, format_plan, history_json, plan_summary
from planner.search.criteria import StopCriteria, process_started
from planner.search.solve import solve


def register(sub) -> None:
    parser = sub.add_parser("plan", help="construire une saison (optimisation CP-SAT)")
    add_territory_arguments(parser)
    add_season_arguments(parser)
    parser.add_argument("--time-limit", help="secondes de calcul (défaut : paramètres, 10 s)")
    parser.add_argument("--workers", help="fils de calcul CP-SAT, 1 à 64 (défaut : 2)")
    parser.add_argument("--seed", help="graine aléatoire, 0 à 2147483647 (défaut : 0)")
    parser.add_argument("--reproducible", action="store_true",
                        help="plan reproductible : un budget de travail (secondes déterministes de CP-SAT) au lieu de "
                             "l'horloge ; mêmes données et même graine, même plan (durée réelle variable)")
    parser.add_argument("--out", help="fichier de sortie : .csv (arrêts), .xlsx (classeur de saison), .ics (calendrier) "
                                      "ou .json (le plan et son scénario, que « export --plan » relit)")
    parser.add_argument("--from", dest="previous", metavar="PRECEDENT.csv",
                        help="re-planifier à partir d'un plan publié : déplacer le moins d'arrêts possible")
    parser.add_argument("--history", metavar="SAISON.csv",
                        help="une saison passée (CSV/XLSX : date, commune, participants ; statut, inscrits, liste_attente "
                             "facultatifs) : ses participants quittent le vivier des communes")
    parser.add_argument("--json", action="store_true", help="résumé JSON (clés stables)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else None
    problems = output_problems(out, tuple(OUTPUTS))
    cli = spec_from_args(args)
    if args.previous:
        read_stops_into(args.previous, problems)  # its syntax, reported with every other problem
    scenario = cli.build(problems)
    previous = check_stops(args.previous, scenario, problems) if args.previous else ()
    if problems:
        raise DataError(problems)
    limit = scenario.params.solver.time_limit_s
    if limit > AFTER_S:
        print(f"Calcul : au plus {fr_number(limit)} s ; Ctrl-C l'arrête sans rien écrire.", file=sys.stderr, flush=True)
    try:
        with ctrl_c_stops() as interrupted:
            # the limit covers the whole command, from the process's start to the written plan
            criteria = StopCriteria.of(scenario.params.solver, interrupted, started=process_started())
            plan = solve(scenario, previous=previous, on_event=stderr_progress(), criteria=criteria)
            if interrupted():
                raise KeyboardInterrupt
    except DataError as exc:
        raise named_problems(exc) from exc
    summary = plan_summary(plan)
    effect = history_effect(build_instance(scenario)) if scenario.history else None
    if effect is not None:
        summary["history"] = history_json(effect)
    if out is not None and plan.stops:
        write_atomically(out, OUTPUTS[out.suffix.lower()](plan, scenario, previous))
    if args.json:
        print_json(summary)
    else:
        print(format_plan(plan, summary))
        if effect is not None:
            print("\n" + format_history(effect))
        if out is not None and plan.stops:
            print(f"\nPlan écrit dans {out}")
    return 0 if plan.feasible else 1


@contextmanager
def ctrl_c_stops() -> Iterator[Callable[[], bool]]:
    """While solving, Ctrl-C asks the solve to stop (it hands back within a second); a second one
    interrupts at once. Either way the command then writes nothing (cli.py says so).

    Python runs a signal handler only between bytecodes of the main thread, which may be inside a
    CP-SAT search for seconds: the signal also wakes a pipe that the solve's watcher thread reads.
    The handler counts its own calls: the watcher reading the first Ctrl-C first must not make the
    handler take it for a second one (the solve was then cut off in the middle, its searches left
    running)."""
    asked = threading.Event()
    handled: list[int] = []  # the Ctrl-Cs the handler ran for (the watcher may have seen the first one)
    wake_read, wake_write = os.pipe()
    for fd in (wake_read, wake_write):
        os.set_blocking(fd, False)

    def on_sigint(_signum, _frame) -> None:
        handled.append(_signum)
        if len(handled) > 1:
            raise KeyboardInterrupt
        asked.set()

    def should_stop() -> bool:
        try:
            if signal.SIGINT in os.read(wake_read, 64):
                asked.set()
        except BlockingIOError:
            pass
        return asked.is_set()

    previous = signal.signal(signal.SIGINT, on_sigint)
    previous_fd = signal.set_wakeup_fd(wake_write)
    try:
        yield should_stop
    finally:
        signal.set_wakeup_fd(previous_fd)
        signal.signal(signal.SIGINT, previous)
        os.close(wake_read)
        os.close(wake_write)


OUTPUTS = {
    ".csv": lambda plan, scenario, _previous: stops_csv_bytes(plan, scenario),
    ".xlsx": lambda plan, scenario, _previous: season_workbook_bytes(plan, scenario),
    ".ics": lambda plan, scenario, previous: season_ics_bytes(plan, scenario, previous=previous,
                                                              revision=1 if previous else 0),
    ".json": lambda plan, _scenario, _previous: (json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=1)
                                                 + "\n").encode("utf-8"),
}
