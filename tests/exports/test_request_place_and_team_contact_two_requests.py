"""Request address/contact columns and the team contact, on two requests for Menetou-Salon (18145).

The web app geocodes a host site and sends it as columns of the requests table in the spec; the
exports print the team's contact. Both must survive the spec and the plan file, and bad values
must be named by field.
"""

from __future__ import annotations

import pytest

from planner.domain.plan import Plan
from planner.domain.plan_file import plan_from_dict, plan_to_dict
from planner.domain.problems import DataError
from planner.domain.spec import ScenarioSpec
from planner.domain.team import NOT_SET, TeamContact
from planner.inputs.scenario_build import build_scenario

PLACED = {"request_id": "R1", "insee_com": "18145", "start": "2026-10-01", "end": "2026-10-31",
          "host_site": "Salle des fêtes", "address": "2 place de l'Église", "postcode": "18510",
          "lat": "47.2345", "lon": "2.4871", "location_note": "",
          "contact": "Mme Durand", "contact_role": "secrétaire de mairie",
          "contact_email": "mairie@menetou.example", "contact_phone": "02 48 64 80 00", "note": "prise côté cour"}
UNPLACED = {"request_id": "R2", "insee_com": "18145", "start": "2026-11-01", "end": "2026-11-30",
            "location_note": "adresse non trouvée, centre de la commune"}
TEAM = {"name": "Équipe du bus numérique", "phone": "02 48 00 00 00", "email": "bus@asept.example",
        "signup": "auprès de la mairie"}


def spec(**changes) -> ScenarioSpec:
    values = dict(territory="bourges", start="2026-09-07", end="2026-12-18", requests=(PLACED, UNPLACED),
                  team_contact=TEAM)
    values.update(changes)
    return ScenarioSpec(**values)


def test_two_requests_keep_their_place_and_contact_through_spec_and_plan_file():
    scenario = build_scenario(spec())
    placed, unplaced = scenario.requests
    assert (placed.address, placed.postcode, placed.lat, placed.lon) == ("2 place de l'Église", "18510", 47.2345, 2.4871)
    assert (placed.contact, placed.contact_role, placed.contact_email, placed.contact_phone) == (
        "Mme Durand", "secrétaire de mairie", "mairie@menetou.example", "02 48 64 80 00")
    assert placed.located and not unplaced.located
    assert unplaced.location_note == "adresse non trouvée, centre de la commune"
    assert scenario.team_contact == TeamContact(**TEAM)
    again = plan_from_dict(plan_to_dict(Plan((), spec=scenario.spec)))
    assert ScenarioSpec.from_dict(again.spec.to_dict()) == scenario.spec
    assert build_scenario(again.spec).requests == scenario.requests
    assert build_scenario(again.spec).team_contact == scenario.team_contact


def test_team_contact_not_set_says_so():
    scenario = build_scenario(spec(team_contact={}))
    assert not scenario.team_contact.is_set and scenario.team_contact.label() == NOT_SET


@pytest.mark.parametrize(("row", "column", "message"), [
    ({"lat": "147.2", "lon": "2.48"}, "requests.lat", "latitude"),
    ({"lat": "nan", "lon": "2.48"}, "requests.lat", "nombre attendu"),
    ({"lat": "47.2", "lon": ""}, "requests.lon", "obligatoire"),
    ({"lat": "2.48", "lon": "47.2"}, "requests.lat", "inversées"),
    ({"contact_email": "mairie-at-menetou"}, "requests.contact_email", "e-mail"),
    ({"contact_phone": "=1+1"}, "requests.contact_phone", "téléphone"),
    ({"postcode": "1851"}, "requests.postcode", "code postal"),
])
def test_bad_request_place_or_contact_is_named_by_field(row, column, message):
    with pytest.raises(DataError) as caught:
        build_scenario(spec(requests=(PLACED | row,)))
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == ("scénario", 1, column)
    assert message in problem.message


@pytest.mark.parametrize(("team", "column"), [
    ({"email": "pas une adresse"}, "team_contact.email"),
    ({"phone": "appelez-nous"}, "team_contact.phone"),
    ({"fax": "02 48 00 00 01"}, "team_contact.fax"),
    ({"name": 12}, "team_contact.name"),
])
def test_bad_team_contact_is_named_by_field(team, column):
    with pytest.raises(DataError) as caught:
        build_scenario(spec(team_contact=team))
    assert [p.column for p in caught.value.problems] == [column]
