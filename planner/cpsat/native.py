"""A native LP or MIP solve (CLP, SCIP) in a child process, ended at once when the solve is done.

In a thread of the solve's own process such a search outlived the solve: CLP cannot be
interrupted, and SCIP answers an interrupt only between its LP solves (its root LP of the Cher
with two buses and nights away ran 1.5-2.8 s deaf to it under load; a Ctrl-C left it searching
20-40 s after the command's message), so a returned solve kept burning a core beside the web
worker's next job, and the command line's interpreter aborted at exit. A child process is killed
in a moment whatever it is doing. It costs the child's start (Python and OR-Tools, about 0.5 CPU
second, on the other core) and the model's copy through a temporary file (hundredths of a second
on the Cher); the model is built here, so that the child needs nothing of the planner.

The child (``native_child.py``, run as a script: it imports OR-Tools only) loads the model,
solves it with the given time limit and parameters and prints one JSON line; a thread of this
process reads it (it ends when the child does) and hands it to ``then``, whose value is the job's
result. ``interrupt`` sends SIGINT (SCIP, with ``misc/catchctrlc``, then returns what it has),
``end`` kills the child, ``join`` waits for the reader.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from ortools.linear_solver import linear_solver_pb2, pywraplp

CHILD = Path(__file__).with_name("native_child.py")
T = TypeVar("T")


@dataclass(frozen=True)
class NativeAnswer:
    """What the child's solver found: its status (``pywraplp.Solver`` codes), objective and best
    bound in the solver's own terms, the variables' values, its work (nodes) and its times."""

    status: int
    objective: float | None
    bound: float | None
    values: tuple[float, ...]
    nodes: int
    wall_s: float
    cpu_s: float

    @property
    def solved(self) -> bool:
        return self.status in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE)


class NativeJob(Generic[T]):
    """``solver`` ("CLP", "SCIP") on ``lp``'s model in a child process, started at once; its result
    is ``then(answer)`` (``then(None)`` when the child was killed or failed); ``values``: the
    answer carries the variables' values (a MIP's solution; an LP's bound needs none)."""

    def __init__(self, lp: pywraplp.Solver, solver: str, time_limit_s: float, then: Callable[[NativeAnswer | None], T],
                 *, parameters: str = "", values: bool = False, name: str = "native") -> None:
        self.name = name
        self._future: Future[T] = Future()
        self._then = then
        proto = linear_solver_pb2.MPModelProto()
        lp.ExportModelToProto(proto)  # with its hint
        fd, path = tempfile.mkstemp(prefix="tournee-", suffix=".pb")
        with os.fdopen(fd, "wb") as handle:
            handle.write(proto.SerializeToString())
        self._path = Path(path)
        settings = {"solver": solver, "time_limit_ms": max(1, int(1000 * time_limit_s)), "parameters": parameters,
                    "values": values, "parent": os.getpid()}
        # Its own session: a Ctrl-C in the terminal reaches the command, which ends the child itself.
        self._process = subprocess.Popen([sys.executable, str(CHILD), path, json.dumps(settings)],
                                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, start_new_session=True)
        self._reader = threading.Thread(target=self._read, name=f"{name}-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            out = self._process.stdout.read()
            self._process.wait()
            answer = _answer(out) if self._process.returncode == 0 else None
            self._future.set_result(self._then(answer))
        except Exception as exc:  # handed to whoever reads the result, as an executor would
            self._future.set_exception(exc)
        finally:
            self._process.stdout.close()
            self._path.unlink(missing_ok=True)

    def done(self) -> bool:
        return self._future.done()

    def result(self, timeout: float | None = None) -> T:
        return self._future.result(timeout=timeout)

    def add_done_callback(self, callback: Callable[[Future[T]], None]) -> None:
        self._future.add_done_callback(callback)

    def interrupt(self) -> None:
        """Ask the solver to stop and answer with what it has (SCIP; CLP ignores it)."""
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self._process.send_signal(signal.SIGINT)

    def end(self) -> None:
        """Kill the child now, whatever it is doing: the result is then ``then(None)``."""
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()

    def join(self, timeout: float | None = None) -> bool:
        """Wait until the child is gone and its answer handed over; True when it is."""
        self._reader.join(timeout)
        return not self._reader.is_alive()


class Ready(Generic[T]):
    """A job that had nothing to search (its value known at once), with NativeJob's methods."""

    def __init__(self, value: T) -> None:
        self._future: Future[T] = Future()
        self._future.set_result(value)

    def done(self) -> bool:
        return True

    def result(self, timeout: float | None = None) -> T:
        return self._future.result()

    def add_done_callback(self, callback: Callable[[Future[T]], None]) -> None:
        self._future.add_done_callback(callback)

    def interrupt(self) -> None:
        pass

    def end(self) -> None:
        pass

    def join(self, timeout: float | None = None) -> bool:
        return True


def _answer(out: bytes) -> NativeAnswer | None:
    try:
        data = json.loads(out)
    except ValueError:
        return None
    return NativeAnswer(data["status"], data.get("objective"), data.get("bound"), tuple(data.get("values", ())),
                        data.get("nodes", 0), data.get("wall_s", 0.0), data.get("cpu_s", 0.0))


def wait_answer(job: NativeJob, patience_s: float, poll_s: float = 0.05):
    """The job's result if it comes within ``patience_s`` (interrupting the solver meanwhile: a
    request sent before it starts its search is lost), else the child is killed and its result
    is that of no answer."""
    end = time.perf_counter() + patience_s
    while True:
        job.interrupt()
        try:
            return job.result(timeout=poll_s)
        except TimeoutError:
            if time.perf_counter() >= end:
                job.end()
                return job.result()
