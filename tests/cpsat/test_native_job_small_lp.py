"""The child process that solves an LP or a MIP (planner/cpsat/native.py), on the two-variable
model of test_relaxation_small_lp and a market split that SCIP cannot prove in the test's time:
its answer is the in-process solve's, and ``end`` kills it at once, leaving no process behind."""

from __future__ import annotations

import time

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from planner.cpsat.exact import MipJob
from planner.cpsat.native import NativeJob
from planner.cpsat.relaxation import linear_program, lp_bound_in_background
from tests.cpsat.test_relaxation_small_lp import small_model
from tests.search.test_solve_stop_cher import child_processes


def test_the_child_answers_as_the_lp_solved_here():
    model, _x, _y = small_model()
    job = lp_bound_in_background(model, 5.0)
    assert job.result(timeout=30) == 20
    assert job.join(5) and child_processes() == []


def test_the_answer_carries_the_values_when_asked():
    relaxation = linear_program(small_model()[0])
    job = NativeJob(relaxation.lp, "CLP", 5.0, lambda answer: answer, values=True)
    answer = job.result(timeout=30)
    assert answer.status == pywraplp.Solver.OPTIMAL and len(answer.values) == 2


def market_split(rows: int = 5, items: int = 40) -> cp_model.CpModel:
    """Cornuéjols and Dawande's market split: equalities on 0-1 items with weights 0-99, their
    violation minimised. Branch and bound needs hours on it: SCIP is still searching when ended."""
    model = cp_model.CpModel()
    picks = [model.NewIntVar(0, 1, f"x{i}") for i in range(items)]
    slacks = []
    for row in range(rows):
        weights = [(row * 7919 + i * 104729 + i * i * 31) % 100 for i in range(items)]
        over, under = model.NewIntVar(0, 10_000, f"o{row}"), model.NewIntVar(0, 10_000, f"u{row}")
        model.Add(sum(w * x for w, x in zip(weights, picks)) + over - under == sum(weights) // 2)
        slacks += [over, under]
    model.Maximize(-sum(slacks))
    return model


def test_an_ended_search_is_gone_at_once():
    job = MipJob(market_split(), 600.0)
    time.sleep(1.0)  # SCIP has started its search
    assert child_processes() != []
    ended = time.perf_counter()
    job.end()
    assert job.join(2.0), "the child is still there"
    assert time.perf_counter() - ended < 1.0
    assert child_processes() == []
    assert job.result(timeout=1) is None  # killed: no answer
