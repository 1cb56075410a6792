"""The clock, the stop request and the progress events of one solve.

A caller (the command line, the web app's worker) passes ``on_event`` to hear how a solve goes
and ``should_stop`` to end it early; the search and the CP-SAT phases share one SolveControl. A
watcher thread polls ``should_stop`` every POLL_S and stops every running CP-SAT search at once;
the heuristics ask ``stopped()`` between steps. The searches a solve runs beside its own thread
(SCIP's and CLP's child processes, the Lagrangian bound's thread) are adopted by its control and
ended when the solve returns: nothing searches on behind a returned plan. Events are plain data: formatting them in French
is the command line's job, storing them the web app's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ortools.sat.python import cp_model

POLL_S = 0.1  # how often should_stop() is asked (the contract: at least every 0.2 s)
# How long a returning solve waits, in all, for its background searches once told to end: a
# killed child process is reaped in milliseconds, a Lagrangian step ends in 0.01-0.05 s (a second
# under heavy load at most)
BACKGROUND_GRACE_S = 2.0
# Every phase a solve emits, with its French label (the web app shows it beside a running solve).
PHASES = {
    "model": "préparation du modèle",
    "greedy": "plan glouton de départ",
    "aggregate": "modèle agrégé (combien de jours par commune)",
    "season": "modèle de saison (quelles dates)",
    "dating": "choix des dates",
    "local_search": "amélioration arrêt par arrêt",
    "sequencing": "ordre des tournées",
    "repair": "réparation",
    "replan": "re-planification au plus près du plan précédent",
    "done": "terminé",
}


@dataclass(frozen=True)
class SolveEvent:
    """One step of a solve; objective and bound in value points (not CP-SAT's integers)."""

    phase: str  # one of PHASES
    elapsed_s: float
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None  # fraction: 0.004 = 0.4 %
    solutions: int = 0
    message: str = ""

    def to_dict(self) -> dict:
        return {"phase": self.phase, "elapsed_s": self.elapsed_s, "objective": self.objective, "bound": self.bound,
                "gap": self.gap, "solutions": self.solutions, "message": self.message}


class Background(Protocol):
    """A search running beside the solve's thread."""

    def end(self) -> None:
        """Stop now (without waiting): what it has found is no longer waited for."""

    def join(self, timeout: float | None = None) -> bool:
        """Wait until it has stopped; True when it has."""


B = TypeVar("B", bound=Background)


class SolveControl:
    """Shared by every phase of one solve; use as a context manager (it owns the watcher thread)."""

    def __init__(self, on_event: Callable[[SolveEvent], None] | None = None,
                 should_stop: Callable[[], bool] | None = None) -> None:
        self.started = time.perf_counter()
        self._on_event = on_event
        self._should_stop = should_stop
        self._stop = threading.Event()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._solvers: list[cp_model.CpSolver] = []
        self._watcher: threading.Thread | None = None
        self._background: list[Background] = []
        if should_stop is not None and should_stop():  # asked before the solve began: no phase starts
            self._stop.set()
        if should_stop is not None:
            self._watcher = threading.Thread(target=self._watch, name="tournee-stop-watcher", daemon=True)
            self._watcher.start()

    def __enter__(self) -> SolveControl:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        self.end_background()
        self._closed.set()
        if self._watcher is not None:
            self._watcher.join()

    def adopt(self, job: B) -> B:
        """``job`` is ended with the solve (``end_background``)."""
        with self._lock:
            self._background.append(job)
        return job

    def end_background(self) -> None:
        """End every adopted search and wait for them (``BACKGROUND_GRACE_S`` in all): when a
        solve returns, no search goes on burning a core beside the next job. A Ctrl-C meanwhile
        (a second one, to end the command at once) is raised once they are gone."""
        with self._lock:
            jobs, self._background = self._background, []
        interrupted = None
        for job in jobs:
            job.end()
        end = time.perf_counter() + BACKGROUND_GRACE_S
        for job in jobs:
            while True:
                try:
                    job.join(max(0.0, end - time.perf_counter()))
                    break
                except KeyboardInterrupt as exc:
                    interrupted = exc
        if interrupted is not None:
            raise interrupted

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def stopped(self) -> bool:
        """True once the caller asked to stop: every phase then hands back what it has."""
        return self._stop.is_set()

    def emit(self, phase: str, *, objective: float | None = None, bound: float | None = None, gap: float | None = None,
             solutions: int = 0, message: str = "") -> None:
        if phase not in PHASES:
            raise ValueError(f"unknown solve phase {phase!r}: add it to PHASES")
        if self._on_event is not None:
            self._on_event(SolveEvent(phase, round(self.elapsed(), 3), objective, bound, gap, solutions, message))

    @contextmanager
    def running(self, solver: cp_model.CpSolver) -> Iterator[cp_model.CpSolver]:
        """While the block runs, a stop request stops ``solver``'s search."""
        with self._lock:
            self._solvers.append(solver)
        try:
            yield solver
        finally:
            with self._lock:
                self._solvers.remove(solver)

    def _watch(self) -> None:
        # Once stopped, keep stopping: a solve that starts after the request ends within POLL_S.
        while not self._closed.wait(POLL_S):
            if not self._stop.is_set() and self._should_stop():
                self._stop.set()
            if self._stop.is_set():
                with self._lock:
                    for solver in self._solvers:
                        solver.stop_search()


def idle_control() -> SolveControl:
    """A control with no listener and no stop (callers that solve a piece on its own, tests)."""
    return SolveControl()


def gap_of(objective: float, bound: float) -> float:
    if objective == bound:
        return 0.0
    return abs(bound - objective) / max(abs(objective), 1e-9)
