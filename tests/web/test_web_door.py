"""How the web app is put together: the planner reached through web.planning only, what the door
takes from the planner instead of re-deriving it (season bounds, weekdays, phases), and public
blueprints named by the names the app really registers."""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from pathlib import Path

import pytest

from planner import ScenarioSpec, build_scenario
from planner.domain.service_point import KINDS
from tests.web.conftest import add_scenario, four_communes_spec
from web import access, create_app, jobs, planning

ROOT = Path(__file__).resolve().parents[2]
# a Wednesday and the next one: the four communes' mediator has no weekdays of its own
TOUR = b"date;insee_com\n2027-01-06;18145\n2027-01-13;18223\n"
MEDIATOR = four_communes_spec(mode="mediator", vehicles=[{"name": "médiateur", "kind": "mediator", "base": "18033",
                                                           "weekdays": ""}])


def test_a_mediator_without_weekdays_works_monday_to_friday_as_the_planner_says():
    # planner.inputs.scenario_build.DEFAULT_WEEKDAYS: mediator mon-fri, bus tue-fri; web/plans.py
    # used to assume tue-fri for any vehicle, so a plan's calendar hid its Mondays
    assert planning.working_weekdays(MEDIATOR) == (1, 2, 3, 4, 5)
    assert planning.working_weekdays(four_communes_spec()) == (2, 3, 4, 5)
    assert planning.default_weekdays() == {"bus": ("tue", "wed", "thu", "fri"),
                                           "mediator": ("mon", "tue", "wed", "thu", "fri")}


def test_the_plan_calendar_of_a_four_commune_mediator_shows_mondays(logged, app, users):
    scenario_id = add_scenario(app, users["alice"], MEDIATOR)
    response = logged.post(f"/scenarios/{scenario_id}/evaluer", data={"csrf_token": logged.token,
                                                                      "e-file": (io.BytesIO(TOUR), "t.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    page = logged.get(response.headers["Location"]).get_data(as_text=True)
    assert '<th scope="col">lundi</th><th scope="col">mardi</th>' in page


def test_season_bounds_are_the_planners_defaults_when_the_spec_has_no_dates():
    spec = four_communes_spec(start="", end="")
    season = build_scenario(ScenarioSpec.from_dict(spec)).season
    assert planning.season_bounds(spec) == (season.start, season.end)
    start, end = season.start, season.end  # next Monday, and the 30 June after it
    assert start.weekday() == 0 and dt.date.today() < start <= dt.date.today() + dt.timedelta(days=7)
    assert (end.month, end.day) == (6, 30) and start < end <= dt.date(start.year + 1, 6, 30)
    assert planning.season_bounds(four_communes_spec()) == (dt.date(2027, 1, 5), dt.date(2027, 1, 15))


def test_every_phase_the_planner_reports_has_a_french_label():
    # "replan" is emitted by the exact re-plan although planner.core.control.PHASES does not list it
    for phase in (*planning.PHASES, "replan", "queued"):
        assert jobs.phase_label(phase) != phase, phase


def test_the_public_blueprints_are_the_request_form_the_published_pages_and_the_host_links(app):
    # every other blueprint's routes are swept for a login by tests/web/test_security_routes.py
    assert access.PUBLIC_BLUEPRINTS == {"demande", "public", "hote"} <= set(app.blueprints)
    assert {app.blueprints[name].import_name for name in ("demande", "public", "hote")} == {
        "web.requests_form", "web.public", "web.hosts"}


def test_an_app_naming_a_public_blueprint_it_does_not_have_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.setattr(access, "PUBLIC_BLUEPRINTS", access.PUBLIC_BLUEPRINTS | {"hosts"})
    with pytest.raises(RuntimeError, match="hosts"):
        create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True})


def test_every_blueprint_is_in_the_independence_contract(app):
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    [independent] = [c["modules"] for c in contracts if c["type"] == "independence"]
    for blueprint in app.blueprints.values():
        module = ".".join(blueprint.import_name.split(".")[:2])  # web.scenarios.routes -> web.scenarios
        assert module in independent, f"{module} (blueprint « {blueprint.name} ») is missing from the contract"


def test_the_weights_page_offers_every_kind_of_place_the_planner_knows(logged, app, users):
    # the page used to list 5 kinds of its own; the planner counts 12 (planner.domain.service_point)
    scenario_id = add_scenario(app, users["alice"])
    page = logged.get(f"/scenarios/{scenario_id}/ponderations").get_data(as_text=True)
    for kind in KINDS:
        assert f'name="need.service_kinds" value="{kind}"' in page, kind
    assert "Promeneur du Net (jeunesse)" in page
