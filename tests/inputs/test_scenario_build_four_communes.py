"""build_scenario on four communes of the Bourges basin given as rows (an upload), with a request,
a market, a pin and a forbidden day; and a spec with a defect in every field, all reported at once."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain.problems import DataError
from planner.domain.spec import ScenarioSpec, VehicleSpec
from planner.inputs.scenario_build import build_scenario

FOUR = ({"insee_com": "18033"}, {"insee_com": "18145"}, {"insee_com": "18160"}, {"insee_com": "18205"})
SPEC = ScenarioSpec(
    territory="quatre communes", territory_rows=FOUR, start="2026-09-08", end="2026-09-25",
    vehicles=(VehicleSpec("bus", base="18033", weekdays="mardi-jeudi", max_drive_minutes=150.0),),
    closed=("2026-09-17",), pins=({"date": "2026-09-09", "insee": "18160"},), forbids=({"insee": "18205", "date": ""},),
    requests=({"request_id": "D1", "insee_com": "18145", "start": "2026-09-14", "end": "2026-09-18", "priority": "must"},),
    markets=({"insee_com": "18160", "weekday": "mercredi"},), params={"solver": {"time_limit_s": 3}},
)


def test_rows_become_the_scenario_they_describe():
    scenario = build_scenario(SPEC)
    assert scenario.territory.name == "quatre communes"
    assert [c.insee for c in scenario.territory.communes] == ["18033", "18145", "18160", "18205"]
    (bus,) = scenario.vehicles
    assert (bus.base_insee, bus.weekdays, bus.max_drive_minutes) == ("18033", (2, 3, 4), 150.0)
    assert scenario.season.weekdays == (2, 3, 4)
    assert dt.date(2026, 9, 17) not in scenario.season.working_days
    assert [(p.date, p.insee) for p in scenario.pins] == [(dt.date(2026, 9, 9), "18160")]
    assert [(f.insee, f.date) for f in scenario.forbidden] == [("18205", None)]
    (request,) = scenario.requests
    assert (request.request_id, request.priority, request.windows[0][0]) == ("D1", "must", dt.date(2026, 9, 14))
    assert any(m.insee == "18160" and m.weekday == 3 for m in scenario.territory.markets)
    assert scenario.params.solver.time_limit_s == 3.0
    assert scenario.spec == SPEC


def test_default_spec_is_one_bus_in_bourges_from_next_monday_to_june():
    scenario = build_scenario(ScenarioSpec(), today=dt.date(2026, 11, 26))
    assert scenario.territory.name == "bourges" and len(scenario.territory.communes) == 103
    (bus,) = scenario.vehicles
    assert (bus.kind, bus.base_label, bus.weekdays) == ("bus", "Bourges", (2, 3, 4, 5))
    assert (scenario.season.start, scenario.season.end) == (dt.date(2026, 11, 30), dt.date(2027, 6, 30))


def test_every_problem_of_every_field_is_reported_with_its_field():
    bad = ScenarioSpec(
        territory_rows=FOUR, start="2026-13-01", mode="camion", school_zone="D", closed=("2026-09-31",),
        vehicles=(VehicleSpec("bus", base="99999", weekdays="tue,thi"), VehicleSpec("bus", kind="mediator",
                                                                                    overnight_nights=2)),
        pins=({"date": "2026-09-09", "insee": "36044"},), forbids=({"insee": "18033", "when": "x"},),
        requests=({"insee_com": "1803", "start": "2026-09-01", "end": "2026-08-01"},),
        markets=({"insee_com": "18033", "weekday": "jeudo"},), params={"need": {"far": 3}},
    )
    with pytest.raises(DataError) as caught:
        build_scenario(bad)
    found = {(p.row, p.column, p.value) for p in caught.value.problems}
    assert all(p.file == "scénario" for p in caught.value.problems)
    assert found == {
        (0, "params.need.far", ""), (1, "markets.weekday", "jeudo"), (1, "requests.insee_com", "1803"),
        (1, "requests.end", "2026-08-01"), (0, "start", "2026-13-01"), (1, "closed", "2026-09-31"),
        (0, "school_zone", "D"), (0, "mode", "camion"), (1, "vehicles.base", "99999"), (1, "vehicles.weekdays", "tue,thi"),
        (2, "vehicles.name", "bus"), (2, "vehicles.overnight_nights", "2"), (1, "pins.insee", "36044"),
        (1, "forbids.when", ""),
    }


def test_an_unknown_territory_name_is_the_territory_field():
    with pytest.raises(DataError) as caught:
        build_scenario(ScenarioSpec(territory="bourge"))
    (problem,) = caught.value.problems
    assert (problem.column, problem.value) == ("territory", "bourge") and "territoire inconnu" in problem.message
