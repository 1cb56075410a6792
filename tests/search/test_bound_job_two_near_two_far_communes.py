"""The Lagrangian bound's thread as the bus pipeline drives it (planner/search/aggregate_race.py):
on the near and far communes of tests/cpsat/test_lagrangian_bound_two_near_two_far_communes.py
(a bus that may stay away two nights), asked for its bound long before its time limit, it answers
at once with a bound that holds the aggregate model's optimum."""

from __future__ import annotations

import time
from dataclasses import replace

from planner.core.control import idle_control
from planner.core.instance import build_instance
from planner.cpsat.aggregate_model import build_aggregate_model
from planner.cpsat.relaxation import lagrangian_duals
from planner.search.aggregate_race import BoundJob
from tests.conftest import bus, tiny_params, tiny_scenario
from tests.cpsat.test_lagrangian_bound_two_near_two_far_communes import F1, F2, A, B, optimum


def test_asked_for_its_bound_the_job_answers_before_its_time_limit():
    instance = build_instance(tiny_scenario([A, B, F1, F2], vehicles=(replace(bus(seats=50), overnight_nights=2),),
                                            params=tiny_params(objective={"km_cost": 0.5})))
    am = build_aggregate_model(instance, (), set(range(4)))
    job = BoundJob.start(lagrangian_duals(am), 60.0, None, idle_control())
    time.sleep(0.3)
    asked = time.perf_counter()
    bound = job.now()
    assert time.perf_counter() - asked < 1.0
    assert bound is not None and bound >= optimum(am)
