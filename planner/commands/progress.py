"""Solve events as French lines on stderr, once a run lasts long enough for someone to wait."""

from __future__ import annotations

import sys
from collections.abc import Callable

from planner.core.control import SolveEvent
from planner.domain.formatting import fr_number

AFTER_S = 2.0
PHASE_LABELS = {"greedy": "plan glouton", "aggregate": "modèle agrégé", "dating": "dates du modèle agrégé",
                "local_search": "échanges d'arrêts", "sequencing": "semaines réordonnées", "repair": "réparation"}


def stderr_progress(after_s: float = AFTER_S) -> Callable[[SolveEvent], None]:
    def show(event: SolveEvent) -> None:
        line = progress_line(event)
        if line and event.elapsed_s >= after_s:
            print(line, file=sys.stderr, flush=True)
    return show


def progress_line(event: SolveEvent) -> str:
    """One line per event worth telling: phases that found a plan and better solutions ('' otherwise)."""
    head = f"[{event.elapsed_s:6.1f} s]"
    if event.phase == "season" and event.objective is not None:
        what = "semaine type" if event.message == "semaine type" else "solution"
        gap = "" if event.gap is None else f", écart {100 * event.gap:.2f} %"
        return (f"{head} {what} {event.solutions} : objectif {fr_number(event.objective)}, "
                f"borne {fr_number(event.bound)}{gap}")
    if event.phase == "aggregate" and event.objective is not None:
        return (f"{head} modèle agrégé : {event.message}, objectif {fr_number(event.objective)}, "
                f"borne {fr_number(event.bound)}")
    if event.phase in PHASE_LABELS and event.objective is not None:
        return f"{head} {PHASE_LABELS[event.phase]} : objectif {fr_number(event.objective)}"
    return ""
