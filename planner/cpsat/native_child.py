"""The child process of planner/cpsat/native.py: ``python native_child.py MODEL.pb SETTINGS-JSON``.

Run as a script, so that it imports OR-Tools only (not the planner, whose import takes seconds):
it loads the MPModelProto written by its parent, solves it with the settings' solver, time limit
and parameters, and prints one JSON line (status, objective, bound, values, nodes, times). It
dies with its parent (Linux), so that a parent killed mid-solve leaves no search behind.
"""

import contextlib
import ctypes
import json
import os
import signal
import sys
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the parent kills it when it can
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request was made
        sys.exit(1)


def main() -> int:
    path, settings = Path(sys.argv[1]), json.loads(sys.argv[2])
    die_with_parent(settings["parent"])
    from ortools.linear_solver import linear_solver_pb2, pywraplp

    proto = linear_solver_pb2.MPModelProto.FromString(path.read_bytes())
    path.unlink(missing_ok=True)
    solver = pywraplp.Solver.CreateSolver(settings["solver"])
    if solver is None or solver.LoadModelFromProto(proto) != "":
        return 1
    solver.SetTimeLimit(settings["time_limit_ms"])
    if settings["parameters"]:
        solver.SetSolverSpecificParametersAsString(settings["parameters"])
    integer = any(v.is_integer for v in proto.variable)
    parameters = pywraplp.MPSolverParameters()
    if integer:  # a proof, not a solution within SCIP's default 0.01 % of it
        parameters.SetDoubleParam(parameters.RELATIVE_MIP_GAP, 0.0)
    started, cpu = time.perf_counter(), time.process_time()
    status = solver.Solve(parameters)
    # from here a SIGINT would only lose the answer (SCIP caught them while it searched)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    wall, cpu = round(time.perf_counter() - started, 3), round(time.process_time() - cpu, 3)
    answer = {"status": status, "wall_s": wall, "cpu_s": cpu}
    if status in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        value = solver.Objective().Value()
        answer |= {"objective": value, "bound": solver.Objective().BestBound() if integer else value,
                   "nodes": solver.nodes() if integer else 0}
        if settings["values"]:
            answer["values"] = [v.solution_value() for v in solver.variables()]
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
