"""One way to make a CP-SAT solver for every model: the run's budget, workers and seed.

The budget is wall-clock seconds, or, for a reproducible run, the same number of CP-SAT's
deterministic seconds (its own measure of work, the same on every run of this machine) with the
workers interleaved deterministically. No solver takes Ctrl-C for itself: the command line's stop
request goes through planner.core.control, which stops every running search.
"""

from __future__ import annotations

from ortools.sat.python import cp_model


def cp_solver(time_limit_s: float, *, workers: int = 1, seed: int = 0, reproducible: bool = False) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    if reproducible:
        parameters.max_deterministic_time = time_limit_s
        parameters.interleave_search = workers > 1
    else:
        parameters.max_time_in_seconds = time_limit_s
    parameters.num_workers = workers
    parameters.random_seed = seed
    parameters.catch_sigint_signal = False
    return solver
