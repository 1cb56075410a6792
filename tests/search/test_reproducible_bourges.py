"""Reproducible runs on the Bourges basin (one bus, September to December, 1 s of work, two
workers): two solves give byte-identical stops CSVs, and the Paramètres sheet says whether a plan
can be redone."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from planner import ScenarioSpec, build_scenario, season_workbook_bytes, solve, stops_csv_bytes

AUTUMN = ScenarioSpec(start="2026-09-07", end="2026-12-18", params={"solver": {"time_limit_s": 1, "workers": 2,
                                                                              "reproducible": True}})


def test_same_inputs_and_seed_give_the_same_csv():
    scenario = build_scenario(AUTUMN)
    first, second = solve(scenario), solve(scenario)
    assert first.solver.reproducible and second.solver.reproducible
    assert first.stops and stops_csv_bytes(first, scenario) == stops_csv_bytes(second, scenario)


def _reproducible_row(plan, scenario) -> str:
    book = load_workbook(io.BytesIO(season_workbook_bytes(plan, scenario)))
    return next(r[2] for r in book["Paramètres"].iter_rows(values_only=True) if r[:2] == ("résolution", "reproductible"))


def test_the_parameters_sheet_says_whether_a_plan_can_be_redone():
    reproducible = build_scenario(AUTUMN)
    clocked = build_scenario(ScenarioSpec(start="2026-09-07", end="2026-09-25", params={"solver": {"time_limit_s": 1}}))
    assert _reproducible_row(solve(reproducible), reproducible).startswith("oui")
    assert _reproducible_row(solve(clocked), clocked).startswith("non")
